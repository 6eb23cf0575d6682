"""Client of Hefei's investment-promotion system: its envelope, pinyin fields, 亿元 strings and stages mapped.

Errors: every failure (HTTP, envelope code, malformed rows) is
:class:`LegacyError`, translated from httpx's with ``raise … from``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from adapters.resilience import legacy_http

# 阶段 as the system writes it → the stage the graph exposes.
STAGES = {"在谈": "NEGOTIATING", "签约": "SIGNED", "开工": "UNDER_CONSTRUCTION", "投产": "IN_PRODUCTION"}
_YI = Decimal(100_000_000)  # one 亿 yuan


class LegacyError(Exception):
    """The investment-promotion system failed or answered something unreadable."""


@dataclass(frozen=True, slots=True)
class InvestmentProject:
    """A project the city is attracting (招商项目)."""

    code: str
    name: str
    uscc: str
    investment_yuan: Decimal | None
    stage: str
    signed_on: date | None


class InvestmentClient:
    def __init__(self, base_url: str, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._http = legacy_http(base_url.rstrip("/"), transport, 5.0)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def projects(self, usccs: Sequence[str] = (), stage: str | None = None) -> list[InvestmentProject]:
        """Projects of the given enterprises (all when empty), in one call; ``stage`` is a graph stage name."""
        params = {"tyxydm": ",".join(usccs)}
        legacy_stage = next((k for k, v in STAGES.items() if v == stage), None) if stage else None
        if legacy_stage:
            params["jd"] = legacy_stage
        try:
            response = await self._http.get("/api/xm/list", params=params)
            response.raise_for_status()
            body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise LegacyError(f"investment-promotion system unavailable: {exc}") from exc
        if not isinstance(body, dict) or body.get("code") != 200 or not isinstance(body.get("rows"), list):
            raise LegacyError(
                f"investment-promotion system refused: {body.get('msg') if isinstance(body, dict) else body}"
            )
        return [_project(row) for row in body["rows"]]


def _project(row: Any) -> InvestmentProject:
    try:
        amount = Decimal(row["TZE"]) * _YI if row.get("TZE") else None
        signed = datetime.strptime(row["QYRQ"], "%Y%m%d").date() if row.get("QYRQ") else None
        return InvestmentProject(row["XMBH"], row["XMMC"], row["TYXYDM"], amount, STAGES[row["JD"]], signed)
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise LegacyError(f"unreadable project row {row!r}: {exc}") from exc
