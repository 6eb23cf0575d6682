"""The adapters' spans and metrics, through the OpenTelemetry API (no-ops until a process installs an SDK).

* spans: ``adapter <system>.<operation>`` around a read or write (the adapter
  hop), ``legacy <system>`` (kind CLIENT, the operation as an attribute) around each
  call to the legacy system (the legacy hop); :class:`TracedTransport` puts the W3C
  ``traceparent`` of that span on every HTTP request the adapter sends;
* metrics: ``parkgraph.legacy.calls`` (by system and outcome: ``ok``,
  ``timeout``, ``unavailable``, ``circuit_open``, an adapter error code…), ``parkgraph.legacy.stale``
  (answers served stale), ``parkgraph.breaker.state`` (0 closed, 1 half-open,
  2 open, per breaker) and ``parkgraph.legacy.duration`` (seconds).
"""

from __future__ import annotations

from collections.abc import Iterable

import httpx
from opentelemetry import metrics, propagate, trace
from opentelemetry.metrics import CallbackOptions, Observation

from adapters.resilience.breaker import BREAKERS

tracer = trace.get_tracer("parkgraph.adapters")
_meter = metrics.get_meter("parkgraph.adapters")

legacy_calls = _meter.create_counter("parkgraph.legacy.calls", description="Calls to legacy systems, by outcome")
stale_served = _meter.create_counter("parkgraph.legacy.stale", description="Reads answered from the last good copy")
legacy_duration = _meter.create_histogram(
    "parkgraph.legacy.duration", unit="s", description="Time of one call to a legacy system"
)


def _breaker_states(options: CallbackOptions) -> Iterable[Observation]:
    for breaker in list(BREAKERS):
        yield Observation(int(breaker.state), {"breaker": breaker.name, "side": "adapter"})


_meter.create_observable_gauge(
    "parkgraph.breaker.state", callbacks=[_breaker_states], description="0 closed, 1 half-open, 2 open"
)


class TracedTransport(httpx.AsyncBaseTransport):
    """Wraps an httpx transport: each request carries the current span's ``traceparent`` (and ``tracestate``)."""

    def __init__(self, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self._inner = inner if inner is not None else httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        carrier: dict[str, str] = {}
        propagate.inject(carrier)
        for name, value in carrier.items():
            request.headers[name] = value
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def traced(transport: httpx.AsyncBaseTransport | None) -> httpx.AsyncBaseTransport:
    """``transport`` (or httpx's default) with trace propagation."""
    return TracedTransport(transport)


def legacy_http(base_url: str, transport: httpx.AsyncBaseTransport | None, timeout: float) -> httpx.AsyncClient:
    """The HTTP client every adapter talks to its legacy system with: W3C trace context on every call."""
    return httpx.AsyncClient(base_url=base_url, transport=traced(transport), timeout=timeout)
