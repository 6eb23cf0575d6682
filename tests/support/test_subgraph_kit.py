"""The test subgraph kit keeps the subgraph contract (federation-notes §1, §6 group A)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from tests.support.bench_subgraphs import PRODUCTS_SDL, bench_subgraphs, products
from tests.support.subgraph_kit import Fault, SubgraphGroup, SubgraphSpec, serve_subgraphs


def entities_query(selection: str) -> str:
    return f"query($representations: [_Any!]!) {{ _entities(representations: $representations) {{ {selection} }} }}"


ENTITIES = entities_query("... on Product { upc name }")


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def post(http: aiohttp.ClientSession, url: str, query: str, variables: dict[str, Any] | None = None) -> Any:
    async with http.post(url, json={"query": query, "variables": variables}) as response:
        return await response.json()


def product(upc: str) -> dict[str, str]:
    return {"__typename": "Product", "upc": upc}


async def test_representations_are_answered_in_order_with_duplicates(http: aiohttp.ClientSession) -> None:
    # §6 case 1: [P2, P1, P2] → three results in that order.
    async with serve_subgraphs([products()]) as group:
        body = await post(
            http,
            group["products"].url,
            ENTITIES,
            {"representations": [product("1002"), product("1001"), product("1002")]},
        )
    assert body == {
        "data": {
            "_entities": [
                {"upc": "1002", "name": "Modern Chair 1"},
                {"upc": "1001", "name": "Classic Table 1"},
                {"upc": "1002", "name": "Modern Chair 1"},
            ]
        }
    }


async def test_unknown_id_gives_null_at_its_index(http: aiohttp.ClientSession) -> None:
    # §6 case 2: the other results stay intact, and no error is reported for "not found".
    async with serve_subgraphs([products()]) as group:
        body = await post(
            http,
            group["products"].url,
            ENTITIES,
            {"representations": [product("1001"), product("9999"), product("1003")]},
        )
    assert body == {
        "data": {
            "_entities": [{"upc": "1001", "name": "Classic Table 1"}, None, {"upc": "1003", "name": "Classic Lamp 2"}]
        }
    }


def _failing_products() -> SubgraphSpec:
    def reference(ref: dict[str, Any]) -> dict[str, Any]:
        if ref["upc"] == "1002":
            raise ValueError("product 1002 is locked")
        return {"upc": ref["upc"], "name": f"Product {ref['upc']}"}

    return SubgraphSpec("products", PRODUCTS_SDL, references={"Product": reference})


async def test_reference_resolver_error_is_pathed_to_its_index(http: aiohttp.ClientSession) -> None:
    # §6 case 3, subgraph side: null at index 1 and an error at ["_entities", 1].
    async with serve_subgraphs([_failing_products()]) as group:
        body = await post(
            http,
            group["products"].url,
            ENTITIES,
            {"representations": [product("1001"), product("1002"), product("1003")]},
        )
    assert body["data"] == {
        "_entities": [{"upc": "1001", "name": "Product 1001"}, None, {"upc": "1003", "name": "Product 1003"}]
    }
    assert [(e["message"], e["path"]) for e in body["errors"]] == [("product 1002 is locked", ["_entities", 1])]


async def test_field_error_below_an_entity_keeps_the_index_and_field(http: aiohttp.ClientSession) -> None:
    # The inventory port fails like index.mjs when the @requires inputs are missing.
    query = entities_query("... on Product { inStock shippingEstimate }")
    reps = [{**product("1001"), "price": 250, "weight": 5}, product("1002")]
    async with serve_subgraphs(bench_subgraphs()) as group:
        body = await post(http, group["inventory"].url, query, {"representations": reps})
    assert body["data"] == {
        "_entities": [{"inStock": True, "shippingEstimate": 3}, {"inStock": True, "shippingEstimate": None}]
    }
    assert [(e["message"], e["path"]) for e in body["errors"]] == [
        ("shippingEstimate needs price and weight for Product 1002", ["_entities", 1, "shippingEstimate"])
    ]


async def test_unknown_typename_gives_apollos_error(http: aiohttp.ClientSession) -> None:
    async with serve_subgraphs([products()]) as group:
        body = await post(
            http, group["products"].url, ENTITIES, {"representations": [{"__typename": "Nope", "upc": "1"}]}
        )
    assert body["data"] == {"_entities": [None]}
    assert body["errors"][0]["message"] == (
        'The _entities resolver tried to load an entity for type "Nope", '
        "but no object or interface type of that name was found in the schema"
    )


async def test_service_sdl_is_the_sdl_as_written(http: aiohttp.ClientSession) -> None:
    async with serve_subgraphs([products()]) as group:
        body = await post(http, group["products"].url, "{ _service { sdl } }")
    assert body == {"data": {"_service": {"sdl": PRODUCTS_SDL}}}


async def test_full_service_sdl_appends_the_auto_added_definitions(http: aiohttp.ClientSession) -> None:
    # For §6 case 4: a composer must strip these again.
    spec = SubgraphSpec("products", PRODUCTS_SDL, service_sdl="full")
    async with serve_subgraphs([spec]) as group:
        sdl = (await post(http, group["products"].url, "{ _service { sdl } }"))["data"]["_service"]["sdl"]
    assert sdl.startswith(PRODUCTS_SDL.rstrip())
    for added in (
        "directive @key(fields: federation__FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE",
        "directive @federation__requires(fields: federation__FieldSet!) on FIELD_DEFINITION",
        "scalar _Any",
        "union _Entity = Product",
        "_entities(representations: [_Any!]!): [_Entity]!",
    ):
        assert added in sdl


FED1_SDL = """
extend type Product @key(fields: "upc") {
  upc: String! @external
  legacyCode: String
}
"""

RENAMED_SDL = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: [{name: "@key", as: "@primaryKey"}])

type Query { org: Org }
type Product @primaryKey(fields: "upc") { upc: String! color: String }
type Org @primaryKey(fields: "id", resolvable: false) { id: ID! }
"""


async def test_federation_1_subgraph_without_a_base_type_serves_entities(http: aiohttp.ClientSession) -> None:
    spec = SubgraphSpec(
        "legacy", FED1_SDL, references={"Product": lambda ref: {**ref, "legacyCode": "L-" + ref["upc"]}}
    )
    query = entities_query("... on Product { legacyCode }")
    async with serve_subgraphs([spec]) as group:
        body = await post(http, group["legacy"].url, query, {"representations": [product("7")]})
    assert body == {"data": {"_entities": [{"legacyCode": "L-7"}]}}


async def test_renamed_key_is_found_and_unresolvable_keys_are_no_entities(http: aiohttp.ClientSession) -> None:
    spec = SubgraphSpec("colors", RENAMED_SDL, references={"Product": lambda ref: {**ref, "color": "red"}})
    query = '{ __type(name: "_Entity") { possibleTypes { name } } }'
    async with serve_subgraphs([spec]) as group:
        body = await post(http, group["colors"].url, query)
    assert body == {"data": {"__type": {"possibleTypes": [{"name": "Product"}]}}}


ENTITY_INTERFACE_SDL = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

type Query { media: [Media!]! }
interface Media @key(fields: "id") { id: ID! title: String }
type Book implements Media @key(fields: "id") { id: ID! title: String pages: Int }
"""


async def test_entity_interface_representation_returns_the_concrete_type(http: aiohttp.ClientSession) -> None:
    book = {"__typename": "Book", "id": "b1", "title": "Dune", "pages": 412}
    spec = SubgraphSpec("media", ENTITY_INTERFACE_SDL, references={"Media": lambda ref: book})
    query = entities_query("__typename ... on Book { title }")
    async with serve_subgraphs([spec]) as group:
        body = await post(http, group["media"].url, query, {"representations": [{"__typename": "Media", "id": "b1"}]})
    assert body == {"data": {"_entities": [{"__typename": "Book", "title": "Dune"}]}}


async def test_requests_are_counted_and_recorded_per_subgraph(http: aiohttp.ClientSession) -> None:
    async with serve_subgraphs(bench_subgraphs()) as group:
        await post(http, group["products"].url, ENTITIES, {"representations": [product("1001")]})
        await post(http, group["products"].url, "{ topProducts(first: 1) { upc } }")
        assert group.counts() == {"accounts": 0, "products": 2, "inventory": 0, "reviews": 0}
        assert group["products"].requests[0].representations == [product("1001")]
        group.reset_counters()
        assert group.counts()["products"] == 0


async def test_invalid_query_is_answered_with_400(http: aiohttp.ClientSession) -> None:
    async with (
        serve_subgraphs([products()]) as group,
        http.post(group["products"].url, json={"query": "{ nope }"}) as r,
    ):
        assert r.status == 400
        assert "Cannot query field 'nope'" in (await r.json())["errors"][0]["message"]


async def _faulty(group: SubgraphGroup, http: aiohttp.ClientSession, fault: Fault) -> tuple[int, str, str]:
    await group["products"].set_fault(fault)
    async with http.post(
        group["products"].url, json={"query": ENTITIES, "variables": {"representations": [product("1001")] * 2}}
    ) as r:
        return r.status, r.content_type, await r.text()


async def test_fault_http_500(http: aiohttp.ClientSession) -> None:
    async with serve_subgraphs([products()]) as group:
        status, _, _ = await _faulty(group, http, Fault("http_500"))
    assert status == 500


async def test_fault_html_body(http: aiohttp.ClientSession) -> None:
    async with serve_subgraphs([products()]) as group:
        status, content_type, text = await _faulty(group, http, Fault("html"))
    assert (status, content_type) == (200, "text/html")
    assert text.startswith("<html>")


async def test_fault_invalid_json(http: aiohttp.ClientSession) -> None:
    async with serve_subgraphs([products()]) as group:
        status, content_type, text = await _faulty(group, http, Fault("invalid_json"))
    assert (status, content_type) == (200, "application/json")
    with pytest.raises(ValueError):
        __import__("json").loads(text)


@pytest.mark.parametrize(("delta", "length"), [(-1, 1), (1, 3)])
async def test_fault_wrong_entities_length(http: aiohttp.ClientSession, delta: int, length: int) -> None:
    async with serve_subgraphs([products()]) as group:
        _, _, text = await _faulty(group, http, Fault("wrong_entities_length", entities_delta=delta))
    assert len(__import__("json").loads(text)["data"]["_entities"]) == length


async def test_fault_slow_answers_after_the_delay(http: aiohttp.ClientSession) -> None:
    async with serve_subgraphs([products()]) as group:
        started = time.monotonic()
        status, _, _ = await _faulty(group, http, Fault("slow", delay=0.3))
    assert status == 200
    assert time.monotonic() - started >= 0.3


async def test_fault_reset_drops_the_connection(http: aiohttp.ClientSession) -> None:
    async with serve_subgraphs([products()]) as group:
        with pytest.raises(aiohttp.ClientError):
            await _faulty(group, http, Fault("reset"))
        assert group["products"].request_count == 1


async def test_fault_down_refuses_connections_and_recovers_on_the_same_port(http: aiohttp.ClientSession) -> None:
    async with serve_subgraphs([products()]) as group:
        server = group["products"]
        port = server.port
        await server.set_fault(Fault("down"))
        with pytest.raises(aiohttp.ClientConnectionError):
            await post(http, server.url, "{ topProducts { upc } }")
        await server.set_fault(None)
        assert server.port == port
        body = await asyncio.wait_for(post(http, server.url, "{ topProducts(first: 1) { upc } }"), 5)
    assert body == {"data": {"topProducts": [{"upc": "1001"}]}}


async def test_fault_down_also_drops_kept_alive_connections(http: aiohttp.ClientSession) -> None:
    # A gateway's pooled connection survives the closed listener: it must fail too.
    async with serve_subgraphs([products()]) as group:
        server = group["products"]
        await post(http, server.url, "{ topProducts(first: 1) { upc } }")  # opens a keep-alive connection
        await server.set_fault(Fault("down"))
        with pytest.raises(aiohttp.ClientError):
            await post(http, server.url, "{ topProducts(first: 1) { upc } }")
