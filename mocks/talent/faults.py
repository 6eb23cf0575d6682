"""Fault injection for the talent database, at the SQLAlchemy engine level.

The database has no HTTP endpoint to wrap, so :func:`install` hooks the same
:class:`mocks.faults.Faults` into an engine's ``before_cursor_execute`` event:
every statement then waits ``latency_ms`` (asynchronously when the engine is
an asyncio one), and fails as an unreachable server would when ``outage`` is
set or by ``error_rate``. Tests install it on the engine they hand to the
adapter; changing the ``Faults`` object takes effect at the next statement.
"""

from __future__ import annotations

import asyncio
import random
import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util.concurrency import await_only, in_greenlet

from mocks.faults import Faults


def install(engine: AsyncEngine | Engine, faults: Faults | None = None, *, seed: int = 0) -> Faults:
    """Makes ``engine`` subject to ``faults`` (a new, quiet one if not given) and returns it."""
    faults = faults or Faults()
    rng = random.Random(seed)
    sync_engine = engine.sync_engine if isinstance(engine, AsyncEngine) else engine

    def before_cursor_execute(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        delay = max(0.0, faults.latency_ms + rng.uniform(-faults.jitter_ms, faults.jitter_ms)) / 1000
        if delay:
            if in_greenlet():
                await_only(asyncio.sleep(delay))
            else:
                time.sleep(delay)
        if faults.outage or (faults.error_rate and rng.random() < faults.error_rate):
            raise OperationalError(
                statement, parameters, ConnectionRefusedError("talent database unreachable (fault injection)")
            )

    event.listen(sync_engine, "before_cursor_execute", before_cursor_execute)
    return faults
