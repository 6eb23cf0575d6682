"""The router layer: GraphQL over HTTP (https://graphql.github.io/graphql-over-http/).

Turns a read HTTP request into a :class:`SupergraphRequest` and the GraphQL
response back into status, headers and body: POST with a JSON body, GET with
URL parameters (queries only), ``application/graphql-response+json`` or
``application/json`` by the ``Accept`` header. Under graphql-response+json a
request that never ran (parse, validation, variables, operation choice) is a
400; under application/json it is a 200, as the spec asks. Requests the router
cannot read at all are 4xx with a ``BAD_REQUEST`` error under both.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import orjson

from gateway.pipeline.types import (
    RouterRequest,
    RouterResponse,
    SupergraphRequest,
    SupergraphResponse,
    SupergraphService,
)

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
_CONTENT_TYPES = {
    GRAPHQL_RESPONSE_JSON: "application/graphql-response+json; charset=utf-8",
    JSON: "application/json; charset=utf-8",
}


class BadRequest(Exception):
    """The HTTP request cannot be read as a GraphQL request (internal to the router)."""

    def __init__(self, message: str, status: int = 400, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.headers = headers or {}


class RouterLayer:
    """``RouterRequest -> RouterResponse`` in front of the supergraph layer."""

    def __init__(self, supergraph: SupergraphService) -> None:
        self.supergraph = supergraph

    async def __call__(self, request: RouterRequest) -> RouterResponse:
        media_type = negotiate(request.headers.get("accept"))
        if media_type is None:
            return error_response(406, "None of the media types in Accept can be served.", JSON)
        try:
            graphql_request = self.read(request)
        except BadRequest as exc:
            return error_response(exc.status, exc.message, media_type, exc.headers)
        response = await self.supergraph(graphql_request)
        return encode(response, media_type)

    def read(self, request: RouterRequest) -> SupergraphRequest:
        if request.method == "POST":
            params = _post_params(request)
            mutations_allowed = True
        elif request.method == "GET":
            params = _get_params(request.query_string)
            mutations_allowed = False
        else:
            raise BadRequest(f"Method {request.method} is not allowed.", 405, {"allow": "GET, POST"})
        return _graphql_request(params, request, mutations_allowed)


def negotiate(accept: str | None) -> str | None:
    """The response media type for an ``Accept`` header; None when nothing fits (406).

    Without ``Accept`` the answer is graphql-response+json: the spec's rule since its
    2025-01-01 watershed (before it, application/json; graphql-http 1.22's audit still
    checks the old rule, one SHOULD we knowingly miss). ``*/*`` keeps application/json
    for legacy clients.
    """
    if not accept:
        return GRAPHQL_RESPONSE_JSON
    best: tuple[float, int, str] | None = None
    for position, part in enumerate(accept.split(",")):
        media_range, *params = (piece.strip() for piece in part.split(";"))
        media_range = media_range.lower()
        quality = 1.0
        charset_ok = True
        for param in params:
            name, _, value = param.partition("=")
            name, value = name.strip().lower(), value.strip().strip('"').lower()
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
            elif name == "charset" and value != "utf-8":
                charset_ok = False
        if quality <= 0 or not charset_ok:
            continue
        if media_range == GRAPHQL_RESPONSE_JSON:
            chosen = GRAPHQL_RESPONSE_JSON
        elif media_range in (JSON, "application/*", "*/*"):
            chosen = JSON
        else:
            continue
        candidate = (-quality, position, chosen)
        if best is None or candidate < best:
            best = candidate
    return best[2] if best is not None else None


def _post_params(request: RouterRequest) -> dict[str, Any]:
    content_type = request.headers.get("content-type")
    if not content_type:
        raise BadRequest("Missing Content-Type; send application/json.", 415)
    media_type, *params = (piece.strip().lower() for piece in content_type.split(";"))
    if media_type != JSON:
        raise BadRequest(f"Unsupported Content-Type {media_type!r}; send application/json.", 415)
    for param in params:
        name, _, value = param.partition("=")
        if name.strip() == "charset" and value.strip().strip('"') != "utf-8":
            raise BadRequest("Only utf-8 request bodies are supported.", 415)
    if not request.body.strip():
        raise BadRequest("The request body is empty; send a JSON object with a query.")
    try:
        body = orjson.loads(request.body)
    except orjson.JSONDecodeError as exc:
        raise BadRequest(f"The request body is not valid JSON: {exc}") from exc
    if isinstance(body, list):
        raise BadRequest("Batched requests (a JSON array) are not supported; send one JSON object.")
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object.")
    return body


def _get_params(query_string: str) -> dict[str, Any]:
    raw = parse_qs(query_string, keep_blank_values=True)
    params: dict[str, Any] = {name: values[-1] for name, values in raw.items()}
    for name in ("variables", "extensions"):
        value = params.get(name)
        if isinstance(value, str) and value != "":
            try:
                params[name] = orjson.loads(value)
            except orjson.JSONDecodeError as exc:
                raise BadRequest(f"The {name} parameter is not valid JSON.") from exc
        elif value == "":
            params[name] = None
    return params


def _graphql_request(params: dict[str, Any], request: RouterRequest, mutations_allowed: bool) -> SupergraphRequest:
    query = params.get("query")
    if not isinstance(query, str) or not query.strip():
        raise BadRequest("The request has no query string.")
    operation_name = params.get("operationName")
    if operation_name == "":
        operation_name = None
    if operation_name is not None and not isinstance(operation_name, str):
        raise BadRequest("operationName must be a string.")
    variables = params.get("variables")
    if variables is None:
        variables = {}
    elif not isinstance(variables, dict):
        raise BadRequest("variables must be a JSON object.")
    extensions = params.get("extensions")
    if extensions is None:
        extensions = {}
    elif not isinstance(extensions, dict):
        raise BadRequest("extensions must be a JSON object.")
    return SupergraphRequest(query, operation_name, variables, extensions, request.context, mutations_allowed)


def encode(response: SupergraphResponse, media_type: str) -> RouterResponse:
    body: dict[str, Any] = {}
    if not response.request_failed:
        body["data"] = response.data
    if response.errors:
        body["errors"] = response.errors
    if response.extensions:
        body["extensions"] = response.extensions
    if response.http_status is not None:
        status = response.http_status
    elif response.request_failed and media_type == GRAPHQL_RESPONSE_JSON:
        status = 400
    else:
        status = 200
    headers = {"content-type": _CONTENT_TYPES[media_type]}
    if status == 405:
        headers["allow"] = "POST"
    return RouterResponse(status, orjson.dumps(body), headers)


def error_response(status: int, message: str, media_type: str, headers: dict[str, str] | None = None) -> RouterResponse:
    """A GraphQL error response for a request that could not be read."""
    body = {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]}
    return RouterResponse(status, orjson.dumps(body), {"content-type": _CONTENT_TYPES[media_type], **(headers or {})})
