"""Deep merge rules (federation-notes §4.3)."""

from __future__ import annotations

from typing import Any

from gateway.executor.merge import deep_merge


def is_subtype(concrete: str, abstract: str) -> bool:
    return abstract == "Media" and concrete in {"Book", "Movie"}


def test_objects_merge_key_by_key_and_lists_element_wise() -> None:
    target: dict[str, Any] = {"a": {"x": 1}, "l": [{"id": 1}, {"id": 2}], "s": 1}
    deep_merge(target, {"a": {"y": 2}, "l": [{"n": "one"}, {"n": "two"}], "s": 2}, is_subtype)
    assert target == {"a": {"x": 1, "y": 2}, "l": [{"id": 1, "n": "one"}, {"id": 2, "n": "two"}], "s": 2}


def test_lists_of_different_length_are_replaced() -> None:
    target: dict[str, Any] = {"l": [1, 2]}
    deep_merge(target, {"l": [3]}, is_subtype)
    assert target == {"l": [3]}


def test_concrete_typename_is_never_overwritten_by_an_interface_name() -> None:
    target: dict[str, Any] = {"__typename": "Book", "id": "1"}
    deep_merge(target, {"__typename": "Media", "title": "T"}, is_subtype)
    assert target == {"__typename": "Book", "id": "1", "title": "T"}


def test_interface_typename_is_replaced_by_the_concrete_one() -> None:
    target: dict[str, Any] = {"__typename": "Media", "id": "1"}
    deep_merge(target, {"__typename": "Book"}, is_subtype)
    assert target["__typename"] == "Book"


def test_null_list_item_does_not_erase_merged_data() -> None:
    target: dict[str, Any] = {"l": [{"id": 1}, {"id": 2}]}
    deep_merge(target, {"l": [None, {"n": 2}]}, is_subtype)
    assert target == {"l": [{"id": 1}, {"id": 2, "n": 2}]}
