"""Relay connection helpers: opaque cursors, page requests, page info."""

from __future__ import annotations

import pytest

from schema.errors import BadUserInput
from subgraphs.common.connections import (
    connection_from_page,
    decode_cursor,
    encode_cursor,
    offset_cursor,
    offset_from_cursor,
    page_request,
)


def test_cursors_round_trip_and_are_opaque() -> None:
    assert decode_cursor(encode_cursor("abc:1")) == "abc:1"
    assert offset_from_cursor(offset_cursor(41)) == 41
    assert "41" not in offset_cursor(41)


@pytest.mark.parametrize("cursor", ["garbage!", encode_cursor("offset:x"), encode_cursor("other"), "cGc6"])
def test_bad_cursors_are_bad_user_input(cursor: str) -> None:
    with pytest.raises(BadUserInput):
        offset_from_cursor(cursor)


def test_page_request() -> None:
    assert page_request(None, None) == (page_request(20, None))
    assert page_request(10, offset_cursor(9)).offset == 10
    with pytest.raises(BadUserInput, match="between 0 and 100"):
        page_request(101, None)
    with pytest.raises(BadUserInput):
        page_request(-1, None)


def test_connection_from_page() -> None:
    connection = connection_from_page(["c", "d"], offset=2, total_count=5)
    assert [edge.node for edge in connection.edges] == ["c", "d"]
    assert offset_from_cursor(connection.edges[0].cursor) == 2
    assert connection.page_info.end_cursor == connection.edges[1].cursor
    assert connection.page_info.has_next_page and connection.page_info.has_previous_page
    last = connection_from_page(["e"], offset=4, total_count=5)
    assert not last.page_info.has_next_page
    nothing: list[str] = []
    empty = connection_from_page(nothing, offset=0, total_count=None, has_next_page=False)
    assert empty.page_info.start_cursor is None and empty.total_count is None
