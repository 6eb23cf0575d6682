"""Type references across subgraphs: subtyping and the most general / most restrictive of several.

``T!`` is a subtype of ``T``; an implementation or union member is a subtype
of its interface or union (as the merged supergraph knows them); lists compare
element by element (federation-notes §2.5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set


class Subtyping:
    def __init__(self, supertypes: Mapping[str, Set[str]]) -> None:
        self.supertypes = supertypes  # named type -> interfaces it implements and unions it belongs to

    def is_subtype(self, sub: str, sup: str) -> bool:
        """Whether a value of type ``sub`` is always a valid ``sup`` (output positions)."""
        if sub == sup:
            return True
        if sup.endswith("!"):
            return sub.endswith("!") and self.is_subtype(sub[:-1], sup[:-1])
        if sub.endswith("!"):
            return self.is_subtype(sub[:-1], sup)
        if sub.startswith("[") and sup.startswith("["):
            return self.is_subtype(sub[1:-1], sup[1:-1])
        if sub.startswith("[") or sup.startswith("["):
            return False
        return sup in self.supertypes.get(sub, ())

    def most_general(self, types: Sequence[str]) -> str | None:
        """The output type every other type is a subtype of, or None if they are incompatible."""
        for candidate in types:
            if all(self.is_subtype(other, candidate) for other in types):
                return candidate
        return None

    @staticmethod
    def most_restrictive(types: Sequence[str]) -> str | None:
        """The input type that every other is a nullable version of, or None (inputs do not use subtyping)."""
        for candidate in types:
            if all(_nullable_version(other, candidate) for other in types):
                return candidate
        return None


def _nullable_version(loose: str, strict: str) -> bool:
    if loose == strict:
        return True
    if strict.endswith("!"):
        inner = strict[:-1]
        return _nullable_version(loose[:-1] if loose.endswith("!") else loose, inner)
    if loose.endswith("!"):
        return False
    if loose.startswith("[") and strict.startswith("["):
        return _nullable_version(loose[1:-1], strict[1:-1])
    return False
