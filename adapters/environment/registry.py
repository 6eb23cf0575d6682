"""The platform's registry of monitoring points (监测点位) with the permit limits of each outlet.

Speaks the platform's dialect: ``GET /points`` answers ``{"code": "0000",
"msg": "成功", "data": [...]}`` (other codes inside HTTP 200 are failures)
with pinyin-abbreviated keys: ``mn`` device number, ``tyshxydm`` credit code,
``yqbm`` park code, ``xzqh`` division code, ``pwxkzbh`` permit number,
``pfkbh`` outlet code, ``pfklx`` outlet type (废水/废气), ``jcxm`` the
monitored items, each ``wrwbm`` factor code, ``pfxz`` limit as a string,
``dw`` unit. The registry changes rarely: it is cached for ``ttl`` seconds.
"""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from adapters.environment.codes import Medium
from adapters.environment.models import DischargeLimit, MonitoringPoint
from adapters.errors import BadData, LegacyTimeout, LegacyUnavailable, Rejected
from adapters.resilience import legacy_http

SYSTEM = "environment"
_MEDIA = {"废水": Medium.WATER, "废气": Medium.AIR}


class PointRegistry:
    """Client of ``GET /points``, cached for ``ttl`` seconds; ``http_calls`` counts requests made."""

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 5.0,
        ttl: float = 300,
    ) -> None:
        self._http = legacy_http(base_url, transport, timeout)
        self._ttl = ttl
        self._cached: tuple[float, list[MonitoringPoint]] | None = None
        self._lock = asyncio.Lock()
        self.http_calls = 0

    async def points(self) -> list[MonitoringPoint]:
        async with self._lock:
            if self._cached is not None and time.monotonic() - self._cached[0] < self._ttl:
                return self._cached[1]
            points = await self._fetch()
            self._cached = (time.monotonic(), points)
            return points

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _fetch(self) -> list[MonitoringPoint]:
        self.http_calls += 1
        try:
            response = await self._http.get("/points")
        except httpx.TimeoutException as exc:
            raise LegacyTimeout(SYSTEM, "the point registry did not answer in time") from exc
        except httpx.HTTPError as exc:
            raise LegacyUnavailable(SYSTEM, f"the point registry is unreachable: {exc}") from exc
        if response.status_code >= 500:
            raise LegacyUnavailable(SYSTEM, f"the point registry answered HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError as exc:
            raise BadData(SYSTEM, "the point registry answered something that is not JSON") from exc
        if not isinstance(body, dict) or "code" not in body:
            raise BadData(SYSTEM, "the point registry's answer has no envelope")
        if body["code"] != "0000":
            raise Rejected(SYSTEM, str(body.get("msg", "")), legacy_code=str(body["code"]))
        try:
            return [_point(row) for row in body["data"]]
        except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
            raise BadData(SYSTEM, f"a point registry row cannot be read: {exc!r}") from exc


def _point(row: dict[str, Any]) -> MonitoringPoint:
    limits = tuple(DischargeLimit(item["wrwbm"], Decimal(item["pfxz"]), item["dw"]) for item in row["jcxm"])
    return MonitoringPoint(
        mn=row["mn"],
        uscc=row["tyshxydm"],
        park_code=row["yqbm"],
        city_code=row["xzqh"],
        permit_number=row["pwxkzbh"],
        outlet_code=row["pfkbh"],
        medium=_MEDIA[row["pfklx"]],
        limits=limits,
    )
