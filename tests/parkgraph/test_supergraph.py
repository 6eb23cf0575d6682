"""The checked-in domain supergraph: its stored subgraph SDLs are current, it is what our composer gives, and
the gateway loads it.

Regenerate with ``scripts/compose-supergraph`` when a subgraph's schema changes (``--check-with-apollo`` to
cross-check with Apollo's composition).
"""

from __future__ import annotations

import json

import pytest
from graphql import GraphQLNonNull, GraphQLObjectType, GraphQLScalarType

from gateway.supergraph import load_supergraph
from parkgraph import sdl, topology
from parkgraph.compose import compose_folder

DOMAINS = [domain.name for domain in topology.DOMAINS]

# Enterprise field → the subgraph that must resolve it: the cross-domain single window.
CROSS_DOMAIN_FIELDS = {
    "name": "registry",
    "park": "registry",
    "city": "registry",
    "approvalCases": "approvals",
    "jobDemands": "talent",
    "shipments": "logistics",
    "socialSecurity": "socialsecurity",
    "meters": "utilities",
    "energyUse": "utilities",
    "energyIntensity": "utilities",
}


@pytest.mark.parametrize("domain", DOMAINS)
def test_stored_subgraph_sdl_is_what_the_subgraph_serves(domain: str) -> None:
    stored = sdl.stored_sdl_path(domain).read_text(encoding="utf-8")
    assert stored == sdl.served_sdl(domain), (
        f"schema/subgraphs/{domain}.graphql is stale: run scripts/compose-supergraph"
    )


def test_stored_supergraph_is_what_our_composer_gives() -> None:
    result = compose_folder(sdl.SCHEMA_DIR)
    assert result.errors == ()
    assert result.supergraph_sdl == sdl.SUPERGRAPH.read_text(encoding="utf-8"), (
        "schema/supergraph.graphql is not what `parkgraph compose` gives: run scripts/compose-supergraph"
    )


def test_compose_config_routes_each_domain_to_its_default_port() -> None:
    urls = json.loads(sdl.COMPOSE_CONFIG.read_text(encoding="utf-8"))
    assert {name: urls[name] for name in DOMAINS} == {d.name: sdl.routing_url(d) for d in topology.DOMAINS}


def test_gateway_loads_the_supergraph_with_every_subgraph_routed_from_topology() -> None:
    supergraph = load_supergraph(sdl.SUPERGRAPH.read_text(encoding="utf-8"))
    assert {name: info.url for name, info in supergraph.subgraphs.items()} == {
        d.name: f"http://127.0.0.1:{d.subgraph_port}/graphql" for d in topology.DOMAINS
    }


def test_api_schema_has_the_single_window_root_field() -> None:
    api = load_supergraph(sdl.SUPERGRAPH.read_text(encoding="utf-8")).api_schema
    assert api.query_type is not None
    field = api.query_type.fields["enterprise"]
    # Nullable result: an unknown USCC answers null, not an error.
    assert isinstance(field.type, GraphQLObjectType) and field.type.name == "Enterprise"
    argument = field.args["uscc"].type
    assert isinstance(argument, GraphQLNonNull)
    assert isinstance(argument.of_type, GraphQLScalarType) and argument.of_type.name == "USCC"


@pytest.mark.parametrize(("field", "owner"), sorted(CROSS_DOMAIN_FIELDS.items()))
def test_enterprise_field_comes_from_its_domain(field: str, owner: str) -> None:
    supergraph = load_supergraph(sdl.SUPERGRAPH.read_text(encoding="utf-8"))
    enterprise = supergraph.api_schema.type_map["Enterprise"]
    assert isinstance(enterprise, GraphQLObjectType)
    assert field in enterprise.fields
    assert supergraph.resolvers("Enterprise", field, frozenset()) == [owner]
