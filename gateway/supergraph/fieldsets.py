"""Parses the field sets of ``@key``, ``@requires`` and ``@provides``.

A field set is a selection set without its braces (``"id org { id }"``,
``"... on Book { isbn }"``). The planner plans it as a selection (the AST,
arguments included); the executor copies values along it (the
:class:`~gateway.planner.plan.Selection` tree).
"""

from __future__ import annotations

from functools import lru_cache

from graphql import FieldNode, GraphQLSyntaxError, InlineFragmentNode, SelectionSetNode, parse

from gateway.errors import SupergraphError
from gateway.planner.plan import FieldSel, FragmentSel, Selection


@lru_cache(maxsize=4096)
def parse_field_set(fields: str) -> SelectionSetNode:
    try:
        document = parse("{" + fields + "}", no_location=True)
    except GraphQLSyntaxError as exc:
        raise SupergraphError(f"invalid field set {fields!r}: {exc.message}") from exc
    operation = document.definitions[0]
    return operation.selection_set  # type: ignore[attr-defined, no-any-return]


def to_selections(selection_set: SelectionSetNode | None) -> tuple[Selection, ...]:
    """The executor's view of a field set: names and type conditions only."""
    if selection_set is None:
        return ()
    result: list[Selection] = []
    for node in selection_set.selections:
        if isinstance(node, FieldNode):
            # A required field with arguments is aliased by nobody: its value sits under its name.
            result.append(FieldSel(node.name.value, to_selections(node.selection_set)))
        elif isinstance(node, InlineFragmentNode) and node.type_condition is not None:
            result.append(FragmentSel(node.type_condition.name.value, to_selections(node.selection_set)))
        else:
            raise SupergraphError("field sets may only hold fields and inline fragments with a type condition")
    return tuple(result)


def field_names(selection_set: SelectionSetNode) -> frozenset[str]:
    """The top-level field names of a field set (fragments looked through)."""
    names: set[str] = set()
    for node in selection_set.selections:
        if isinstance(node, FieldNode):
            names.add(node.name.value)
        elif isinstance(node, InlineFragmentNode):
            names |= field_names(node.selection_set)
    return frozenset(names)
