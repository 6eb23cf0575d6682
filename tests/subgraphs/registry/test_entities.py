"""``_entities`` on the registry subgraph: batched through DataLoaders, ≤50 codes per legacy call."""

from __future__ import annotations

from typing import Any

from tests.subgraphs.registry.conftest import Subgraph

ENTITIES = """query($r: [_Any!]!) { _entities(representations: $r) { __typename
  ... on Enterprise { uscc name annualOutput } ... on Park { code name } ... on City { code name } } }"""


async def test_120_enterprises_take_three_legacy_calls(subgraph: Subgraph) -> None:
    usccs = [e.uscc for e in subgraph.province.enterprises[:120]]
    response = await subgraph.execute(ENTITIES, {"r": [{"__typename": "Enterprise", "uscc": u} for u in usccs]})
    assert "errors" not in response
    assert [e["uscc"] for e in response["data"]["_entities"]] == usccs
    assert subgraph.transport.paths() == ["/qy/plcx"] * 3  # 50 + 50 + 20: the registry's batch limit


async def test_mixed_and_duplicate_representations_answer_in_order(subgraph: Subgraph) -> None:
    a, b = (e.uscc for e in subgraph.province.enterprises[:2])
    representations: list[dict[str, Any]] = [
        {"__typename": "Enterprise", "uscc": a},
        {"__typename": "Park", "code": "340100-HTZ"},
        {"__typename": "City", "code": "340200"},
        {"__typename": "Enterprise", "uscc": b},
        {"__typename": "Enterprise", "uscc": a},
        {"__typename": "Enterprise", "uscc": "91110000802100433B"},  # valid, unknown to the registry
        {"__typename": "Park", "code": "999999-NONE"},
    ]
    response = await subgraph.execute(ENTITIES, {"r": representations})
    assert "errors" not in response
    entities = response["data"]["_entities"]
    assert [e and e.get("uscc", e.get("code")) for e in entities] == [a, "340100-HTZ", "340200", b, a, None, None]
    assert entities[2] == {"__typename": "City", "code": "340200", "name": "芜湖市"}
    assert sorted(subgraph.transport.paths()) == ["/kfq/plcx", "/qy/plcx", "/xzqh/ds"]


async def test_invalid_uscc_representation_fails_alone_before_the_legacy_call(subgraph: Subgraph) -> None:
    good = subgraph.province.enterprises[0].uscc
    response = await subgraph.execute(
        ENTITIES,
        {"r": [{"__typename": "Enterprise", "uscc": "91350100M000100Y4X"}, {"__typename": "Enterprise", "uscc": good}]},
    )
    assert response["data"]["_entities"][0] is None and response["data"]["_entities"][1]["uscc"] == good
    error = response["errors"][0]
    assert error["path"] == ["_entities", 0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "bad check character" in error["message"]
    # only the valid code went to the registry
    assert len(subgraph.transport.requests) == 1 and good.encode() in subgraph.transport.requests[0].content
    assert b"91350100M000100Y4X" not in subgraph.transport.requests[0].content


async def test_service_sdl_has_keys_and_link(subgraph: Subgraph) -> None:
    response = await subgraph.execute("{ _service { sdl } }")
    sdl = response["data"]["_service"]["sdl"]
    assert '@link(url: "https://specs.apollo.dev/federation/v2.' in sdl
    assert 'type Enterprise @key(fields: "uscc")' in sdl
    assert 'type Park @key(fields: "code")' in sdl
    assert 'type City @key(fields: "code")' in sdl
    assert "type PageInfo @shareable" in sdl
    assert "enterprise(uscc: USCC!): Enterprise" in sdl
    assert "annualOutput: Money" in sdl
    # logistics @provides the name under Shipment.consignee: Federation 2 needs it shareable here
    assert "name: String! @shareable" in sdl
