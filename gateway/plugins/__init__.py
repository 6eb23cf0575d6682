"""Gateway plugins for province-scale traffic: limits, batching, persisted queries, rate limits, caching.

Each plugin wraps pipeline layers (``gateway.pipeline.types.Plugin``) and
reads its policy from :class:`~gateway.plugins.settings.GatewaySettings`;
shared state lives in a :class:`~gateway.state.StateStore` (Redis, or in
process). :func:`build_plugins` assembles them in their order, outermost
first; an identity plugin (auth) must come before them, since the caller's
class, rate limit and cache scope come from its token::

    operation_limits   router: request size        supergraph: tokens, depth, aliases, root fields, cost
    batching           router: JSON-array bodies, batch size
    persisted_queries  router: APQ                  supergraph: safelist
    rate_limit         router: Retry-After          supergraph: token buckets
    cache              execution: invalidation      subgraph: entity and root-fetch cache

Idle (nothing configured that concerns a request) each costs a few
microseconds and no store round trip. Errors: :class:`SettingsError` at
startup; nothing raises per request.
"""

from __future__ import annotations

from pathlib import Path

from gateway.pipeline.types import Plugin
from gateway.plugins.batching import BatchingPlugin
from gateway.plugins.cache import CachePlugin
from gateway.plugins.cache_policy import CachePolicy
from gateway.plugins.cost import CostModel
from gateway.plugins.limits import OperationLimitsPlugin
from gateway.plugins.operations import OperationRegistry, read_manifest
from gateway.plugins.persisted import PersistedQueriesPlugin
from gateway.plugins.ratelimit import RateLimitPlugin
from gateway.plugins.settings import GatewaySettings, SettingsError, load_settings
from gateway.state import MemoryStore, StateStore
from gateway.supergraph.model import Supergraph

__all__ = ["GatewaySettings", "SettingsError", "TrafficPlugins", "build_plugins", "load_settings"]


class TrafficPlugins:
    """The traffic plugins over one settings and store, for every supergraph version a gateway serves.

    What does not depend on the supergraph (the store, persisted operations,
    rate-limit buckets and leases, batching) is built once and shared, so a hot
    reload neither opens a new Redis connection nor resets caches and buckets;
    only the plugins that read the schema (operation cost, cache hints) are
    built per version, and they own nothing that needs closing.
    """

    def __init__(self, settings: GatewaySettings, store: StateStore) -> None:
        self.settings = settings
        self.store = store
        limits = [c.limits for c in settings.classes.values()]
        self._limits_enabled = any(lim.enabled for lim in limits)
        self._needs_cost = any(lim.max_cost is not None for lim in limits)
        self._batching = BatchingPlugin(settings) if any(lim.max_batch != 0 for lim in limits) else None
        registry = OperationRegistry(store)
        if settings.operations_file is not None:
            registry.preload(read_manifest(Path(settings.operations_file)))
        self._persisted = PersistedQueriesPlugin(store, settings, registry)
        self._rate_limit: RateLimitPlugin | None = None
        if settings.clients or any(c.rate_limit is not None for c in settings.classes.values()):
            lease = 0.0 if isinstance(store, MemoryStore) else 0.05  # leases only save Redis round trips
            self._rate_limit = RateLimitPlugin(store, settings, lease_seconds=lease)

    def for_supergraph(self, supergraph: Supergraph) -> list[Plugin]:
        """The plugins for ``supergraph``, outermost first; the ones with nothing to do are left out."""
        plugins: list[Plugin] = []
        if self._limits_enabled:
            cost = CostModel.from_schema(supergraph.schema) if self._needs_cost else None
            plugins.append(OperationLimitsPlugin(self.settings, cost))
        if self._batching is not None:
            plugins.append(self._batching)
        plugins.append(self._persisted)
        if self._rate_limit is not None:
            plugins.append(self._rate_limit)
        policy = CachePolicy(self.settings.cache, supergraph.schema)
        if policy.enabled:
            plugins.append(CachePlugin(self.store, policy))
        return plugins

    async def close(self) -> None:
        """Closes the store (its Redis connections); call once, when no version is served any more."""
        await self.store.close()


def build_plugins(settings: GatewaySettings, store: StateStore, supergraph: Supergraph) -> list[Plugin]:
    """The traffic plugins for ``settings``, outermost first; the ones with nothing to do are left out."""
    return TrafficPlugins(settings, store).for_supergraph(supergraph)
