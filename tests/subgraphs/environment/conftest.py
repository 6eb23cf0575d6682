"""The environment subgraph in-process: the mock's registry over ASGI, its field units over real TCP."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from adapters.environment import EnvironmentClient
from mocks.data.province import generate
from mocks.environment.app import EnvironmentMock
from mocks.environment.faults import StreamFaults
from schema.scalars import CHINA_STANDARD_TIME
from subgraphs.common.alerts.monitor import AlertMonitor
from subgraphs.common.alerts.store import AlertStore
from subgraphs.environment.app import create_app
from subgraphs.environment.context import EnvironmentContext
from subgraphs.environment.schema import build_schema
from tests.support.waiting import eventually

NOW = datetime(2026, 11, 1, 9, 30, tzinfo=CHINA_STANDARD_TIME)


@dataclass
class Stack:
    app: Starlette
    client: EnvironmentClient
    store: AlertStore
    monitor: AlertMonitor
    mock: EnvironmentMock

    async def execute(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        context = EnvironmentContext(client=self.client, monitor=self.monitor)
        return await build_schema().execute(query, variables, context_value=context)


@pytest.fixture
async def stack(tmp_path: Path) -> AsyncIterator[Stack]:
    province = generate(2026, 0.05)
    registry = EnvironmentMock(province, limit_points=4)
    client = EnvironmentClient(legacy_url="http://env.test", transport=httpx.ASGITransport(app=registry))
    store = AlertStore(f"sqlite:///{tmp_path / 'alerts.db'}")
    app = create_app(legacy_url="http://env.test", alerts_url="", client=client, store=store, clock=lambda: NOW)
    async with app.router.lifespan_context(app):
        monitor: AlertMonitor = app.state.monitor
        await eventually(lambda: bool(app.state.rules.points()))
        units = EnvironmentMock(
            province,
            platform=("127.0.0.1", client.receiver.port),
            stream_faults=StreamFaults(interval_s=0.05),
            clock=lambda: NOW,
            limit_points=4,
        )
        assert units.fleet is not None
        fleet = asyncio.create_task(units.fleet.run())
        try:
            yield Stack(app, client, store, monitor, units)
        finally:
            fleet.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await fleet
