"""The per-request DataLoaders of the utilities subgraph: one batch call per kind of question.

Each loader turns the ``load`` calls of one request into a batch call of
:class:`~adapters.utilities.UtilitiesClient`: an enterprise's meters, the use
of many enterprises (or parks, or cities) over one period, annualised use,
live readings (the client splits them by the feed's limit of 100 meters) and
daily use of meters. Keys that differ only by period or kind are grouped, so
a query that asks two periods makes two calls, not N.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from adapters.utilities.models import AnnualisedUse, DailyUse, EnergyKind, LiveReading, Meter, UsageSummary
from subgraphs.common import Loader
from subgraphs.utilities.context import UtilitiesContext


@dataclass(frozen=True, slots=True)
class UsageKey:
    """Whose use (``owner`` is ``"uscc"``, ``"park"`` or ``"city"``, ``key`` its code) over which period."""

    owner: str
    key: str
    start: date
    end: date
    kind: EnergyKind | None


@dataclass(frozen=True, slots=True)
class DailyKey:
    meter_number: str
    start: date
    end: date


def meters(context: UtilitiesContext) -> Loader[str, list[Meter]]:
    client = context.utilities

    async def batch(usccs: list[str]) -> list[list[Meter]]:
        found = await client.meters_of(usccs)
        return [found.get(uscc, []) for uscc in usccs]

    return context.loaders.get(batch, name="utilities.meters")


def usage(context: UtilitiesContext) -> Loader[UsageKey, UsageSummary]:
    client = context.utilities

    async def batch(keys: list[UsageKey]) -> list[UsageSummary]:
        groups: dict[tuple[str, date, date, EnergyKind | None], list[str]] = defaultdict(list)
        for k in keys:
            groups[(k.owner, k.start, k.end, k.kind)].append(k.key)
        answers: dict[UsageKey, UsageSummary] = {}
        for (owner, start, end, kind), codes in groups.items():
            found = await client.usage_of(owner, codes, start, end, kind)
            for code in codes:
                answers[UsageKey(owner, code, start, end, kind)] = found[code]
        return [answers[k] for k in keys]

    return context.loaders.get(batch, name="utilities.usage")


def annualised(context: UtilitiesContext) -> Loader[str, AnnualisedUse | None]:
    client = context.utilities

    async def batch(usccs: list[str]) -> list[AnnualisedUse | None]:
        found = await client.annualised_use(usccs)
        return [found.get(uscc) for uscc in usccs]

    return context.loaders.get(batch, name="utilities.annualised")


def readings(context: UtilitiesContext) -> Loader[str, LiveReading | None]:
    client = context.utilities

    async def batch(numbers: list[str]) -> list[LiveReading | None]:
        found = await client.latest_readings(numbers)
        return [found.get(number) for number in numbers]

    return context.loaders.get(batch, name="utilities.readings")


def daily(context: UtilitiesContext) -> Loader[DailyKey, list[DailyUse]]:
    client = context.utilities

    async def batch(keys: list[DailyKey]) -> list[list[DailyUse]]:
        groups: dict[tuple[date, date], list[str]] = defaultdict(list)
        for k in keys:
            groups[(k.start, k.end)].append(k.meter_number)
        answers: dict[DailyKey, list[DailyUse]] = {}
        for (start, end), numbers in groups.items():
            found = await client.daily_use(numbers, start, end)
            for number in numbers:
                answers[DailyKey(number, start, end)] = found.get(number, [])
        return [answers[k] for k in keys]

    return context.loaders.get(batch, name="utilities.daily")


async def park_of(context: UtilitiesContext, uscc: str) -> str | None:
    """The park the platform's ledger puts the enterprise's meters in (the tenancy guard's lookup for park tenants)."""
    found = await meters(context).load(uscc)
    return found[0].park_code if found else None
