"""The error policy: legacy failures keep their code and name their system; bugs are masked."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import strawberry

from adapters.errors import AdapterError, LegacyTimeout, LegacyUnavailable, Rejected
from schema.errors import BadUserInput
from schema.scalars import USCC
from subgraphs.common import SubgraphContext, create_federation_schema


@strawberry.type
class Query:
    @strawberry.field
    def outage(self) -> str | None:
        raise LegacyUnavailable("registry", "HTTP 503")

    @strawberry.field
    def slow(self) -> str | None:
        raise LegacyTimeout("registry", "no answer after 5.0 s")

    @strawberry.field
    def refused(self) -> str | None:
        raise Rejected("registry", "企业不存在", legacy_code="1004")

    @strawberry.field
    def bad_argument(self) -> str | None:
        raise BadUserInput("first must be between 0 and 100, got 500")

    @strawberry.field
    def bug(self) -> str | None:
        raise KeyError("secret internal detail")

    @strawberry.field
    def echo(self, uscc: USCC) -> str:
        return uscc


SCHEMA = create_federation_schema(domain="registry", query=Query)


async def errors_of(query: str) -> list[dict[str, Any]]:
    result = await SCHEMA.execute(query, context_value=SubgraphContext())
    assert result.errors is not None
    return [dict(error.formatted) for error in result.errors]


@pytest.mark.parametrize(
    ("field", "code", "phrase"),
    [
        ("outage", "LEGACY_SYSTEM_UNAVAILABLE", "registry: legacy system 'registry' is unavailable: HTTP 503"),
        ("slow", "LEGACY_SYSTEM_TIMEOUT", "did not answer in time"),
        ("refused", "LEGACY_REJECTED", "rejected the request: 企业不存在"),
    ],
)
async def test_adapter_errors_keep_their_code_and_name_the_domain(field: str, code: str, phrase: str) -> None:
    [error] = await errors_of(f"{{ {field} }}")
    assert error["extensions"]["code"] == code
    assert error["extensions"]["domain"] == "registry"
    assert error["extensions"]["legacySystem"] == "registry"
    assert phrase in str(error["message"])
    assert error["path"] == [field]


async def test_partial_data_survives_a_legacy_failure() -> None:
    result = await SCHEMA.execute('{ outage echo(uscc: "91110000802100433B") }', context_value=SubgraphContext())
    assert result.data == {"outage": None, "echo": "91110000802100433B"}


async def test_rejected_carries_the_legacy_code() -> None:
    [error] = await errors_of("{ refused }")
    assert error["extensions"]["legacyCode"] == "1004"


async def test_subgraph_errors_keep_their_code() -> None:
    [error] = await errors_of("{ badArgument }")
    assert error["message"] == "first must be between 0 and 100, got 500"
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "domain": "registry"}


async def test_unexpected_errors_are_masked_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="subgraphs.errors"):
        [error] = await errors_of("{ bug }")
    assert error["message"] == "Internal server error"
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "domain": "registry"}
    assert "secret" not in str(error)
    assert any(record.exc_info and isinstance(record.exc_info[1], KeyError) for record in caplog.records)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ outage ", "GRAPHQL_PARSE_FAILED"),
        ("{ noSuchField }", "GRAPHQL_VALIDATION_FAILED"),
        ('{ echo(uscc: "9111000080210043") }', "BAD_USER_INPUT"),
    ],
)
async def test_request_errors_get_codes(query: str, code: str) -> None:
    errors = await errors_of(query)
    assert errors[0]["extensions"]["code"] == code


def test_base_adapter_error_code_is_registered() -> None:
    from schema.errors import CODES

    assert AdapterError.code in CODES
