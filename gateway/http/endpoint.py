"""``/graphql`` as a plain ASGI callable: reads the request, runs the router layer, writes the answer.

Deliberately below Starlette's request objects and routing (about 20 % of the
request's CPU in performance-notes.md): the gateway's hot path is this class,
the pipeline and the subgraph client. It also enforces the body limit (413),
serves GraphiQL to browsers, and turns any bug that escapes the pipeline into
a 500 with a GraphQL error, so one bad request never stops the server.
"""

from __future__ import annotations

import logging
from importlib import resources
from typing import TYPE_CHECKING, Any

import orjson

from gateway.context import RequestContext
from gateway.pipeline.types import RouterRequest, RouterResponse, RouterService

if TYPE_CHECKING:
    from gateway.subscriptions import SubscriptionServer

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 10 * 1024 * 1024
Scope = dict[str, Any]
Message = dict[str, Any]


def _graphiql_page() -> bytes:
    return resources.files("gateway.http").joinpath("graphiql.html").read_bytes()


class GraphQLEndpoint:
    """The ASGI app for ``/graphql``."""

    def __init__(
        self,
        router: RouterService,
        *,
        dev_mode: bool = False,
        graphiql: bool = True,
        timeout: float = 30.0,
        max_body_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        self.router = router
        self.dev_mode = dev_mode
        self.graphiql = _graphiql_page() if graphiql else None
        self.timeout = timeout
        self.max_body_bytes = max_body_bytes
        self.subscriptions: SubscriptionServer | None = None  # GraphQL over SSE, when set

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1003})
            return
        headers = _headers(scope)
        method: str = scope["method"]
        query_string = scope.get("query_string", b"").decode("latin-1")
        if method == "GET" and self.graphiql is not None and _wants_html(headers, query_string):
            await _send(send, RouterResponse(200, self.graphiql, {"content-type": "text/html; charset=utf-8"}))
            return
        body = await self._read_body(headers, receive)
        if body is None:
            await _send(send, _too_large(self.max_body_bytes))
            return
        if self.subscriptions is not None and "text/event-stream" in headers.get("accept", ""):
            await self.subscriptions.sse(scope, receive, send, headers, body)
            return
        context = RequestContext.create(headers, timeout=self.timeout, dev_mode=self.dev_mode)
        peer = scope.get("client")
        if peer:
            context.client_address = peer[0]
        try:
            response = await self.router(RouterRequest(method, headers, query_string, body, context))
        except Exception:
            logger.exception("unhandled error in the gateway pipeline (request %s)", context.request_id)
            response = _internal_error(context.request_id)
        await _send(send, response)

    async def _read_body(self, headers: dict[str, str], receive: Any) -> bytes | None:
        """The whole body, or None as soon as it is known to exceed the limit."""
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk: bytes = message.get("body", b"")
            if chunk:
                size += len(chunk)
                if size > self.max_body_bytes:
                    return None
                chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _headers(scope: Scope) -> dict[str, str]:
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1").lower()
        value = raw_value.decode("latin-1")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def _wants_html(headers: dict[str, str], query_string: str) -> bool:
    # A browser navigating to /graphql: asks for HTML and sends no GraphQL parameters.
    return "text/html" in headers.get("accept", "") and "query=" not in query_string


async def _send(send: Any, response: RouterResponse) -> None:
    raw_headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in response.headers.items()]
    raw_headers.append((b"content-length", str(len(response.body)).encode("latin-1")))
    await send({"type": "http.response.start", "status": response.status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": response.body})


def _too_large(limit: int) -> RouterResponse:
    message = f"The request body exceeds the limit of {limit} bytes."
    body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]})
    return RouterResponse(413, body, {"content-type": "application/json; charset=utf-8", "connection": "close"})


def _internal_error(request_id: str) -> RouterResponse:
    error = {
        "message": "Internal server error; details are in the gateway's logs.",
        "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
    }
    return RouterResponse(500, orjson.dumps({"errors": [error]}), {"content-type": "application/json; charset=utf-8"})
