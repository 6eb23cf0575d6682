"""GraphQL over HTTP: media types, status codes and error codes, on the bench supergraph."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gateway.pipeline import Plugin, SupergraphRequest, SupergraphResponse, SupergraphService
from tests.support.federation import FederationHarness, GatewayUnderTest
from tests.support.subgraph_kit import Fault

GRJ = "application/graphql-response+json"
SMALL = "{ topProducts(first: 2) { upc name } }"
SMALL_DATA = {"topProducts": [{"upc": "1001", "name": "Classic Table 1"}, {"upc": "1002", "name": "Modern Chair 1"}]}


@pytest.fixture
async def gateway(federation: FederationHarness) -> GatewayUnderTest:
    return await federation.gateway("bench")


async def post(gateway: GatewayUnderTest, body: Any, *, accept: str | None = None, **headers: str) -> Any:
    """POST ``body`` (bytes, or JSON-encoded) with ``accept`` (None: no Accept header at all)."""
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = gateway.client.build_request(
        "POST", "/graphql", content=content, headers={"content-type": "application/json", **headers}
    )
    if accept is None:
        del request.headers["accept"]  # httpx sends */* by default
    else:
        request.headers["accept"] = accept
    return await gateway.client.send(request)


def codes(response: Any) -> list[str]:
    return [error["extensions"]["code"] for error in response.json()["errors"]]


async def still_serves(gateway: GatewayUnderTest) -> None:
    response = await post(gateway, {"query": SMALL})
    assert response.status_code == 200
    assert response.json() == {"data": SMALL_DATA}


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        (None, GRJ),  # no Accept: graphql-response+json since the spec's 2025 watershed
        ("application/json", "application/json"),
        (GRJ, GRJ),
        ("*/*", "application/json"),  # anything goes: the legacy type
        (f"application/json;q=0.5, {GRJ}", GRJ),  # the higher quality wins
        (f"text/html, {GRJ};q=0.9, application/json;q=0.8", GRJ),  # unusable types are passed over
    ],
)
async def test_post_json_answers_in_the_accepted_media_type(
    gateway: GatewayUnderTest, accept: str | None, content_type: str
) -> None:
    response = await post(gateway, {"query": SMALL}, accept=accept)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(content_type)
    assert response.json() == {"data": SMALL_DATA}


async def test_get_runs_queries(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.get(
        "/graphql",
        params={"query": "query($n: Int) { topProducts(first: $n) { upc } }", "variables": '{"n": 1}'},
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"topProducts": [{"upc": "1001"}]}}


async def test_accept_that_fits_nothing_is_406(gateway: GatewayUnderTest) -> None:
    response = await post(gateway, {"query": SMALL}, accept="text/plain")
    assert response.status_code == 406
    assert codes(response) == ["BAD_REQUEST"]
    await still_serves(gateway)


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",  # not JSON at all
        "application/x-www-form-urlencoded",  # a form post
        "application/json; charset=latin-1",  # JSON, but not utf-8
    ],
)
async def test_unsupported_content_type_is_415(gateway: GatewayUnderTest, content_type: str) -> None:
    response = await gateway.client.post(
        "/graphql", content=b'{"query":"{__typename}"}', headers={"content-type": content_type}
    )
    assert response.status_code == 415
    assert codes(response) == ["BAD_REQUEST"]


async def test_missing_content_type_is_415(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.post("/graphql", content=b'{"query":"{__typename}"}')
    assert response.status_code == 415


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"", "empty"),  # no body
        (b"   ", "empty"),  # whitespace only
        (b'{"query": "{ __typename }"', "not valid JSON"),  # truncated JSON
        (b'[{"query": "{ __typename }"}]', "Batched"),  # a batch
        (b'"{ __typename }"', "JSON object"),  # a JSON string
        (b'{"qeury": "{ __typename }"}', "no query"),  # no query parameter
        (b'{"query": 1}', "no query"),  # query is not a string
        (b'{"query": "{ __typename }", "variables": "x"}', "variables"),  # variables is not a map
        (b'{"query": "{ __typename }", "operationName": 3}', "operationName"),  # operationName is not a string
        (b'{"query": "{ __typename }", "extensions": []}', "extensions"),  # extensions is not a map
    ],
)
async def test_unreadable_requests_are_400_with_a_code(gateway: GatewayUnderTest, body: bytes, fragment: str) -> None:
    for accept in ("application/json", GRJ):
        response = await post(gateway, body, accept=accept)
        assert response.status_code == 400
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "BAD_REQUEST"
        assert fragment in error["message"]
    await still_serves(gateway)


async def test_body_over_10_mb_is_413(gateway: GatewayUnderTest) -> None:
    padding = " " * (10 * 1024 * 1024)
    response = await post(gateway, f'{{"query": "{{ __typename }}"{padding}}}'.encode())
    assert response.status_code == 413
    assert codes(response) == ["BAD_REQUEST"]
    await still_serves(gateway)


async def test_body_just_under_the_limit_is_read(gateway: GatewayUnderTest) -> None:
    padding = " " * (10 * 1024 * 1024 - 100)
    response = await post(gateway, f'{{"query": "{{ __typename }}"{padding}}}'.encode())
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"query": "{ topProducts { "}, "GRAPHQL_PARSE_FAILED"),  # syntax error
        ({"query": "{ topProducts { nope } }"}, "GRAPHQL_VALIDATION_FAILED"),  # unknown field
        ({"query": "query A { __typename } query B { __typename }"}, "OPERATION_RESOLUTION_FAILURE"),  # no name
        ({"query": "query A { __typename }", "operationName": "C"}, "OPERATION_RESOLUTION_FAILURE"),  # unknown name
        ({"query": "query($n: Int!) { topProducts(first: $n) { upc } }"}, "BAD_USER_INPUT"),  # missing variable
        ({"query": "query($n: Int) { topProducts(first: $n) { upc } }", "variables": {"n": "x"}}, "BAD_USER_INPUT"),
    ],
)
async def test_request_errors_are_400_under_graphql_response_json_and_200_under_json(
    gateway: GatewayUnderTest, body: dict[str, Any], code: str
) -> None:
    strict = await post(gateway, body, accept=GRJ)
    assert strict.status_code == 400
    assert "data" not in strict.json()
    assert codes(strict) == [code]
    legacy = await post(gateway, body, accept="application/json")
    assert legacy.status_code == 200
    assert codes(legacy) == [code]
    await still_serves(gateway)


async def test_several_operations_run_the_named_one(gateway: GatewayUnderTest) -> None:
    body = {"query": "query A { __typename } query B { topProducts(first: 1) { upc } }", "operationName": "B"}
    response = await post(gateway, body)
    assert response.json() == {"data": {"topProducts": [{"upc": "1001"}]}}


async def test_subgraph_down_gives_partial_data_and_200(gateway: GatewayUnderTest) -> None:
    await gateway.subgraphs["inventory"].set_fault(Fault("down"))
    query = '{ product(upc: "1001") { name inStock } }'
    response = await post(gateway, {"query": query}, accept=GRJ)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"product": {"name": "Classic Table 1", "inStock": None}}
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [(["product"], "SUBGRAPH_UNAVAILABLE")]
    await gateway.subgraphs["inventory"].set_fault(None)
    await still_serves(gateway)


async def test_dev_mode_plan_header_returns_the_printed_plan(gateway: GatewayUnderTest) -> None:
    response = await post(gateway, {"query": SMALL}, **{"x-parkgraph-plan": "true"})
    plan = response.json()["extensions"]["queryPlan"]
    assert plan.startswith("QueryPlan {")
    assert 'Fetch(service: "products")' in plan


async def test_non_null_chain_over_a_failed_subgraph_nulls_data_with_one_error(gateway: GatewayUnderTest) -> None:
    # reviews is [Review!]! under [Product!]!: the null bubbles to data, and only the fetch error is reported.
    await gateway.subgraphs["reviews"].set_fault(Fault("html"))
    response = await post(gateway, {"query": "{ topProducts(first: 1) { name reviews { body } } }"}, accept=GRJ)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["topProducts"], "SUBGRAPH_INVALID_RESPONSE")
    ]


async def test_plan_header_is_ignored_outside_dev_mode(federation: FederationHarness) -> None:
    gateway = await federation.gateway("bench", dev_mode=False)
    response = await post(gateway, {"query": SMALL}, **{"x-parkgraph-plan": "true"})
    assert response.json() == {"data": SMALL_DATA}


async def test_introspection_answers_from_the_api_schema(gateway: GatewayUnderTest) -> None:
    response = await post(gateway, {"query": '{ __type(name: "Product") { fields { name } } }'})
    names = {field["name"] for field in response.json()["data"]["__type"]["fields"]}
    assert names == {"upc", "name", "price", "weight", "inStock", "shippingEstimate", "reviews"}
    schema = await post(gateway, {"query": "{ __schema { types { name } } }"})
    assert not any(t["name"].startswith("join__") for t in schema.json()["data"]["__schema"]["types"])


async def test_introspection_can_be_switched_off(federation: FederationHarness) -> None:
    gateway = await federation.gateway("bench", introspection=False)
    response = await post(gateway, {"query": "{ __schema { queryType { name } } }"}, accept=GRJ)
    assert response.status_code == 400
    assert set(codes(response)) == {"GRAPHQL_VALIDATION_FAILED"}
    typename = await post(gateway, {"query": "{ __typename }"})
    assert typename.json() == {"data": {"__typename": "Query"}}
    page = await gateway.client.get("/graphql", headers={"accept": "text/html"})
    assert not page.headers["content-type"].startswith("text/html")  # no GraphiQL without introspection


async def test_graphiql_for_browsers(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.get("/graphql", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


async def test_get_mutation_is_405(federation: FederationHarness) -> None:
    gateway = await federation.gateway("mutations")
    response = await gateway.client.get("/graphql", params={"query": "mutation { bumpA }"}, headers={"accept": GRJ})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert codes(response) == ["BAD_REQUEST"]
    assert gateway.subgraphs.counts() == {name: 0 for name in gateway.subgraphs}


async def test_other_methods_are_405(gateway: GatewayUnderTest) -> None:
    response = await gateway.client.put("/graphql", content=b"{}", headers={"content-type": "application/json"})
    assert response.status_code == 405


async def test_health_and_ready(gateway: GatewayUnderTest) -> None:
    assert (await gateway.client.get("/health")).json() == {"status": "ok"}
    ready = await gateway.client.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["subgraphs"] == {name: "ok" for name in gateway.subgraphs}
    await gateway.subgraphs["inventory"].set_fault(Fault("html"))  # "down" would still answer on pooled connections
    not_ready = await gateway.client.get("/ready")
    assert not_ready.status_code == 503
    assert not_ready.json()["subgraphs"]["inventory"] != "ok"


class _Boom(Plugin):
    """Raises inside the supergraph layer for one query: a bug must give 500, not kill the server."""

    def supergraph_service(self, service: SupergraphService) -> SupergraphService:
        async def wrapped(request: SupergraphRequest) -> SupergraphResponse:
            if "boom" in request.query:
                raise RuntimeError("boom")
            response = await service(request)
            response.extensions["wrapped"] = True
            return response

        return wrapped


async def test_plugins_wrap_layers_and_bugs_become_500(federation: FederationHarness) -> None:
    gateway = await federation.gateway("bench", plugins=[_Boom()])
    ok = await post(gateway, {"query": "{ __typename }"})
    assert ok.json() == {"data": {"__typename": "Query"}, "extensions": {"wrapped": True}}
    failed = await post(gateway, {"query": "{ boom: __typename }"})
    assert failed.status_code == 500
    assert codes(failed) == ["INTERNAL_SERVER_ERROR"]
    again = await post(gateway, {"query": "{ __typename }"})
    assert again.status_code == 200
