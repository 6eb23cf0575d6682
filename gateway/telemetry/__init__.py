"""Gateway telemetry: OpenTelemetry spans of every hop, metrics on ``/metrics``, JSON logs with trace ids.

:class:`TelemetryPlugin` wraps the router layer (a SERVER span continuing the
client's ``traceparent``, request count and latency) and each subgraph's
service (a CLIENT span ``fetch <subgraph>`` whose ``traceparent`` the
subgraph continues, errors by code); with tracing on it also sets
``RequestContext.tracer``, so the supergraph layer opens ``graphql.parse``,
``graphql.validate`` and ``graphql.plan`` spans. With tracing off (no
``tracer_provider`` and no ``OTEL_EXPORTER_OTLP_ENDPOINT``) no span is made.

Metrics: ``parkgraph.gateway.requests`` (by HTTP status),
``parkgraph.gateway.duration`` (seconds), ``parkgraph.gateway.subgraph.errors``
(by subgraph and code), ``parkgraph.breaker.state`` (0 closed, 1 half-open,
2 open) and ``parkgraph.gateway.stale`` (responses with stale fields).
"""

from __future__ import annotations

from gateway.telemetry.plugin import JsonLogFormatter, TelemetryPlugin, configure_logging, configure_process

__all__ = ["JsonLogFormatter", "TelemetryPlugin", "configure_logging", "configure_process"]
