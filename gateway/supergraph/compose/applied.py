"""Merges the directives that survive composition: ``@inaccessible`` is sticky, tags unite, auth conjoins.

``@requiresScopes``/``@policy`` are disjunctions of conjunctions; applications
in several subgraphs must all hold, so their DNFs are multiplied out.
``@cost`` takes the maximum; ``@listSize`` the nullable maximum, unions and AND.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from graphql import print_ast

from gateway.supergraph.compose.codes import Hint
from gateway.supergraph.compose.model import Applied


def merge_applied(sources: Iterable[Applied]) -> Applied:
    result = Applied()
    seen_composed: set[str] = set()
    for applied in sources:
        result.inaccessible = result.inaccessible or applied.inaccessible
        for tag in applied.tags:
            if tag not in result.tags:
                result.tags.append(tag)
        result.authenticated = result.authenticated or applied.authenticated
        result.scopes.extend(applied.scopes)
        result.policies.extend(applied.policies)
        if applied.cost is not None:
            result.cost = applied.cost if result.cost is None else max(result.cost, applied.cost)
        if applied.list_size is not None:
            result.list_size = _merge_list_size(result.list_size, applied.list_size)
        if result.deprecated is None:
            result.deprecated = applied.deprecated
        if result.specified_by is None:
            result.specified_by = applied.specified_by
        for directive in applied.composed:
            printed = print_ast(directive)
            if printed not in seen_composed:
                seen_composed.add(printed)
                result.composed.append(directive)
    if len(result.scopes) > 1:
        result.scopes = [conjunction(result.scopes)]
    if len(result.policies) > 1:
        result.policies = [conjunction(result.policies)]
    return result


def conjunction(dnfs: list[list[list[str]]]) -> list[list[str]]:
    """All of several DNF requirements, as one DNF (deduplicated, each conjunction sorted)."""
    result: list[list[str]] = [[]]
    for dnf in dnfs:
        result = [sorted({*left, *right}) for left in result for right in dnf]
    unique: list[list[str]] = []
    for clause in result:
        if clause not in unique:
            unique.append(clause)
    return unique


def _merge_list_size(left: dict[str, object] | None, right: dict[str, object]) -> dict[str, object]:
    if left is None:
        return dict(right)
    merged = dict(left)
    sizes = [s for s in (left.get("assumedSize"), right.get("assumedSize")) if isinstance(s, int)]
    if sizes:
        merged["assumedSize"] = max(sizes)
    for name in ("slicingArguments", "sizedFields"):
        values = [*_strings(left.get(name)), *_strings(right.get(name))]
        if values:
            merged[name] = list(dict.fromkeys(values))
    merged["requireOneSlicingArgument"] = (
        left.get("requireOneSlicingArgument", True) is not False
        and right.get("requireOneSlicingArgument", True) is not False
    )
    return merged


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def pick_description(descriptions: Sequence[str | None], element: str, hints: list[Hint]) -> str | None:
    """The most common description (ties: the first subgraph's); a hint when they differ."""
    present = [d for d in descriptions if d is not None]
    if not present:
        return None
    counts = Counter(present)
    if len(counts) > 1:
        hints.append(
            Hint("INCONSISTENT_DESCRIPTION", f'Element "{element}" has inconsistent descriptions across subgraphs.')
        )
    best = max(counts.values())
    return next(d for d in present if counts[d] == best)
