"""A trace the sampler leaves out costs no spans, yet its decision still reaches the subgraphs."""

from __future__ import annotations

from pathlib import Path

import orjson
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ALWAYS_ON, ParentBased, Sampler

from gateway.context import RequestContext
from gateway.pipeline import RouterRequest, build_pipeline
from gateway.planner import QueryPlanner
from gateway.subgraph.types import SubgraphRequest, SubgraphResponse
from gateway.supergraph import load_supergraph
from gateway.telemetry import TelemetryPlugin

SUPERGRAPH = Path(__file__).resolve().parents[2] / "fixtures/supergraphs/bench/supergraph.graphql"


async def _traced_request(sampler: Sampler) -> tuple[list[str], list[dict[str, str]]]:
    """Span names exported and the headers each subgraph call carried."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider(sampler=sampler)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    sent: list[dict[str, str]] = []

    async def products(request: SubgraphRequest) -> SubgraphResponse:
        sent.append(dict(request.headers))
        return SubgraphResponse({"topProducts": [{"name": "Classic Table 1"}]}, [])

    supergraph = load_supergraph(SUPERGRAPH.read_text(encoding="utf-8"))
    pipeline = build_pipeline(supergraph, QueryPlanner(supergraph), products, plugins=[TelemetryPlugin(provider)])
    headers = {"content-type": "application/json", "accept": "application/json"}
    body = orjson.dumps({"query": "{ topProducts { name } }"})
    response = await pipeline.router(RouterRequest("POST", headers, "", body, RequestContext.create(headers)))
    assert orjson.loads(response.body) == {"data": {"topProducts": [{"name": "Classic Table 1"}]}}
    return [s.name for s in exporter.get_finished_spans()], sent


def _sampled(traceparent: str) -> bool:
    """The W3C trace flags' sampled bit (other bits, such as "random trace id", may be set)."""
    version, _, _, flags = traceparent.split("-")
    return version == "00" and bool(int(flags, 16) & 0x01)


async def test_a_sampled_trace_has_every_gateway_span() -> None:
    names, sent = await _traced_request(ParentBased(ALWAYS_ON))
    assert {"graphql request", "graphql.plan", "fetch products"} <= set(names)
    (headers,) = sent
    assert _sampled(headers["traceparent"])  # for the subgraph to continue


async def test_a_trace_sampled_out_makes_no_span_and_tells_the_subgraph() -> None:
    names, sent = await _traced_request(ParentBased(ALWAYS_OFF))
    assert names == []
    (headers,) = sent
    assert not _sampled(headers["traceparent"])  # so the subgraph samples it out too
