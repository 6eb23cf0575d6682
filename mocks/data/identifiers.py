"""Check characters of the identifiers the legacy systems issue.

The mocks stand for other people's systems and import nothing of ParkGraph,
so they compute check characters themselves (GB 32100 for unified social
credit codes, GB 11714 for organisation codes, GB 11643 for resident IDs).
"""

from __future__ import annotations

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def org_code_check(body: str) -> str:
    """GB 11714 check character for the 8-character organisation code body."""
    total = sum(int(ch, 36) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def uscc_check(first17: str) -> str:
    """GB 32100 check character for the first 17 characters of a USCC."""
    total = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def make_uscc(division: str, org_body: str) -> str:
    """A valid USCC for an enterprise (9 = market regulation, 1 = enterprise)."""
    first17 = "91" + division + org_body + org_code_check(org_body)
    return first17 + uscc_check(first17)


def resident_id_check(first17: str) -> str:
    """GB 11643 check character."""
    return _ID_CHECK[sum(int(ch) * w for ch, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def make_resident_id(division: str, birth: str, sequence: int) -> str:
    first17 = f"{division}{birth}{sequence:03d}"
    return first17 + resident_id_check(first17)
