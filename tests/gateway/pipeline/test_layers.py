"""The pipeline's layers and plugin hooks, with a stand-in planner and subgraph layer (no network)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import DocumentNode, GraphQLSchema, build_schema

from gateway.context import RequestContext
from gateway.pipeline import (
    Plugin,
    RouterRequest,
    SupergraphRequest,
    SupergraphResponse,
    SupergraphService,
    build_pipeline,
)
from gateway.planner.plan import Fetch, QueryPlan
from gateway.subgraph import SubgraphRequest, SubgraphResponse, SubgraphService

SCHEMA = build_schema('type Query { hello(name: String = "you"): String ok: Boolean }')


@dataclass(frozen=True)
class Info:
    name: str
    url: str


class OneSubgraph:
    """A supergraph stand-in: one subgraph "only", no abstract types."""

    api_schema: GraphQLSchema = SCHEMA
    subgraphs: Mapping[str, Info] = {"only": Info("only", "http://only")}

    def possible_runtime_types(self, type_name: str) -> frozenset[str]:
        return frozenset({type_name})


class CountingPlanner:
    """Plans every operation as one fetch of its printed text; counts the calls."""

    def __init__(self) -> None:
        self.calls = 0

    def plan(
        self, document: DocumentNode, operation_name: str | None, *, override_labels: frozenset[str] = frozenset()
    ) -> QueryPlan:
        self.calls += 1
        return QueryPlan(Fetch("only", "query($name:String){hello(name:$name)}", variable_usages=("name",)))


class Subgraph:
    def __init__(self) -> None:
        self.requests: list[SubgraphRequest] = []

    async def __call__(self, request: SubgraphRequest) -> SubgraphResponse:
        self.requests.append(request)
        name = request.body.get("variables", {}).get("name", "you")
        return SubgraphResponse({"hello": f"hi {name}"})


class Tracing(Plugin):
    """Records the order in which wrapped layers run."""

    def __init__(self, label: str, trace: list[str]) -> None:
        self.label = label
        self.trace = trace

    def supergraph_service(self, service: SupergraphService) -> SupergraphService:
        async def wrapped(request: SupergraphRequest) -> SupergraphResponse:
            self.trace.append(f"{self.label}:in")
            response = await service(request)
            self.trace.append(f"{self.label}:out")
            return response

        return wrapped

    def subgraph_service(self, name: str, service: SubgraphService) -> SubgraphService:
        async def wrapped(request: SubgraphRequest) -> SubgraphResponse:
            request.headers[f"x-{self.label}"] = name
            return await service(request)

        return wrapped


def request(body: dict[str, Any]) -> RouterRequest:
    headers = {"content-type": "application/json", "accept": "application/json"}
    return RouterRequest("POST", headers, "", orjson.dumps(body), RequestContext.create(headers))


async def test_first_plugin_is_outermost_and_subgraph_hooks_see_their_subgraph() -> None:
    trace: list[str] = []
    subgraph = Subgraph()
    pipeline = build_pipeline(
        OneSubgraph(), CountingPlanner(), subgraph, plugins=[Tracing("a", trace), Tracing("b", trace)]
    )
    response = await pipeline.router(request({"query": "{ hello }"}))
    assert orjson.loads(response.body) == {"data": {"hello": "hi you"}}
    assert trace == ["a:in", "b:in", "b:out", "a:out"]
    assert subgraph.requests[0].headers == {"x-a": "only", "x-b": "only"}


async def test_variables_are_coerced_with_defaults_before_they_reach_the_subgraph() -> None:
    subgraph = Subgraph()
    pipeline = build_pipeline(OneSubgraph(), CountingPlanner(), subgraph)
    query = 'query($name: String = "default") { hello(name: $name) }'
    response = await pipeline.router(request({"query": query}))
    assert orjson.loads(response.body) == {"data": {"hello": "hi default"}}
    assert subgraph.requests[0].body["variables"] == {"name": "default"}


async def test_prepared_operation_and_plan_are_reused_for_the_same_text() -> None:
    planner = CountingPlanner()
    pipeline = build_pipeline(OneSubgraph(), planner, Subgraph())
    for name in ("a", "b", "c"):
        await pipeline.router(
            request({"query": "query($name: String) { hello(name: $name) }", "variables": {"name": name}})
        )
    assert planner.calls == 1
    await pipeline.router(request({"query": "query Other($name: String) { hello(name: $name) }"}))
    assert planner.calls == 2
