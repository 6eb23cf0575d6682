"""Automatic persisted queries (Apollo's ``extensions.persistedQuery``, sha256) and the operation safelist.

APQ, at the router layer, before the request is read as GraphQL:

* hash only: the query is looked up (this replica's memo, then the shared
  store's APQ entries, then the registered operations); unknown →
  ``PERSISTED_QUERY_NOT_FOUND`` and the client resends with the query;
* hash and query: the hash must be the query's sha256
  (``PERSISTED_QUERY_HASH_MISMATCH``), then the query is stored for every
  replica and runs.

Works over POST and GET. Requests without the extension cost one byte search.

Safelist, at the supergraph layer (where the auth plugin has identified the
caller): a client flagged ``safelist_only`` may run only operations registered
for it (``parkgraph operations register``); anything else is
``PERSISTED_QUERY_NOT_IN_LIST``.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qs, urlencode

import orjson

from gateway.errors import graphql_error
from gateway.pipeline.router import GRAPHQL_RESPONSE_JSON, negotiate
from gateway.pipeline.types import (
    Plugin,
    RouterRequest,
    RouterResponse,
    RouterService,
    SupergraphRequest,
    SupergraphResponse,
    SupergraphService,
)
from gateway.plugins.callers import identify
from gateway.plugins.operations import OperationRegistry, operation_id
from gateway.plugins.settings import GatewaySettings
from gateway.state import StateStore, StateUnavailable

logger = logging.getLogger(__name__)

APQ_TTL_SECONDS = 7 * 24 * 3600.0
_MEMO_SIZE = 4096
_CONTENT_TYPE = {GRAPHQL_RESPONSE_JSON: "application/graphql-response+json; charset=utf-8"}


class PersistedQueriesPlugin(Plugin):
    """APQ (when ``settings.apq``) and the safelist for ``safelist_only`` clients."""

    name = "persisted_queries"

    def __init__(self, store: StateStore, settings: GatewaySettings, registry: OperationRegistry | None = None) -> None:
        self.store = store
        self.settings = settings
        self.registry = registry or OperationRegistry(store)
        self._memo: dict[str, str] = {}  # sha256 -> query; a hash names one text forever, so no expiry

    # -- APQ -------------------------------------------------------------------------------------------

    def router_service(self, service: RouterService) -> RouterService:
        if not self.settings.apq:
            return service

        async def apq(request: RouterRequest) -> RouterResponse:
            if request.method == "POST":
                if b"persistedQuery" not in request.body:
                    return await service(request)
            elif "persistedQuery" not in request.query_string:
                return await service(request)
            resolved = await self.resolve(request)
            if isinstance(resolved, RouterResponse):
                return resolved
            return await service(resolved)

        return apq

    async def resolve(self, request: RouterRequest) -> RouterRequest | RouterResponse:
        """The request with its query filled in from the hash, or the error response."""
        params = _params(request)
        if params is None:
            return request  # not readable here: the router layer answers with the precise error
        extensions = params.get("extensions")
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        if not isinstance(persisted, dict):
            return request
        sha = persisted.get("sha256Hash")
        if persisted.get("version", 1) != 1 or not isinstance(sha, str):
            return _error(request, "Unsupported persisted query: send version 1 with a sha256Hash.", "BAD_REQUEST")
        sha = sha.lower()
        query = params.get("query")
        if isinstance(query, str) and query:
            if operation_id(query) != sha:
                return _error(request, "provided sha does not match query", "PERSISTED_QUERY_HASH_MISMATCH")
            if sha not in self._memo:
                self._remember(sha, query)
                try:
                    await self.store.set(f"apq:{sha}", query.encode("utf-8"), ttl=APQ_TTL_SECONDS)
                except StateUnavailable as exc:
                    logger.warning("APQ entry not shared: %s", exc.message)
            return request
        query = await self._lookup(sha)
        if query is None:
            return _error(request, "PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND", status=200)
        params["query"] = query
        if request.method == "POST":
            body = orjson.dumps(params)
            return RouterRequest(request.method, request.headers, request.query_string, body, request.context)
        query_string = f"{request.query_string}&{urlencode({'query': query})}"
        return RouterRequest(request.method, request.headers, query_string, request.body, request.context)

    async def _lookup(self, sha: str) -> str | None:
        query = self._memo.get(sha)
        if query is not None:
            return query
        try:
            raw = await self.store.get(f"apq:{sha}")
            query = raw.decode("utf-8") if raw is not None else await self.registry.body(sha)
        except StateUnavailable as exc:
            logger.warning("APQ lookup failed: %s", exc.message)
            return None
        if query is not None and operation_id(query) == sha:
            self._remember(sha, query)
            return query
        return None

    def _remember(self, sha: str, query: str) -> None:
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.pop(next(iter(self._memo)))
        self._memo[sha] = query

    # -- safelist --------------------------------------------------------------------------------------

    def supergraph_service(self, service: SupergraphService) -> SupergraphService:
        if not any(policy.safelist_only for policy in self.settings.clients.values()):
            return service

        async def safelist(request: SupergraphRequest) -> SupergraphResponse:
            caller = identify(request.context, self.settings)
            if caller.policy.safelist_only and caller.client_id is not None:
                try:
                    allowed = await self.registry.allowed(caller.client_id, operation_id(request.query))
                except StateUnavailable as exc:
                    logger.warning("safelist unavailable, refusing: %s", exc.message)
                    allowed = False
                if not allowed:
                    message = f"Client {caller.client_id} may run only its registered operations; this is not one."
                    error = graphql_error(message, "PERSISTED_QUERY_NOT_IN_LIST")
                    return SupergraphResponse(errors=[error], request_failed=True, http_status=403)
            return await service(request)

        return safelist


def _params(request: RouterRequest) -> dict[str, Any] | None:
    if request.method == "POST":
        try:
            body = orjson.loads(request.body)
        except orjson.JSONDecodeError:
            return None
        return body if isinstance(body, dict) else None
    raw = parse_qs(request.query_string, keep_blank_values=True)
    params: dict[str, Any] = {name: values[-1] for name, values in raw.items()}
    extensions = params.get("extensions")
    if isinstance(extensions, str):
        try:
            params["extensions"] = orjson.loads(extensions)
        except orjson.JSONDecodeError:
            return None
    return params


def _error(request: RouterRequest, message: str, code: str, *, status: int = 400) -> RouterResponse:
    media_type = negotiate(request.headers.get("accept")) or "application/json"
    if media_type == GRAPHQL_RESPONSE_JSON and status == 200:
        status = 400  # graphql-response+json: a request that never ran is a 4xx
    content_type = _CONTENT_TYPE.get(media_type, "application/json; charset=utf-8")
    body = orjson.dumps({"errors": [graphql_error(message, code)]})
    return RouterResponse(status, body, {"content-type": content_type})
