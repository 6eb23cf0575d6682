"""Stale-but-marked data at the subgraph: fields answered from a legacy system's last good copy are listed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
import strawberry
from starlette.requests import Request

from adapters.errors import LegacyUnavailable
from adapters.resilience import LegacyGuard, MemoryLastGood, RetryPolicy, last_good
from subgraphs.common import SubgraphContext, create_federation_schema, create_subgraph_app


class FakeRegistry:
    """An adapter client whose system can be switched off; reads keep their last good copy."""

    def __init__(self) -> None:
        self.guard = LegacyGuard("registry", retry=RetryPolicy(retries=0), last_good=MemoryLastGood())
        self.up = True

    async def _answer(self, value: Any) -> Any:
        async def attempt(limit: float) -> Any:
            if not self.up:
                raise LegacyUnavailable("registry", "connection refused")
            return value

        return await self.guard.call("read", attempt)

    @last_good
    async def fetch_names(self, codes: list[str]) -> list[str]:
        return await self._answer([f"园区{code}" for code in codes])

    @last_good
    async def fetch_province(self) -> str:
        return await self._answer("安徽省")


@dataclass
class FakeContext(SubgraphContext):
    registry: FakeRegistry = field(kw_only=True)


@strawberry.type
class Park:
    code: str

    @strawberry.field
    async def name(self, info: strawberry.Info[FakeContext, None]) -> str:
        registry = info.context.registry
        loader = info.context.loaders.get(registry.fetch_names)
        return await loader.load(self.code)


@strawberry.type
class Query:
    @strawberry.field
    async def province(self, info: strawberry.Info[FakeContext, None]) -> str:
        return await info.context.registry.fetch_province()

    @strawberry.field
    def parks(self) -> list[Park]:
        return [Park(code="A"), Park(code="B")]


def client(registry: FakeRegistry) -> httpx.AsyncClient:
    schema = create_federation_schema(domain="test", query=Query)

    def context(request: Request) -> FakeContext:
        return FakeContext(request=request, registry=registry)

    app = create_subgraph_app(schema, name="test", context_factory=context)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://subgraph")


QUERY = "{ province parks { code name } }"


async def test_fresh_answers_carry_no_staleness() -> None:
    registry = FakeRegistry()
    async with client(registry) as http:
        body = (await http.post("/graphql", json={"query": QUERY})).json()
    assert body["data"]["province"] == "安徽省"
    assert "staleness" not in body.get("extensions", {})


async def test_last_good_answers_are_served_and_marked_per_field_path() -> None:
    registry = FakeRegistry()
    async with client(registry) as http:
        fresh = (await http.post("/graphql", json={"query": QUERY})).json()
        registry.up = False
        stale = (await http.post("/graphql", json={"query": QUERY})).json()
    assert "errors" not in stale
    assert stale["data"] == fresh["data"]
    marks = stale["extensions"]["staleness"]
    # The direct read marks its field; the DataLoader batch marks every field that loaded from it.
    assert sorted(tuple(m["path"]) for m in marks) == [("parks", 0, "name"), ("parks", 1, "name"), ("province",)]
    assert all(m["stale"] is True and m["system"] == "registry" and m["fetchedAt"] for m in marks)


async def test_without_a_last_good_copy_the_field_fails_with_its_code() -> None:
    registry = FakeRegistry()
    registry.up = False
    async with client(registry) as http:
        body = (await http.post("/graphql", json={"query": "{ province }"})).json()
    assert body["errors"][0]["extensions"]["code"] == "LEGACY_SYSTEM_UNAVAILABLE"
    assert "staleness" not in body.get("extensions", {})
