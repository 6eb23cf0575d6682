"""Batch functions for DataLoaders keyed by (entity key, filter): one legacy query per distinct filter.

A list field with arguments (an enterprise's cases of one status, its demands
matching a filter) loads ``(uscc, filter)``; the legacy system takes many
enterprises but one filter per query. :func:`per_filter` groups a batch's
keys by filter, asks each group at once (concurrently) and hands every key
its own list::

    async def batch(keys: list[tuple[str, DemandFilter]]) -> list[list[JobDemand]]:
        return await per_filter(keys, client.demands_for_enterprises)
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from typing import TypeVar

F = TypeVar("F", bound=Hashable)
V = TypeVar("V")

FetchPerFilter = Callable[[list[str], F], Awaitable[Mapping[str, list[V]]]]


async def per_filter(keys: Sequence[tuple[str, F]], fetch: FetchPerFilter[F, V]) -> list[list[V]]:
    """Each key's records (an empty list where the legacy system has none), one ``fetch`` per distinct filter."""
    by_filter: dict[F, list[str]] = {}
    for key, where in keys:
        by_filter.setdefault(where, []).append(key)
    filters = list(by_filter)
    answers = await asyncio.gather(*(fetch(by_filter[where], where) for where in filters))
    found = {
        (key, where): records for where, answer in zip(filters, answers, strict=True) for key, records in answer.items()
    }
    return [found.get(key, []) for key in keys]
