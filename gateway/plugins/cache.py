"""Entity and response caching in the shared state store, scoped so one caller's data never reaches another.

At the subgraph layer:

* ``_entities`` fetches: each representation whose ``__typename`` has a TTL
  is looked up (one MGET for the whole batch); only the misses are sent to
  the subgraph, and the answers are spliced back in order. Entities answered
  without an error are stored, tagged with their type.
* root query fetches whose root fields all have a TTL are cached whole
  (see :mod:`gateway.plugins.cache_policy`), when they came back without errors.

Every key holds the subgraph, a digest of the fetch's operation text and
other variables, and the caller's *scope*: tenant, masking level (``pii:read``
with a declared purpose), the granted scopes and any configured vary headers.
Two callers share an entry only if all of these are equal, i.e. only if the
subgraph would have answered both alike.

At the execution layer, a mutation whose root fields are declared in
``cache.invalidate`` drops every entry tagged with the listed types, on every
replica (the tags live in the store), once the mutation has run.

Fetches of types without a TTL go straight through: no store round trip. A
store failure degrades to "no cache" for that fetch.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import orjson
from graphql import FieldNode, OperationType

from gateway.context import RequestContext
from gateway.pipeline.types import ExecutionRequest, ExecutionResponse, ExecutionService, Plugin
from gateway.plugins.cache_policy import CachePolicy
from gateway.plugins.callers import masking_level, scopes_of
from gateway.state import StateStore, StateUnavailable
from gateway.subgraph.types import SubgraphRequest, SubgraphResponse, SubgraphService

logger = logging.getLogger(__name__)

CACHE_HEADER = "x-parkgraph-cache"  # dev aid: subgraph answers report hits in their extensions


class CachePlugin(Plugin):
    """Caches entities and root fetches; invalidates by mutation."""

    name = "cache"

    def __init__(self, store: StateStore, policy: CachePolicy) -> None:
        self.store = store
        self.policy = policy
        self.hits = 0
        self.misses = 0

    def subgraph_service(self, name: str, service: SubgraphService) -> SubgraphService:
        if not (self.policy.type_ttls or self.policy.field_ttls):
            return service

        async def cached(request: SubgraphRequest) -> SubgraphResponse:
            variables = request.body.get("variables")
            if variables and "representations" in variables:
                return await self._entities(request, service)
            policy = self.policy.root_fetch(request.body.get("query", ""))
            if policy is None:
                return await service(request)
            return await self._root(request, service, policy.ttl, policy.tags)

        return cached

    def execution_service(self, service: ExecutionService) -> ExecutionService:
        if not self.policy.invalidations:
            return service

        async def invalidate(request: ExecutionRequest) -> ExecutionResponse:
            response = await service(request)
            operation = request.prepared.program.operation
            if operation.operation == OperationType.MUTATION:
                root = request.prepared.program.operation.selection_set.selections
                fields = [f"Mutation.{s.name.value}" for s in root if isinstance(s, FieldNode)]
                types = self.policy.invalidated_by(fields)
                if types:
                    try:
                        await self.store.invalidate([f"type:{t}" for t in types])
                    except StateUnavailable as exc:
                        logger.error("cache invalidation of %s failed: %s", ", ".join(types), exc.message)
            return response

        return invalidate

    # -- entities ------------------------------------------------------------------------------------

    async def _entities(self, request: SubgraphRequest, service: SubgraphService) -> SubgraphResponse:
        variables: dict[str, Any] = request.body["variables"]
        representations: list[Any] = variables["representations"]
        ttls = [self._ttl_of(rep) for rep in representations]
        if not any(ttls):
            return await service(request)
        scope = _scope(request.context, self.policy.vary_headers)
        prefix = f"e:{request.service_name}:{_digest(request.body, exclude='representations')}:{scope}:"
        cacheable = [i for i, ttl in enumerate(ttls) if ttl]
        keys = {i: prefix + _rep_digest(representations[i]) for i in cacheable}
        try:
            found = await self.store.get_many([keys[i] for i in cacheable])
        except StateUnavailable as exc:
            logger.warning("entity cache unavailable: %s", exc.message)
            return await service(request)
        results: list[Any] = [None] * len(representations)
        hit: set[int] = set()
        for i, raw in zip(cacheable, found, strict=True):
            if raw is not None:
                results[i] = orjson.loads(raw)
                hit.add(i)
        self.hits += len(hit)
        misses = [i for i in range(len(representations)) if i not in hit]
        self.misses += len(misses)
        if not misses:
            return SubgraphResponse({"_entities": results}, [])
        if hit:
            body = {**request.body, "variables": {**variables, "representations": [representations[i] for i in misses]}}
            request = SubgraphRequest(request.service_name, body, request.context, request.headers)
        response = await service(request)
        entities = response.data.get("_entities") if isinstance(response.data, dict) else None
        if type(entities) is not list or len(entities) != len(misses):
            return response  # wrong shape: the executor reports it (indexes of a partial batch would lie)
        failed = _failed_indexes(response.errors)
        to_store: dict[tuple[str, float], dict[str, bytes]] = {}
        for position, i in enumerate(misses):
            entity = entities[position]
            results[i] = entity
            ttl = ttls[i]
            if ttl and type(entity) is dict and failed is not None and position not in failed:
                typename = str(representations[i].get("__typename"))
                to_store.setdefault((typename, ttl), {})[keys[i]] = orjson.dumps(entity)
        errors = _reindex(response.errors, misses) if hit else response.errors
        await self._store(to_store)
        data = {**response.data, "_entities": results} if isinstance(response.data, dict) else None
        return SubgraphResponse(data, errors, response.extensions)

    def _ttl_of(self, representation: Any) -> float | None:
        typename = representation.get("__typename") if type(representation) is dict else None
        return self.policy.type_ttl(typename) if isinstance(typename, str) else None

    async def _store(self, groups: dict[tuple[str, float], dict[str, bytes]]) -> None:
        for (typename, ttl), items in groups.items():
            try:
                await self.store.set_many(items, ttl, tags=[f"type:{typename}"])
            except StateUnavailable as exc:
                logger.warning("entity cache write failed: %s", exc.message)
                return

    # -- root fetches --------------------------------------------------------------------------------

    async def _root(
        self, request: SubgraphRequest, service: SubgraphService, ttl: float, tags: tuple[str, ...]
    ) -> SubgraphResponse:
        key = f"r:{request.service_name}:{_digest(request.body)}:{_scope(request.context, self.policy.vary_headers)}"
        try:
            raw = await self.store.get(key)
        except StateUnavailable as exc:
            logger.warning("response cache unavailable: %s", exc.message)
            return await service(request)
        if raw is not None:
            self.hits += 1
            return SubgraphResponse(orjson.loads(raw), [])
        self.misses += 1
        response = await service(request)
        if response.data is not None and not response.errors:
            try:
                await self.store.set_many({key: orjson.dumps(response.data)}, ttl, tags=[f"type:{t}" for t in tags])
            except StateUnavailable as exc:
                logger.warning("response cache write failed: %s", exc.message)
        return response


def _scope(context: RequestContext, vary_headers: tuple[str, ...]) -> str:
    """Who the cached data is for: tenant, masking level, scopes and vary headers, hashed."""
    parts = [context.tenant or "-", masking_level(context), " ".join(sorted(scopes_of(context)))]
    parts.extend(context.headers.get(name, "") for name in vary_headers)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def _digest(body: dict[str, Any], *, exclude: str | None = None) -> str:
    variables = body.get("variables") or {}
    if exclude is not None:
        variables = {k: v for k, v in variables.items() if k != exclude}
    payload = orjson.dumps([body.get("query"), body.get("operationName"), variables], option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(payload).hexdigest()[:32]


def _rep_digest(representation: Any) -> str:
    return hashlib.sha256(orjson.dumps(representation, option=orjson.OPT_SORT_KEYS)).hexdigest()[:32]


def _failed_indexes(errors: list[dict[str, Any]]) -> set[int] | None:
    """The ``_entities`` indexes that have errors; None when an error has no index (the whole batch is suspect)."""
    failed: set[int] = set()
    for error in errors:
        path = error.get("path")
        if not (isinstance(path, list) and len(path) >= 2 and path[0] == "_entities" and type(path[1]) is int):
            return None
        failed.add(path[1])
    return failed


def _reindex(errors: list[dict[str, Any]], misses: list[int]) -> list[dict[str, Any]]:
    """Errors of the sub-batch of misses, with their ``_entities`` indexes mapped back to the full batch."""
    result = []
    for error in errors:
        path = error.get("path")
        indexed = isinstance(path, list) and len(path) >= 2 and path[0] == "_entities" and type(path[1]) is int
        if indexed and isinstance(path, list) and 0 <= path[1] < len(misses):
            error = {**error, "path": ["_entities", misses[path[1]], *path[2:]]}
        result.append(error)
    return result
