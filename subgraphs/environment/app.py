"""The environment subgraph as an ASGI app: ``create_app(legacy_url=..., receiver_port=..., alerts_url=...)``.

The lifespan opens the HJ 212 receiver (the field units dial it), loads the
point registry into the alert rules (retrying until the registry answers),
and runs the missing-data check; ``/graphql`` also serves the subscription
over graphql-transport-ws.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.websockets import WebSocket

from adapters.environment import EnvironmentClient
from adapters.errors import AdapterError
from auth.identity import IdentityVerifier
from schema.scalars import CHINA_STANDARD_TIME
from subgraphs.common import create_subgraph_app
from subgraphs.common.alerts.monitor import AlertMonitor
from subgraphs.common.alerts.store import AlertStore
from subgraphs.environment.context import EnvironmentContext
from subgraphs.environment.monitoring import DOMAIN, PointRules, connect
from subgraphs.environment.schema import build_schema

logger = logging.getLogger(__name__)


def now_in_china() -> datetime:
    return datetime.now(CHINA_STANDARD_TIME)


def create_app(
    *,
    legacy_url: str,
    alerts_url: str,
    receiver_host: str = "127.0.0.1",
    receiver_port: int = 0,
    transport: httpx.AsyncBaseTransport | None = None,
    missing_after: timedelta = timedelta(minutes=10),
    missing_check_interval: float = 30.0,
    clock: Callable[[], datetime] = now_in_china,
    client: EnvironmentClient | None = None,
    store: AlertStore | None = None,
    identity: IdentityVerifier | None = None,
) -> Starlette:
    """Serves the environment subgraph; the HJ 212 receiver listens on ``receiver_host:receiver_port``."""
    environment = client or EnvironmentClient(
        legacy_url=legacy_url, receiver_host=receiver_host, receiver_port=receiver_port, transport=transport
    )
    alerts = store or AlertStore(alerts_url)
    rules = PointRules(missing_after)
    monitor = AlertMonitor(alerts, domain=DOMAIN, rules_of=rules.rules_of, subject_of=rules.subject_of, clock=clock)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await alerts.create_tables()
        await environment.start()
        tasks = [
            asyncio.create_task(_connect(environment, monitor, rules)),
            asyncio.create_task(monitor.run_missing_checks(missing_check_interval)),
        ]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await environment.aclose()
            await alerts.aclose()

    def context(request: Request | WebSocket) -> EnvironmentContext:
        return EnvironmentContext(
            request=request if isinstance(request, Request) else None, client=environment, monitor=monitor
        )

    app = create_subgraph_app(
        build_schema(),
        name="environment",
        context_factory=context,
        identity=identity,
        subscription_context_factory=context,
        lifespan=lifespan,
    )
    app.state.client = environment
    app.state.monitor = monitor
    app.state.rules = rules
    return app


async def _connect(client: EnvironmentClient, monitor: AlertMonitor, rules: PointRules) -> None:
    delay = 1.0
    while True:
        try:
            await connect(client, monitor, rules)
            return
        except AdapterError as exc:
            logger.warning("environment: point registry not loaded yet, retrying in %.0f s: %s", delay, exc)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 60.0)
