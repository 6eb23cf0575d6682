"""Response shaping: the client's operation walked over the merged data (federation-notes §4.5).

Keys come out in query order under their aliases; planner-only fields (keys,
extra ``__typename``, ``@requires`` inputs) are dropped; fragments match the
data's ``__typename``; root ``__typename`` is computed here. A null (or absent)
non-null field bubbles to the nearest nullable ancestor with the spec's
``Cannot return null for non-nullable field T.f.`` error in ``errors``, except
under a path an earlier error already explains (no spurious error). Enum values
the API schema does not know become null with an error.

The walk runs on a :class:`ShapeProgram` compiled once per operation; only
operations that ask for ``__schema``/``__type`` go through graphql-core's
``execute``, which answers introspection from the API schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLResolveInfo,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    execute_sync,
)

from gateway.errors import graphql_error
from gateway.executor.compile import (
    ABSTRACT,
    ENUM,
    LEAF,
    LIST,
    OBJECT,
    FieldStep,
    TypeStep,
    compile_root,
    condition_variables,
)

Path = tuple[str | int, ...]
# The subgraphs broke the schema's promise (null for non-null, unknown enum value).
# TODO: a dedicated code once gateway/errors.py registers one (asked of the lead).
SHAPE_ERROR_CODE = "INVALID_SUBGRAPH_VALUE"


# A response path as a linked list, (parent, key), built per field on the hot path and
# turned into a tuple only when an error needs it.
_Linked = tuple[Any, str | int] | None


class _Bubble:
    """Marks a null that must propagate to the nearest nullable ancestor."""


BUBBLE: Final[_Bubble] = _Bubble()
_BUBBLED: Final[_Bubble] = BUBBLE  # the same marker, typed apart for mypy's narrowing


class ShapeProgram:
    """One operation, compiled against the API schema; ``shape`` runs per request."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode) -> None:
        self.schema = schema
        self.document = document
        self.operation = operation
        self.fragments: dict[str, FragmentDefinitionNode] = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        root_type = schema.get_root_type(operation.operation)
        if root_type is None:
            raise ValueError(f"the API schema has no {operation.operation.value} type")
        self.root_type = root_type
        self.condition_variables = condition_variables([operation.selection_set], self.fragments)
        self.introspection = _asks_introspection(operation, self.fragments)
        self._compiled: dict[tuple[bool, ...], list[FieldStep]] = {}

    def root_fields(self, variables: Mapping[str, Any]) -> list[FieldStep]:
        key = tuple(variables.get(name) is True for name in self.condition_variables)
        fields = self._compiled.get(key)
        if fields is None:
            conditions = dict(zip(self.condition_variables, key, strict=True))
            fields = compile_root(self.schema, self.root_type, self.operation.selection_set, self.fragments, conditions)
            self._compiled[key] = fields
        return fields

    def shape(
        self,
        data: dict[str, Any],
        variables: Mapping[str, Any],
        errors: list[dict[str, Any]],
        explained: set[Path],
    ) -> dict[str, Any] | None:
        """The client's ``data``; appends shaping errors to ``errors``."""
        if self.introspection:
            return self._shape_with_graphql_core(data, variables, errors)
        walk = _Walk(errors, explained)
        result = walk.fields(self.root_fields(variables), data, self.root_type.name, None)
        return None if result is BUBBLE else result  # type: ignore[return-value]

    def _shape_with_graphql_core(
        self, data: dict[str, Any], variables: Mapping[str, Any], errors: list[dict[str, Any]]
    ) -> dict[str, Any] | None:
        result = execute_sync(
            self.schema,
            self.document,
            root_value=data,
            variable_values=dict(variables),
            operation_name=self.operation.name.value if self.operation.name else None,
            field_resolver=_by_response_key,
        )
        for error in result.errors or ():
            formatted: dict[str, Any] = dict(error.formatted)
            formatted.pop("locations", None)
            extensions = formatted.setdefault("extensions", {})
            extensions.setdefault("code", SHAPE_ERROR_CODE)
            errors.append(formatted)
        return result.data


def _by_response_key(source: Any, info: GraphQLResolveInfo[Any], **_args: Any) -> Any:
    # Subgraph operations keep the client's aliases, so merged data is keyed by response key.
    return source.get(info.path.key) if isinstance(source, dict) else None


class _Walk:
    """One shaping pass: the errors it adds and the paths already explained by earlier errors."""

    __slots__ = ("errors", "explained")

    def __init__(self, errors: list[dict[str, Any]], explained: set[Path]) -> None:
        self.errors = errors
        self.explained = explained

    def fields(
        self, fields: list[FieldStep], obj: dict[str, Any], typename: str, path: _Linked
    ) -> dict[str, Any] | _Bubble:
        out: dict[str, Any] = {}
        for field in fields:
            step = field.type
            if step is None:
                out[field.key] = typename
                continue
            value = obj.get(field.key)
            if value is not None and step.kind != LEAF:
                value = self.value(step, value, field, (path, field.key))
            if value is None:
                if step.non_null:
                    self.null_error(field, (path, field.key))
                    return BUBBLE
            elif value is BUBBLE:
                if step.non_null:
                    return _BUBBLED
                value = None
            out[field.key] = value
        return out

    def value(self, step: TypeStep, value: Any, field: FieldStep, path: _Linked) -> Any:
        """A non-null ``value`` completed as ``step``: the result, None, or BUBBLE."""
        kind = step.kind
        if kind == OBJECT:
            if type(value) is not dict:
                return self.invalid(field, path, "an object")
            return self.fields(step.fields, value, step.type_name, path)
        if kind == LIST:
            if type(value) is not list:
                return self.invalid(field, path, "a list")
            item_step = step.item
            assert item_step is not None
            items: list[Any] = []
            leaf = item_step.kind == LEAF
            for index, item in enumerate(value):
                if item is not None and not leaf:
                    item = self.value(item_step, item, field, (path, index))
                if item is None:
                    if item_step.non_null:
                        self.null_error(field, (path, index))
                        return BUBBLE
                elif item is BUBBLE:
                    if item_step.non_null:
                        return BUBBLE
                    item = None
                items.append(item)
            return items
        if kind == ABSTRACT:
            typename = value.get("__typename") if type(value) is dict else None
            fields = step.fields_for(typename) if type(typename) is str else None
            if fields is None:
                return self.unresolved_type(step, field, path, typename)
            return self.fields(fields, value, typename, path)  # type: ignore[arg-type]
        if kind == ENUM and value not in step.enum_values:
            self.error(f'Enum "{step.type_name}" cannot represent value: {_show(value)}', path)
            return None
        return value

    def null_error(self, field: FieldStep, path: _Linked) -> None:
        self.error(f"Cannot return null for non-nullable field {field.parent_type}.{field.field_name}.", path)

    def invalid(self, field: FieldStep, path: _Linked, expected: str) -> None:
        self.error(f"Expected {expected} for field {field.parent_type}.{field.field_name}.", path)

    def unresolved_type(self, step: TypeStep, field: FieldStep, path: _Linked, typename: Any) -> None:
        self.error(
            f'Abstract type "{step.type_name}" must resolve to an object type at runtime for field '
            f"{field.parent_type}.{field.field_name}. Got: {_show(typename)}.",
            path,
        )

    def error(self, message: str, linked: _Linked) -> None:
        path = _materialize(linked)
        explained = self.explained
        # An earlier error at this path or above (a failed fetch, a subgraph's own error) already says why.
        for depth in range(len(path) + 1):
            if path[:depth] in explained:
                return
        self.errors.append(graphql_error(message, SHAPE_ERROR_CODE, path))
        explained.add(path)


def _materialize(linked: _Linked) -> Path:
    keys: list[str | int] = []
    while linked is not None:
        linked, key = linked
        keys.append(key)
    return tuple(reversed(keys))


def _show(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _asks_introspection(operation: OperationDefinitionNode, fragments: Mapping[str, FragmentDefinitionNode]) -> bool:
    """Whether the root selection names ``__schema`` or ``__type`` (directly or through fragments)."""
    if operation.operation != OperationType.QUERY:
        return False
    stack = [operation.selection_set]
    seen: set[str] = set()
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FieldNode):
                if selection.name.value in ("__schema", "__type"):
                    return True
            elif isinstance(selection, InlineFragmentNode):
                stack.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in seen and name in fragments:
                    seen.add(name)
                    stack.append(fragments[name].selection_set)
    return False
