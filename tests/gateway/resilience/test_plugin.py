"""The resilience plugin: retries of queries only, the breaker per subgraph, writes of unknown outcome."""

from __future__ import annotations

import random

import pytest

from gateway.context import RequestContext
from gateway.resilience import BreakerState, ResilienceConfig, ResiliencePlugin, SubgraphPolicy, WriteOutcomeUnknown
from gateway.subgraph.types import SubgraphRequest, SubgraphResponse, SubgraphUnavailable, UpstreamTimeout


class Script:
    """A subgraph service that fails with the scripted errors, then answers."""

    def __init__(self, *failures: Exception) -> None:
        self.failures = list(failures)
        self.calls: list[SubgraphRequest] = []

    async def __call__(self, request: SubgraphRequest) -> SubgraphResponse:
        self.calls.append(request)
        if self.failures:
            raise self.failures.pop(0)
        return SubgraphResponse({"ok": True})


def request(kind: str = "query", query: str = "{ ok }", variables: dict[str, str] | None = None) -> SubgraphRequest:
    body: dict[str, object] = {"query": query}
    if variables:
        body["variables"] = variables
    return SubgraphRequest("a", body, RequestContext.create({}, timeout=5), operation_kind=kind)


def wrapped(service: Script, **policy: float) -> tuple[ResiliencePlugin, object]:
    plugin = ResiliencePlugin(ResilienceConfig(SubgraphPolicy(**policy)), rng=random.Random(3))  # type: ignore[arg-type]
    return plugin, plugin.subgraph_service("a", service)


async def test_a_query_is_retried_after_a_transient_failure() -> None:
    service = Script(SubgraphUnavailable("a", "reset"), UpstreamTimeout("a", "slow"))
    _, guarded = wrapped(service, retries=2, backoff=0.001)
    response = await guarded(request())  # type: ignore[operator]
    assert response.data == {"ok": True} and len(service.calls) == 3


async def test_a_mutation_is_never_retried() -> None:
    service = Script(SubgraphUnavailable("a", "reset"))
    _, guarded = wrapped(service, retries=3, backoff=0.001)
    with pytest.raises(SubgraphUnavailable):
        await guarded(request("mutation", "mutation { m }"))  # type: ignore[operator]
    assert len(service.calls) == 1


async def test_a_mutation_that_timed_out_is_of_unknown_outcome_with_its_key() -> None:
    service = Script(UpstreamTimeout("a", "slow"))
    _, guarded = wrapped(service)
    query = "mutation($k: String!) { one: submit(idempotencyKey: $k) { id } }"
    with pytest.raises(WriteOutcomeUnknown) as info:
        await guarded(request("mutation", query, {"k": "key-42"}))  # type: ignore[operator]
    assert info.value.code == "WRITE_OUTCOME_UNKNOWN"
    assert info.value.to_graphql()["extensions"]["idempotencyKey"] == "key-42"


async def test_the_breaker_opens_refuses_and_closes_after_a_probe() -> None:
    service = Script(*[SubgraphUnavailable("a", "down")] * 2)
    plugin, guarded = wrapped(service, retries=0, failure_threshold=2, reset_timeout=0.05)
    for _ in range(2):
        with pytest.raises(SubgraphUnavailable):
            await guarded(request())  # type: ignore[operator]
    with pytest.raises(SubgraphUnavailable, match="circuit is open"):
        await guarded(request())  # type: ignore[operator]
    assert len(service.calls) == 2 and plugin.breakers["a"].state is BreakerState.OPEN
    import asyncio

    await asyncio.sleep(0.06)
    assert (await guarded(request())).data == {"ok": True}  # type: ignore[operator]
    assert plugin.breakers["a"].state is BreakerState.CLOSED


async def test_the_subgraph_timeout_caps_the_call() -> None:
    service = Script()
    _, guarded = wrapped(service, timeout=0.5)
    await guarded(request())  # type: ignore[operator]
    assert service.calls[0].timeout == 0.5
