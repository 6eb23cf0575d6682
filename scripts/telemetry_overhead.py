"""Per-request CPU cost of the gateway's telemetry plugin, tracing off and on (in process, no network).

Runs the bench ``small`` and ``fanout`` queries through the assembled pipeline
(router layer down) with canned subgraph answers at the bottom: each answer is
recorded once from the Python ports of the bench subgraphs (and the result
checked against the bench's reference answer), then replayed, so the
subgraphs cost the same in every variant. Variants, in this order (the
OpenTelemetry SDK can be installed once per process):

* no telemetry plugin;
* telemetry, tracing off, OpenTelemetry API only (no SDK: instruments are no-ops);
* telemetry, tracing off, SDK metrics with the Prometheus reader (what ``parkgraph gateway`` runs);
* telemetry, tracing on: SDK tracer with a batch processor and an exporter that drops the spans
  (OTLP's work minus encoding and network; the export thread's CPU is counted), 1 % of traces
  sampled (``OTEL_TRACES_SAMPLER=parentbased_traceidratio``, ``OTEL_TRACES_SAMPLER_ARG=0.01``), then all.

CPU is ``time.process_time()`` (all threads), best of three runs. Usage::

    .venv/bin/python scripts/telemetry_overhead.py [--requests 5000] [--fanout-requests 500]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
from opentelemetry import metrics
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gateway.context import RequestContext  # noqa: E402
from gateway.pipeline import Pipeline, Plugin, RouterRequest, build_pipeline  # noqa: E402
from gateway.planner import QueryPlanner  # noqa: E402
from gateway.subgraph.types import SubgraphRequest, SubgraphResponse  # noqa: E402
from gateway.supergraph import load_supergraph  # noqa: E402
from gateway.telemetry import TelemetryPlugin  # noqa: E402
from tests.support.bench_subgraphs import bench_subgraphs  # noqa: E402
from tests.support.subgraph_kit import SubgraphExecutor  # noqa: E402

SUPERGRAPH = ROOT / "tests/fixtures/supergraphs/bench/supergraph.graphql"
QUERIES = ROOT / "tests/fixtures/bench/queries"
ANSWERS = ROOT / "tests/fixtures/bench"
HEADERS = {"content-type": "application/json", "accept": "application/json"}


class DroppingExporter(SpanExporter):
    """Takes every batch and throws it away."""

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return SpanExportResult.SUCCESS


class Canned:
    """The subgraph layer: answers recorded from the bench subgraphs, replayed by request body."""

    def __init__(self) -> None:
        self.executors = {spec.name: SubgraphExecutor(spec) for spec in bench_subgraphs()}
        self.answers: dict[tuple[str, bytes], SubgraphResponse] = {}
        self.recording = True

    async def __call__(self, request: SubgraphRequest) -> SubgraphResponse:
        key = (request.service_name, orjson.dumps(request.body, option=orjson.OPT_SORT_KEYS))
        answer = self.answers.get(key)
        if answer is not None:
            return answer
        if not self.recording:
            raise RuntimeError(f"no canned answer for {request.service_name}")
        body = request.body
        result = await self.executors[request.service_name].execute(
            body["query"], body.get("variables"), body.get("operationName")
        )
        errors = [e.formatted for e in result.errors or []]
        answer = self.answers[key] = SubgraphResponse(result.data, [dict(e) for e in errors])
        return answer


async def _run(pipeline: Pipeline, body: bytes) -> bytes:
    context = RequestContext.create(HEADERS)
    context.client_address = "127.0.0.1"
    response = await pipeline.router(RouterRequest("POST", HEADERS, "", body, context))
    assert response.status == 200, response.body
    return response.body


async def cpu_per_request(query: str, plugins: list[Plugin], canned: Canned, requests: int) -> float:
    """CPU microseconds per request of ``query`` through a pipeline with ``plugins``, best of three."""
    supergraph = load_supergraph(SUPERGRAPH.read_text(encoding="utf-8"))
    pipeline = build_pipeline(supergraph, QueryPlanner(supergraph), canned, plugins=plugins)
    body = orjson.dumps({"query": (QUERIES / f"{query}.graphql").read_text(encoding="utf-8")})
    answer = orjson.loads(await _run(pipeline, body))
    expected = json.loads((ANSWERS / f"{query}.json").read_text(encoding="utf-8"))
    assert answer == expected, f"{query}: the pipeline's answer differs from the bench's reference"
    for _ in range(min(200, requests)):  # warm the document and plan caches
        await _run(pipeline, body)
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        for _ in range(requests):
            await _run(pipeline, body)
        for plugin in plugins:  # spans still queued for export are part of the cost
            provider = getattr(plugin, "provider", None)
            if provider is not None:
                provider.force_flush()
        best = min(best, (time.process_time() - started) / requests * 1e6)
    return best


async def main(counts: dict[str, int]) -> None:
    canned = Canned()
    baseline: dict[str, float] = {}

    async def measure(label: str, make_plugins: Any) -> None:
        cells = []
        for query, requests in counts.items():
            cpu = await cpu_per_request(query, make_plugins(), canned, requests)
            base = baseline.setdefault(query, cpu)
            cells.append(f"{query} {cpu:8.1f} µs (+{cpu - base:6.1f}, {100 * (cpu - base) / base:+5.1f} %)")
        print(f"{label:44s} " + "   ".join(cells), flush=True)

    await measure("no telemetry plugin", lambda: [])
    canned.recording = False
    await measure("tracing off, OpenTelemetry API only", lambda: [TelemetryPlugin()])

    from opentelemetry.exporter.prometheus import PrometheusMetricReader
    from opentelemetry.sdk.metrics import MeterProvider

    metrics.set_meter_provider(MeterProvider(metric_readers=[PrometheusMetricReader()]))
    await measure("tracing off, SDK metrics (parkgraph gateway)", lambda: [TelemetryPlugin()])

    def traced(ratio: float) -> list[Plugin]:
        provider = TracerProvider(sampler=ParentBased(TraceIdRatioBased(ratio)))
        # A queue that never overflows: a dropped span would be work not measured.
        provider.add_span_processor(BatchSpanProcessor(DroppingExporter(), max_queue_size=1 << 22))
        plugin = TelemetryPlugin(provider)
        plugin.provider = provider  # type: ignore[attr-defined]  # flushed by the measurement
        return [plugin]

    await measure("tracing on, 1 % of traces sampled", lambda: traced(0.01))
    await measure("tracing on, every trace exported", lambda: traced(1.0))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000, help="small queries per run")
    parser.add_argument("--fanout-requests", type=int, default=500, help="fanout queries per run")
    arguments = parser.parse_args()
    asyncio.run(main({"small": arguments.requests, "fanout": arguments.fanout_requests}))
