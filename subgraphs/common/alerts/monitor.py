"""The alert monitor of one subgraph: readings in, rules evaluated, alerts stored and broadcast to subscribers.

::

    monitor = AlertMonitor(store, rules_of=..., subject_of=..., domain="environment", clock=now)
    await monitor.observe(point, metric, value, at)     # as each reading arrives
    await monitor.check_missing()                       # every few seconds (run_missing_checks)
    async for alert in monitor.subscribe(): ...         # the subgraph's Subscription root

Each subscriber has a bounded queue: a subscriber that does not keep up
loses its oldest alerts (counted in ``dropped``), never the monitor's memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, Callable
from datetime import datetime
from decimal import Decimal

from subgraphs.common.alerts.rules import Breach, RuleEngine, RuleSet
from subgraphs.common.alerts.store import Action, AlertRecord, AlertStore, Subject

logger = logging.getLogger(__name__)
QUEUE_SIZE = 256


class AlertMonitor:
    """Evaluates the rules of ``domain``'s points and keeps the alert store and the subscribers current."""

    def __init__(
        self,
        store: AlertStore,
        *,
        domain: str,
        rules_of: Callable[[str], RuleSet | None],
        subject_of: Callable[[str], Subject | None],
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.domain = domain
        self.clock = clock
        self.engine = RuleEngine(rules_of, clock)
        self._subject_of = subject_of
        self._subscribers: set[asyncio.Queue[AlertRecord]] = set()
        self.dropped = 0
        self.raised = 0

    async def observe(self, point: str, metric: str, value: Decimal, at: datetime) -> list[AlertRecord]:
        """Evaluates one reading; answers the alerts it raised or escalated."""
        return await self._record(self.engine.observe(point, metric, value, at))

    async def check_missing(self) -> list[AlertRecord]:
        return await self._record(self.engine.missing())

    async def run_missing_checks(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self.check_missing()
            except Exception:
                logger.exception("%s: missing-data check failed", self.domain)

    async def subscribe(self) -> AsyncGenerator[AlertRecord, None]:
        """Every alert raised or escalated from now on, until the consumer stops iterating."""
        queue: asyncio.Queue[AlertRecord] = asyncio.Queue(QUEUE_SIZE)
        self._subscribers.add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._subscribers.discard(queue)

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    async def _record(self, breaches: list[Breach]) -> list[AlertRecord]:
        changed = []
        for breach in breaches:
            subject = self._subject_of(breach.point)
            if subject is None:
                continue
            outcome = await self.store.record(breach, subject)
            if outcome is None:
                continue
            alert, action = outcome
            if action is Action.RAISED:
                self.raised += 1
            changed.append(alert)
            self._publish(alert)
        return changed

    def _publish(self, alert: AlertRecord) -> None:
        for queue in self._subscribers:
            if queue.full():
                self.dropped += 1
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(alert)
