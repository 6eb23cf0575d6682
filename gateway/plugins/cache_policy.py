"""What may be cached for how long, and what a mutation invalidates.

TTLs come from the settings (``cache.types``, ``cache.root_fields``) and,
unless turned off, from ``@cacheControl(maxAge:)`` on types and fields of the
supergraph (composed with ``@composeDirective``; a ``@link`` import may rename
it). Settings win over the schema. A root fetch is cacheable only when every
root field it selects has a TTL; it lives as long as the shortest of them and
is tagged with every object type it selects, so a mutation that invalidates
one of those types drops it too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    parse,
)

from gateway.plugins.settings import CacheSettings
from gateway.supergraph.links import read_links, value_of


@dataclass(frozen=True, slots=True)
class RootFetchPolicy:
    """How long a root fetch may be cached, and the type tags it carries."""

    ttl: float
    tags: tuple[str, ...]


class CachePolicy:
    """TTLs by entity type and root field; invalidations by mutation field."""

    def __init__(self, settings: CacheSettings, schema: GraphQLSchema | None = None) -> None:
        self.schema = schema
        self.type_ttls: dict[str, float] = {}
        self.field_ttls: dict[str, float] = {}
        if schema is not None and settings.use_schema_directives:
            self.type_ttls, self.field_ttls = _schema_max_ages(schema)
        self.type_ttls.update(settings.types)
        self.field_ttls.update(settings.root_fields)
        self.invalidations: Mapping[str, tuple[str, ...]] = settings.invalidate
        self.vary_headers = settings.vary_headers
        self._root_memo = lru_cache(maxsize=1024)(self._root_fetch)

    @property
    def enabled(self) -> bool:
        return bool(self.type_ttls or self.field_ttls or self.invalidations)

    def type_ttl(self, type_name: str) -> float | None:
        ttl = self.type_ttls.get(type_name)
        return ttl if ttl else None

    def root_fetch(self, operation: str) -> RootFetchPolicy | None:
        """The policy for a root fetch's operation text (memoized: plans, hence fetch texts, are few)."""
        if not self.field_ttls:
            return None
        result: RootFetchPolicy | None = self._root_memo(operation)
        return result

    def _root_fetch(self, operation: str) -> RootFetchPolicy | None:
        try:
            document = parse(operation, no_location=True)
        except GraphQLError:
            return None
        definitions = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if len(definitions) != 1 or definitions[0].operation != OperationType.QUERY or self.schema is None:
            return None
        root = self.schema.query_type
        if root is None:
            return None
        ttls: list[float] = []
        for selection in definitions[0].selection_set.selections:
            if not isinstance(selection, FieldNode):
                return None
            if selection.name.value == "__typename":
                continue
            ttl = self.field_ttls.get(f"{root.name}.{selection.name.value}")
            if not ttl:
                return None
            ttls.append(ttl)
        if not ttls:
            return None
        types: set[str] = set()
        _selected_types(self.schema, root, definitions[0].selection_set, types)
        return RootFetchPolicy(min(ttls), tuple(sorted(types)))

    def invalidated_by(self, mutation_fields: list[str]) -> list[str]:
        """The types the given ``Mutation.field`` names invalidate."""
        types: list[str] = []
        for name in mutation_fields:
            types.extend(self.invalidations.get(name, ()))
        return sorted(set(types))


def _selected_types(schema: GraphQLSchema, parent: Any, selection_set: SelectionSetNode, out: set[str]) -> None:
    for selection in selection_set.selections:
        if isinstance(selection, InlineFragmentNode):
            target = schema.get_type(selection.type_condition.name.value) if selection.type_condition else parent
            _selected_types(schema, target or parent, selection.selection_set, out)
            continue
        if not isinstance(selection, FieldNode) or selection.selection_set is None:
            continue
        definition = (getattr(parent, "fields", None) or {}).get(selection.name.value)
        if definition is None:
            continue
        named = get_named_type(definition.type)
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
            out.add(named.name)
            if not isinstance(named, GraphQLObjectType):
                out.update(t.name for t in schema.get_possible_types(named))
            _selected_types(schema, named, selection.selection_set, out)


def _schema_max_ages(schema: GraphQLSchema) -> tuple[dict[str, float], dict[str, float]]:
    name = _cache_control_name(schema)
    types: dict[str, float] = {}
    fields: dict[str, float] = {}
    for type_name, named in schema.type_map.items():
        if type_name.startswith("__"):
            continue
        nodes = [named.ast_node, *getattr(named, "extension_ast_nodes", ())] if named.ast_node else []
        for node in nodes:
            max_age = _max_age(getattr(node, "directives", None), name)
            if max_age is not None:
                types[type_name] = max_age
        for field_name, definition in (getattr(named, "fields", None) or {}).items():
            if definition.ast_node is not None:
                max_age = _max_age(definition.ast_node.directives, name)
                if max_age is not None:
                    fields[f"{type_name}.{field_name}"] = max_age
    return types, fields


def _cache_control_name(schema: GraphQLSchema) -> str:
    directives: list[Any] = []
    for node in [schema.ast_node, *schema.extension_ast_nodes]:
        if node is not None:
            directives.extend(node.directives or ())
    try:
        links = read_links(directives)
    except Exception:
        return "cacheControl"
    for link in links:
        local = link.imports.get("@cacheControl")
        if local:
            return local.removeprefix("@")
    return "cacheControl"


def _max_age(directives: Any, name: str) -> float | None:
    for directive in directives or ():
        if directive.name.value == name:
            for argument in directive.arguments or ():
                if argument.name.value == "maxAge":
                    value = value_of(argument.value)
                    if isinstance(value, int | float) and not isinstance(value, bool):
                        return float(value)
    return None
