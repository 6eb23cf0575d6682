"""Checks a ``@key``/``@requires``/``@provides`` field set against one subgraph's types."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import FieldNode, GraphQLSyntaxError, InlineFragmentNode, SelectionSetNode

from gateway.errors import SupergraphError
from gateway.supergraph.compose.model import Field, Kind, Subgraph, named_type
from gateway.supergraph.fieldsets import parse_field_set


@dataclass(slots=True)
class FieldSetCheck:
    """What a field set selects: its parse, problems, and the (type, field) pairs it names."""

    selection: SelectionSetNode | None = None
    problems: list[str] = field(default_factory=list)
    top_level: list[tuple[str, Field]] = field(default_factory=list)
    nested: list[tuple[str, Field]] = field(default_factory=list)
    has_directives: bool = False


def check_field_set(subgraph: Subgraph, type_name: str, fields: str) -> FieldSetCheck:
    result = FieldSetCheck()
    try:
        result.selection = parse_field_set(fields)
    except (SupergraphError, GraphQLSyntaxError) as exc:
        result.problems.append(str(getattr(exc, "message", exc)))
        return result
    _walk(subgraph, type_name, result.selection, result, top=True)
    return result


def _walk(subgraph: Subgraph, type_name: str, selection: SelectionSetNode, result: FieldSetCheck, top: bool) -> None:
    parent = subgraph.types.get(type_name)
    for node in selection.selections:
        if node.directives:
            result.has_directives = True
        if isinstance(node, InlineFragmentNode):
            condition = node.type_condition.name.value if node.type_condition else type_name
            if condition not in subgraph.types:
                result.problems.append(f'Unknown type "{condition}"')
                continue
            _walk(subgraph, condition, node.selection_set, result, top)
            continue
        if not isinstance(node, FieldNode):
            result.problems.append("fragment spreads are not allowed in field sets")
            continue
        name = node.name.value
        if name == "__typename":
            continue
        field_def = parent.fields.get(name) if parent is not None else None
        if field_def is None:
            result.problems.append(
                f'Cannot query field "{name}" on type "{type_name}" (if the field is defined in '
                "another subgraph, you need to add it to this subgraph with @external)."
            )
            continue
        (result.top_level if top else result.nested).append((type_name, field_def))
        child = subgraph.types.get(named_type(field_def.type))
        composite = child is not None and child.kind in (Kind.OBJECT, Kind.INTERFACE, Kind.UNION)
        # An abstract-typed field is reported by its own rule in a key (KEY_FIELDS_SELECT_INVALID_TYPE).
        abstract = child is not None and child.kind in (Kind.INTERFACE, Kind.UNION)
        if composite and node.selection_set is None and not abstract:
            result.problems.append(
                f'Field "{type_name}.{name}" of type "{field_def.type}" must have a selection of subfields'
            )
        elif not composite and node.selection_set is not None:
            result.problems.append(
                f'Field "{type_name}.{name}" must not have a selection since type "{field_def.type}" has no subfields'
            )
        elif node.selection_set is not None and child is not None:
            _walk(subgraph, child.name, node.selection_set, result, top=False)
