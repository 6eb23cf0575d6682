"""Compiles a client operation into cheap shaping steps (the response-shaping program).

Shaping walks the operation over the merged data on every request, so the
operation is resolved against the API schema once: fragments inlined, fields
grouped by response key in query order, types reduced to small step objects.
``@skip``/``@include`` are resolved at compile time for one assignment of the
boolean variables they read; the program keeps one compiled tree per
assignment seen (usually one or two).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    BooleanValueNode,
    DirectiveNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    SelectionSetNode,
    VariableNode,
)

LEAF, ENUM, LIST, OBJECT, ABSTRACT = range(5)


class TypeStep:
    """How to complete a value of one output type (``non_null`` says whether null must bubble)."""

    __slots__ = (
        "_compiler",
        "_selections",
        "by_type",
        "enum_values",
        "fields",
        "item",
        "kind",
        "non_null",
        "type_name",
    )

    def __init__(self, kind: int, non_null: bool, type_name: str) -> None:
        self.kind = kind
        self.non_null = non_null
        self.type_name = type_name
        self.item: TypeStep | None = None  # LIST: the item type
        self.enum_values: frozenset[str] = frozenset()  # ENUM: the values the API schema knows
        self.fields: list[FieldStep] = []  # OBJECT: the fields to emit, in order
        self.by_type: dict[str, list[FieldStep] | None] = {}  # ABSTRACT: runtime type -> fields (filled lazily)
        self._compiler: _Compiler | None = None
        self._selections: tuple[SelectionSetNode, ...] = ()

    def fields_for(self, runtime_type: str) -> list[FieldStep] | None:
        """ABSTRACT: the fields for a runtime type, or None when it is not a possible type here."""
        try:
            return self.by_type[runtime_type]
        except KeyError:
            assert self._compiler is not None
            fields = self._compiler.fields_for_runtime(self.type_name, runtime_type, self._selections)
            self.by_type[runtime_type] = fields
            return fields


class FieldStep:
    """One response key of an object: where to read it and how to complete it."""

    __slots__ = ("field_name", "key", "parent_type", "type")

    def __init__(self, key: str, field_name: str, parent_type: str, type_: TypeStep | None) -> None:
        self.key = key
        self.field_name = field_name
        self.parent_type = parent_type
        self.type = type_  # None for __typename, which is computed, never read


def condition_variables(
    selection_sets: list[SelectionSetNode], fragments: Mapping[str, FragmentDefinitionNode]
) -> tuple[str, ...]:
    """The variables that ``@skip``/``@include`` read anywhere in the operation, sorted."""
    names: set[str] = set()
    seen: set[str] = set()
    stack = list(selection_sets)
    while stack:
        selection_set = stack.pop()
        for selection in selection_set.selections:
            for directive in selection.directives or ():
                if directive.name.value in ("skip", "include"):
                    for argument in directive.arguments or ():
                        if isinstance(argument.value, VariableNode):
                            names.add(argument.value.name.value)
            if isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in seen and name in fragments:
                    seen.add(name)
                    stack.append(fragments[name].selection_set)
            elif isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set is not None:
                stack.append(selection.selection_set)
    return tuple(sorted(names))


class _Compiler:
    """Compiles selection sets for one assignment of the condition variables."""

    def __init__(
        self, schema: GraphQLSchema, fragments: Mapping[str, FragmentDefinitionNode], conditions: Mapping[str, bool]
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.conditions = conditions

    def object_fields(self, type_name: str, selections: tuple[SelectionSetNode, ...]) -> list[FieldStep]:
        fields = self.fields_for_runtime(type_name, type_name, selections)
        assert fields is not None
        return fields

    def fields_for_runtime(
        self, static_type: str, runtime_type: str, selections: tuple[SelectionSetNode, ...]
    ) -> list[FieldStep] | None:
        object_type = self.schema.get_type(runtime_type)
        if not isinstance(object_type, GraphQLObjectType):
            return None
        if static_type != runtime_type:
            abstract = self.schema.get_type(static_type)
            if not isinstance(abstract, GraphQLInterfaceType | GraphQLUnionType):
                return None
            if not self.schema.is_sub_type(abstract, object_type):
                return None
        grouped: dict[str, list[FieldNode]] = {}
        for selection_set in selections:
            self._collect(object_type, selection_set, grouped, set())
        steps: list[FieldStep] = []
        for key, nodes in grouped.items():
            name = nodes[0].name.value
            if name == "__typename":
                steps.append(FieldStep(key, name, runtime_type, None))
                continue
            definition = object_type.fields.get(name)
            if definition is None:
                continue  # validation rejects this; introspection fields are shaped by graphql-core
            sub = tuple(node.selection_set for node in nodes if node.selection_set is not None)
            steps.append(FieldStep(key, name, runtime_type, self.type_step(definition.type, sub)))
        return steps

    def type_step(self, gql_type: GraphQLOutputType, selections: tuple[SelectionSetNode, ...]) -> TypeStep:
        non_null = isinstance(gql_type, GraphQLNonNull)
        named: Any = gql_type.of_type if isinstance(gql_type, GraphQLNonNull) else gql_type
        if isinstance(named, GraphQLList):
            step = TypeStep(LIST, non_null, "")
            step.item = self.type_step(named.of_type, selections)
            return step
        if isinstance(named, GraphQLObjectType):
            step = TypeStep(OBJECT, non_null, named.name)
            step.fields = self.object_fields(named.name, selections)
            return step
        if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            step = TypeStep(ABSTRACT, non_null, named.name)
            step._compiler = self
            step._selections = selections
            return step
        if isinstance(named, GraphQLEnumType):
            step = TypeStep(ENUM, non_null, named.name)
            step.enum_values = frozenset(named.values)
            return step
        return TypeStep(LEAF, non_null, named.name)

    def _collect(
        self,
        object_type: GraphQLObjectType,
        selection_set: SelectionSetNode,
        grouped: dict[str, list[FieldNode]],
        visited: set[str],
    ) -> None:
        for selection in selection_set.selections:
            if not self._included(selection.directives):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                grouped.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self._applies(condition.name.value, object_type):
                    self._collect(object_type, selection.selection_set, grouped, visited)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if name in visited or fragment is None:
                    continue
                visited.add(name)
                if self._applies(fragment.type_condition.name.value, object_type):
                    self._collect(object_type, fragment.selection_set, grouped, visited)

    def _applies(self, condition: str, object_type: GraphQLObjectType) -> bool:
        if condition == object_type.name:
            return True
        conditional = self.schema.get_type(condition)
        return isinstance(conditional, GraphQLInterfaceType | GraphQLUnionType) and self.schema.is_sub_type(
            conditional, object_type
        )

    def _included(self, directives: tuple[DirectiveNode, ...] | None) -> bool:
        for directive in directives or ():
            name = directive.name.value
            if name not in ("skip", "include"):
                continue
            value = True
            for argument in directive.arguments or ():
                if argument.name.value == "if":
                    node = argument.value
                    if isinstance(node, BooleanValueNode):
                        value = node.value
                    elif isinstance(node, VariableNode):
                        value = self.conditions.get(node.name.value, False)
            if (name == "skip") == value:
                return False
        return True


def compile_root(
    schema: GraphQLSchema,
    root_type: GraphQLObjectType,
    selection_set: SelectionSetNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    conditions: Mapping[str, bool],
) -> list[FieldStep]:
    """The root fields of an operation for one assignment of its condition variables."""
    return _Compiler(schema, fragments, conditions).object_fields(root_type.name, (selection_set,))
