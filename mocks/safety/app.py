"""The safety platform's sensor registry (``GET /sensors``), the admin of its sensors, and the embedded broker.

``GET /sensors`` answers every sensor in the platform's envelope ``{"code":
"0000", "msg": "成功", "data": [...]}`` with pinyin keys: ``cgqbm`` sensor
code, ``wxybm`` hazard source code, ``tyshxydm`` credit code, ``yqbm`` park,
``xzqh`` division, ``cgqlx`` kind (gas/pressure/temperature/level), ``dw``
unit, ``bjz`` alarm value. ``GET/PUT /__admin/faults`` are the HTTP faults of
:mod:`mocks.faults`; ``GET/PUT /__admin/stream`` the sensor faults. The
lifespan starts the embedded broker when ``broker_port`` is given (the
embedded default) and the sensors, which publish to ``broker`` (host, port).
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

from mocks.data.province import Province
from mocks.data.safety import SensorRecord, sensors
from mocks.faults import FaultInjection, Faults
from mocks.safety.broker import Broker
from mocks.safety.sensors import SensorFaults, SensorPublisher
from mocks.stream_admin import is_stream_admin, running, serve_stream_admin

CST = ZoneInfo("Asia/Shanghai")


class SafetyMock:
    def __init__(
        self,
        province: Province,
        *,
        broker: tuple[str, int] | None = None,
        embedded_broker_port: int | None = None,
        faults: Faults | None = None,
        sensor_faults: SensorFaults | None = None,
        clock: Callable[[], datetime] | None = None,
        limit_sensors: int | None = None,
        root: str = "hazard",
    ) -> None:
        self.records = list(sensors(province))[:limit_sensors]
        self.sensor_faults = sensor_faults or SensorFaults()
        self.embedded = Broker(port=embedded_broker_port) if embedded_broker_port is not None else None
        now = clock or (lambda: datetime.now(CST))
        self.publisher = (
            SensorPublisher(self.records, *broker, seed=province.seed, faults=self.sensor_faults, clock=now, root=root)
            if broker is not None
            else None
        )
        registry = Starlette(routes=[Route("/sensors", self._sensors)], lifespan=self._lifespan)
        self.http = FaultInjection(registry, faults, seed=province.seed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if is_stream_admin(scope):
            await serve_stream_admin(scope, receive, send, self.sensor_faults, lambda: {"sensors": len(self.records)})
            return
        await self.http(scope, receive, send)

    async def _sensors(self, request: Request) -> JSONResponse:
        return JSONResponse({"code": "0000", "msg": "成功", "data": [_row(s) for s in self.records]})

    @contextlib.asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        if self.embedded is not None:
            await self.embedded.start()
        try:
            async with running(self.publisher.run if self.publisher is not None else None):
                yield
        finally:
            if self.embedded is not None:
                await self.embedded.stop()


def _row(sensor: SensorRecord) -> dict[str, str]:
    return {
        "cgqbm": sensor.code,
        "wxybm": sensor.hazard_source,
        "tyshxydm": sensor.uscc,
        "yqbm": sensor.park_code,
        "xzqh": sensor.city_code,
        "cgqlx": sensor.kind,
        "dw": sensor.unit,
        "bjz": str(sensor.alarm),
    }
