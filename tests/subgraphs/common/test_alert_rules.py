"""Alert rules with a fake clock: threshold levels, rate of change, missing data reported once."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from schema.scalars import CHINA_STANDARD_TIME
from subgraphs.common.alerts.rules import Level, Rule, RuleEngine, RuleSet

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=CHINA_STANDARD_TIME)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


RULES = RuleSet(
    limits={"cod": Decimal(100)}, max_rate_per_minute={"cod": Decimal(10)}, missing_after=timedelta(minutes=5)
)


def engine(clock: Clock) -> RuleEngine:
    return RuleEngine(lambda point: RULES if point.startswith("P") else None, clock)


def test_threshold_levels_follow_the_ratio_to_the_limit() -> None:
    rules = engine(Clock())
    cases = [
        (Decimal(100), None),
        (Decimal("100.01"), Level.YELLOW),
        (Decimal(121), Level.ORANGE),
        (Decimal(151), Level.RED),
    ]
    for minute, (value, level) in enumerate(cases):
        breaches = [
            b
            for b in rules.observe("P1", "cod", value, T0 + timedelta(minutes=minute * 100))
            if b.rule is Rule.THRESHOLD
        ]
        assert [b.level for b in breaches] == ([level] if level else [])


def test_rate_of_change_uses_the_time_between_readings() -> None:
    rules = engine(Clock())
    assert rules.observe("P1", "cod", Decimal(20), T0) == []
    # +30 in 5 minutes: 6/min, allowed 10/min.
    assert rules.observe("P1", "cod", Decimal(50), T0 + timedelta(minutes=5)) == []
    # +30 in 1 minute: 30/min.
    (breach,) = rules.observe("P1", "cod", Decimal(80), T0 + timedelta(minutes=6))
    assert breach.rule is Rule.RATE_OF_CHANGE and breach.level is Level.YELLOW and breach.threshold == 10


def test_missing_data_is_reported_once_until_the_point_speaks_again() -> None:
    clock = Clock()
    rules = engine(clock)
    rules.watch("P1")
    rules.watch("X9")  # no rules: never missing
    clock.now = T0 + timedelta(minutes=5)
    assert rules.missing() == []
    clock.now = T0 + timedelta(minutes=5, seconds=1)
    (breach,) = rules.missing()
    assert (breach.point, breach.rule, breach.level) == ("P1", Rule.MISSING_DATA, Level.BLUE)
    assert rules.missing() == []  # reported once
    rules.observe("P1", "cod", Decimal(1), clock.now)
    clock.now += timedelta(minutes=6)
    assert [b.point for b in rules.missing()] == ["P1"]


def test_points_without_rules_raise_nothing() -> None:
    assert engine(Clock()).observe("X1", "cod", Decimal(10_000), T0) == []
