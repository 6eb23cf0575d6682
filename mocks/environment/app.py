"""The monitoring platform's point registry (``GET /points``) and the admin of its field units, as one ASGI app.

``GET /points`` answers every monitoring point with its permit limits in the
platform's envelope ``{"code": "0000", "msg": "成功", "data": [...]}`` and
pinyin keys (see ``adapters/environment/registry.py`` for their meaning);
``GET/PUT /__admin/faults`` are the HTTP faults of :mod:`mocks.faults` and
``GET/PUT /__admin/stream`` the stream faults of
:mod:`mocks.environment.faults` (never subject to the HTTP faults). When
``platform`` (host, port) is given, the lifespan runs the field units, which
dial the platform's HJ 212 receiver.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from mocks.data.environment import PointRecord, points
from mocks.data.province import Province
from mocks.environment.faults import StreamFaults
from mocks.environment.units import UnitFleet
from mocks.faults import FaultInjection, Faults
from mocks.stream_admin import is_stream_admin, running, serve_stream_admin

CST = ZoneInfo("Asia/Shanghai")


class EnvironmentMock:
    """The ASGI app plus the fleet and faults that tests drive directly."""

    def __init__(
        self,
        province: Province,
        *,
        platform: tuple[str, int] | None = None,
        faults: Faults | None = None,
        stream_faults: StreamFaults | None = None,
        clock: Callable[[], datetime] | None = None,
        limit_points: int | None = None,
    ) -> None:
        self.records = list(points(province))[:limit_points]
        self.stream_faults = stream_faults or StreamFaults()
        now = clock or (lambda: datetime.now(CST))
        self.fleet = (
            UnitFleet(self.records, *platform, seed=province.seed, faults=self.stream_faults, clock=now)
            if platform is not None
            else None
        )
        registry = Starlette(routes=[Route("/points", self._points)], lifespan=self._lifespan)
        self.http = FaultInjection(registry, faults, seed=province.seed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if is_stream_admin(scope):
            await serve_stream_admin(scope, receive, send, self.stream_faults, self._counters)
            return
        await self.http(scope, receive, send)

    async def _points(self, request: Request) -> JSONResponse:
        return JSONResponse({"code": "0000", "msg": "成功", "data": [_row(p) for p in self.records]})

    def _counters(self) -> dict[str, int]:
        counters = {"units": len(self.records)}
        if self.fleet is not None:
            counters |= {"frames_sent": self.fleet.frames_sent, "connects": self.fleet.connects}
        return counters

    @contextlib.asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        async with running(self.fleet.run if self.fleet is not None else None):
            yield


def _row(point: PointRecord) -> dict[str, object]:
    return {
        "mn": point.mn,
        "tyshxydm": point.uscc,
        "yqbm": point.park_code,
        "xzqh": point.city_code,
        "pwxkzbh": point.permit_number,
        "pfkbh": point.outlet_code,
        "pfklx": point.kind,
        "jcxm": [{"wrwbm": limit.code, "pfxz": str(limit.limit), "dw": limit.unit} for limit in point.limits],
    }
