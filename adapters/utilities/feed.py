"""The metering platform's live feed: latest register readings, at most 100 meters per call.

Speaks the feed's dialect (``errcode``/``errmsg`` envelope inside HTTP 200,
``mno``/``val``/``unit``/``rt``/``st`` rows, ``yyyyMMddHHmmss`` times in China
Standard Time, values as strings, unknown meters silently left out) and
translates every failure into :mod:`adapters.errors`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from adapters.errors import BadData, LegacyTimeout, LegacyUnavailable, Rejected
from adapters.resilience import LegacyGuard, last_good, legacy_http
from adapters.utilities.models import LiveReading, MeterStatus
from adapters.utilities.units import UnknownUnit, unit_factor

SYSTEM = "utilities"
BATCH_LIMIT = 100
CST = ZoneInfo("Asia/Shanghai")
_STATUS = {"1": MeterStatus.ONLINE, "0": MeterStatus.OFFLINE, "2": MeterStatus.FAULT}


class RealtimeFeed:
    """Client of ``GET /realtime?meters=…``; batches by the feed's limit, a few batches at a time."""

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 5.0,
        batch_limit: int = BATCH_LIMIT,
        max_concurrency: int = 4,
        guard: LegacyGuard | None = None,
    ) -> None:
        self._http = legacy_http(base_url, transport, timeout)
        self.guard = guard or LegacyGuard(SYSTEM, timeout=timeout)
        self._batch_limit = batch_limit
        self._gate = asyncio.Semaphore(max_concurrency)
        self.calls = 0  # HTTP requests made, for tests and the operator

    @last_good
    async def latest(self, meter_numbers: Sequence[str]) -> dict[str, LiveReading]:
        """The latest reading of each meter the feed knows; unknown meters are absent from the result."""
        unique = list(dict.fromkeys(meter_numbers))
        chunks = [unique[i : i + self._batch_limit] for i in range(0, len(unique), self._batch_limit)]
        result: dict[str, LiveReading] = {}
        for part in await asyncio.gather(*(self._fetch(chunk) for chunk in chunks)):
            result.update(part)
        return result

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _fetch(self, meter_numbers: list[str]) -> dict[str, LiveReading]:
        return await self.guard.call("realtime", lambda limit: self._once(meter_numbers, limit))

    async def _once(self, meter_numbers: list[str], limit: float) -> dict[str, LiveReading]:
        async with self._gate:
            self.calls += 1
            try:
                response = await self._http.get("/realtime", params={"meters": ",".join(meter_numbers)}, timeout=limit)
            except httpx.TimeoutException as exc:
                raise LegacyTimeout(SYSTEM, "live feed did not answer in time") from exc
            except httpx.HTTPError as exc:
                raise LegacyUnavailable(SYSTEM, f"live feed unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise LegacyUnavailable(SYSTEM, f"live feed answered HTTP {response.status_code}")
        if response.status_code != 200:
            raise Rejected(SYSTEM, f"live feed answered HTTP {response.status_code}", str(response.status_code))
        try:
            body = response.json()
        except ValueError as exc:
            raise BadData(SYSTEM, "live feed answered something that is not JSON") from exc
        if not isinstance(body, dict) or "errcode" not in body:
            raise BadData(SYSTEM, "live feed answer has no errcode envelope")
        if str(body["errcode"]) != "0":
            raise Rejected(SYSTEM, f"live feed refused: {body.get('errmsg', '')}", str(body["errcode"]))
        rows = body.get("rows")
        if not isinstance(rows, list):
            raise BadData(SYSTEM, "live feed answer has no rows")
        readings = (_reading(row) for row in rows)
        return {r.meter_number: r for r in readings}


def _reading(row: Any) -> LiveReading:
    try:
        number = str(row["mno"])
        status = _STATUS[str(row["st"])]
        read_at = datetime.strptime(str(row["rt"]), "%Y%m%d%H%M%S").replace(tzinfo=CST)
        unit, factor = unit_factor(str(row["unit"]))
        raw = str(row.get("val") or "").strip()
        register = Decimal(raw) * factor if raw else None
    except (KeyError, TypeError, ValueError, InvalidOperation, UnknownUnit) as exc:
        raise BadData(SYSTEM, f"live feed row cannot be read: {type(exc).__name__}: {exc}") from exc
    if status is not MeterStatus.OFFLINE and register is None:
        raise BadData(SYSTEM, f"live feed row for meter {number} has no value but is not offline")
    return LiveReading(number, register, unit, read_at, status)


__all__ = ["BATCH_LIMIT", "RealtimeFeed"]
