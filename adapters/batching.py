"""Batching helpers the adapter clients share: codes cut into the legacy system's batch size, calls run together."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable, Sequence
from typing import TypeVar

T = TypeVar("T")


def chunks(items: Sequence[str], size: int) -> list[list[str]]:
    """``items`` in runs of at most ``size``, in order (the caller removes repeats if the system minds them)."""
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


async def gather(calls: Iterable[Awaitable[T]]) -> list[T]:
    """Every call's answer, in order; the first failure propagates (as :func:`asyncio.gather`)."""
    return list(await asyncio.gather(*calls))
