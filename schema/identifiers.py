"""Validation of the identifiers ParkGraph accepts: USCC (GB 32100) and resident ID numbers (GB 11643).

Each check fails with :class:`InvalidIdentifier`, whose ``reason`` says exactly
what is wrong ("bad length: 17 characters, expected 18", "bad check character:
expected 'D', got 'X'", "character 'I' not allowed"), so that a client can fix
its input. Values are not normalised: a lower-case code is an error, not a
silent correction, because the legacy systems compare codes byte for byte.

The mocks compute the same check characters in ``mocks/data/identifiers.py``;
the duplication is deliberate (mocks stand for other people's systems and
share no code with the product).
"""

from __future__ import annotations

import datetime

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUES = {ch: i for i, ch in enumerate(USCC_CHARSET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_LENGTH = 18


class InvalidIdentifier(ValueError):
    """An identifier failed validation; ``reason`` is the precise, client-facing cause."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(f"invalid {kind}: {reason}")
        self.kind = kind
        self.reason = reason


def uscc_check_character(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a USCC (all from the charset)."""
    total = sum(_USCC_VALUES[ch] * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def validate_uscc(value: object) -> str:
    """Return ``value`` if it is a valid unified social credit code (统一社会信用代码), else raise."""
    kind = "unified social credit code (USCC)"
    if not isinstance(value, str):
        raise InvalidIdentifier(kind, f"expected a string, got {type(value).__name__}")
    _check_length(kind, value)
    for position, ch in enumerate(value, start=1):
        if ch not in _USCC_VALUES:
            hint = " (use upper case)" if ch.upper() in _USCC_VALUES else ""
            raise InvalidIdentifier(kind, f"character {ch!r} not allowed at position {position}{hint}")
    if not value[2:8].isdigit():
        raise InvalidIdentifier(kind, f"bad division code: {value[2:8]!r} in positions 3-8 must be six digits")
    expected = uscc_check_character(value[:17])
    if value[17] != expected:
        raise InvalidIdentifier(kind, f"bad check character: expected {expected!r}, got {value[17]!r}")
    return value


def resident_id_check_character(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of a resident ID number."""
    return _ID_CHECK[sum(int(ch) * w for ch, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def validate_resident_id(value: object) -> str:
    """Return ``value`` if it is a valid 18-character resident ID number (公民身份号码), else raise."""
    kind = "resident ID number"
    if not isinstance(value, str):
        raise InvalidIdentifier(kind, f"expected a string, got {type(value).__name__}")
    _check_length(kind, value)
    for position, ch in enumerate(value[:17], start=1):
        if not ("0" <= ch <= "9"):
            raise InvalidIdentifier(kind, f"character {ch!r} not allowed at position {position} (digits only)")
    last = value[17]
    if not ("0" <= last <= "9" or last == "X"):
        hint = " (use upper-case 'X')" if last == "x" else ""
        raise InvalidIdentifier(kind, f"character {last!r} not allowed at position 18{hint}")
    birth = value[6:14]
    try:
        datetime.date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    except ValueError:
        raise InvalidIdentifier(kind, f"bad birth date: {birth!r} is not a calendar date") from None
    expected = resident_id_check_character(value[:17])
    if last != expected:
        raise InvalidIdentifier(kind, f"bad check character: expected {expected!r}, got {last!r}")
    return value


def _check_length(kind: str, value: str) -> None:
    if len(value) != _LENGTH:
        noun = "character" if len(value) == 1 else "characters"
        raise InvalidIdentifier(kind, f"bad length: {len(value)} {noun}, expected {_LENGTH}")
