"""Relay connections for every list field: ``Connection[T]``, ``Edge[T]``, ``PageInfo`` and opaque cursors.

A list field returns ``Connection[Node]``; strawberry names the specialised
types ``NodeConnection`` and ``NodeEdge``. ``PageInfo`` is defined by every
subgraph, so it (and the generic types) are ``@shareable``. Cursors are
opaque to clients (base64 of a tagged string), so a subgraph may change how
it pages the legacy system without breaking clients::

    @strawberry.field
    async def enterprises(self, info: Info[...], first: int | None = None, after: str | None = None
                          ) -> Connection[Enterprise]:
        page = page_request(first, after)                     # validates, BAD_USER_INPUT otherwise
        items, total = await fetch(offset=page.offset, limit=page.limit)
        return connection_from_page(items, offset=page.offset, total_count=total)

For a legacy system with cursor paging, wrap its cursor with
:func:`encode_cursor` / :func:`decode_cursor` and build edges yourself.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import strawberry

from schema.errors import BadUserInput

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
_CURSOR_PREFIX = "pg:"
_OFFSET_PREFIX = "offset:"


@strawberry.federation.type(shareable=True, description="Where a page of a connection stands (分页信息).")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.federation.type(shareable=True, description="One item of a connection with its cursor.")
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.federation.type(shareable=True, description="A page of a list (Relay connection).")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int | None = strawberry.field(description="Items in the whole list, where the legacy system says.")


def encode_cursor(value: str) -> str:
    """An opaque cursor for ``value`` (an offset, a legacy cursor, a key)."""
    return base64.urlsafe_b64encode((_CURSOR_PREFIX + value).encode()).decode()


def decode_cursor(cursor: str) -> str:
    """The value inside a cursor made by :func:`encode_cursor`; ``BadUserInput`` for anything else."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeError, ValueError):
        raise BadUserInput(f"invalid cursor {cursor!r}") from None
    if not text.startswith(_CURSOR_PREFIX):
        raise BadUserInput(f"invalid cursor {cursor!r}")
    return text.removeprefix(_CURSOR_PREFIX)


def offset_cursor(offset: int) -> str:
    """The cursor of the item at ``offset`` (0-based) in an offset-paged list."""
    return encode_cursor(f"{_OFFSET_PREFIX}{offset}")


def offset_from_cursor(cursor: str) -> int:
    value = decode_cursor(cursor)
    number = value.removeprefix(_OFFSET_PREFIX)
    if not value.startswith(_OFFSET_PREFIX) or not number.isdigit():
        raise BadUserInput(f"invalid cursor {cursor!r}")
    return int(number)


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Which slice of an offset-paged list a client asked for."""

    offset: int
    limit: int


def page_request(
    first: int | None, after: str | None, *, default: int = DEFAULT_PAGE_SIZE, maximum: int = MAX_PAGE_SIZE
) -> PageRequest:
    """Validate ``first``/``after`` (``BadUserInput`` if out of range) and turn them into an offset and limit."""
    limit = default if first is None else first
    if limit < 0 or limit > maximum:
        raise BadUserInput(f"first must be between 0 and {maximum}, got {limit}")
    offset = 0 if after is None else offset_from_cursor(after) + 1
    return PageRequest(offset, limit)


def connection_from_page(
    items: Sequence[T], *, offset: int, total_count: int | None, has_next_page: bool | None = None
) -> Connection[T]:
    """A connection over ``items``, the slice of the list that starts at ``offset``.

    ``has_next_page`` defaults to what ``total_count`` implies; pass it when
    the legacy system gives no total.
    """
    edges = [Edge(cursor=offset_cursor(offset + i), node=item) for i, item in enumerate(items)]
    if has_next_page is None:
        has_next_page = total_count is not None and offset + len(items) < total_count
    page_info = PageInfo(
        has_next_page=has_next_page,
        has_previous_page=offset > 0,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(edges=edges, page_info=page_info, total_count=total_count)
