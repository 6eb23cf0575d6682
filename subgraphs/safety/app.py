"""The safety subgraph as an ASGI app: ``create_app(legacy_url=..., broker_host=..., broker_port=..., alerts_url=...)``.

The lifespan loads the sensor registry into the alert rules (retrying until
it answers), subscribes to the sensors' MQTT topics (reconnecting whenever
the broker goes away) and runs the missing-data check; ``/graphql`` also
serves the subscription over graphql-transport-ws.
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

from adapters.errors import AdapterError
from adapters.safety import SafetyClient
from auth.identity import IdentityVerifier
from schema.scalars import CHINA_STANDARD_TIME
from subgraphs.common import create_subgraph_app
from subgraphs.common.alerts.monitor import AlertMonitor
from subgraphs.common.alerts.store import AlertStore
from subgraphs.safety.context import SafetyContext
from subgraphs.safety.monitoring import DOMAIN, SensorRules, connect
from subgraphs.safety.schema import build_schema

logger = logging.getLogger(__name__)


def now_in_china() -> datetime:
    return datetime.now(CHINA_STANDARD_TIME)


def create_app(
    *,
    legacy_url: str,
    alerts_url: str,
    broker_host: str = "127.0.0.1",
    broker_port: int = 1883,
    transport: httpx.AsyncBaseTransport | None = None,
    missing_after: timedelta = timedelta(minutes=5),
    missing_check_interval: float = 30.0,
    clock: Callable[[], datetime] = now_in_china,
    client: SafetyClient | None = None,
    store: AlertStore | None = None,
    identity: IdentityVerifier | None = None,
) -> Starlette:
    safety = client or SafetyClient(
        legacy_url=legacy_url, broker_host=broker_host, broker_port=broker_port, transport=transport
    )
    alerts = store or AlertStore(alerts_url)
    rules = SensorRules(missing_after)
    monitor = AlertMonitor(alerts, domain=DOMAIN, rules_of=rules.rules_of, subject_of=rules.subject_of, clock=clock)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await alerts.create_tables()
        tasks = [
            asyncio.create_task(_connect(safety, monitor, rules)),
            asyncio.create_task(monitor.run_missing_checks(missing_check_interval)),
        ]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await safety.aclose()
            await alerts.aclose()

    def context(request: Request | WebSocket) -> SafetyContext:
        return SafetyContext(request=request if isinstance(request, Request) else None, client=safety, monitor=monitor)

    app = create_subgraph_app(
        build_schema(),
        name="safety",
        context_factory=context,
        subscription_context_factory=context,
        lifespan=lifespan,
        identity=identity,
    )
    app.state.client = safety
    app.state.monitor = monitor
    app.state.rules = rules
    return app


async def _connect(client: SafetyClient, monitor: AlertMonitor, rules: SensorRules) -> None:
    delay = 1.0
    while True:
        try:
            await connect(client, monitor, rules)
            break
        except AdapterError as exc:
            logger.warning("safety: sensor registry not loaded yet, retrying in %.0f s: %s", delay, exc)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 60.0)
    await client.run()  # subscribe only once the rules know the sensors
