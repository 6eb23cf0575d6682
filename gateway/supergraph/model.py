"""What the planner knows about a supergraph: which subgraph can resolve what.

Built once at load from the ``join__*`` directives (federation-notes §2.2–2.3)
and read-only afterwards. Subgraphs are named by their ``@join__graph(name:)``,
never by the enum value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from graphql import GraphQLSchema, SelectionSetNode

from gateway.planner.plan import Selection


@dataclass(frozen=True, slots=True)
class SubgraphInfo:
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class Key:
    """One ``@key`` of a type in one subgraph."""

    fields: str
    selection_set: SelectionSetNode
    selections: tuple[Selection, ...]
    resolvable: bool


@dataclass(frozen=True, slots=True)
class TypeInGraph:
    """A type as one subgraph defines it (one ``@join__type`` per key, merged)."""

    graph: str
    keys: tuple[Key, ...] = ()
    extension: bool = False
    is_interface_object: bool = False

    @property
    def resolvable_keys(self) -> tuple[Key, ...]:
        return tuple(key for key in self.keys if key.resolvable)


@dataclass(frozen=True, slots=True)
class FieldInGraph:
    """A field as one subgraph defines it (``@join__field``, or implied by ``@join__type``)."""

    graph: str
    requires: SelectionSetNode | None = None
    provides: SelectionSetNode | None = None
    type: str | None = None  # the subgraph's own type when it differs from the supergraph's
    external: bool = False
    override: str | None = None
    used_overridden: bool = False
    override_label: str | None = None

    def resolvable(self, active_labels: frozenset[str]) -> bool:
        """Whether this subgraph resolves the field, given the active progressive-override labels."""
        if self.override_label is not None:
            active = self.override_label in active_labels
            # The overriding side resolves while the label is on; the overridden side while it is off.
            return active if self.override is not None else not active
        return not (self.external or self.used_overridden)


@dataclass(frozen=True, slots=True)
class AuthRequirements:
    """``@authenticated``, ``@requiresScopes`` and ``@policy`` on one element (enforced by the auth plugin)."""

    authenticated: bool = False
    scopes: tuple[tuple[str, ...], ...] = ()  # DNF: any inner tuple fully granted satisfies
    policies: tuple[tuple[str, ...], ...] = ()


@dataclass(eq=False)
class Supergraph:
    """A loaded supergraph: schemas for validation and planning, plus join metadata."""

    sdl: str
    schema: GraphQLSchema
    api_schema: GraphQLSchema
    subgraphs: Mapping[str, SubgraphInfo]
    types: Mapping[str, Mapping[str, TypeInGraph]]
    fields: Mapping[str, Mapping[str, Mapping[str, FieldInGraph]]]
    implements: Mapping[str, Mapping[str, frozenset[str]]]  # graph -> type -> interfaces
    union_members: Mapping[str, Mapping[str, frozenset[str]]]  # union -> graph -> members
    auth: Mapping[str, AuthRequirements] = field(default_factory=dict)  # "Type" or "Type.field"
    override_labels: frozenset[str] = frozenset()

    def graphs_of(self, type_name: str) -> Mapping[str, TypeInGraph]:
        return self.types.get(type_name, {})

    def field_in_graphs(self, type_name: str, field_name: str) -> Mapping[str, FieldInGraph]:
        """The subgraphs that define ``type_name.field_name`` (resolvable or not)."""
        return self.fields.get(type_name, {}).get(field_name, {})

    def resolvers(self, type_name: str, field_name: str, labels: frozenset[str]) -> list[str]:
        """Subgraphs that resolve the field, in declaration order."""
        return [g for g, f in self.field_in_graphs(type_name, field_name).items() if f.resolvable(labels)]

    def keys(self, type_name: str, graph: str) -> tuple[Key, ...]:
        info = self.types.get(type_name, {}).get(graph)
        return info.keys if info is not None else ()

    def possible_runtime_types(self, type_name: str) -> frozenset[str]:
        """The concrete object types a value of ``type_name`` can have (itself for an object type)."""
        return self._possible_types.get(type_name, frozenset({type_name}))

    def possible_types_in_graph(self, type_name: str, graph: str) -> frozenset[str]:
        """The concrete types a subgraph can return where it declares ``type_name``."""
        return self._possible_types_by_graph.get((type_name, graph), frozenset())

    def is_abstract(self, type_name: str) -> bool:
        return type_name in self._possible_types

    @cached_property
    def _possible_types(self) -> dict[str, frozenset[str]]:
        from graphql import GraphQLInterfaceType, GraphQLUnionType

        result: dict[str, frozenset[str]] = {}
        for name, named in self.schema.type_map.items():
            if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
                result[name] = frozenset(t.name for t in self.schema.get_possible_types(named))
        return result

    @cached_property
    def _possible_types_by_graph(self) -> dict[tuple[str, str], frozenset[str]]:
        result: dict[tuple[str, str], set[str]] = {}
        for graph, by_type in self.implements.items():
            for type_name, interfaces in by_type.items():
                if self.is_abstract(type_name):
                    continue
                for interface in interfaces:
                    result.setdefault((interface, graph), set()).add(type_name)
        for union, by_graph in self.union_members.items():
            for graph, members in by_graph.items():
                result.setdefault((union, graph), set()).update(members)
        for type_name, graphs in self.types.items():
            for graph in graphs:
                if not self.is_abstract(type_name):
                    result.setdefault((type_name, graph), set()).add(type_name)
        return {k: frozenset(v) for k, v in result.items()}
