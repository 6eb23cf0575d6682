"""The per-request context that travels through every gateway layer.

One :class:`RequestContext` is created by the HTTP layer for each request and
handed down unchanged (router → supergraph → execution → subgraph), so that no
layer reaches for globals: plugins read identity and deadlines from here and
add response extensions here.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any, Protocol

DEFAULT_TIMEOUT_SECONDS = 30.0

_NO_SPAN: AbstractContextManager[None] = nullcontext()


class SpanFactory(Protocol):
    """Opens a named span around a block (``gateway.telemetry`` supplies one when tracing is on)."""

    def __call__(self, name: str) -> AbstractContextManager[Any]: ...


# Headers forwarded to subgraphs so that a trace spans the whole request (W3C trace context, B3, baggage).
TRACE_HEADERS = ("traceparent", "tracestate", "baggage", "x-request-id", "b3")


@dataclass(slots=True)
class RequestContext:
    """Who asks, until when, and what travels with the request."""

    request_id: str
    headers: Mapping[str, str]  # the client's request headers, names in lower case
    deadline: float  # time.monotonic() value after which subgraph calls stop
    dev_mode: bool = False
    claims: Mapping[str, Any] | None = None  # verified token claims (the auth plugin fills these)
    tenant: str | None = None  # "province", "city:<code>", "park:<code>" or "enterprise:<uscc>"
    trace_headers: Mapping[str, str] = field(default_factory=dict)
    client_address: str | None = None  # the TCP peer (the HTTP layer fills it; anonymous rate limits key on it)
    override_labels: frozenset[str] = frozenset()  # active progressive-override labels (a plugin draws them)
    extensions: dict[str, Any] = field(default_factory=dict)  # added to the response's `extensions`
    tracer: SpanFactory | None = None  # set by the telemetry plugin when tracing is on; None costs nothing

    @classmethod
    def create(
        cls,
        headers: Mapping[str, str],
        *,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        dev_mode: bool = False,
    ) -> RequestContext:
        """A fresh context for one client request; reuses the client's request id when it sent one."""
        request_id = headers.get("x-request-id") or uuid.uuid4().hex
        trace = {name: headers[name] for name in TRACE_HEADERS if name in headers}
        return cls(
            request_id=request_id,
            headers=headers,
            deadline=time.monotonic() + timeout,
            dev_mode=dev_mode,
            trace_headers=trace,
        )

    def span(self, name: str) -> AbstractContextManager[Any]:
        """A span named ``name`` around a block when tracing is on, else a shared no-op."""
        tracer = self.tracer
        return _NO_SPAN if tracer is None else tracer(name)

    def remaining(self) -> float:
        """Seconds left before the deadline (never negative)."""
        return max(0.0, self.deadline - time.monotonic())
