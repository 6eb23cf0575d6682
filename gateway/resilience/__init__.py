"""Gateway resilience: per-subgraph timeouts, retries of queries, circuit breakers, writes of unknown outcome.

Add :class:`ResiliencePlugin` to the gateway's plugins (``parkgraph gateway``
does); see :mod:`gateway.resilience.plugin`. Errors stay those of
:mod:`gateway.subgraph` (``SUBGRAPH_UNAVAILABLE``, ``UPSTREAM_TIMEOUT``) plus
``WRITE_OUTCOME_UNKNOWN`` for a mutation that timed out.
"""

from __future__ import annotations

from gateway.resilience.breaker import BREAKERS, BreakerState, CircuitBreaker
from gateway.resilience.plugin import ResilienceConfig, ResiliencePlugin, SubgraphPolicy, WriteOutcomeUnknown

__all__ = [
    "BREAKERS",
    "BreakerState",
    "CircuitBreaker",
    "ResilienceConfig",
    "ResiliencePlugin",
    "SubgraphPolicy",
    "WriteOutcomeUnknown",
]
