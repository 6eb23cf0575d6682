"""The registry service on SQLite and PostgreSQL: publish, ownership, namespace, checks, withdraw, rollback."""

from __future__ import annotations

import time

import pytest

from gateway.registry import Forbidden, NotFound, SchemaRegistry
from gateway.registry.model import OperationUse
from gateway.registry.service import RegistrySettings
from gateway.registry.store import RegistryStore
from tests.gateway.registry.graphs import (
    HEFEI,
    HEFEI_NOT_COMPOSING,
    HEFEI_OUTSIDE_NAMESPACE,
    HEFEI_READ_ONLY,
    HEFEI_SDL,
    HEFEI_URL,
    NANJING,
    PROVINCE,
    REGISTRY_SDL,
    REGISTRY_URL,
    REGISTRY_WITHOUT_STATUS,
)

STATUS_QUERY = 'query EnterpriseStatus { enterprise(uscc: "91340100MA2N0XYZ1A") { name status } }'


async def _with_province_graph(store: RegistryStore) -> SchemaRegistry:
    registry = SchemaRegistry(store)
    outcome = await registry.publish(PROVINCE, "registry", REGISTRY_URL, REGISTRY_SDL)
    assert outcome.accepted, outcome.report.to_json()
    return registry


async def test_a_city_publishes_its_subgraph_into_the_graph(store: RegistryStore) -> None:
    registry = await _with_province_graph(store)
    outcome = await registry.publish(HEFEI, "city_340100_investment", HEFEI_URL, HEFEI_SDL)
    assert outcome.accepted and outcome.version == 2, outcome.report.to_json()
    current = await registry.current()
    assert current is not None and current.version == 2
    assert current.supergraph_sdl is not None and "c340100_projects" in current.supergraph_sdl
    hefei = current.subgraph("city_340100_investment")
    assert hefei is not None and hefei.owner == "city:340100" and hefei.url == HEFEI_URL
    assert [v.version for v in await store.history()] == [2, 1]


async def test_a_city_cannot_publish_over_the_provinces_or_another_citys_subgraph(store: RegistryStore) -> None:
    registry = await _with_province_graph(store)
    assert (await registry.publish(HEFEI, "city_340100_investment", HEFEI_URL, HEFEI_SDL)).accepted
    before = await registry.current()
    with pytest.raises(Forbidden, match="belongs to province"):
        await registry.publish(HEFEI, "registry", HEFEI_URL, REGISTRY_SDL)
    with pytest.raises(Forbidden, match="belongs to city:340100"):
        await registry.publish(NANJING, "city_340100_investment", HEFEI_URL, HEFEI_SDL)
    with pytest.raises(Forbidden, match="outside the namespace"):
        await registry.publish(HEFEI, "city_320100_logistics", HEFEI_URL, HEFEI_SDL)
    with pytest.raises(Forbidden, match="belongs to city:340100"):
        await registry.withdraw(NANJING, "city_340100_investment")
    with pytest.raises(Forbidden, match="registry:write"):
        await registry.publish(HEFEI_READ_ONLY, "city_340100_investment", HEFEI_URL, HEFEI_SDL)
    with pytest.raises(Forbidden, match="Only the province"):
        await registry.publish(HEFEI, "city_340100_investment", HEFEI_URL, HEFEI_SDL, owner="province")
    assert await registry.current() == before
    # The province may change anything, a city's subgraph included; the owner stays the city.
    updated = await registry.publish(PROVINCE, "city_340100_investment", HEFEI_URL + "?v2", HEFEI_SDL)
    assert updated.accepted
    current = await registry.current()
    assert current is not None and current.subgraph("city_340100_investment") is not None
    assert current.subgraph("city_340100_investment").owner == "city:340100"  # type: ignore[union-attr]


async def test_types_and_fields_outside_the_city_namespace_are_refused(store: RegistryStore) -> None:
    registry = await _with_province_graph(store)
    outcome = await registry.publish(HEFEI, "city_340100_investment", HEFEI_URL, HEFEI_OUTSIDE_NAMESPACE)
    assert not outcome.accepted
    messages = [i.message for i in outcome.report.errors if i.code == "NAMESPACE_VIOLATION"]
    assert any('Type "Project"' in m for m in messages), messages
    assert any('"Enterprise.projects"' in m for m in messages), messages
    assert (await registry.current()).version == 1  # type: ignore[union-attr]


async def test_an_invalid_composition_is_rejected_with_the_composers_codes(store: RegistryStore) -> None:
    registry = await _with_province_graph(store)
    outcome = await registry.publish(HEFEI, "city_340100_investment", HEFEI_URL, HEFEI_NOT_COMPOSING)
    assert not outcome.accepted
    codes = {i.code for i in outcome.report.errors if i.check == "composition"}
    assert "FIELD_TYPE_MISMATCH" in codes, outcome.report.to_json()
    current = await registry.current()
    assert current is not None and current.version == 1 and current.subgraph("city_340100_investment") is None


async def test_removing_a_field_a_recorded_operation_uses_is_rejected(store: RegistryStore) -> None:
    registry = await _with_province_graph(store)
    await store.record_usage([OperationUse(STATUS_QUERY, "EnterpriseStatus", "city-dashboard", 3, time.time())])
    outcome = await registry.publish(PROVINCE, "registry", REGISTRY_URL, REGISTRY_WITHOUT_STATUS)
    assert not outcome.accepted
    broken = [i for i in outcome.report.errors if i.code == "OPERATION_BROKEN"]
    assert len(broken) == 1 and "EnterpriseStatus" in broken[0].message and "city-dashboard" in broken[0].message
    assert "status" in broken[0].message
    assert {i.code for i in outcome.report.issues if i.check == "breaking"} >= {"FIELD_REMOVED", "TYPE_REMOVED"}
    current = await registry.current()
    assert current is not None and current.version == 1 and current.subgraph("registry").sdl == REGISTRY_SDL  # type: ignore[union-attr]
    # The province may force it through; a city may not force.
    forced = await registry.publish(PROVINCE, "registry", REGISTRY_URL, REGISTRY_WITHOUT_STATUS, force=True)
    assert forced.accepted and forced.version == 2


async def test_unused_breaking_changes_warn_under_usage_policy_and_block_under_strict(store: RegistryStore) -> None:
    registry = await _with_province_graph(store)
    check = await registry.check(PROVINCE, "registry", REGISTRY_URL, REGISTRY_WITHOUT_STATUS)
    assert check.report.ok and not check.accepted
    assert {i.severity for i in check.report.issues if i.check == "breaking"} == {"warning"}
    strict = SchemaRegistry(store, settings=RegistrySettings(policy="strict"))
    outcome = await strict.publish(PROVINCE, "registry", REGISTRY_URL, REGISTRY_WITHOUT_STATUS)
    assert not outcome.accepted and any(i.code == "FIELD_REMOVED" for i in outcome.report.errors)


async def test_operations_outside_the_usage_window_do_not_block(store: RegistryStore) -> None:
    registry = await _with_province_graph(store)
    old = time.time() - 30 * 86_400
    await store.record_usage([OperationUse(STATUS_QUERY, "EnterpriseStatus", "old-client", 1, old)])
    outcome = await registry.publish(PROVINCE, "registry", REGISTRY_URL, REGISTRY_WITHOUT_STATUS)
    assert outcome.accepted


async def test_withdraw_and_rollback(store: RegistryStore) -> None:
    registry = await _with_province_graph(store)
    assert (await registry.publish(HEFEI, "city_340100_investment", HEFEI_URL, HEFEI_SDL)).accepted
    withdrawn = await registry.withdraw(HEFEI, "city_340100_investment")
    assert withdrawn.accepted and withdrawn.version == 3
    current = await registry.current()
    assert current is not None and current.subgraph("city_340100_investment") is None
    assert "c340100_projects" not in (current.supergraph_sdl or "")
    with pytest.raises(NotFound):
        await registry.withdraw(HEFEI, "city_340100_investment")
    with pytest.raises(Forbidden, match="Only the province"):
        await registry.rollback(HEFEI, 2)
    restored = await registry.rollback(PROVINCE, 2)
    assert restored.version == 4 and restored.action == "rollback" and restored.subject == "v2"
    v2 = await store.version(2)
    assert v2 is not None and restored.supergraph_sdl == v2.supergraph_sdl
    assert restored.subgraphs == v2.subgraphs
    with pytest.raises(NotFound):
        await registry.rollback(PROVINCE, 99)


async def test_usage_is_aggregated_per_operation_and_client(store: RegistryStore) -> None:
    now = time.time()
    await store.record_usage(
        [
            OperationUse(STATUS_QUERY, "EnterpriseStatus", "a", 2, now),
            OperationUse(STATUS_QUERY, "EnterpriseStatus", "b", 1, now),
        ]
    )
    await store.record_usage([OperationUse(STATUS_QUERY, "EnterpriseStatus", "a", 4, now)])
    [operation] = await store.operations_since(now - 60)
    assert operation.clients == ("a", "b") and operation.count == 7 and operation.document == STATUS_QUERY
    assert await store.operations_since(now + 60) == []
