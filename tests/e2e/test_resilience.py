"""Resilience through the whole graph: stale data served and marked, deadlines kept, one trace over every hop."""

from __future__ import annotations

import time
from pathlib import Path

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from gateway.resilience import ResiliencePlugin
from gateway.telemetry import TelemetryPlugin
from mocks.data.province import SHOWCASE_USCC
from tests.support.domain_graph import DOMAINS, DomainGraph, domain_graph
from tests.test_dev_stack import readme_single_window_query

QUERY = readme_single_window_query()
VARIABLES = {"uscc": SHOWCASE_USCC}


async def test_a_legacy_outage_serves_the_last_good_data_marked_stale(domain: DomainGraph) -> None:
    fresh = await domain.execute(QUERY, VARIABLES)
    assert "errors" not in fresh and "staleness" not in fresh.get("extensions", {})
    await domain.set_faults("approvals", outage=True)
    stale = await domain.execute(QUERY, VARIABLES)
    assert "errors" not in stale
    assert stale["data"]["enterprise"]["approvalCases"] == fresh["data"]["enterprise"]["approvalCases"]
    marks = stale["extensions"]["staleness"]
    assert {tuple(m["path"]) for m in marks} == {("enterprise", "approvalCases")}
    assert all(m["stale"] is True and m["system"] == "approvals" and m["fetchedAt"] for m in marks)
    await domain.set_faults("approvals", reset=True)
    again = await domain.execute(QUERY, VARIABLES)
    assert "staleness" not in again.get("extensions", {})


async def test_no_request_outlives_its_deadline(tmp_path: Path) -> None:
    async with domain_graph(tmp_path, gateway_options={"timeout": 1.0}) as graph:
        await graph.set_faults("logistics", latency_ms=5000)
        started = time.monotonic()
        body = await graph.execute(QUERY, VARIABLES)
        took = time.monotonic() - started
    assert took < 1.5
    codes = {e["extensions"]["code"] for e in body["errors"]}
    assert codes <= {"LEGACY_SYSTEM_TIMEOUT", "UPSTREAM_TIMEOUT"}
    assert body["data"]["enterprise"]["name"]  # the other domains still answered
    assert body["data"]["enterprise"]["shipments"] is None


async def test_the_breaker_opens_on_a_dead_subgraph_and_closes_when_it_is_back(tmp_path: Path) -> None:
    resilience = ResiliencePlugin()
    async with domain_graph(tmp_path, gateway_options={"plugins": [resilience]}) as graph:
        await graph.set_faults("registry", outage=True)  # the legacy system down: the adapter breaker opens
        for _ in range(6):
            await graph.execute("query($u: USCC!) { enterprise(uscc: $u) { name } }", {"u": SHOWCASE_USCC})
        graph.reset_calls()
        body = await graph.execute("{ parks(first: 1) { totalCount } }")
        assert graph.legacy_calls()["registry"] == 0  # refused by the open breaker, not sent
        assert body["errors"][0]["extensions"]["code"] == "LEGACY_SYSTEM_UNAVAILABLE"
        assert "circuit open" in body["errors"][0]["message"]


_EXPORTER = InMemorySpanExporter()


def _tracing() -> TracerProvider:
    """The process's SDK tracer provider with an in-memory exporter (OpenTelemetry allows setting it once)."""
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))
    return provider


async def test_one_trace_spans_every_hop_of_the_single_window_query(tmp_path: Path) -> None:
    provider = _tracing()
    async with domain_graph(tmp_path, gateway_options={"plugins": [TelemetryPlugin(provider)]}) as graph:
        _EXPORTER.clear()
        body = await graph.execute(QUERY, VARIABLES)
        assert "errors" not in body
        spans = list(_EXPORTER.get_finished_spans())
    root = next(s for s in spans if s.name == "graphql request")
    trace_id = root.context.trace_id
    mine = [s for s in spans if s.context.trace_id == trace_id]
    names = {s.name for s in mine}
    assert {"graphql.parse", "graphql.validate", "graphql.plan"} <= names
    for domain_name in DOMAINS:
        assert f"fetch {domain_name}" in names, domain_name
        assert f"subgraph {domain_name}" in names, domain_name  # continued from the traceparent header
    assert any(n.startswith("adapter approvals.") for n in names)
    for domain_name in DOMAINS:  # utilities: the read of its batch drops
        assert f"legacy {domain_name}" in names, domain_name
    # The talent database's SQL statements, each a span under the adapter's legacy call.
    by_id = {s.context.span_id: s for s in mine}
    sql = [s for s in mine if s.name == "SELECT talent"]
    assert sql and all(by_id[s.parent.span_id].name == "legacy talent" for s in sql if s.parent)
    assert all(s.attributes and "T_RC_XQ" in str(s.attributes["db.query.text"]) for s in sql)
    # Every span of the request shares the root's trace id, and each has its parent in the trace.
    ids = {s.context.span_id for s in mine}
    assert all(s.parent is None or s.parent.span_id in ids for s in mine if s is not root)
