"""The merged supergraph before printing: each element with the subgraphs it came from and its join data."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import ConstValueNode

from gateway.supergraph.compose.model import Applied, CustomDirective, Field, InputValue, Kind, Subgraph, TypeDef


@dataclass(slots=True)
class JoinField:
    """One ``@join__field`` application; ``graph`` None for a field copied from an ``@interfaceObject``."""

    graph: str | None = None
    requires: str | None = None
    provides: str | None = None
    type: str | None = None
    external: bool = False
    override: str | None = None
    used_overridden: bool = False
    override_label: str | None = None


@dataclass(slots=True)
class MergedInput:
    name: str
    type: str
    default: ConstValueNode | None = None
    description: str | None = None
    applied: Applied = field(default_factory=Applied)
    sources: dict[str, InputValue] = field(default_factory=dict)
    join: list[JoinField] | None = None  # input-object fields only; None = no @join__field needed


@dataclass(slots=True)
class MergedField:
    name: str
    type: str
    description: str | None = None
    args: dict[str, MergedInput] = field(default_factory=dict)
    applied: Applied = field(default_factory=Applied)
    sources: dict[str, Field] = field(default_factory=dict)
    join: list[JoinField] | None = None  # None = identical in every subgraph of the type: no @join__field
    overridden: set[str] = field(default_factory=set)  # graphs that no longer resolve it (label-less override)


@dataclass(slots=True)
class MergedEnumValue:
    name: str
    description: str | None = None
    applied: Applied = field(default_factory=Applied)
    graphs: list[str] = field(default_factory=list)


@dataclass(slots=True)
class MergedType:
    name: str
    kind: Kind
    description: str | None = None
    applied: Applied = field(default_factory=Applied)
    sources: dict[str, TypeDef] = field(default_factory=dict)  # graph -> that subgraph's definition
    fields: dict[str, MergedField] = field(default_factory=dict)
    input_fields: dict[str, MergedInput] = field(default_factory=dict)
    interfaces: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    values: dict[str, MergedEnumValue] = field(default_factory=dict)


@dataclass(slots=True)
class Merged:
    """The supergraph's content: subgraphs sorted by name, types by name, the join version and used specs."""

    subgraphs: list[Subgraph]
    types: dict[str, MergedType] = field(default_factory=dict)
    directives: dict[str, CustomDirective] = field(default_factory=dict)  # executable and composed ones
    join_version: str = "0.3"
    roots: list[str] = field(default_factory=list)

    def subgraph(self, name: str) -> Subgraph:
        return next(s for s in self.subgraphs if s.name == name)
