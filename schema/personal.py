"""Masking of personal data (resident ID numbers, phone numbers, person names, wages) in GraphQL answers.

Personal data stays unmasked in adapters and models; it is masked at the
GraphQL edge, in one place: resolvers of fields marked "(personal data)"
return ``context.personal.resident_id(value)`` (or ``phone``, ``name``,
``wage``) instead of the raw value. The :class:`Disclosure` on the request
context decides; the default, :data:`MASK_ALL`, masks everything. The auth
issue will build a ``Disclosure`` from the caller's scopes and declared
purpose in the subgraph's context factory, and audit each unmasked read
there, without touching a resolver.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import TypeVar

_W = TypeVar("_W", int, Decimal)


class PersonalKind(Enum):
    """The kinds of personal data a caller may be allowed to see unmasked."""

    RESIDENT_ID = "resident_id"
    PHONE = "phone"
    NAME = "name"
    WAGE = "wage"


def mask_resident_id(value: str) -> str:
    """``340102199001011234`` → ``3401**********1234``: region prefix and last four kept."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """``13905510001`` → ``139****0001``."""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str) -> str:
    """``王伟`` → ``王*``, ``欧阳娜娜`` → ``欧***``: the surname's first character only."""
    if not value:
        return value
    return value[0] + "*" * max(1, len(value) - 1)


@dataclass(frozen=True, slots=True)
class Disclosure:
    """Which kinds of personal data this request may see unmasked (none by default)."""

    revealed: frozenset[PersonalKind] = frozenset()

    def reveals(self, kind: PersonalKind) -> bool:
        return kind in self.revealed

    def resident_id(self, value: str | None) -> str | None:
        if value is None or self.reveals(PersonalKind.RESIDENT_ID):
            return value
        return mask_resident_id(value)

    def phone(self, value: str | None) -> str | None:
        if value is None or self.reveals(PersonalKind.PHONE):
            return value
        return mask_phone(value)

    def name(self, value: str | None) -> str | None:
        if value is None or self.reveals(PersonalKind.NAME):
            return value
        return mask_name(value)

    def wage(self, value: _W | None) -> _W | None:
        """A wage is hidden (``None``) unless revealed: there is no useful partial mask for an amount."""
        return value if self.reveals(PersonalKind.WAGE) else None


MASK_ALL = Disclosure()
"""The default: every kind of personal data masked."""
REVEAL_ALL = Disclosure(frozenset(PersonalKind))
"""For trusted internal callers and tests; the auth issue decides who gets it."""
