"""§6 group F: interfaces, unions, differing field types, @interfaceObject."""

from __future__ import annotations

from tests.support.federation import FederationHarness


async def test_interface_implementations_get_their_fields_from_another_subgraph(federation: FederationHarness) -> None:
    # §6 case 27: one fetch to b carries both type conditions, with __typename.
    gateway = await federation.gateway("interfaces")
    query = "{ animals { __typename name ... on Dog { barkVolume } ... on Cat { livesLeft } } }"
    assert await gateway.execute(query) == {
        "data": {
            "animals": [
                {"__typename": "Dog", "name": "Rex", "barkVolume": 7},
                {"__typename": "Cat", "name": "Mimi", "livesLeft": 9},
                {"__typename": "Dog", "name": "Wangcai", "barkVolume": 3},
            ]
        }
    }
    assert gateway.subgraphs.counts() == {"a": 1, "b": 1}
    assert gateway.subgraphs["b"].requests[0].representations == [
        {"__typename": "Dog", "id": "d1"},
        {"__typename": "Cat", "id": "c1"},
        {"__typename": "Dog", "id": "d2"},
    ]


async def test_only_the_types_that_need_it_are_fetched(federation: FederationHarness) -> None:
    gateway = await federation.gateway("interfaces")
    assert await gateway.execute("{ animals { id ... on Cat { livesLeft } } }") == {
        "data": {"animals": [{"id": "d1"}, {"id": "c1", "livesLeft": 9}, {"id": "d2"}]}
    }
    assert gateway.subgraphs["b"].requests[0].representations == [{"__typename": "Cat", "id": "c1"}]


async def test_aliased_typenames_in_fragments_are_concrete(federation: FederationHarness) -> None:
    # §6 case 38.
    gateway = await federation.gateway("interfaces")
    query = """
      { animals { a: __typename ... on Dog { b: __typename } ...F } }
      fragment F on Animal { c: __typename ... on Cat { b: __typename } }
    """
    assert await gateway.execute(query) == {
        "data": {
            "animals": [
                {"a": "Dog", "b": "Dog", "c": "Dog"},
                {"a": "Cat", "c": "Cat", "b": "Cat"},
                {"a": "Dog", "b": "Dog", "c": "Dog"},
            ]
        }
    }
    assert gateway.subgraphs.counts() == {"a": 1, "b": 0}


async def test_union_members_known_to_one_subgraph_resolve_from_the_other(federation: FederationHarness) -> None:
    # §6 case 28: a's union lacks Song, b's lacks Movie; every member's fields resolve.
    gateway = await federation.gateway("unions")
    fragments = "__typename ... on Book { title pages } ... on Movie { title } ... on Song { artist }"
    assert await gateway.execute(f"{{ search {{ {fragments} }} }}") == {
        "data": {
            "search": [
                {"__typename": "Book", "title": "Three-Body Problem", "pages": 302},
                {"__typename": "Movie", "title": "Hero"},
            ]
        }
    }
    assert gateway.subgraphs.counts() == {"a": 1, "b": 1}
    gateway.subgraphs.reset_counters()
    assert await gateway.execute(f"{{ recommended {{ {fragments} }} }}") == {
        "data": {
            "recommended": [
                {"__typename": "Song", "artist": "Faye Wong"},
                {"__typename": "Book", "title": "Three-Body Problem", "pages": 302},
            ]
        }
    }
    assert gateway.subgraphs.counts() == {"a": 1, "b": 1}


async def test_shared_field_with_different_types_is_aliased_apart(federation: FederationHarness) -> None:
    # §6 cases 7 and 29: Book.code is String! in a, Car.code is String in a: one response key, two
    # types in a's schema. The gateway must alias one inside the fetch and rename it back.
    gateway = await federation.gateway("nullability")
    query = "{ items { __typename ... on Book { code title } ... on Car { code } } }"
    assert await gateway.execute(query) == {
        "data": {
            "items": [
                {"__typename": "Book", "code": "ISBN-7-5366", "title": "Ball Lightning"},
                {"__typename": "Car", "code": None},
                {"__typename": "Car", "code": "WA-88"},
            ]
        }
    }
    assert gateway.subgraphs.counts() == {"a": 1, "b": 1}


async def test_nullable_side_of_a_shared_field_may_be_null(federation: FederationHarness) -> None:
    gateway = await federation.gateway("nullability")
    assert await gateway.execute('{ book(id: "b1") { code title } }') == {
        "data": {"book": {"code": None, "title": "Ball Lightning"}}
    }


async def test_typename_from_the_interface_object_subgraph_is_made_concrete(federation: FederationHarness) -> None:
    # §6 case 30: ratings answers "Media"; an extra fetch to media gives Movie and Book.
    gateway = await federation.gateway("interface_object")
    assert await gateway.execute("{ topMedia { __typename id stars } }") == {
        "data": {
            "topMedia": [
                {"__typename": "Movie", "id": "mv1", "stars": 4},
                {"__typename": "Book", "id": "bk1", "stars": 5},
            ]
        }
    }
    assert gateway.subgraphs.counts() == {"media": 1, "ratings": 1}
    assert gateway.subgraphs["media"].requests[0].representations == [
        {"__typename": "Media", "id": "mv1"},
        {"__typename": "Media", "id": "bk1"},
    ]


async def test_type_conditions_under_an_interface_object_resolve(federation: FederationHarness) -> None:
    gateway = await federation.gateway("interface_object")
    query = "{ topMedia { stars title ... on Book { author } ... on Movie { director } } }"
    assert await gateway.execute(query) == {
        "data": {
            "topMedia": [
                {"stars": 4, "title": "Hero", "director": "Zhang Yimou"},
                {"stars": 5, "title": "Wolf Totem", "author": "Jiang Rong"},
            ]
        }
    }


async def test_jump_into_the_interface_object_subgraph_sends_the_interface_name(federation: FederationHarness) -> None:
    # §6 case 31: Book → ratings: the representation's __typename is rewritten to Media.
    gateway = await federation.gateway("interface_object")
    assert await gateway.execute("{ books { title stars } }") == {
        "data": {"books": [{"title": "Wolf Totem", "stars": 5}, {"title": "Fortress Besieged", "stars": 3}]}
    }
    assert gateway.subgraphs["ratings"].requests[0].representations == [
        {"__typename": "Media", "id": "bk1"},
        {"__typename": "Media", "id": "bk2"},
    ]
