"""The telemetry plugin and the process setup (see :mod:`gateway.telemetry`)."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import IO, Any

from opentelemetry import metrics, propagate, trace
from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.trace import SpanKind, Status, StatusCode, TracerProvider

from gateway.pipeline.types import Plugin, RouterRequest, RouterResponse, RouterService
from gateway.resilience.breaker import BREAKERS
from gateway.subgraph.types import SubgraphError, SubgraphRequest, SubgraphResponse, SubgraphService

_meter = metrics.get_meter("parkgraph.gateway")
# Requests by HTTP status, counted in a plain dict and read by the metric at collection: an SDK counter's
# add() costs about 4 µs a request, a dict increment a tenth of one (scripts/telemetry_overhead.py).
_requests_by_status: Counter[int] = Counter()


def _requests_observed(options: CallbackOptions) -> Iterable[Observation]:
    for status, count in list(_requests_by_status.items()):
        yield Observation(count, {"status": status})


_meter.create_observable_counter(
    "parkgraph.gateway.requests", callbacks=[_requests_observed], description="GraphQL requests, by HTTP status"
)
_duration = _meter.create_histogram("parkgraph.gateway.duration", unit="s", description="Time to answer a request")
_subgraph_errors = _meter.create_counter("parkgraph.gateway.subgraph.errors", description="Failed subgraph calls")


def _breaker_states(options: CallbackOptions) -> Iterable[Observation]:
    for breaker in list(BREAKERS):
        yield Observation(int(breaker.state), {"breaker": breaker.name, "side": "gateway"})


_meter.create_observable_gauge(
    "parkgraph.breaker.state", callbacks=[_breaker_states], description="0 closed, 1 half-open, 2 open"
)


_STATUS_ATTRIBUTES: dict[int, dict[str, int]] = {}


def _status_attributes(status: int) -> dict[str, int]:
    """One attributes dict per status, made once (the SDK copies nothing it is given)."""
    attributes = _STATUS_ATTRIBUTES.get(status)
    if attributes is None:
        attributes = _STATUS_ATTRIBUTES[status] = {"status": status}
    return attributes


class TelemetryPlugin(Plugin):
    """Spans (when tracing is on) and metrics around the router layer and every subgraph call."""

    name = "telemetry"

    def __init__(self, tracer_provider: TracerProvider | None = None) -> None:
        if tracer_provider is None and os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
            tracer_provider = trace.get_tracer_provider()
        self.tracer = tracer_provider.get_tracer("parkgraph.gateway") if tracer_provider is not None else None

    def router_service(self, service: RouterService) -> RouterService:
        tracer = self.tracer

        def span(name: str) -> AbstractContextManager[Any]:
            assert tracer is not None
            return tracer.start_as_current_span(name)

        async def observed(request: RouterRequest) -> RouterResponse:
            started = time.perf_counter()
            if tracer is None:
                response = await service(request)
            else:
                parent = propagate.extract(request.headers)
                with tracer.start_as_current_span("graphql request", context=parent, kind=SpanKind.SERVER) as root:
                    if root.is_recording():  # a trace sampled out makes no parse, validate or plan spans
                        request.context.tracer = span
                    response = await service(request)
                    root.set_attribute("http.response.status_code", response.status)
            status = response.status
            _requests_by_status[status] += 1
            _duration.record(time.perf_counter() - started, _status_attributes(status))
            return response

        return observed

    def subgraph_service(self, name: str, service: SubgraphService) -> SubgraphService:
        tracer = self.tracer

        async def observed(request: SubgraphRequest) -> SubgraphResponse:
            if tracer is None:
                try:
                    return await service(request)
                except SubgraphError as exc:
                    _subgraph_errors.add(1, {"subgraph": name, "code": exc.code})
                    raise
            if not trace.get_current_span().is_recording():
                # Sampled out: no fetch span; the request's traceparent still tells the subgraph not to sample.
                propagate.inject(request.headers)
                try:
                    return await service(request)
                except SubgraphError as exc:
                    _subgraph_errors.add(1, {"subgraph": name, "code": exc.code})
                    raise
            with tracer.start_as_current_span(
                f"fetch {name}", kind=SpanKind.CLIENT, attributes={"subgraph": name}
            ) as span:
                propagate.inject(request.headers)
                try:
                    return await service(request)
                except SubgraphError as exc:
                    _subgraph_errors.add(1, {"subgraph": name, "code": exc.code})
                    span.set_status(Status(StatusCode.ERROR, exc.code))
                    raise

        return observed


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


def configure_process(service: str = "parkgraph-gateway") -> None:
    """Metrics (Prometheus reader for ``/metrics``), OTLP traces when configured, JSON logs: once per process."""
    from opentelemetry.exporter.prometheus import PrometheusMetricReader
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.resources import Resource

    resource = Resource.create({"service.name": service})
    metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=[PrometheusMetricReader()]))
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.trace import TracerProvider as SdkTracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        provider = SdkTracerProvider(resource=resource)
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        trace.set_tracer_provider(provider)
    configure_logging(service)


def configure_logging(service: str = "parkgraph-gateway", stream: IO[str] | None = None) -> logging.Handler:
    """The process's only log handler: JSON lines with trace ids on ``stream`` (standard error by default)."""
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(JsonLogFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(os.environ.get("PARKGRAPH_LOG_LEVEL", "WARNING").upper())
    return handler
