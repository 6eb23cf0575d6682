"""The scalars every subgraph shares: ``USCC``, ``ResidentID``, ``DateTime``, ``Date`` and ``Money``.

Use them in strawberry types by annotation::

    from schema.scalars import USCC, Date, DateTime, Money

    @strawberry.type
    class Enterprise:
        uscc: USCC            # NewType of str: build with USCC("91340100...")
        established: Date     # plain datetime.date
        updated_at: DateTime  # plain datetime.datetime (aware; naive ones are read as CST)
        capital: Money        # NewType of Decimal: build with Money(Decimal("1.00"))

and build the schema with :data:`SCALAR_MAP` in its ``StrawberryConfig``
(``subgraphs.common.create_federation_schema`` does that). ``DateTime`` and
``Date`` replace strawberry's built-ins of the same names, so a field typed
``datetime`` always renders in China Standard Time (+08:00).

Invalid input raises a ``GraphQLError`` with ``extensions.code =
"BAD_USER_INPUT"`` and the precise reason; graphql-core reports it while
coercing variables or validating literals, i.e. before any resolver (and so
any legacy call) runs.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition

from schema.errors import bad_user_input
from schema.identifiers import InvalidIdentifier, validate_resident_id, validate_uscc

USCC = NewType("USCC", str)
ResidentID = NewType("ResidentID", str)
Money = NewType("Money", Decimal)
DateTime = datetime.datetime
Date = datetime.date

CHINA_STANDARD_TIME = datetime.timezone(datetime.timedelta(hours=8), "CST")
_FEN = Decimal("0.01")
_MONEY_PATTERN = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]{1,2})?")
_DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _parse_uscc(value: object) -> USCC:
    try:
        return USCC(validate_uscc(value))
    except InvalidIdentifier as exc:
        raise bad_user_input(str(exc)) from exc


def _parse_resident_id(value: object) -> ResidentID:
    try:
        return ResidentID(validate_resident_id(value))
    except InvalidIdentifier as exc:
        raise bad_user_input(str(exc)) from exc


def to_china_time(value: datetime.datetime) -> datetime.datetime:
    """``value`` in China Standard Time; a naive value is taken to be CST already (as legacy systems write it)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=CHINA_STANDARD_TIME)
    return value.astimezone(CHINA_STANDARD_TIME)


def _serialize_datetime(value: datetime.datetime) -> str:
    return to_china_time(value).isoformat()


def _parse_datetime(value: object) -> datetime.datetime:
    if not isinstance(value, str):
        raise bad_user_input(f"invalid DateTime: expected an ISO 8601 string, got {type(value).__name__}")
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise bad_user_input(f"invalid DateTime: {value!r} is not ISO 8601 (e.g. 2026-03-18T09:30:00+08:00)") from None
    if parsed.tzinfo is None:
        raise bad_user_input(f"invalid DateTime: {value!r} has no UTC offset (add +08:00 for China Standard Time)")
    return parsed.astimezone(CHINA_STANDARD_TIME)


def _serialize_date(value: datetime.date) -> str:
    if isinstance(value, datetime.datetime):
        value = to_china_time(value).date()
    return value.isoformat()


def _parse_date(value: object) -> datetime.date:
    if not isinstance(value, str) or not _DATE_PATTERN.fullmatch(value):
        raise bad_user_input(f"invalid Date: expected YYYY-MM-DD, got {value!r}")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise bad_user_input(f"invalid Date: {value!r} is not a calendar date") from None


def money(value: Decimal | int | str) -> Money:
    """A :data:`Money` amount in yuan, rounded to the fen (0.01 yuan)."""
    return Money(Decimal(value).quantize(_FEN))


def _serialize_money(value: Decimal) -> str:
    return str(Decimal(value).quantize(_FEN))


def _parse_money(value: object) -> Money:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise bad_user_input(f'invalid Money: expected yuan as a decimal string like "1234.50", got {value!r}')
    text = str(value)
    if not _MONEY_PATTERN.fullmatch(text):
        raise bad_user_input(f"invalid Money: {text!r} is not a yuan amount with at most two decimals")
    try:
        return money(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise bad_user_input(f"invalid Money: {text!r}") from None


USCC_SCALAR: ScalarDefinition = strawberry.scalar(
    name="USCC",
    description=("Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters with a check character."),
    serialize=str,
    parse_value=_parse_uscc,
)
RESIDENT_ID_SCALAR: ScalarDefinition = strawberry.scalar(
    name="ResidentID",
    description="Resident identity card number (公民身份号码, GB 11643-1999): 18 characters with a check character. "
    "Personal data.",
    serialize=str,
    parse_value=_parse_resident_id,
)
DATETIME_SCALAR: ScalarDefinition = strawberry.scalar(
    name="DateTime",
    description="An instant as ISO 8601 with its UTC offset, rendered in China Standard Time "
    "(北京时间, +08:00), e.g. 2026-03-18T09:30:00+08:00.",
    serialize=_serialize_datetime,
    parse_value=_parse_datetime,
)
DATE_SCALAR: ScalarDefinition = strawberry.scalar(
    name="Date",
    description="A calendar date (日期) as ISO 8601 YYYY-MM-DD.",
    serialize=_serialize_date,
    parse_value=_parse_date,
)
MONEY_SCALAR: ScalarDefinition = strawberry.scalar(
    name="Money",
    description='An amount of money in yuan (金额, 元) as a decimal string with two decimals, e.g. "50000000.00".',
    serialize=_serialize_money,
    parse_value=_parse_money,
)

SCALAR_MAP: dict[object, ScalarDefinition] = {
    USCC: USCC_SCALAR,
    ResidentID: RESIDENT_ID_SCALAR,
    Money: MONEY_SCALAR,
    datetime.datetime: DATETIME_SCALAR,
    datetime.date: DATE_SCALAR,
}
"""Pass as ``StrawberryConfig(scalar_map=SCALAR_MAP)``; the federation schema helper does it for you."""
