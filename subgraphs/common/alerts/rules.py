"""Alert rules evaluated as readings arrive: threshold, rate of change and missing data, per monitoring point.

Pure and clock-driven, so tests run them with a fake clock. Each point has a
:class:`RuleSet` (its defaults come from the legacy system: the permit's
discharge limit, the hazard source's alarm value; an operator may replace
them per point). :meth:`RuleEngine.observe` takes one reading and answers the
rules it breaks; :meth:`RuleEngine.missing` answers the points that fell
silent. Levels follow the four-colour scheme (蓝 黄 橙 红):

* threshold: above the limit → YELLOW, above 1.2 × → ORANGE, above 1.5 × → RED;
* rate of change: a rise or fall faster than ``max_rate_per_minute`` → YELLOW;
* missing data: no reading for ``missing_after`` → BLUE.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal


class Level(enum.IntEnum):
    """The four-colour warning level (预警级别), ordered: RED is the gravest."""

    BLUE = 1
    YELLOW = 2
    ORANGE = 3
    RED = 4


class Rule(enum.Enum):
    THRESHOLD = "threshold"
    RATE_OF_CHANGE = "rate_of_change"
    MISSING_DATA = "missing_data"


ESCALATION: tuple[tuple[Decimal, Level], ...] = ((Decimal("1.5"), Level.RED), (Decimal("1.2"), Level.ORANGE))


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The rules of one monitoring point; ``None`` switches a rule off."""

    limits: dict[str, Decimal]  # metric (pollutant code, sensor quantity) → upper limit
    max_rate_per_minute: dict[str, Decimal] | None = None  # metric → largest change per minute
    missing_after: timedelta | None = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Breach:
    """A rule a point broke: what the alert store turns into a new alert or an escalation."""

    point: str
    metric: str
    rule: Rule
    level: Level
    value: Decimal | None
    threshold: Decimal | None
    at: datetime
    message: str


def threshold_level(value: Decimal, limit: Decimal) -> Level | None:
    if value <= limit:
        return None
    for factor, level in ESCALATION:
        if value > limit * factor:
            return level
    return Level.YELLOW


class RuleEngine:
    """Remembers each point's last value per metric and when it was last heard from."""

    def __init__(self, rules_of: Callable[[str], RuleSet | None], clock: Callable[[], datetime]) -> None:
        self._rules_of = rules_of
        self._clock = clock
        self._last: dict[tuple[str, str], tuple[datetime, Decimal]] = {}
        self._heard: dict[str, datetime] = {}
        self._reported_missing: set[str] = set()

    def watch(self, point: str) -> None:
        """Starts the missing-data clock of ``point`` now (points that never report are missing too)."""
        self._heard.setdefault(point, self._clock())

    def observe(self, point: str, metric: str, value: Decimal, at: datetime) -> list[Breach]:
        rules = self._rules_of(point)
        self._heard[point] = max(self._heard.get(point, at), self._clock())
        self._reported_missing.discard(point)
        previous = self._last.get((point, metric))
        self._last[(point, metric)] = (at, value)
        if rules is None:
            return []
        breaches = []
        limit = rules.limits.get(metric)
        if limit is not None:
            level = threshold_level(value, limit)
            if level is not None:
                ratio = (value / limit).quantize(Decimal("0.01")) if limit else Decimal(0)
                message = f"{metric} = {value} exceeds its limit {limit} ({ratio} ×)"
                breaches.append(Breach(point, metric, Rule.THRESHOLD, level, value, limit, at, message))
        rates = rules.max_rate_per_minute or {}
        if metric in rates and previous is not None and at > previous[0]:
            minutes = Decimal(repr((at - previous[0]).total_seconds() / 60))
            rate = abs(value - previous[1]) / minutes
            if rate > rates[metric]:
                message = f"{metric} changed {previous[1]} → {value} in {minutes:.2f} min ({rate:.3f}/min)"
                breaches.append(
                    Breach(point, metric, Rule.RATE_OF_CHANGE, Level.YELLOW, value, rates[metric], at, message)
                )
        return breaches

    def missing(self) -> list[Breach]:
        """Points silent for longer than their ``missing_after``; each is reported once until it speaks again."""
        now = self._clock()
        breaches = []
        for point, heard in self._heard.items():
            rules = self._rules_of(point)
            if rules is None or rules.missing_after is None or point in self._reported_missing:
                continue
            if now - heard > rules.missing_after:
                self._reported_missing.add(point)
                silent = int((now - heard).total_seconds())
                message = f"no data for {silent} s (allowed {int(rules.missing_after.total_seconds())} s)"
                breaches.append(Breach(point, "*", Rule.MISSING_DATA, Level.BLUE, None, None, now, message))
        return breaches
