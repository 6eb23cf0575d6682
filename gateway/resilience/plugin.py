"""The resilience plugin: per-subgraph timeouts, retries of queries, circuit breakers, writes of unknown outcome.

Wraps each subgraph's service (``Plugin.subgraph_service``):

* the call is capped at the subgraph's ``timeout`` (never past the request's
  deadline, which the subgraph client enforces and sends on as
  ``x-parkgraph-deadline``);
* a query that fails unavailable or times out is retried with jittered
  exponential backoff, at most ``retries`` times, and only while the wait
  leaves time before the deadline; a mutation is never retried;
* a :class:`~gateway.resilience.breaker.CircuitBreaker` per subgraph opens
  after ``failure_threshold`` failed calls in a row: calls are then refused at
  once (``SUBGRAPH_UNAVAILABLE``, "circuit open") until ``reset_timeout``
  passes and one probe goes through;
* a mutation that timed out may have been done: it is reported as
  ``WRITE_OUTCOME_UNKNOWN`` with the idempotency key(s) it carried, which the
  client retries with safely.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gateway.pipeline.types import Plugin
from gateway.resilience.breaker import CircuitBreaker
from gateway.subgraph.types import (
    SubgraphError,
    SubgraphRequest,
    SubgraphResponse,
    SubgraphService,
    SubgraphUnavailable,
    UpstreamTimeout,
)

_KEY_ARGUMENT = re.compile(r'idempotencyKey:\s*(?:"((?:[^"\\]|\\.)*)"|\$(\w+))')


@dataclass(frozen=True, slots=True)
class SubgraphPolicy:
    """How calls to one subgraph are bounded, retried and broken."""

    timeout: float | None = None  # seconds per call; None: the request's deadline alone
    retries: int = 2
    backoff: float = 0.02  # upper bound of the first retry's jittered wait
    max_backoff: float = 0.5
    failure_threshold: int = 5
    reset_timeout: float = 5.0


@dataclass(frozen=True, slots=True)
class ResilienceConfig:
    default: SubgraphPolicy = SubgraphPolicy()
    subgraphs: Mapping[str, SubgraphPolicy] = field(default_factory=dict)

    def policy(self, name: str) -> SubgraphPolicy:
        return self.subgraphs.get(name, self.default)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> ResilienceConfig:
        """``PARKGRAPH_SUBGRAPH_TIMEOUTS="registry=2,approvals=3.5"`` (seconds per subgraph call)."""
        timeouts: dict[str, SubgraphPolicy] = {}
        for item in environ.get("PARKGRAPH_SUBGRAPH_TIMEOUTS", "").split(","):
            name, _, seconds = item.partition("=")
            if name.strip() and seconds.strip():
                timeouts[name.strip()] = SubgraphPolicy(timeout=float(seconds))
        return cls(subgraphs=timeouts)


class WriteOutcomeUnknown(SubgraphError):
    code = "WRITE_OUTCOME_UNKNOWN"


class ResiliencePlugin(Plugin):
    """See the module docstring; ``breakers`` maps each subgraph to its breaker (the metric reads them)."""

    name = "resilience"

    def __init__(self, config: ResilienceConfig | None = None, *, rng: random.Random | None = None) -> None:
        self.config = config or ResilienceConfig()
        self.breakers: dict[str, CircuitBreaker] = {}
        self._rng = rng or random.Random()

    def subgraph_service(self, name: str, service: SubgraphService) -> SubgraphService:
        policy = self.config.policy(name)
        breaker = self.breakers.setdefault(
            name,
            CircuitBreaker(
                f"subgraph:{name}", failure_threshold=policy.failure_threshold, reset_timeout=policy.reset_timeout
            ),
        )
        return GuardedSubgraph(name, service, policy, breaker, self._rng)


class GuardedSubgraph:
    """One subgraph's service behind its timeout, retries and breaker."""

    def __init__(
        self, name: str, service: SubgraphService, policy: SubgraphPolicy, breaker: CircuitBreaker, rng: random.Random
    ) -> None:
        self.name = name
        self.service = service
        self.policy = policy
        self.breaker = breaker
        self._rng = rng

    async def __call__(self, request: SubgraphRequest) -> SubgraphResponse:
        policy = self.policy
        if policy.timeout is not None and (request.timeout is None or policy.timeout < request.timeout):
            request.timeout = policy.timeout
        mutation = request.operation_kind == "mutation"
        attempt = 0
        while True:
            if not self.breaker.allow():
                raise SubgraphUnavailable(
                    self.name,
                    f"Subgraph '{self.name}' was not called: its circuit is open after repeated failures"
                    f" (next probe in {self.breaker.retry_in():.1f}s)",
                )
            try:
                response = await self.service(request)
            except (SubgraphUnavailable, UpstreamTimeout) as exc:
                self.breaker.failed()
                if mutation:
                    if isinstance(exc, UpstreamTimeout):
                        raise _unknown_outcome(self.name, request, exc) from exc
                    raise
                wait = self._backoff(attempt)
                if attempt >= policy.retries or wait >= request.context.remaining():
                    raise
            except SubgraphError:
                self.breaker.succeeded()  # it answered, wrongly: not a reason to stop calling it
                raise
            except BaseException:
                self.breaker.abandoned()
                raise
            else:
                self.breaker.succeeded()
                return response
            attempt += 1
            await asyncio.sleep(wait)

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.policy.max_backoff, self.policy.backoff * 2.0**attempt)
        return ceiling / 2 + self._rng.random() * ceiling / 2


def idempotency_keys(request: SubgraphRequest) -> list[str]:
    """The ``idempotencyKey`` arguments of a subgraph operation, literals or variables."""
    query = request.body.get("query")
    variables: Mapping[str, Any] = request.body.get("variables") or {}
    keys: list[str] = []
    for literal, variable in _KEY_ARGUMENT.findall(query if isinstance(query, str) else ""):
        value = literal if not variable else variables.get(variable)
        if isinstance(value, str):
            keys.append(value)
    return keys


def _unknown_outcome(name: str, request: SubgraphRequest, exc: UpstreamTimeout) -> WriteOutcomeUnknown:
    keys = idempotency_keys(request)
    error = WriteOutcomeUnknown(
        name,
        f"Subgraph '{name}' did not confirm the mutation in time; it may have been done."
        " Retry it with the same idempotencyKey: it will be done at most once.",
    )
    if keys:
        error.extensions = {"idempotencyKey": keys[0]} if len(keys) == 1 else {"idempotencyKeys": keys}
    return error
