"""USCC and resident ID validation gives the precise reason for each failure."""

from __future__ import annotations

import pytest

from schema.identifiers import InvalidIdentifier, validate_resident_id, validate_uscc


@pytest.mark.parametrize("uscc", ["91350100M000100Y43", "91110000802100433B", "914403001922038216"])
def test_published_uscc_are_valid(uscc: str) -> None:
    assert validate_uscc(uscc) == uscc


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        # one character short
        ("91350100M000100Y4", "bad length: 17 characters, expected 18"),
        ("", "bad length: 0 characters, expected 18"),
        # last character changed
        ("91350100M000100Y4X", "bad check character: expected '3', got 'X'"),
        # I, O, S, V, Z are not in the GB 32100 charset
        ("91350100M0I0100Y43", "character 'I' not allowed at position 11"),
        ("91350100m000100Y43", "character 'm' not allowed at position 9 (use upper case)"),
        # the division code must be digits
        ("9135A100M000100Y43", "bad division code: '35A100' in positions 3-8 must be six digits"),
    ],
)
def test_invalid_uscc_reasons(value: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        validate_uscc(value)
    assert info.value.reason == reason


def test_uscc_must_be_a_string() -> None:
    with pytest.raises(InvalidIdentifier, match="expected a string, got int"):
        validate_uscc(913501)


def test_published_resident_id_is_valid() -> None:
    assert validate_resident_id("11010519491231002X") == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        # an old 15-digit card number
        ("110105491231002", "bad length: 15 characters, expected 18"),
        ("110105194912310021", "bad check character: expected 'X', got '1'"),
        ("11010519491231002x", "character 'x' not allowed at position 18 (use upper-case 'X')"),
        ("1101051949123100AX", "character 'A' not allowed at position 17 (digits only)"),
        # 31 February
        ("110105194902310021", "bad birth date: '19490231' is not a calendar date"),
    ],
)
def test_invalid_resident_id_reasons(value: str, reason: str) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        validate_resident_id(value)
    assert info.value.reason == reason
