"""The pooled HTTP client that sends subgraph operations (orjson both ways).

The subgraph call is the gateway's hot path, so httpx is not used here
(performance-notes.md: 70–85 µs of client CPU per request for aiohttp against
900+ µs); by default the lean keep-alive transport in :mod:`gateway.subgraph.h1`
does the HTTP, with aiohttp's client as the alternative.
The HTTP part sits behind :class:`Transport` so that unit tests run without a
network; :class:`SubgraphClient` owns encoding, deadlines and the mapping of
every failure to a typed :class:`~gateway.subgraph.types.SubgraphError`.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import aiohttp
import orjson

from gateway.subgraph.types import (
    SubgraphInvalidResponse,
    SubgraphRequest,
    SubgraphResponse,
    SubgraphUnavailable,
    UpstreamTimeout,
)

# The time a subgraph is given, in milliseconds, so that it bounds its legacy calls by the gateway's deadline.
DEADLINE_HEADER = "x-parkgraph-deadline"
# The subgraph gets a little less than the gateway waits, so its answer (partial, stale) arrives before we give up.
_SUBGRAPH_SHARE = 0.9

_BASE_HEADERS = {
    "content-type": "application/json",
    "accept": "application/graphql-response+json, application/json;q=0.9",
}


@dataclass(frozen=True, slots=True)
class RawResponse:
    """What came back over HTTP, before any interpretation."""

    status: int
    content_type: str
    body: bytes
    reason: str = ""


class Transport(Protocol):
    """Sends one POST; raises only ``TimeoutError`` (deadline passed) or ``ConnectionError`` (no answer)."""

    async def __call__(self, url: str, body: bytes, headers: Mapping[str, str], time_limit: float) -> RawResponse: ...


class AiohttpTransport:
    """One keep-alive ``ClientSession`` per process, opened lazily on the running loop."""

    def __init__(self, *, limit: int = 0, keepalive_timeout: float = 30.0) -> None:
        # limit=0: no cap on pooled connections; concurrency is bounded by the clients, not by us.
        self._limit = limit
        self._keepalive_timeout = keepalive_timeout
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(limit=self._limit, keepalive_timeout=self._keepalive_timeout)
        self._session = aiohttp.ClientSession(
            connector=connector,
            skip_auto_headers=("User-Agent", "Accept-Encoding"),
            auto_decompress=True,
        )
        return self._session

    async def __call__(self, url: str, body: bytes, headers: Mapping[str, str], time_limit: float) -> RawResponse:
        session = self._session if self._session is not None and not self._session.closed else self._open()
        try:
            async with session.post(
                url, data=body, headers=headers, timeout=aiohttp.ClientTimeout(total=time_limit)
            ) as response:
                payload = await response.read()
                return RawResponse(
                    response.status, response.headers.get("Content-Type", ""), payload, response.reason or ""
                )
        except TimeoutError as exc:  # aiohttp's timeouts are asyncio.TimeoutError, i.e. TimeoutError
            raise TimeoutError(f"no answer within {time_limit:.3g}s") from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise ConnectionError(str(exc) or type(exc).__name__) from exc

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def default_transport() -> Transport:
    """The lean HTTP/1.1 transport, or aiohttp's when ``PARKGRAPH_SUBGRAPH_TRANSPORT=aiohttp``.

    Measured by ``scripts/bench-transport`` (bench products subgraph, one core, 32 in flight): 16 µs of client CPU for
    :class:`~gateway.subgraph.h1.H1Transport` against 58 µs for aiohttp.
    """
    choice = os.environ.get("PARKGRAPH_SUBGRAPH_TRANSPORT", "h1")
    if choice == "aiohttp":
        return AiohttpTransport()
    if choice != "h1":
        raise ValueError(f"PARKGRAPH_SUBGRAPH_TRANSPORT must be h1 or aiohttp, not {choice!r}")
    from gateway.subgraph.h1 import H1Transport  # imports RawResponse from here

    return H1Transport()


class SubgraphClient:
    """The default subgraph layer: ``await client(request)`` sends it to the service's URL."""

    def __init__(self, urls: Mapping[str, str], transport: Transport | None = None) -> None:
        self.urls = dict(urls)
        self.transport: Transport = transport if transport is not None else default_transport()

    async def __call__(self, request: SubgraphRequest) -> SubgraphResponse:
        name = request.service_name
        url = self.urls.get(name)
        if url is None:
            raise SubgraphUnavailable(name, f"HTTP fetch failed from '{name}': no URL for this subgraph")
        timeout = request.context.remaining()
        if request.timeout is not None and request.timeout < timeout:
            timeout = request.timeout
        if timeout <= 0:
            raise UpstreamTimeout(name, f"Subgraph '{name}' was not called: the request's deadline has passed")
        headers = {**_BASE_HEADERS, **request.context.trace_headers, **request.headers}
        headers.setdefault("x-request-id", request.context.request_id)
        headers[DEADLINE_HEADER] = str(int(timeout * _SUBGRAPH_SHARE * 1000))
        try:
            raw = await self.transport(url, orjson.dumps(request.body), headers, timeout)
        except TimeoutError as exc:
            raise UpstreamTimeout(name, f"Subgraph '{name}' did not answer in time: {exc}") from exc
        except ConnectionError as exc:
            raise SubgraphUnavailable(name, f"HTTP fetch failed from '{name}': {exc}") from exc
        except asyncio.CancelledError:
            raise
        return parse_response(name, raw)

    async def close(self) -> None:
        close = getattr(self.transport, "close", None)
        if close is not None:
            await close()


def parse_response(name: str, raw: RawResponse) -> SubgraphResponse:
    """Interpret an HTTP answer as a GraphQL response, or raise the matching :class:`SubgraphError`."""
    ok = 200 <= raw.status < 300
    media_type = raw.content_type.split(";", 1)[0].strip().lower()
    # graphql-over-http lets a subgraph answer 4xx/5xx with a GraphQL body under graphql-response+json;
    # that body (its errors) says more than the status alone.
    if not ok and media_type != "application/graphql-response+json":
        reason = f"HTTP fetch failed from '{name}': {raw.status} {raw.reason}".rstrip()
        raise SubgraphUnavailable(name, reason + _their_errors(raw.body))
    if media_type == "text/html" or raw.body[:1] == b"<":
        # An HTML page with a success status (a captive proxy, a misrouted URL) is not a GraphQL response;
        # HTML error pages with an error status were already reported as unavailable above.
        raise SubgraphInvalidResponse(name, f"Subgraph '{name}' answered with HTML, not a GraphQL response")
    try:
        payload: Any = orjson.loads(raw.body)
    except orjson.JSONDecodeError as exc:
        if not ok:
            raise SubgraphUnavailable(name, f"HTTP fetch failed from '{name}': {raw.status} {raw.reason}") from exc
        raise SubgraphInvalidResponse(name, f"Subgraph '{name}' returned invalid JSON: {exc}") from exc
    if not isinstance(payload, dict) or not ("data" in payload or "errors" in payload):
        raise SubgraphInvalidResponse(name, f"Subgraph '{name}' returned JSON that is not a GraphQL response")
    data = payload.get("data")
    errors = payload.get("errors")
    if not (data is None or isinstance(data, dict)) or not (errors is None or isinstance(errors, list)):
        raise SubgraphInvalidResponse(name, f"Subgraph '{name}' returned a malformed GraphQL response")
    if errors is not None and not all(isinstance(error, dict) for error in errors):
        raise SubgraphInvalidResponse(name, f"Subgraph '{name}' returned malformed errors")
    if not ok and not errors:
        raise SubgraphUnavailable(name, f"HTTP fetch failed from '{name}': {raw.status} {raw.reason}".rstrip())
    extensions = payload.get("extensions")
    return SubgraphResponse(data, errors or [], extensions if isinstance(extensions, dict) else None)


def _their_errors(body: bytes) -> str:
    """The messages of a GraphQL error body sent with an HTTP error status, for the client's error message."""
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return ""
    errors = payload.get("errors") if isinstance(payload, dict) else None
    if not isinstance(errors, list):
        return ""
    messages = [str(e["message"]) for e in errors[:3] if isinstance(e, dict) and "message" in e]
    return (": " + "; ".join(messages)) if messages else ""
