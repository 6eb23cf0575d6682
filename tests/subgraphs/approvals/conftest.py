"""The approvals subgraph in process, over the approval platform mock served on real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from mocks.approvals.app import create_app as create_platform
from mocks.data.province import Province, generate
from mocks.faults import Faults
from subgraphs.approvals.app import create_app
from tests.adapters.approvals.conftest import CountingTransport
from tests.support.live_server import live_server


@dataclass
class Subgraph:
    province: Province
    faults: Faults
    legacy: CountingTransport
    http: httpx.AsyncClient

    async def query(self, document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.http.post("/graphql", json={"query": document, "variables": variables or {}})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
async def subgraph() -> AsyncIterator[Subgraph]:
    province = generate(seed=2026, scale=0.1)
    faults = Faults()
    async with live_server(create_platform(province, faults)) as url:
        legacy = CountingTransport()
        app = create_app(url, transport=legacy, timeout=2.0)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://approvals") as http:
            yield Subgraph(province, faults, legacy, http)
        await legacy.aclose()
