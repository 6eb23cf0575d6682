"""The registry subgraph served over HTTP (ASGI), with its legacy system behind it."""

from __future__ import annotations

import httpx

from mocks.data.province import SHOWCASE_USCC, generate
from mocks.registry.app import create_app as create_mock
from subgraphs.registry.app import create_app


async def test_health_and_graphql_over_http() -> None:
    legacy = httpx.ASGITransport(app=create_mock(generate(seed=2026, scale=0.05)))
    app = create_app(legacy_url="http://registry", transport=legacy)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://subgraph") as http:
        health = await http.get("/health")
        query = "query($u: USCC!) { enterprise(uscc: $u) { name } }"
        response = await http.post("/graphql", json={"query": query, "variables": {"u": SHOWCASE_USCC}})
    assert health.json() == {"status": "ok", "subgraph": "registry"}
    assert response.json() == {"data": {"enterprise": {"name": "合肥智园科技有限公司"}}}
