"""The sensors of the hazard sources, publishing readings over MQTT, with faults switchable at run time.

Each reading goes to ``hazard/<city>/<credit code>/<sensor code>`` as the
platform's JSON: ``cgqbm`` sensor code, ``sz`` value as a string, ``dw`` unit,
``cjsj`` time ``yyyyMMddHHmmss`` (China Standard Time), ``zt`` status
("0" normal, "1" fault, "2" maintenance). Faults (``PUT /__admin/stream``):
``silent`` codes (``*``: all), ``exceed`` code → factor, ``corrupt_rate``
(payloads that are not JSON), ``burst`` (readings at once, once per PUT),
``reconnect`` (drop the broker connection once), ``interval_s``.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import aiomqtt

from mocks.data.safety import SensorRecord, value_at


@dataclass
class SensorFaults:
    silent: list[str] = field(default_factory=list)
    exceed: dict[str, float] = field(default_factory=dict)
    corrupt_rate: float = 0.0
    burst: int = 0
    interval_s: float = 10.0
    reconnects: int = 0
    bursts: int = 0

    def update(self, changes: dict[str, Any]) -> None:
        if changes.get("reconnect"):
            self.reconnects += 1
        if changes.get("burst"):
            self.bursts += 1
        for name in ("silent", "exceed", "corrupt_rate", "burst", "interval_s"):
            if name in changes:
                current = getattr(self, name)
                setattr(self, name, changes[name] if isinstance(current, list | dict) else type(current)(changes[name]))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def topic_of(sensor: SensorRecord, root: str = "hazard") -> str:
    return f"{root}/{sensor.city_code}/{sensor.uscc}/{sensor.code}"


def payload_of(sensor: SensorRecord, value: Decimal, moment: datetime) -> bytes:
    body = {"cgqbm": sensor.code, "sz": str(value), "dw": sensor.unit, "cjsj": f"{moment:%Y%m%d%H%M%S}", "zt": "0"}
    return json.dumps(body, ensure_ascii=False).encode()


class SensorPublisher:
    """Publishes every sensor's reading each ``interval_s`` to the broker at ``host:port``; reconnects on loss."""

    def __init__(
        self,
        sensors: list[SensorRecord],
        host: str,
        port: int,
        *,
        seed: int,
        faults: SensorFaults,
        clock: Callable[[], datetime],
        root: str = "hazard",
    ) -> None:
        self.sensors, self.host, self.port, self.root = sensors, host, port, root
        self.seed, self.faults, self.clock = seed, faults, clock
        self.published = 0
        self.connects = 0
        self._rng = random.Random(seed)

    async def run(self) -> None:
        while True:
            try:
                async with aiomqtt.Client(
                    self.host, self.port, identifier=f"mock-sensors-{self.root}-{self.seed}"
                ) as client:
                    self.connects += 1
                    await self._publish(client)
            except aiomqtt.MqttError:
                await asyncio.sleep(1.0)  # the broker is down or restarting: connect again

    async def _publish(self, client: aiomqtt.Client) -> None:
        seen_reconnects, seen_bursts = self.faults.reconnects, self.faults.bursts
        while self.faults.reconnects == seen_reconnects:
            rounds = 1
            if self.faults.bursts != seen_bursts:
                seen_bursts, rounds = self.faults.bursts, max(1, self.faults.burst)
            for _ in range(rounds):
                moment = self.clock()
                for sensor in self.sensors:
                    if "*" in self.faults.silent or sensor.code in self.faults.silent:
                        continue
                    await client.publish(topic_of(sensor, self.root), self._payload(sensor, moment), qos=1)
                    self.published += 1
            deadline = asyncio.get_running_loop().time() + self.faults.interval_s
            while asyncio.get_running_loop().time() < deadline and self.faults.reconnects == seen_reconnects:
                if self.faults.bursts != seen_bursts:
                    break
                await asyncio.sleep(0.05)

    def _payload(self, sensor: SensorRecord, moment: datetime) -> bytes:
        if self.faults.corrupt_rate and self._rng.random() < self.faults.corrupt_rate:
            return b'{"cgqbm": "' + sensor.code.encode() + b'", "sz": '  # cut off mid-message
        factor = Decimal(repr(self.faults.exceed.get(sensor.code, 1.0)))
        return payload_of(sensor, (value_at(sensor, moment, self.seed) * factor).quantize(Decimal("0.01")), moment)
