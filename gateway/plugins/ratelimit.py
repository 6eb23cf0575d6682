"""Rate limits per client id (per address for anonymous callers): token buckets shared by every replica.

The bucket itself lives in the state store (a Lua script in Redis), so all
replicas draw from one budget. To keep Redis off the hot path of a busy
client, a replica takes a small *lease* of tokens at once (about
``lease_seconds`` worth at the client's rate) and spends it locally; a slow
client's lease is one token, so low limits stay exact. Tokens left in an
expired lease are dropped, never returned: replicas can only under-spend.

A refused request is answered with HTTP 429, a ``RATE_LIMITED`` error whose
``extensions.retryAfter`` is the number of seconds to wait, and the same value
in a ``Retry-After`` header. When the store is unreachable requests pass (a
cache outage must not become a gateway outage) and a warning is logged.
"""

from __future__ import annotations

import logging
import math
import time

from gateway.errors import graphql_error
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
from gateway.plugins.settings import GatewaySettings, RateLimit
from gateway.state import StateStore, StateUnavailable

logger = logging.getLogger(__name__)

_WARN_EVERY_SECONDS = 30.0
_MAX_LEASES = 10_000


class RateLimitPlugin(Plugin):
    """Refuses requests beyond their client's (or class's) token bucket."""

    name = "rate_limit"

    def __init__(self, store: StateStore, settings: GatewaySettings, *, lease_seconds: float = 0.05) -> None:
        self.store = store
        self.settings = settings
        self.lease_seconds = lease_seconds
        self._leases: dict[str, tuple[int, float]] = {}  # bucket -> (tokens in hand, lease expiry)
        self._retry_after: dict[int, int] = {}  # id(context) -> seconds, from the refusal to the router wrapper
        self._warned_at = 0.0

    def router_service(self, service: RouterService) -> RouterService:
        retry_after = self._retry_after

        async def add_retry_after(request: RouterRequest) -> RouterResponse:
            key = id(request.context)
            try:
                response = await service(request)
            finally:
                seconds = retry_after.pop(key, None)
            if seconds is not None:
                response.headers["retry-after"] = str(seconds)
            return response

        return add_retry_after

    def supergraph_service(self, service: SupergraphService) -> SupergraphService:
        async def limit(request: SupergraphRequest) -> SupergraphResponse:
            refusal = await self.check(request)
            if refusal is not None:
                return refusal
            return await service(request)

        return limit

    def limit_for(self, request: SupergraphRequest) -> tuple[str, RateLimit] | None:
        caller = identify(request.context, self.settings)
        limit = caller.policy.rate_limit or self.settings.client_class(caller.client_class).rate_limit
        return (caller.bucket, limit) if limit is not None else None

    async def check(self, request: SupergraphRequest) -> SupergraphResponse | None:
        """None when the request may run, else the 429 response."""
        found = self.limit_for(request)
        if found is None:
            return None
        bucket, limit = found
        now = time.monotonic()
        lease = self._leases.get(bucket)
        if lease is not None and lease[0] > 0 and lease[1] > now:
            self._leases[bucket] = (lease[0] - 1, lease[1])
            return None
        want = max(1, min(int(limit.rate * self.lease_seconds), int(limit.burst // 4)))
        try:
            grant = await self.store.take(f"rl:{bucket}", rate=limit.rate, burst=limit.burst, want=want)
        except StateUnavailable as exc:
            self._warn(exc)
            return None
        if grant.granted >= 1:
            if grant.granted > 1:
                if len(self._leases) >= _MAX_LEASES:
                    self._leases = {b: held for b, held in self._leases.items() if held[1] > now}
                self._leases[bucket] = (grant.granted - 1, now + self.lease_seconds)
            elif lease is not None:
                del self._leases[bucket]
            return None
        seconds = max(1, math.ceil(grant.retry_after))
        self._retry_after[id(request.context)] = seconds
        error = graphql_error(f"Rate limit exceeded; retry after {seconds} s.", "RATE_LIMITED", retryAfter=seconds)
        return SupergraphResponse(errors=[error], request_failed=True, http_status=429)

    def _warn(self, exc: StateUnavailable) -> None:
        now = time.monotonic()
        if now - self._warned_at > _WARN_EVERY_SECONDS:
            self._warned_at = now
            logger.warning("rate limits not enforced: the state store is unavailable (%s)", exc.message)
