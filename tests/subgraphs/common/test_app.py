"""The subgraph app: GraphQL over HTTP at /graphql with a per-request context, and /health."""

from __future__ import annotations

import httpx
import strawberry
from starlette.requests import Request

from subgraphs.common import SubgraphContext, create_federation_schema, create_subgraph_app

CONTEXTS: list[SubgraphContext] = []


@strawberry.federation.type(keys=["code"])
class Park:
    code: strawberry.ID


@strawberry.type
class Query:
    @strawberry.field
    def header(self, info: strawberry.Info[SubgraphContext, None]) -> str:
        CONTEXTS.append(info.context)
        assert info.context.request is not None
        return info.context.request.headers.get("x-test", "")

    @strawberry.field
    def park(self) -> Park:
        return Park(code=strawberry.ID("340100-HTZ"))


async def make_context(request: Request) -> SubgraphContext:
    return SubgraphContext(request=request)


def client() -> httpx.AsyncClient:
    schema = create_federation_schema(domain="test", query=Query)
    app = create_subgraph_app(schema, name="test", context_factory=make_context)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://subgraph")


async def test_graphql_and_health() -> None:
    CONTEXTS.clear()
    async with client() as http:
        health = await http.get("/health")
        first = await http.post("/graphql", json={"query": "{ header }"}, headers={"x-test": "one"})
        second = await http.post("/graphql", json={"query": "{ header }"})
    assert health.json() == {"status": "ok", "subgraph": "test"}
    assert first.json() == {"data": {"header": "one"}}
    assert second.json() == {"data": {"header": ""}}
    assert CONTEXTS[0] is not CONTEXTS[1] and CONTEXTS[0].loaders is not CONTEXTS[1].loaders


async def test_service_sdl_links_federation_2_and_keys() -> None:
    async with client() as http:
        response = await http.post("/graphql", json={"query": "{ _service { sdl } }"})
    sdl = response.json()["data"]["_service"]["sdl"]
    assert '@link(url: "https://specs.apollo.dev/federation/v2.7"' in sdl
    assert 'type Park @key(fields: "code")' in sdl
