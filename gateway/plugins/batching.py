"""Request batching: a JSON array of GraphQL requests in one POST, answered with an array, up to ``max_batch``.

Each item runs through the rest of the pipeline as a request of its own (its
own context copy, so extensions and rate-limit accounting stay per item), all
items concurrently, as Apollo Router's batching does. A batch larger than the
caller class's ``max_batch`` is refused whole with ``BATCH_TOO_LARGE``; a class
with ``max_batch: 0`` or ``1`` effectively has no batching.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re

import orjson

from gateway.errors import graphql_error
from gateway.pipeline.types import Plugin, RouterRequest, RouterResponse, RouterService
from gateway.plugins.callers import identify
from gateway.plugins.settings import GatewaySettings

_ARRAY = re.compile(rb"\s*\[")  # matched in place: no copy of a large body


class BatchingPlugin(Plugin):
    """Splits JSON-array POST bodies into single requests and joins their answers."""

    name = "batching"

    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings

    def router_service(self, service: RouterService) -> RouterService:
        async def batch(request: RouterRequest) -> RouterResponse:
            if request.method != "POST" or _ARRAY.match(request.body) is None:
                return await service(request)
            try:
                items = orjson.loads(request.body)
            except orjson.JSONDecodeError:
                return await service(request)  # the router answers with the precise JSON error
            caller = identify(request.context, self.settings)
            limit = self.settings.client_class(caller.client_class).limits.max_batch
            if limit is not None and len(items) > limit:
                message = f"The batch holds {len(items)} operations; the limit is {limit}."
                error = graphql_error(message, "BATCH_TOO_LARGE", limit=limit, measured=len(items))
                return RouterResponse(
                    400, orjson.dumps({"errors": [error]}), {"content-type": "application/json; charset=utf-8"}
                )
            if not items:
                return await service(request)
            responses = await asyncio.gather(*(service(_item(request, item)) for item in items))
            body = b"[" + b",".join(response.body for response in responses) + b"]"
            return RouterResponse(200, body, {"content-type": responses[0].headers.get("content-type", "")})

        return batch


def _item(request: RouterRequest, item: object) -> RouterRequest:
    context = dataclasses.replace(request.context, extensions={})
    return RouterRequest(request.method, request.headers, request.query_string, orjson.dumps(item), context)
