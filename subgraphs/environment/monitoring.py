"""Readings of the HJ 212 stream into the alert rules: each point's rules come from its permit limits.

Only values flagged N (normal operation) are compared with limits: a value
taken during calibration (C) or maintenance (M) is not an exceedance under
HJ 212 and the permit rules. Rules per point can be replaced at run time
(:meth:`PointRules.configure`), e.g. a tighter limit during a pollution alert.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from adapters.environment import EnvironmentClient
from adapters.environment.models import MonitoringPoint, Reading
from subgraphs.common.alerts.monitor import AlertMonitor
from subgraphs.common.alerts.rules import RuleSet
from subgraphs.common.alerts.store import Subject

DOMAIN = "environment"


class PointRules:
    """The rule set and the subject (enterprise, park, city) of every known point."""

    def __init__(self, missing_after: timedelta = timedelta(minutes=10)) -> None:
        self.missing_after = missing_after
        self._rules: dict[str, RuleSet] = {}
        self._subjects: dict[str, Subject] = {}

    def load(self, points: list[MonitoringPoint]) -> None:
        for point in points:
            self._subjects[point.mn] = Subject(DOMAIN, point.mn, point.uscc, point.park_code, point.city_code)
            self._rules.setdefault(
                point.mn,
                RuleSet(limits={lim.pollutant: lim.limit for lim in point.limits}, missing_after=self.missing_after),
            )

    def configure(self, mn: str, rules: RuleSet) -> None:
        self._rules[mn] = rules

    def rules_of(self, mn: str) -> RuleSet | None:
        return self._rules.get(mn)

    def subject_of(self, mn: str) -> Subject | None:
        return self._subjects.get(mn)

    def points(self) -> list[str]:
        return list(self._subjects)


async def connect(client: EnvironmentClient, monitor: AlertMonitor, rules: PointRules) -> None:
    """Loads the points' rules and evaluates every reading the client receives from now on."""
    rules.load(await client.registry.points())
    for mn in rules.points():
        monitor.engine.watch(mn)

    async def evaluate(readings: list[Reading]) -> None:
        for reading in readings:
            if reading.flag.valid and reading.command == "2011":
                await monitor.observe(reading.mn, reading.pollutant, reading.value, reading.measured_at)

    client.add_listener(evaluate)


def exceeds(value: Decimal, limit: Decimal | None) -> bool:
    return limit is not None and value > limit
