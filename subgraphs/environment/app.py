"""The environment subgraph as an ASGI app: ``create_app(legacy_url=..., receiver_port=..., alerts_url=...)``.

The lifespan (:func:`subgraphs.common.alerts.app.create_monitoring_app`)
opens the HJ 212 receiver (the field units dial it), loads the point registry
into the alert rules (retrying until the registry answers), and runs the
missing-data check; ``/graphql`` also serves the subscription over
graphql-transport-ws.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import httpx
from starlette.applications import Starlette

from adapters.environment import EnvironmentClient
from auth.identity import IdentityVerifier
from subgraphs.common.alerts.app import create_monitoring_app, now_in_china
from subgraphs.common.alerts.store import AlertStore
from subgraphs.environment.context import EnvironmentContext
from subgraphs.environment.monitoring import DOMAIN, PointRules, connect
from subgraphs.environment.schema import build_schema


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
    return create_monitoring_app(
        build_schema(),
        domain=DOMAIN,
        registry="point registry",
        client=environment,
        rules=PointRules(missing_after),
        connect=connect,
        context_type=EnvironmentContext,
        store=store or AlertStore(alerts_url),
        clock=clock,
        missing_check_interval=missing_check_interval,
        identity=identity,
        start=environment.start,
    )
