"""The subgraph edge: the gateway's deadline and trace context taken in, spans, metrics and JSON logs given out.

:class:`SubgraphEdge` wraps a subgraph's ASGI app (``create_subgraph_app``
installs it). For each HTTP request it

* reads ``x-parkgraph-deadline`` (the milliseconds the gateway gives the
  call, see ``gateway/subgraph/client.py``) and runs the request inside
  :func:`adapters.resilience.deadline_scope`, so every adapter call is bounded
  by it; without the header, by ``default_deadline`` seconds;
* continues the W3C trace of the ``traceparent`` header in a SERVER span
  ``subgraph <name>``, under which the adapter and legacy spans nest;
* counts the request and its duration (``parkgraph.subgraph.requests``,
  ``parkgraph.subgraph.duration``).

:func:`configure_process` is called once by each subgraph's command line: it
installs the OpenTelemetry SDK (metrics always, read by ``/metrics``; traces
exported over OTLP only when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set, so that
tracing costs nothing when off) and JSON logs carrying trace ids.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from typing import Any

from opentelemetry import metrics, propagate, trace
from opentelemetry.trace import SpanKind
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from adapters.resilience import deadline_scope

DEADLINE_HEADER = b"x-parkgraph-deadline"
DEFAULT_DEADLINE_SECONDS = 30.0

_tracer = trace.get_tracer("parkgraph.subgraphs")
_meter = metrics.get_meter("parkgraph.subgraphs")
_requests = _meter.create_counter("parkgraph.subgraph.requests", description="GraphQL requests served")
_duration = _meter.create_histogram("parkgraph.subgraph.duration", unit="s", description="Time to answer a request")


def deadline_seconds(headers: list[tuple[bytes, bytes]], default: float | None) -> float | None:
    """The seconds the caller gave this request (``x-parkgraph-deadline`` in ms), else ``default``."""
    for name, value in headers:
        if name == DEADLINE_HEADER:
            try:
                return max(0.0, int(value) / 1000)
            except ValueError:
                return default
    return default


class SubgraphEdge:
    """ASGI middleware in front of a subgraph (see the module docstring)."""

    def __init__(self, app: ASGIApp, *, name: str, default_deadline: float | None = DEFAULT_DEADLINE_SECONDS) -> None:
        self.app = app
        self.name = name
        self.default_deadline = default_deadline

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/graphql":
            await self.app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        carrier = {name.decode("latin-1"): value.decode("latin-1") for name, value in headers}
        parent = propagate.extract(carrier)
        started = time.perf_counter()
        with (
            deadline_scope(deadline_seconds(headers, self.default_deadline)),
            _tracer.start_as_current_span(
                f"subgraph {self.name}", context=parent, kind=SpanKind.SERVER, attributes={"subgraph": self.name}
            ),
        ):
            try:
                await self.app(scope, receive, send)
            finally:
                attributes = {"subgraph": self.name}
                _requests.add(1, attributes)
                _duration.record(time.perf_counter() - started, attributes)


async def metrics_endpoint(request: Request) -> Response:
    """``/metrics``: every OpenTelemetry metric of the process in the Prometheus text format."""
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line, with the trace and span ids of the current span (when tracing is on)."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "service": self.service,
            "message": record.getMessage(),
        }
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            entry["trace_id"] = f"{context.trace_id:032x}"
            entry["span_id"] = f"{context.span_id:016x}"
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_process(service: str) -> None:
    """Install metrics (Prometheus reader), OTLP traces when configured, and JSON logs for this process."""
    from opentelemetry.exporter.prometheus import PrometheusMetricReader
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.resources import Resource

    resource = Resource.create({"service.name": service})
    metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=[PrometheusMetricReader()]))
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        provider = TracerProvider(resource=resource)
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        trace.set_tracer_provider(provider)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLogFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(os.environ.get("PARKGRAPH_LOG_LEVEL", "INFO").upper())
