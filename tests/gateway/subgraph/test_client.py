"""The subgraph client's encoding, deadlines and failure mapping, on a fake transport."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
import pytest

from gateway.context import RequestContext
from gateway.subgraph import (
    RawResponse,
    SubgraphClient,
    SubgraphError,
    SubgraphInvalidResponse,
    SubgraphRequest,
    SubgraphUnavailable,
    UpstreamTimeout,
)


class FakeTransport:
    """Answers every POST with ``answer`` (or raises it) and records what was sent."""

    def __init__(self, answer: RawResponse | Exception) -> None:
        self.answer = answer
        self.sent: list[tuple[str, Any, dict[str, str], float]] = []

    async def __call__(self, url: str, body: bytes, headers: Mapping[str, str], time_limit: float) -> RawResponse:
        self.sent.append((url, orjson.loads(body), dict(headers), time_limit))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def request(headers: dict[str, str] | None = None, *, deadline_in: float = 5.0) -> SubgraphRequest:
    context = RequestContext.create({"traceparent": "00-abc-def-01", "x-request-id": "rid-1"}, timeout=deadline_in)
    return SubgraphRequest("products", {"query": "{a}"}, context, headers or {})


def json_answer(payload: Any, status: int = 200, content_type: str = "application/json") -> RawResponse:
    return RawResponse(status, content_type, orjson.dumps(payload))


async def test_sends_json_with_trace_headers_and_the_remaining_time() -> None:
    transport = FakeTransport(json_answer({"data": {"a": 1}, "errors": [{"message": "m"}]}))
    client = SubgraphClient({"products": "http://p/graphql"}, transport)
    response = await client(request({"x-identity": "signed"}))
    assert response.data == {"a": 1}
    assert response.errors == [{"message": "m"}]
    url, body, headers, time_limit = transport.sent[0]
    assert (url, body) == ("http://p/graphql", {"query": "{a}"})
    assert headers["content-type"] == "application/json"
    assert headers["traceparent"] == "00-abc-def-01"
    assert headers["x-request-id"] == "rid-1"
    assert headers["x-identity"] == "signed"
    assert 4.0 < time_limit <= 5.0


@pytest.mark.parametrize(
    ("answer", "failure"),
    [
        (ConnectionError("refused"), SubgraphUnavailable),  # nothing listens
        (TimeoutError("slow"), UpstreamTimeout),  # the transport gave up at the deadline
        (RawResponse(502, "text/plain", b"bad gateway", "Bad Gateway"), SubgraphUnavailable),  # HTTP error status
        (json_answer({"data": None}, 500), SubgraphUnavailable),  # error status with a plain JSON body
        (RawResponse(502, "text/html", b"<html>bad gateway</html>"), SubgraphUnavailable),  # a proxy's error page
        (RawResponse(200, "text/html", b"<html>oops</html>"), SubgraphInvalidResponse),  # HTML with a 200
        (RawResponse(200, "application/json", b"<!doctype html>"), SubgraphInvalidResponse),  # HTML, mislabelled
        (RawResponse(200, "application/json", b'{"data":'), SubgraphInvalidResponse),  # truncated JSON
        (json_answer([1, 2]), SubgraphInvalidResponse),  # JSON, but not an object
        (json_answer({"result": 1}), SubgraphInvalidResponse),  # an object without data or errors
        (json_answer({"data": [1]}), SubgraphInvalidResponse),  # data is not an object
        (json_answer({"errors": "no"}), SubgraphInvalidResponse),  # errors is not a list
    ],
)
async def test_failures_are_typed(answer: RawResponse | Exception, failure: type[SubgraphError]) -> None:
    client = SubgraphClient({"products": "http://p/graphql"}, FakeTransport(answer))
    with pytest.raises(failure) as info:
        await client(request())
    assert info.value.service_name == "products"
    assert info.value.code == failure.code
    assert "products" in info.value.message


async def test_graphql_response_json_error_status_keeps_its_errors() -> None:
    answer = json_answer({"errors": [{"message": "bad op"}]}, 400, "application/graphql-response+json")
    client = SubgraphClient({"products": "http://p/graphql"}, FakeTransport(answer))
    response = await client(request())
    assert response.data is None
    assert response.errors == [{"message": "bad op"}]


async def test_unknown_service_is_unavailable() -> None:
    client = SubgraphClient({}, FakeTransport(json_answer({"data": {}})))
    with pytest.raises(SubgraphUnavailable):
        await client(request())


async def test_passed_deadline_is_a_timeout_without_a_call() -> None:
    transport = FakeTransport(json_answer({"data": {}}))
    client = SubgraphClient({"products": "http://p/graphql"}, transport)
    with pytest.raises(UpstreamTimeout):
        await client(request(deadline_in=0.0))
    assert transport.sent == []
