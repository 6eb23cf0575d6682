"""The registry subgraph in-process over the registry mock (ASGI transport), counting legacy calls."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from adapters.registry import RegistryClient
from mocks.data.province import Province, generate
from mocks.faults import Faults
from mocks.registry.app import create_app as create_mock
from subgraphs.common.schema import SubgraphSchema
from subgraphs.registry.app import create_schema
from subgraphs.registry.context import RegistryContext

SCHEMA = create_schema()


class CountingTransport(httpx.AsyncBaseTransport):
    """Forwards to the mock in-process and remembers every legacy request."""

    def __init__(self, app: Any) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    def paths(self) -> list[str]:
        return [r.url.path.removeprefix("/scjg/api/v1") for r in self.requests]


@dataclass
class Subgraph:
    province: Province
    faults: Faults
    transport: CountingTransport
    client: RegistryClient
    schema: SubgraphSchema

    async def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Runs ``query`` with a fresh per-request context; returns the response as a client sees it."""
        result = await self.schema.execute(query, variables, context_value=RegistryContext(client=self.client))
        response: dict[str, Any] = {"data": result.data}
        if result.errors:
            response["errors"] = [dict(error.formatted) for error in result.errors]
        return response


@pytest.fixture
async def subgraph() -> AsyncIterator[Subgraph]:
    province = generate(seed=2026, scale=0.1)
    faults = Faults()
    transport = CountingTransport(create_mock(province, faults))
    async with RegistryClient("http://registry", transport=transport) as client:
        yield Subgraph(province, faults, transport, client, SCHEMA)
