"""The utilities subgraph in-process over a small province: drops in a temporary folder, the feed over ASGI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.utilities import UtilitiesClient
from mocks.data.province import Province, generate
from mocks.faults import FaultInjection
from mocks.utilities.app import create_app as create_mock
from subgraphs.common.schema import SubgraphSchema
from subgraphs.utilities.context import UtilitiesContext
from subgraphs.utilities.schema import build_schema
from tests.adapters.utilities.clock import NOW, TODAY


@dataclass
class Graph:
    """The subgraph's schema, its client (with call counters) and the mock behind it."""

    schema: SubgraphSchema
    client: UtilitiesClient
    mock: FaultInjection
    province: Province

    async def execute(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        context = UtilitiesContext(client=self.client, today=lambda: TODAY)
        return await self.schema.execute(query, variables, context_value=context)

    def legacy_calls(self) -> dict[str, int]:
        """Batch calls into the adapter plus the feed's HTTP requests."""
        return {**self.client.calls, "feed_http": self.client.feed.calls}

    def reset_counts(self) -> None:
        self.client.calls.clear()
        self.client.feed.calls = 0


@pytest.fixture(scope="session")
def province() -> Province:
    return generate(2026, 0.05)


@pytest.fixture
async def graph(tmp_path: Path, province: Province) -> AsyncIterator[Graph]:
    drops = tmp_path / "drops"
    mock = create_mock(province, drop_dir=drops, days=7, today=TODAY, clock=lambda: NOW)
    client = UtilitiesClient(
        drop_dir=drops, feed_url="http://metering.test", transport=httpx.ASGITransport(app=mock), rescan_interval=60
    )
    await client.ledger.refresh()  # as the app's start-up does, so tests count only query-time calls
    yield Graph(build_schema(), client, mock, province)
    await client.aclose()
