"""Automatic persisted queries and the safelist, on the real Redis; ``parkgraph operations register``."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from gateway.plugins.settings import settings_from_dict
from gateway.state import MemoryStore, StateStore
from parkgraph.cli import main as parkgraph_main
from tests.gateway.plugins.helpers import as_client, body, traffic_gateway
from tests.support.federation import FederationHarness
from tests.support.redis import redis_store, redis_url, unique_prefix

pytestmark = pytest.mark.redis

QUERY = "{ parks { code name } }"
SHA = hashlib.sha256(QUERY.encode()).hexdigest()
PARKS = {"data": {"parks": [{"code": "P1", "name": "Hefei High-tech Zone"}]}}
SAFELIST: dict[str, Any] = {"clients": {"partner": {"class": "default", "safelist_only": True}}}


def _apq(sha: str = SHA, query: str | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha}}}
    if query is not None:
        payload["query"] = query
    return payload


@pytest.fixture
async def store() -> AsyncIterator[StateStore]:
    async with redis_store() as shared:
        yield shared


async def test_apq_round_trip_shared_by_replicas(federation: FederationHarness, store: StateStore) -> None:
    case = await federation.start("traffic")
    first = await traffic_gateway(federation, case, store, {})
    second = await traffic_gateway(federation, case, store, {})
    unknown = await first.client.post("/graphql", json=_apq(), headers={"accept": "application/json"})
    assert unknown.status_code == 200
    assert body(unknown)["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    registered = await first.client.post("/graphql", json=_apq(query=QUERY))
    assert body(registered) == PARKS
    by_hash = await second.client.post("/graphql", json=_apq())  # the other replica knows it through Redis
    assert body(by_hash) == PARKS
    extensions = json.dumps(_apq()["extensions"])
    over_get = await second.client.get("/graphql", params={"extensions": extensions})
    assert over_get.status_code == 200
    assert body(over_get) == PARKS


async def test_apq_hash_mismatch_is_refused(federation: FederationHarness, store: StateStore) -> None:
    gateway = await traffic_gateway(federation, "traffic", store, {})
    response = await gateway.client.post("/graphql", json=_apq(sha="0" * 64, query=QUERY))
    assert response.status_code == 400
    assert body(response)["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
    assert (
        body(await gateway.client.post("/graphql", json=_apq(sha="0" * 64)))["errors"][0]["extensions"]["code"]
        == "PERSISTED_QUERY_NOT_FOUND"
    )  # the mismatched text was not stored under the wrong hash


async def test_safelist_refuses_unregistered_operations_registered_with_the_cli(
    federation: FederationHarness, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prefix = unique_prefix()
    operation = tmp_path / "parks.graphql"
    operation.write_text(QUERY, encoding="utf-8")
    args = ["operations", "register", str(operation), "--client", "partner", "--redis-url", redis_url()]
    code = await asyncio.to_thread(parkgraph_main, [*args, "--redis-prefix", prefix])  # the CLI runs its own loop
    assert code == 0
    assert json.loads(capsys.readouterr().out)["id"] == SHA
    async with redis_store(prefix) as store:
        gateway = await traffic_gateway(federation, "traffic", store, SAFELIST)
        partner = as_client("partner")
        assert await gateway.execute(QUERY, headers=partner) == PARKS
        by_id = await gateway.client.post("/graphql", json=_apq(), headers=partner)  # registered ops need no APQ
        assert body(by_id) == PARKS
        refused = await gateway.post("{ enterprises { name } }", headers=partner)
        assert refused.status_code == 403
        assert body(refused)["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_IN_LIST"
        # other clients are not bound by the partner's safelist
        assert "errors" not in await gateway.execute("{ enterprises { name } }", headers=as_client("city-dashboard"))


async def test_manifest_registration_for_the_embedded_gateway(
    federation: FederationHarness, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "operations.json"
    operation = tmp_path / "parks.graphql"
    operation.write_text(QUERY, encoding="utf-8")
    args = ["operations", "register", str(operation), "--client", "partner", "--manifest", str(manifest)]
    assert parkgraph_main([*args, "--redis-url", ""]) == 0
    capsys.readouterr()
    settings = settings_from_dict({**SAFELIST, "operations_file": str(manifest)})
    gateway = await traffic_gateway(federation, "traffic", MemoryStore(), settings)
    assert await gateway.execute(QUERY, headers=as_client("partner")) == PARKS
    refused = await gateway.execute("{ parks { code } }", headers=as_client("partner"))
    assert refused["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_IN_LIST"


def test_register_refuses_a_file_without_an_operation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fragment = tmp_path / "fragment.graphql"
    fragment.write_text("fragment F on Park { code }", encoding="utf-8")
    args = ["operations", "register", str(fragment), "--client", "x", "--manifest", str(tmp_path / "m.json")]
    assert parkgraph_main([*args, "--redis-url", ""]) == 1
    assert "holds no operation" in capsys.readouterr().err
    assert not (tmp_path / "m.json").exists()
