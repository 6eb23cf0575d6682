"""``_entities`` goes through the per-request DataLoader: N representations, one batch call, answers in order."""

from __future__ import annotations

from typing import Any

import strawberry

from subgraphs.common import SubgraphContext, create_federation_schema, ordered

# Each batch call is recorded here, so a test can count legacy round trips.
CALLS: list[tuple[str, list[str]]] = []


async def fetch_things(ids: list[str]) -> list[Thing | None]:
    CALLS.append(("things", ids))
    return ordered(ids, [Thing(id=strawberry.ID(i), label=f"thing {i}") for i in ids if i != "missing"], lambda t: t.id)


async def fetch_places(codes: list[str]) -> list[Place | None]:
    CALLS.append(("places", codes))
    return [Place(code=strawberry.ID(c)) for c in codes]


@strawberry.federation.type(keys=["id"])
class Thing:
    id: strawberry.ID
    label: str

    @classmethod
    async def resolve_reference(cls, info: strawberry.Info[SubgraphContext, None], id: str) -> Thing | None:
        return await info.context.loaders.get(fetch_things, max_batch_size=3).load(id)


@strawberry.federation.type(keys=["code"])
class Place:
    code: strawberry.ID

    @classmethod
    async def resolve_reference(cls, info: strawberry.Info[SubgraphContext, None], code: str) -> Place | None:
        return await info.context.loaders.get(fetch_places).load(code)


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "hello"


SCHEMA = create_federation_schema(domain="test", query=Query, types=[Thing, Place])
ENTITIES = """query($r: [_Any!]!) { _entities(representations: $r) {
  __typename ... on Thing { id label } ... on Place { code } } }"""


async def run(representations: list[dict[str, Any]]) -> tuple[list[Any], SubgraphContext]:
    CALLS.clear()
    context = SubgraphContext()
    result = await SCHEMA.execute(ENTITIES, {"r": representations}, context_value=context)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data["_entities"], context


async def test_n_representations_make_one_batch_call() -> None:
    representations = [{"__typename": "Thing", "id": str(i)} for i in range(3)]
    entities, _ = await run(representations)
    assert CALLS == [("things", ["0", "1", "2"])]
    assert [e["id"] for e in entities] == ["0", "1", "2"]


async def test_max_batch_size_splits_into_chunks() -> None:
    entities, context = await run([{"__typename": "Thing", "id": str(i)} for i in range(7)])
    # 7 keys, at most 3 per call: the legacy batch limit forces 3 calls and no more.
    assert [len(keys) for _, keys in CALLS] == [3, 3, 1]
    assert [e["id"] for e in entities] == [str(i) for i in range(7)]
    assert context.loaders.get(fetch_things).batch_calls == 3


async def test_mixed_types_duplicates_and_missing_answer_in_order() -> None:
    representations = [
        {"__typename": "Thing", "id": "a"},
        {"__typename": "Place", "code": "340100"},
        {"__typename": "Thing", "id": "missing"},
        {"__typename": "Thing", "id": "a"},  # duplicate: answered again, loaded once
        {"__typename": "Place", "code": "340200"},
        {"__typename": "Thing", "id": "b"},
    ]
    entities, _ = await run(representations)
    assert sorted(CALLS) == [("places", ["340100", "340200"]), ("things", ["a", "missing", "b"])]
    assert entities == [
        {"__typename": "Thing", "id": "a", "label": "thing a"},
        {"__typename": "Place", "code": "340100"},
        None,
        {"__typename": "Thing", "id": "a", "label": "thing a"},
        {"__typename": "Place", "code": "340200"},
        {"__typename": "Thing", "id": "b", "label": "thing b"},
    ]


async def test_loaders_do_not_outlive_the_request() -> None:
    await run([{"__typename": "Thing", "id": "a"}])
    await run([{"__typename": "Thing", "id": "a"}])
    # A fresh context per request: the second request asks the legacy system again.
    assert CALLS == [("things", ["a"])]
