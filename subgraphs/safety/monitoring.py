"""Sensor readings into the alert rules: the alarm value of each sensor's filing is its threshold.

Pressure and temperature also have a rate-of-change rule (a fast rise in a
tank is a warning before the alarm value is reached). Readings of a sensor in
fault or maintenance are not compared.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from adapters.safety import SafetyClient
from adapters.safety.models import Sensor, SensorKind, SensorReading, SensorStatus
from subgraphs.common.alerts.monitor import AlertMonitor
from subgraphs.common.alerts.rules import RuleSet
from subgraphs.common.alerts.store import Subject

DOMAIN = "safety"
# Largest change per minute, as a share of the alarm value.
_RATES = {SensorKind.PRESSURE: Decimal("0.2"), SensorKind.TEMPERATURE: Decimal("0.2")}


class SensorRules:
    def __init__(self, missing_after: timedelta = timedelta(minutes=5)) -> None:
        self.missing_after = missing_after
        self._rules: dict[str, RuleSet] = {}
        self._subjects: dict[str, Subject] = {}
        self._kinds: dict[str, SensorKind] = {}

    def load(self, sensors: list[Sensor]) -> None:
        for sensor in sensors:
            metric = sensor.kind.value
            self._kinds[sensor.code] = sensor.kind
            self._subjects[sensor.code] = Subject(DOMAIN, sensor.code, sensor.uscc, sensor.park_code, sensor.city_code)
            rate = _RATES.get(sensor.kind)
            self._rules.setdefault(
                sensor.code,
                RuleSet(
                    limits={metric: sensor.alarm},
                    max_rate_per_minute={metric: sensor.alarm * rate} if rate is not None else None,
                    missing_after=self.missing_after,
                ),
            )

    def configure(self, code: str, rules: RuleSet) -> None:
        self._rules[code] = rules

    def rules_of(self, code: str) -> RuleSet | None:
        return self._rules.get(code)

    def subject_of(self, code: str) -> Subject | None:
        return self._subjects.get(code)

    def metric_of(self, code: str) -> str | None:
        kind = self._kinds.get(code)
        return kind.value if kind is not None else None

    def sensors(self) -> list[str]:
        return list(self._subjects)


async def connect(client: SafetyClient, monitor: AlertMonitor, rules: SensorRules) -> None:
    rules.load(await client.sensors())
    for code in rules.sensors():
        monitor.engine.watch(code)

    async def evaluate(reading: SensorReading) -> None:
        metric = rules.metric_of(reading.sensor)
        if metric is not None and reading.status is SensorStatus.NORMAL:
            await monitor.observe(reading.sensor, metric, reading.value, reading.measured_at)

    client.add_listener(evaluate)
