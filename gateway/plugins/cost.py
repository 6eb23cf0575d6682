"""Demand control: an operation's estimated cost from the supergraph's ``@cost`` and ``@listSize``.

Follows Apollo's static estimate (docs "Demand Control"): every field that
returns an object, interface or union costs 1, a scalar or enum field 0, a
root mutation field 10; ``@cost(weight:)`` on the field, on its return type
or on an argument the operation passes replaces or adds to that. A list field
multiplies the cost of one item (its own weight plus its selections) by its
expected size: the value of its ``@listSize(slicingArguments:)`` argument
(literal, variable or schema default; the largest when several are given),
else ``assumedSize``, else the configured default. ``sizedFields`` carry the
slicing size down to the named fields of a connection type. Fragments on
different concrete types count as the most expensive of them, since only one
applies to each object.

:class:`CostModel` reads the metadata once; :func:`compile_cost` turns one
operation into a small :class:`CostNode` tree that :meth:`CostNode.estimate`
evaluates per request with the request's variables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    ConstDirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)

from gateway.supergraph.links import read_links, value_of

DEFAULT_LIST_SIZE = 10
MUTATION_FIELD_COST = 10


@dataclass(frozen=True, slots=True)
class ListSize:
    """``@listSize`` on one field."""

    assumed_size: int | None = None
    slicing_arguments: tuple[str, ...] = ()
    sized_fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CostNode:
    """One field of an operation, compiled for cost estimation."""

    weight: float  # the field's own cost for one item
    arguments: float  # the @cost of the arguments it passes, counted once
    is_list: bool
    size: int  # the size when no slicing argument decides it
    slicing: tuple[str | int, ...] = ()  # literal sizes, or variable names ("$first" → "first")
    children: tuple[CostNode, ...] = ()
    alternatives: tuple[tuple[CostNode, ...], ...] = ()  # fragments on distinct types: the dearest counts

    def estimate(self, variables: Mapping[str, Any]) -> float:
        inner = self.weight + sum(child.estimate(variables) for child in self.children)
        if self.alternatives:
            inner += max(sum(child.estimate(variables) for child in group) for group in self.alternatives)
        if not self.is_list:
            return inner + self.arguments
        size = self.size
        if self.slicing:
            sizes = [v if isinstance(v, int) else variables.get(v) for v in self.slicing]
            given = [s for s in sizes if isinstance(s, int) and not isinstance(s, bool)]
            if given:
                size = max(0, *given)
        return size * inner + self.arguments


@dataclass(frozen=True, slots=True)
class OperationCost:
    """The compiled cost of one operation: the sum of its root fields."""

    roots: tuple[CostNode, ...]

    def estimate(self, variables: Mapping[str, Any]) -> float:
        return sum(root.estimate(variables) for root in self.roots)


@dataclass
class CostModel:
    """``@cost`` and ``@listSize`` of a supergraph schema, by ``Type.field``, type and ``Type.field(arg:)``."""

    schema: GraphQLSchema
    field_costs: dict[str, float] = field(default_factory=dict)
    type_costs: dict[str, float] = field(default_factory=dict)
    argument_costs: dict[str, float] = field(default_factory=dict)
    list_sizes: dict[str, ListSize] = field(default_factory=dict)
    default_list_size: int = DEFAULT_LIST_SIZE

    @classmethod
    def from_schema(cls, schema: GraphQLSchema, *, default_list_size: int = DEFAULT_LIST_SIZE) -> CostModel:
        """Reads the metadata from the supergraph schema's AST (names resolved through its ``@link`` imports)."""
        model = cls(schema, default_list_size=default_list_size)
        cost_name, list_size_name = _directive_names(schema)
        for type_name, named in schema.type_map.items():
            if type_name.startswith("__"):
                continue
            for node in _nodes(named):
                weight = _weight(getattr(node, "directives", None), cost_name)
                if weight is not None:
                    model.type_costs[type_name] = weight
            fields: Mapping[str, GraphQLField] = getattr(named, "fields", None) or {}
            for field_name, definition in fields.items():
                key = f"{type_name}.{field_name}"
                directives = definition.ast_node.directives if definition.ast_node is not None else ()
                weight = _weight(directives, cost_name)
                if weight is not None:
                    model.field_costs[key] = weight
                list_size = _list_size(directives, list_size_name)
                if list_size is not None:
                    model.list_sizes[key] = list_size
                for arg_name, argument in (getattr(definition, "args", None) or {}).items():
                    arg_directives = argument.ast_node.directives if argument.ast_node is not None else ()
                    weight = _weight(arg_directives, cost_name)
                    if weight is not None:
                        model.argument_costs[f"{key}({arg_name}:)"] = weight
        return model

    def compile(self, document: DocumentNode, operation: OperationDefinitionNode) -> OperationCost:
        fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        root = self.schema.get_root_type(operation.operation)
        if root is None:
            return OperationCost(())
        mutation = operation.operation == OperationType.MUTATION
        compiler = _Compiler(self, fragments)
        roots, alternatives = compiler.selections(root, operation.selection_set, None, frozenset(), mutation)
        if alternatives:  # fragments with type conditions at the root: only possible for the root type itself
            roots = roots + tuple(node for group in alternatives for node in group)
        return OperationCost(roots)


_Sized = tuple[ListSize, FieldNode, GraphQLField]  # a connection field whose size its sized fields take


class _Compiler:
    def __init__(self, model: CostModel, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self.model = model
        self.fragments = fragments

    def selections(
        self,
        parent: Any,
        selection_set: SelectionSetNode,
        sized: _Sized | None,
        visiting: frozenset[str],
        mutation_root: bool = False,
    ) -> tuple[tuple[CostNode, ...], tuple[tuple[CostNode, ...], ...]]:
        """The nodes that always count, and the groups of which only the dearest counts."""
        common: list[CostNode] = []
        by_type: dict[str, list[CostNode]] = {}
        self._collect(parent, selection_set, sized, visiting, mutation_root, common, by_type, None, parent.name)
        return tuple(common), tuple(tuple(group) for group in by_type.values())

    def _collect(
        self,
        parent: Any,
        selection_set: SelectionSetNode,
        sized: _Sized | None,
        visiting: frozenset[str],
        mutation_root: bool,
        common: list[CostNode],
        by_type: dict[str, list[CostNode]],
        scope: str | None,  # None: the selections apply to every object; else the type condition they need
        base: str,  # the field's declared type
    ) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                node = self.field(parent, selection, sized, visiting, mutation_root)
                if node is not None:
                    (common if scope is None else by_type.setdefault(scope, [])).append(node)
                continue
            if isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in visiting:
                    continue  # invalid documents are refused by validation; never loop on a cycle
                condition: str | None = fragment.type_condition.name.value
                sub_selection = fragment.selection_set
                visiting = visiting | {name}
            else:
                assert isinstance(selection, InlineFragmentNode)
                condition = selection.type_condition.name.value if selection.type_condition else None
                sub_selection = selection.selection_set
            target = self.model.schema.get_type(condition) if condition else parent
            if target is None:
                continue
            inner_scope = scope if condition is None or condition == base else condition
            field_parent = target if isinstance(target, GraphQLObjectType | GraphQLInterfaceType) else parent
            self._collect(
                field_parent, sub_selection, sized, visiting, mutation_root, common, by_type, inner_scope, base
            )

    def field(
        self,
        parent: Any,
        node: FieldNode,
        sized: _Sized | None,
        visiting: frozenset[str],
        mutation_root: bool,
    ) -> CostNode | None:
        name = node.name.value
        if name.startswith("__"):
            return None  # __typename and introspection: free
        fields: Mapping[str, GraphQLField] = getattr(parent, "fields", None) or {}
        definition = fields.get(name)
        if definition is None:
            return None
        model = self.model
        key = f"{parent.name}.{name}"
        named = get_named_type(definition.type)
        composite = isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType)
        weight = model.field_costs.get(key)
        if weight is None:
            weight = model.type_costs.get(named.name)
        if weight is None:
            weight = MUTATION_FIELD_COST if mutation_root else (1.0 if composite else 0.0)
        arguments = sum(model.argument_costs.get(f"{key}({arg.name.value}:)", 0.0) for arg in node.arguments or ())
        list_size = model.list_sizes.get(key)
        slicing = _slicing(list_size, node, definition) if list_size else ()
        size = list_size.assumed_size if list_size and list_size.assumed_size is not None else model.default_list_size
        if sized is not None and name in sized[0].sized_fields:
            outer_size, outer_node, outer_definition = sized
            slicing = _slicing(outer_size, outer_node, outer_definition) or slicing
            if outer_size.assumed_size is not None:
                size = outer_size.assumed_size
        children: tuple[CostNode, ...] = ()
        alternatives: tuple[tuple[CostNode, ...], ...] = ()
        if composite and node.selection_set is not None:
            child_sized = (list_size, node, definition) if list_size is not None and list_size.sized_fields else None
            children, alternatives = self.selections(named, node.selection_set, child_sized, visiting)
        is_list = _is_list(definition.type)
        if list_size is not None and list_size.sized_fields:
            is_list = False  # a connection: the size applies to its sized fields, not to itself
        if sized is not None and name in sized[0].sized_fields:
            is_list = True
        return CostNode(weight, arguments, is_list, size, slicing, children, alternatives)


def _slicing(list_size: ListSize, node: FieldNode, definition: GraphQLField) -> tuple[str | int, ...]:
    """The slicing sizes of ``node``: literals, variable names, else the arguments' schema defaults."""
    given = {arg.name.value: arg.value for arg in node.arguments or ()}
    result: list[str | int] = []
    for name in list_size.slicing_arguments:
        value = given.get(name)
        if isinstance(value, IntValueNode):
            result.append(int(value.value))
        elif isinstance(value, VariableNode):
            result.append(value.name.value)
        elif value is None:
            argument = definition.args.get(name)
            default = argument.ast_node.default_value if argument is not None and argument.ast_node else None
            if isinstance(default, IntValueNode):
                result.append(int(default.value))
    return tuple(result)


def _is_list(type_: Any) -> bool:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


def _nodes(named: Any) -> list[Any]:
    nodes = [named.ast_node] if getattr(named, "ast_node", None) is not None else []
    return nodes + list(getattr(named, "extension_ast_nodes", None) or ())


def _directive_names(schema: GraphQLSchema) -> tuple[str, str]:
    """The local names of ``@cost`` and ``@listSize`` (renamed by ``@link`` imports, bare when not linked)."""
    directives: list[ConstDirectiveNode] = []
    for node in [schema.ast_node, *schema.extension_ast_nodes]:
        if node is not None:
            directives.extend(node.directives or ())
    try:
        links = read_links(directives)
    except Exception:  # not a supergraph with @link (a plain schema in tests): bare names
        return "cost", "listSize"
    cost_link = links.get("cost")
    list_link = links.get("listSize") or cost_link
    cost = cost_link.directive("cost") if cost_link else "cost"
    list_size = list_link.directive("listSize") if list_link else "listSize"
    return cost, list_size


def _weight(directives: Any, name: str) -> float | None:
    for directive in directives or ():
        if directive.name.value == name:
            for argument in directive.arguments or ():
                if argument.name.value == "weight":
                    value = value_of(argument.value)
                    if isinstance(value, int | float | str):
                        return float(value)
    return None


def _list_size(directives: Any, name: str) -> ListSize | None:
    for directive in directives or ():
        if directive.name.value == name:
            args = {argument.name.value: value_of(argument.value) for argument in directive.arguments or ()}
            assumed = args.get("assumedSize")
            slicing = args.get("slicingArguments") or []
            sized = args.get("sizedFields") or []
            return ListSize(
                assumed_size=int(assumed) if isinstance(assumed, int) else None,
                slicing_arguments=tuple(str(s) for s in slicing) if isinstance(slicing, list) else (),
                sized_fields=tuple(str(s) for s in sized) if isinstance(sized, list) else (),
            )
    return None
