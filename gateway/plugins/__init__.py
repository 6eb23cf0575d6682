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

__all__ = ["GatewaySettings", "SettingsError", "build_plugins", "load_settings"]


def build_plugins(settings: GatewaySettings, store: StateStore, supergraph: Supergraph) -> list[Plugin]:
    """The traffic plugins for ``settings``, outermost first; the ones with nothing to do are left out."""
    plugins: list[Plugin] = []
    limits = [c.limits for c in settings.classes.values()]
    if any(lim.enabled for lim in limits):
        cost = CostModel.from_schema(supergraph.schema) if any(lim.max_cost is not None for lim in limits) else None
        plugins.append(OperationLimitsPlugin(settings, cost))
    if any(lim.max_batch != 0 for lim in limits):
        plugins.append(BatchingPlugin(settings))
    lease = 0.0 if isinstance(store, MemoryStore) else 0.05  # leases only save Redis round trips
    registry = OperationRegistry(store)
    if settings.operations_file is not None:
        registry.preload(read_manifest(Path(settings.operations_file)))
    plugins.append(PersistedQueriesPlugin(store, settings, registry))
    if settings.clients or any(c.rate_limit is not None for c in settings.classes.values()):
        plugins.append(RateLimitPlugin(store, settings, lease_seconds=lease))
    policy = CachePolicy(settings.cache, supergraph.schema)
    if policy.enabled:
        plugins.append(CachePlugin(store, policy))
    return plugins
