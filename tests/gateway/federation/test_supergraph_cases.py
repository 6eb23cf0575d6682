"""§6 group C (supergraph and API schema) plus the key, Federation 1 and join-version cases."""

from __future__ import annotations

import pytest

from tests.support.federation import SUPERGRAPHS, FederationHarness, supergraph_sdl

# With this media type, GraphQL over HTTP answers a request that fails validation with 400.
GRAPHQL_RESPONSE = {"accept": "application/graphql-response+json"}
COMPOSED = sorted(p.parent.name for p in SUPERGRAPHS.glob("*/subgraphs"))


def double_quoted(message: str) -> str:
    """graphql-core 3.3 quotes names with ', graphql-js (Apollo) with "; either is fine."""
    return message.replace("'", '"')


# @context/@fromContext (the context spec, linked for: SECURITY) is not implemented yet, so by the link
# spec the gateway must refuse such a supergraph rather than serve its contextual arguments wrongly.
UNIMPLEMENTED = {"context": "https://specs.apollo.dev/context/v0.1"}


@pytest.mark.parametrize("case", [c for c in COMPOSED if c not in UNIMPLEMENTED])
def test_every_composed_supergraph_loads(case: str) -> None:
    # join v0.3 (most cases), v0.4 (override: overrideLabel), v0.5 (join_v05: overrideLabel).
    from gateway.supergraph.load import load_supergraph

    supergraph = load_supergraph(supergraph_sdl(case))
    assert set(supergraph.subgraphs) == {p.stem for p in (SUPERGRAPHS / case / "subgraphs").glob("*.graphql")}


@pytest.mark.parametrize(("case", "feature"), sorted(UNIMPLEMENTED.items()))
def test_a_supergraph_using_an_unimplemented_security_spec_is_refused(case: str, feature: str) -> None:
    from gateway.errors import UnsupportedFeature
    from gateway.supergraph.load import load_supergraph

    with pytest.raises(UnsupportedFeature) as raised:
        load_supergraph(supergraph_sdl(case))
    assert feature in raised.value.message


@pytest.mark.parametrize("case", ["unknown_security_link", "unknown_execution_link"])
def test_unknown_security_or_execution_link_is_refused(case: str) -> None:
    # §6 case 17.
    from gateway.errors import UnsupportedFeature
    from gateway.supergraph.load import load_supergraph

    with pytest.raises(UnsupportedFeature) as raised:
        load_supergraph(supergraph_sdl(case))
    assert raised.value.code == "UNSUPPORTED_LINKED_FEATURE"
    assert "https://specs.example.com/clearance/v0.1" in raised.value.message


@pytest.mark.parametrize(
    ("query", "counts"),
    [
        ("{ shop { name city } }", None),  # either subgraph, but only one
        ("{ onlyA shop { name } }", {"a": 1, "b": 0}),  # stays with the subgraph already fetched
        ("{ onlyB shop { city } }", {"a": 0, "b": 1}),
    ],
)
async def test_field_without_join_field_resolves_in_both_subgraphs(
    federation: FederationHarness, query: str, counts: dict[str, int] | None
) -> None:
    # §6 case 15 and the @shareable root field.
    gateway = await federation.gateway("shareable")
    body = await gateway.execute(query)
    shop = {"name": "Hefei Store", "city": "Hefei"}
    assert body["data"]["shop"] == {k: v for k, v in shop.items() if k in query}
    assert "errors" not in body
    assert sum(gateway.subgraphs.counts().values()) == 1
    if counts is not None:
        assert gateway.subgraphs.counts() == counts


async def test_inaccessible_key_field_is_hidden_but_still_joins(federation: FederationHarness) -> None:
    # §6 case 16.
    gateway = await federation.gateway("inaccessible")
    assert await gateway.execute("{ products { name price } }") == {
        "data": {"products": [{"name": "Solar panel", "price": 1200}, {"name": "Prototype cell", "price": 99999}]}
    }
    assert gateway.subgraphs["b"].requests[0].representations == [
        {"__typename": "Product", "internalId": "int-1"},
        {"__typename": "Product", "internalId": "int-2"},
    ]
    response = await gateway.post("{ products { internalId } }", headers=GRAPHQL_RESPONSE)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert double_quoted(error["message"]) == 'Cannot query field "internalId" on type "Product".'
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_inaccessible_root_field_and_type_are_not_in_the_api(federation: FederationHarness) -> None:
    gateway = await federation.gateway("inaccessible")
    response = await gateway.post("{ secret }", headers=GRAPHQL_RESPONSE)
    assert response.status_code == 400
    assert double_quoted(response.json()["errors"][0]["message"]) == 'Cannot query field "secret" on type "Query".'
    body = await gateway.execute(
        '{ __type(name: "Internal") { name } color: __type(name: "Color") { enumValues { name } } }'
    )
    assert body == {"data": {"__type": None, "color": {"enumValues": [{"name": "RED"}, {"name": "GREEN"}]}}}
    assert gateway.subgraphs.counts() == {"a": 0, "b": 0}


async def test_compound_and_second_keys_join_in_one_step(federation: FederationHarness) -> None:
    # pricing is keyed on (sku, country), stock on id: both entity fetches follow catalog.
    gateway = await federation.gateway("keys")
    assert await gateway.execute("{ products { name price quantity } }") == {
        "data": {
            "products": [
                {"name": "Green tea", "price": 30, "quantity": 120},
                {"name": "Sencha", "price": 45, "quantity": 0},
            ]
        }
    }
    assert gateway.subgraphs.counts() == {"catalog": 1, "pricing": 1, "stock": 1, "profiles": 0, "orgs": 0}
    assert gateway.subgraphs["pricing"].requests[0].representations == [
        {"__typename": "Product", "sku": "TEA", "country": "CN"},
        {"__typename": "Product", "sku": "TEA", "country": "JP"},
    ]


async def test_nested_key_and_unresolvable_reference(federation: FederationHarness) -> None:
    # Account @key(fields: "id org { id }"); Org is only referenced (resolvable: false) in catalog.
    gateway = await federation.gateway("keys")
    assert await gateway.execute("{ accounts { handle bio org { id name } } }") == {
        "data": {
            "accounts": [
                {"handle": "li.wei", "bio": "Park planner", "org": {"id": "o1", "name": "Hefei High-tech Zone"}},
                {"handle": "wang.fang", "bio": "Customs broker", "org": {"id": "o2", "name": "Wuhu Economic Zone"}},
            ]
        }
    }
    assert gateway.subgraphs["profiles"].requests[0].representations == [
        {"__typename": "Account", "id": "1", "org": {"id": "o1"}},
        {"__typename": "Account", "id": "1", "org": {"id": "o2"}},
    ]
    assert gateway.subgraphs["orgs"].requests[0].representations == [
        {"__typename": "Org", "id": "o1"},
        {"__typename": "Org", "id": "o2"},
    ]


async def test_federation_1_subgraph_in_a_federation_2_supergraph(federation: FederationHarness) -> None:
    gateway = await federation.gateway("fed1")
    assert await gateway.execute("{ products { name legacyCode } legacyProducts { id name legacyCode } }") == {
        "data": {
            "products": [{"name": "Cable", "legacyCode": "OLD-001"}, {"name": "Plug", "legacyCode": "OLD-002"}],
            "legacyProducts": [{"id": "p2", "name": "Plug", "legacyCode": "OLD-002"}],
        }
    }


async def test_join_v05_supergraph_is_served(federation: FederationHarness) -> None:
    gateway = await federation.gateway("join_v05")
    for _ in range(4):  # price comes from a or b (percent(50)); the answer is the same
        assert await gateway.execute("{ products { id name price color } }") == {
            "data": {"products": [{"id": "p1", "name": "Abacus", "price": 12, "color": "red"}]}
        }
