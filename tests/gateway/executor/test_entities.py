"""Representations and rewrites, without a network."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.executor.entities import MissingInput, apply_rewrites, representation
from gateway.planner.plan import FieldSel, FragmentSel, KeyRenamer, ValueSetter

POSSIBLE = {"Media": {"Book", "Movie"}}


def is_a(typename: str, condition: str) -> bool:
    return typename == condition or typename in POSSIBLE.get(condition, set())


def test_nested_key_and_lists_are_selected_and_nulls_kept() -> None:
    requires = (
        FragmentSel(
            "User",
            (
                FieldSel("__typename"),
                FieldSel("id"),
                FieldSel("org", (FieldSel("id"),)),
                FieldSel("tags", (FieldSel("k"),)),
            ),
        ),
    )
    obj: dict[str, Any] = {
        "__typename": "User",
        "id": "1",
        "name": "not selected",
        "org": {"id": "9", "name": "x"},
        "tags": [{"k": 1, "v": 2}, None],
    }
    assert representation(obj, requires, is_a) == {
        "__typename": "User",
        "id": "1",
        "org": {"id": "9"},
        "tags": [{"k": 1}, None],
    }


def test_fragment_on_an_abstract_type_applies_to_its_implementations() -> None:
    requires = (FragmentSel("Media", (FieldSel("__typename"), FieldSel("id"))),)
    assert representation({"__typename": "Book", "id": "b"}, requires, is_a) == {"__typename": "Book", "id": "b"}


def test_no_applicable_fragment_means_not_this_fetch() -> None:
    requires = (FragmentSel("Movie", (FieldSel("__typename"), FieldSel("id"))),)
    assert representation({"__typename": "Book", "id": "b"}, requires, is_a) is None


@pytest.mark.parametrize(
    ("obj", "missing"),
    [
        ({"id": "1"}, "__typename"),  # no __typename at all
        ({"__typename": "User"}, "id"),  # the key field is absent
        ({"__typename": "User", "id": "1"}, "weight"),  # a @requires input is absent
    ],
)
def test_missing_inputs_raise(obj: dict[str, Any], missing: str) -> None:
    requires = (FragmentSel("User", (FieldSel("__typename"), FieldSel("id"), FieldSel("weight"))),)
    with pytest.raises(MissingInput) as info:
        representation(obj, requires, is_a)
    assert info.value.field_name == missing


def test_null_required_value_is_kept_not_missing() -> None:
    requires = (FragmentSel("User", (FieldSel("__typename"), FieldSel("id"), FieldSel("weight"))),)
    rep = representation({"__typename": "User", "id": "1", "weight": None}, requires, is_a)
    assert rep == {"__typename": "User", "id": "1", "weight": None}


def test_value_setter_rewrites_typename_only_for_the_matching_type() -> None:
    book: dict[str, Any] = {"__typename": "Book", "id": "1"}
    movie: dict[str, Any] = {"__typename": "Movie", "id": "2"}
    rewrites = (ValueSetter(("... on Book", "__typename"), "Media"),)
    apply_rewrites(book, rewrites, is_a)
    apply_rewrites(movie, rewrites, is_a)
    assert book == {"__typename": "Media", "id": "1"}
    assert movie == {"__typename": "Movie", "id": "2"}


def test_key_renamer_renames_inside_lists() -> None:
    value: dict[str, Any] = {"__typename": "User", "items": [{"p__alias_0": 1}, {"p__alias_0": 2}, None]}
    apply_rewrites(value, (KeyRenamer(("... on User", "items", "p__alias_0"), "p"),), is_a)
    assert value == {"__typename": "User", "items": [{"p": 1}, {"p": 2}, None]}
