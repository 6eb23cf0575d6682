"""The subgraph edge: the gateway's deadline header bounds adapter calls; /metrics answers."""

from __future__ import annotations

import httpx
import strawberry
from starlette.requests import Request

from adapters.resilience import remaining
from subgraphs.common import SubgraphContext, create_federation_schema, create_subgraph_app
from subgraphs.common.telemetry import deadline_seconds


@strawberry.type
class Query:
    @strawberry.field
    async def time_left(self) -> float:
        left = remaining()
        return -1.0 if left is None else left


def client(default_deadline: float | None = 30.0) -> httpx.AsyncClient:
    def context(request: Request) -> SubgraphContext:
        return SubgraphContext(request=request)

    schema = create_federation_schema(domain="test", query=Query)
    app = create_subgraph_app(schema, name="test", context_factory=context, default_deadline=default_deadline)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://subgraph")


async def test_the_deadline_header_bounds_the_adapters_time() -> None:
    async with client() as http:
        body = await http.post("/graphql", json={"query": "{ timeLeft }"}, headers={"x-parkgraph-deadline": "250"})
    assert 0 < body.json()["data"]["timeLeft"] <= 0.25


async def test_without_the_header_the_default_deadline_applies() -> None:
    async with client(default_deadline=7) as http:
        body = (await http.post("/graphql", json={"query": "{ timeLeft }"})).json()
    assert 6 < body["data"]["timeLeft"] <= 7
    async with client(default_deadline=None) as http:
        body = (await http.post("/graphql", json={"query": "{ timeLeft }"})).json()
    assert body["data"]["timeLeft"] == -1.0


def test_deadline_header_parsing() -> None:
    assert deadline_seconds([(b"x-parkgraph-deadline", b"1500")], 30) == 1.5
    assert deadline_seconds([(b"x-parkgraph-deadline", b"soon")], 30) == 30  # unreadable: the default
    assert deadline_seconds([(b"x-parkgraph-deadline", b"-5")], 30) == 0.0
    assert deadline_seconds([], None) is None


async def test_metrics_are_served_in_the_prometheus_format() -> None:
    async with client() as http:
        response = await http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert b"# HELP" in response.content or b"# TYPE" in response.content or response.content == b""
