"""The gateway's logs are JSON lines that carry the trace id of the request they were written in."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from gateway.context import RequestContext
from gateway.pipeline import RouterRequest, build_pipeline
from gateway.planner import QueryPlanner
from gateway.subgraph.types import SubgraphRequest, SubgraphResponse
from gateway.supergraph import load_supergraph
from gateway.telemetry import TelemetryPlugin, configure_logging

SUPERGRAPH = Path(__file__).resolve().parents[2] / "fixtures/supergraphs/bench/supergraph.graphql"
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"  # the client's, in its W3C traceparent
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"


@pytest.fixture
def gateway_log() -> Iterator[io.StringIO]:
    """The gateway's logging setup, writing to a buffer; the root logger is put back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    stream = io.StringIO()
    configure_logging("parkgraph-gateway", stream)
    try:
        yield stream
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


async def broken_subgraph(request: SubgraphRequest) -> SubgraphResponse:
    raise RuntimeError("a plugin's bug")  # the executor logs it, inside the request


async def _request(traceparent: str | None) -> dict[str, object]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    supergraph = load_supergraph(SUPERGRAPH.read_text(encoding="utf-8"))
    pipeline = build_pipeline(
        supergraph, QueryPlanner(supergraph), broken_subgraph, plugins=[TelemetryPlugin(provider)]
    )
    headers = {"content-type": "application/json", "accept": "application/json"}
    if traceparent is not None:
        headers["traceparent"] = traceparent
    context = RequestContext.create(headers)
    body = orjson.dumps({"query": "{ topProducts { name } }"})
    response = await pipeline.router(RouterRequest("POST", headers, "", body, context))
    answer: dict[str, object] = orjson.loads(response.body)
    (root,) = [s for s in exporter.get_finished_spans() if s.name == "graphql request"]
    answer["trace_id"] = f"{root.context.trace_id:032x}"
    return answer


def _records(stream: io.StringIO) -> list[dict[str, object]]:
    lines = [line for line in stream.getvalue().splitlines() if line.strip()]
    return [json.loads(line) for line in lines]  # every line is one JSON object


async def test_a_log_record_written_in_a_request_carries_the_clients_trace_id(gateway_log: io.StringIO) -> None:
    answer = await _request(TRACEPARENT)
    assert answer["errors"]  # the broken fetch was reported to the client
    assert answer["trace_id"] == TRACE_ID  # the gateway continued the client's trace
    (record,) = [r for r in _records(gateway_log) if r["message"] == "subgraph layer raised for products"]
    assert record["trace_id"] == TRACE_ID
    assert isinstance(record["span_id"], str) and len(record["span_id"]) == 16
    assert record["level"] == "ERROR" and record["service"] == "parkgraph-gateway"
    assert "RuntimeError: a plugin's bug" in str(record["exception"])


async def test_a_request_without_traceparent_logs_the_trace_the_gateway_started(gateway_log: io.StringIO) -> None:
    answer = await _request(None)
    (record,) = [r for r in _records(gateway_log) if r["message"] == "subgraph layer raised for products"]
    assert record["trace_id"] == answer["trace_id"] != TRACE_ID


def test_a_record_outside_any_request_has_no_trace_id(gateway_log: io.StringIO) -> None:
    logging.getLogger("gateway.registry.follow").warning("registry unreachable, still serving version %s", "v3")
    (record,) = _records(gateway_log)
    assert record["message"] == "registry unreachable, still serving version v3"
    assert "trace_id" not in record and record["logger"] == "gateway.registry.follow"
