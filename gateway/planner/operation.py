"""Prepares a client operation for planning: picks it, inlines fragment spreads, reads @skip/@include."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    VariableNode,
)

from gateway.errors import OperationResolution

# A condition on a variable: (name, the value it must have for the selection to be included).
Condition = tuple[str, bool]


def select_operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        if len(operations) != 1:
            raise OperationResolution(
                "the document holds several operations: operationName is required"
                if operations
                else "the document holds no operation"
            )
        return operations[0]
    for operation in operations:
        if operation.name is not None and operation.name.value == operation_name:
            return operation
    raise OperationResolution(f'unknown operation named "{operation_name}"')


def fragments_of(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def inline_fragments(
    selection_set: SelectionSetNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> SelectionSetNode:
    """The selection set with every named fragment spread replaced by an inline fragment."""
    selections: list[SelectionNode] = []
    for node in selection_set.selections:
        if isinstance(node, FragmentSpreadNode):
            fragment = fragments[node.name.value]
            selections.append(
                InlineFragmentNode(
                    type_condition=fragment.type_condition,
                    directives=node.directives,
                    selection_set=inline_fragments(fragment.selection_set, fragments),
                )
            )
        elif isinstance(node, FieldNode | InlineFragmentNode) and node.selection_set is not None:
            selections.append(replace(node, selection_set=inline_fragments(node.selection_set, fragments)))
        else:
            selections.append(node)
    return SelectionSetNode(selections=tuple(selections))


def conditions_of(directives: Sequence[DirectiveNode] | None) -> tuple[Condition, ...] | None:
    """The variable conditions of @skip/@include; None when a literal excludes the selection."""
    result: list[Condition] = []
    for directive in directives or ():
        name = directive.name.value
        if name not in ("skip", "include"):
            continue
        value = next((a.value for a in directive.arguments or () if a.name.value == "if"), None)
        wanted = name == "include"
        if isinstance(value, BooleanValueNode):
            if value.value != wanted:
                return None
        elif isinstance(value, VariableNode):
            result.append((value.name.value, wanted))
    return tuple(result)
