"""The safety subgraph as an ASGI app: ``create_app(legacy_url=..., broker_host=..., broker_port=..., alerts_url=...)``.

The lifespan (:func:`subgraphs.common.alerts.app.create_monitoring_app`)
loads the sensor registry into the alert rules (retrying until it answers),
subscribes to the sensors' MQTT topics (reconnecting whenever the broker goes
away) and runs the missing-data check; ``/graphql`` also serves the
subscription over graphql-transport-ws.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import httpx
from starlette.applications import Starlette

from adapters.safety import SafetyClient
from auth.identity import IdentityVerifier
from subgraphs.common.alerts.app import create_monitoring_app, now_in_china
from subgraphs.common.alerts.store import AlertStore
from subgraphs.safety.context import SafetyContext
from subgraphs.safety.monitoring import DOMAIN, SensorRules, connect
from subgraphs.safety.schema import build_schema


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
    """Serves the safety subgraph; readings come from the MQTT broker at ``broker_host:broker_port``."""
    safety = client or SafetyClient(
        legacy_url=legacy_url, broker_host=broker_host, broker_port=broker_port, transport=transport
    )
    return create_monitoring_app(
        build_schema(),
        domain=DOMAIN,
        registry="sensor registry",
        client=safety,
        rules=SensorRules(missing_after),
        connect=connect,
        context_type=SafetyContext,
        store=store or AlertStore(alerts_url),
        clock=clock,
        missing_check_interval=missing_check_interval,
        identity=identity,
        run=safety.run,
    )
