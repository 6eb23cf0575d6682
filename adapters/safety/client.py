"""The safety platform client: the sensor registry (REST) and the MQTT subscription to every sensor's readings.

:meth:`SafetyClient.run` connects to the broker (the real Mosquitto in CI and
production, the mock's embedded broker by default), subscribes to
``hazard/+/+/+`` (``root`` replaces ``hazard``: tests use their own) and,
on every message, parses it, keeps the sensor's latest reading and calls the
listeners. When the broker goes away it reconnects
with a capped back-off; ``stats`` counts messages, refusals and connects.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import aiomqtt
import httpx

from adapters.errors import BadData, LegacyTimeout, LegacyUnavailable, Rejected
from adapters.resilience import legacy_http
from adapters.safety.models import Sensor, SensorKind, SensorReading
from adapters.safety.payload import parse_message

SYSTEM = "safety"
logger = logging.getLogger(__name__)
ReadingListener = Callable[[SensorReading], Awaitable[None]]


class SafetyClient:
    def __init__(
        self,
        *,
        legacy_url: str,
        broker_host: str = "127.0.0.1",
        broker_port: int = 1883,
        root: str = "hazard",
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 5.0,
    ) -> None:
        self._http = legacy_http(legacy_url, transport, timeout)
        self.broker_host, self.broker_port, self.root = broker_host, broker_port, root
        self._latest: dict[str, SensorReading] = {}
        self._listeners: list[ReadingListener] = []
        self._sensors: list[Sensor] | None = None
        self.stats: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()
        self.connected = asyncio.Event()

    def add_listener(self, listener: ReadingListener) -> None:
        self._listeners.append(listener)

    async def sensors(self) -> list[Sensor]:
        """The registry of sensors (cached after the first successful read)."""
        if self._sensors is None:
            self._sensors = await self._fetch_sensors()
        return self._sensors

    async def sensors_of(self, usccs: Sequence[str]) -> dict[str, list[Sensor]]:
        self.calls["sensors_of"] += 1
        known = await self.sensors()
        return {u: [s for s in known if s.uscc == u] for u in usccs}

    def latest(self, codes: Sequence[str]) -> dict[str, SensorReading | None]:
        return {code: self._latest.get(code) for code in codes}

    async def run(self, *, max_backoff: float = 30.0) -> None:
        """Subscribes until cancelled, reconnecting whenever the broker drops the connection."""
        delay = 0.2
        while True:
            try:
                async with aiomqtt.Client(self.broker_host, self.broker_port) as client:
                    await client.subscribe(f"{self.root}/+/+/+", qos=1)
                    self.stats["connects"] += 1
                    self.connected.set()
                    delay = 0.2
                    async for message in client.messages:
                        await self._handle(str(message.topic), message.payload)
            except aiomqtt.MqttError as exc:
                self.connected.clear()
                self.stats["disconnects"] += 1
                logger.warning(
                    "safety: MQTT broker %s:%s lost (%s), reconnecting", self.broker_host, self.broker_port, exc
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, max_backoff)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _handle(self, topic: str, payload: Any) -> None:
        data = payload if isinstance(payload, bytes) else str(payload).encode()
        try:
            reading = parse_message(topic, data, self.root)
        except BadData as exc:
            self.stats["refused"] += 1
            logger.warning("%s", exc)
            return
        self.stats["messages"] += 1
        self._latest[reading.sensor] = reading
        for listener in self._listeners:
            try:
                await listener(reading)
            except Exception:
                logger.exception("safety: a reading listener failed")

    async def _fetch_sensors(self) -> list[Sensor]:
        self.calls["registry_http"] += 1
        try:
            response = await self._http.get("/sensors")
        except httpx.TimeoutException as exc:
            raise LegacyTimeout(SYSTEM, "the sensor registry did not answer in time") from exc
        except httpx.HTTPError as exc:
            raise LegacyUnavailable(SYSTEM, f"the sensor registry is unreachable: {exc}") from exc
        if response.status_code >= 500:
            raise LegacyUnavailable(SYSTEM, f"the sensor registry answered HTTP {response.status_code}")
        try:
            body = response.json()
            if body["code"] != "0000":
                raise Rejected(SYSTEM, str(body.get("msg")), legacy_code=str(body["code"]))
            return [
                Sensor(
                    row["cgqbm"],
                    row["wxybm"],
                    row["tyshxydm"],
                    row["yqbm"],
                    row["xzqh"],
                    SensorKind(row["cgqlx"]),
                    row["dw"],
                    Decimal(row["bjz"]),
                )
                for row in body["data"]
            ]
        except (ValueError, KeyError, TypeError, InvalidOperation) as exc:
            raise BadData(SYSTEM, f"the sensor registry's answer cannot be read: {exc!r}") from exc
