"""Entity and root-fetch caching in the real Redis: hits, sharing between replicas, tenant isolation, invalidation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from gateway.state import MemoryStore, StateStore
from tests.gateway.plugins.helpers import as_client, traffic_gateway
from tests.support.cases.traffic import TrafficState, subgraphs
from tests.support.federation import FederationHarness
from tests.support.redis import redis_store

pytestmark = pytest.mark.redis

SETTINGS: dict[str, Any] = {
    "cache": {
        "types": {"Enterprise": 60},
        "root_fields": {"Query.enterprises": 60},
        "invalidate": {"renameEnterprise": ["Enterprise"]},
    }
}
APPROVALS = '{ enterprise(uscc: "91340100MA2N0001X1") { uscc approvals { id } riskScore } }'
NAMES = "{ enterprises { uscc name } }"
USCC = "91340100MA2N0001X1"


@pytest.fixture
async def store() -> AsyncIterator[StateStore]:
    async with redis_store() as shared:
        yield shared


async def test_entities_are_served_from_the_cache_by_every_replica(
    federation: FederationHarness, store: StateStore
) -> None:
    case = await federation.start("traffic")
    first = await traffic_gateway(federation, case, store, SETTINGS)
    second = await traffic_gateway(federation, case, store, SETTINGS)  # another replica, same Redis
    caller = as_client("city-dashboard", tenant="city:340100")
    answer = await first.execute(APPROVALS, headers=caller)
    assert answer["data"]["enterprise"]["approvals"] == [{"id": f"{USCC}-0"}, {"id": f"{USCC}-1"}]
    assert case.subgraphs.counts() == {"registry": 1, "approvals": 1}
    case.subgraphs.reset_counters()
    assert await second.execute(APPROVALS, headers=caller) == answer
    assert case.subgraphs.counts() == {"registry": 1, "approvals": 0}  # the entity came from Redis


async def test_a_partial_hit_sends_only_the_misses(federation: FederationHarness, store: StateStore) -> None:
    case = await federation.start("traffic")
    gateway = await traffic_gateway(federation, case, store, {"cache": {"types": {"Enterprise": 60}}})
    await gateway.execute(APPROVALS)  # caches one of the two enterprises
    case.subgraphs.reset_counters()
    both = await gateway.execute("{ enterprises { uscc approvals { id } riskScore } }")  # the same entity selection
    assert [e["riskScore"] for e in both["data"]["enterprises"]] == [18, 18]
    sent = case.subgraphs["approvals"].requests
    assert [rep["uscc"] for rep in sent[0].representations] == ["91340200MA2N0002Y2"]


async def test_one_tenants_cached_answer_never_reaches_another(
    federation: FederationHarness, store: StateStore
) -> None:
    state = TrafficState()
    case = await federation.start("traffic", subgraphs(state))
    gateway = await traffic_gateway(federation, case, store, SETTINGS)
    city_a, city_b = as_client("dash", tenant="city:A"), as_client("dash", tenant="city:B")

    state.viewer = "A"
    seen_by_a = await gateway.execute(NAMES, headers=city_a)
    assert seen_by_a["data"]["enterprises"][0]["name"] == "Hefei Tea Co (as seen by A)"
    state.viewer = "B"
    seen_by_b = await gateway.execute(NAMES, headers=city_b)
    assert seen_by_b["data"]["enterprises"][0]["name"] == "Hefei Tea Co (as seen by B)"
    assert case.subgraphs["registry"].request_count == 2

    state.viewer = "nobody"  # the subgraph would now answer differently: only the cache can give A's view
    assert await gateway.execute(NAMES, headers=city_a) == seen_by_a
    assert case.subgraphs["registry"].request_count == 2
    # same tenant, unmasked personal data for a declared purpose: a different masking level, its own entry
    unmasked = {**as_client("dash", tenant="city:A", scope="pii:read"), "x-purpose": "audit"}
    assert "nobody" in (await gateway.execute(NAMES, headers=unmasked))["data"]["enterprises"][0]["name"]
    # anonymous callers share nothing with tenants either
    assert "nobody" in (await gateway.execute(NAMES))["data"]["enterprises"][0]["name"]


async def test_a_mutation_invalidates_the_types_it_changes(federation: FederationHarness, store: StateStore) -> None:
    case = await federation.start("traffic")
    gateway = await traffic_gateway(federation, case, store, SETTINGS)
    before = await gateway.execute(NAMES)
    await gateway.execute(APPROVALS)
    assert (await gateway.execute(NAMES)) == before  # cached
    case.subgraphs.reset_counters()

    renamed = await gateway.execute(
        'mutation($uscc: ID!) { renameEnterprise(uscc: $uscc, name: "Hefei Green Tea") { name } }', {"uscc": USCC}
    )
    assert "errors" not in renamed
    after = await gateway.execute(NAMES)
    assert after["data"]["enterprises"][0]["name"] == "Hefei Green Tea (as seen by province)"
    await gateway.execute(APPROVALS)
    # the root fetch and the cached entity were both dropped: each was fetched again
    assert case.subgraphs.counts() == {"registry": 3, "approvals": 1}


async def test_types_without_a_ttl_never_touch_the_store(federation: FederationHarness) -> None:
    class CountingStore(MemoryStore):
        calls = 0

        async def get_many(self, keys: Any) -> Any:
            CountingStore.calls += 1
            return await super().get_many(keys)

    gateway = await traffic_gateway(federation, "traffic", CountingStore(), {"cache": {"types": {"Park": 60}}})
    await gateway.execute(APPROVALS)
    assert CountingStore.calls == 0
