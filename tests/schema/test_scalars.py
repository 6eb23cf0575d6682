"""Shared scalars: parsing, serialising, and BAD_USER_INPUT before any resolver runs."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import strawberry
from strawberry.schema.config import StrawberryConfig

from schema.scalars import SCALAR_MAP, USCC, Date, DateTime, Money, ResidentID, money

RESOLVER_CALLS: list[str] = []


@strawberry.type
class Query:
    @strawberry.field
    def enterprise(self, uscc: USCC) -> str:
        RESOLVER_CALLS.append(uscc)
        return uscc

    @strawberry.field
    def person(self, id: ResidentID) -> str:
        RESOLVER_CALLS.append(id)
        return id

    @strawberry.field
    def echo(self, at: DateTime | None = None, day: Date | None = None, amount: Money | None = None) -> str:
        return f"{at!r}|{day!r}|{amount!r}"

    @strawberry.field
    def utc_instant(self) -> DateTime:
        return datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.UTC)

    @strawberry.field
    def naive_instant(self) -> DateTime:
        return datetime.datetime(2026, 1, 1, 9, 30)

    @strawberry.field
    def capital(self) -> Money:
        return money(Decimal("50000000"))


SCHEMA = strawberry.Schema(Query, config=StrawberryConfig(scalar_map=SCALAR_MAP))


@pytest.mark.parametrize(
    ("query", "variables", "reason"),
    [
        # literal
        ('{ enterprise(uscc: "91350100M000100Y4X") }', None, "bad check character: expected '3', got 'X'"),
        # variable
        ("query($u: USCC!) { enterprise(uscc: $u) }", {"u": "91350100M000100Y4"}, "bad length: 17 characters"),
        ('{ person(id: "110105194912310021") }', None, "bad check character: expected 'X', got '1'"),
        ("query($p: ResidentID!) { person(id: $p) }", {"p": "1101051949123100I1"}, "character 'I' not allowed"),
    ],
)
def test_invalid_identifiers_are_bad_user_input_before_the_resolver(
    query: str, variables: dict[str, str] | None, reason: str
) -> None:
    RESOLVER_CALLS.clear()
    result = SCHEMA.execute_sync(query, variables)
    assert result.errors is not None
    assert result.errors[0].extensions == {"code": "BAD_USER_INPUT"}
    assert reason in result.errors[0].message
    assert RESOLVER_CALLS == []


def test_valid_uscc_reaches_the_resolver() -> None:
    result = SCHEMA.execute_sync("query($u: USCC!) { enterprise(uscc: $u) }", {"u": "91110000802100433B"})
    assert result.errors is None
    assert result.data == {"enterprise": "91110000802100433B"}


def test_outputs_render_in_china_standard_time_and_yuan() -> None:
    result = SCHEMA.execute_sync("{ utcInstant naiveInstant capital }")
    assert result.data == {
        "utcInstant": "2026-01-01T08:00:00+08:00",
        # naive datetimes from legacy systems are China Standard Time already
        "naiveInstant": "2026-01-01T09:30:00+08:00",
        "capital": "50000000.00",
    }


def test_inputs_parse_to_python_values() -> None:
    result = SCHEMA.execute_sync('{ echo(at: "2026-01-01T00:00:00Z", day: "2026-02-28", amount: "12.5") }')
    assert result.errors is None
    assert result.data is not None
    at, day, amount = result.data["echo"].split("|")
    assert "2026, 1, 1, 8, 0" in at and "CST" in at
    assert day == "datetime.date(2026, 2, 28)"
    assert amount == "Decimal('12.50')"


@pytest.mark.parametrize(
    ("argument", "reason"),
    [
        ('at: "2026-01-01T08:00:00"', "has no UTC offset"),
        ('at: "yesterday"', "is not ISO 8601"),
        ('day: "2026-02-30"', "is not a calendar date"),
        ('day: "20260228"', "expected YYYY-MM-DD"),
        ('amount: "1.234"', "at most two decimals"),
        ("amount: 1.5", "expected yuan as a decimal string"),
        ('amount: "1e5"', "at most two decimals"),
    ],
)
def test_invalid_time_and_money_inputs(argument: str, reason: str) -> None:
    result = SCHEMA.execute_sync(f"{{ echo({argument}) }}")
    assert result.errors is not None
    assert result.errors[0].extensions == {"code": "BAD_USER_INPUT"}
    assert reason in result.errors[0].message


def test_sdl_describes_scalars_with_the_chinese_term() -> None:
    sdl = SCHEMA.as_str()
    assert "统一社会信用代码" in sdl and "公民身份号码" in sdl and "+08:00" in sdl and "元" in sdl
