"""Which contribution periods a query asks for under ``Enterprise.socialSecurity``, read before resolving it.

The agency answers an insured unit and its contributions by the same USCC,
so the two need not wait for each other: ``socialSecurity`` starts the
contribution loads that its ``contributionSummary(period:)`` selections will
make, beside the unit's, and the summaries then find their rows in the
request's DataLoader. On the single window this takes one legacy round trip
off the critical path without adding a call.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from schema.errors import BadUserInput
from subgraphs.socialsecurity import loaders, periods

SUMMARY_FIELD = "contributionSummary"


def summary_months(selections: Iterable[Any]) -> list[loaders.Months]:
    """The months of every ``contributionSummary(period:)`` among ``selections`` (fragments included)."""
    found: dict[loaders.Months, None] = {}
    for field in _fields(selections):
        if field.name != SUMMARY_FIELD:
            continue
        period = field.arguments.get("period")
        if not isinstance(period, str):
            continue
        try:
            first, last = periods.period(period)
        except BadUserInput:
            continue  # the field itself reports it
        found[loaders.Months(first, last)] = None
    return list(found)


def _fields(selections: Iterable[Any]) -> Iterator[Any]:
    for selection in selections:
        if hasattr(selection, "name") and hasattr(selection, "arguments"):
            yield selection
        else:  # an inline fragment or a fragment spread: its own selections
            yield from _fields(getattr(selection, "selections", ()))
