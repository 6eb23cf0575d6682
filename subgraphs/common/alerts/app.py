"""The ASGI app of a monitoring subgraph (safety, environment): its lifespan, monitor and context, domain-neutral.

::

    create_monitoring_app(
        build_schema(), domain="safety", registry="sensor registry",
        client=client, rules=rules, connect=connect, context_type=SafetyContext,
        store=AlertStore(url), clock=now_in_china, missing_check_interval=30.0, identity=identity,
        run=client.run,
    )

The lifespan creates the alert tables, starts the client (``start``), loads
the registry into the rules through ``connect`` (retrying with backoff until
the registry answers, then ``run``) and runs the missing-data check; on the
way out it closes the client and the store. ``/graphql`` also serves the
domain's subscription over graphql-transport-ws.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Protocol, TypeVar

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.websockets import WebSocket

from adapters.errors import AdapterError
from auth.identity import IdentityVerifier
from schema.scalars import CHINA_STANDARD_TIME
from subgraphs.common.alerts.graph import MonitorContext
from subgraphs.common.alerts.monitor import AlertMonitor
from subgraphs.common.alerts.rules import RuleSet
from subgraphs.common.alerts.store import AlertStore, Subject
from subgraphs.common.app import create_subgraph_app
from subgraphs.common.schema import SubgraphSchema

logger = logging.getLogger(__name__)


class MonitoredClient(Protocol):
    """The adapter client of a monitoring platform, as far as the app's lifespan needs it."""

    async def aclose(self) -> None: ...


class PointRules(Protocol):
    """A domain's rule sets and subjects (enterprise, park, city) per monitoring point."""

    def rules_of(self, point: str) -> RuleSet | None: ...

    def subject_of(self, point: str) -> Subject | None: ...


K = TypeVar("K", bound=MonitoredClient)
R = TypeVar("R", bound=PointRules)


K_contra = TypeVar("K_contra", bound=MonitoredClient, contravariant=True)


class MonitoringContextType(Protocol[K_contra]):
    """The domain's context class: built from the HTTP request (None on a WebSocket), the client and the monitor."""

    def __call__(
        self, *, request: Request | None, client: K_contra | None, monitor: AlertMonitor | None
    ) -> MonitorContext: ...


def now_in_china() -> datetime:
    return datetime.now(CHINA_STANDARD_TIME)


def create_monitoring_app(
    schema: SubgraphSchema,
    *,
    domain: str,
    registry: str,
    client: K,
    rules: R,
    connect: Callable[[K, AlertMonitor, R], Awaitable[None]],
    context_type: MonitoringContextType[K],
    store: AlertStore,
    clock: Callable[[], datetime],
    missing_check_interval: float,
    identity: IdentityVerifier | None,
    start: Callable[[], Awaitable[None]] | None = None,
    run: Callable[[], Awaitable[None]] | None = None,
) -> Starlette:
    """Serves a monitoring subgraph over ``client``; ``registry`` names what ``connect`` loads, for the logs."""
    monitor = AlertMonitor(store, domain=domain, rules_of=rules.rules_of, subject_of=rules.subject_of, clock=clock)

    async def connect_then_run() -> None:
        await _connect_with_retry(lambda: connect(client, monitor, rules), f"{domain}: {registry}")
        if run is not None:
            await run()  # subscribe only once the rules know the points

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await store.create_tables()
        if start is not None:
            await start()
        tasks = [
            asyncio.create_task(connect_then_run()),
            asyncio.create_task(monitor.run_missing_checks(missing_check_interval)),
        ]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await client.aclose()
            await store.aclose()

    def context(request: Request | WebSocket) -> MonitorContext:
        return context_type(request=request if isinstance(request, Request) else None, client=client, monitor=monitor)

    app = create_subgraph_app(
        schema,
        name=domain,
        context_factory=context,
        identity=identity,
        subscription_context_factory=context,
        lifespan=lifespan,
    )
    app.state.client = client
    app.state.monitor = monitor
    app.state.rules = rules
    return app


async def _connect_with_retry(connect: Callable[[], Awaitable[None]], what: str) -> None:
    delay = 1.0
    while True:
        try:
            await connect()
            return
        except AdapterError as exc:
            logger.warning("%s not loaded yet, retrying in %.0f s: %s", what, delay, exc)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 60.0)
