"""One subgraph as composition sees it: types and fields with their federation directives read out.

Directive names are already resolved through the subgraph's ``@link`` (an
imported ``@primaryKey`` is a ``keys`` entry here), so later steps never look
at spelling. Types are kept as printed type references (``"[String!]!"``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from graphql import ConstDirectiveNode, ConstValueNode


class Kind(enum.Enum):
    OBJECT = "Object Type"
    INTERFACE = "Interface Type"
    UNION = "Union Type"
    ENUM = "Enum Type"
    INPUT_OBJECT = "Input Object Type"
    SCALAR = "Scalar Type"


@dataclass(slots=True)
class Applied:
    """Directives that compose into the supergraph (merged by their own rules), on any element."""

    inaccessible: bool = False
    tags: list[str] = field(default_factory=list)
    authenticated: bool = False
    scopes: list[list[list[str]]] = field(default_factory=list)  # one DNF per application
    policies: list[list[list[str]]] = field(default_factory=list)
    cost: int | None = None
    list_size: dict[str, object] | None = None
    deprecated: str | None = None  # the reason; None when not deprecated
    specified_by: str | None = None
    composed: list[ConstDirectiveNode] = field(default_factory=list)  # @composeDirective'd applications


@dataclass(slots=True)
class InputValue:
    """An argument or an input-object field."""

    name: str
    type: str
    default: ConstValueNode | None = None
    description: str | None = None
    applied: Applied = field(default_factory=Applied)
    from_context: str | None = None


@dataclass(slots=True)
class Field:
    name: str
    type: str
    args: dict[str, InputValue] = field(default_factory=dict)
    description: str | None = None
    applied: Applied = field(default_factory=Applied)
    external: bool = False
    shareable: bool = False
    requires: str | None = None
    provides: str | None = None
    override: str | None = None
    override_label: str | None = None


@dataclass(slots=True)
class EnumValue:
    name: str
    description: str | None = None
    applied: Applied = field(default_factory=Applied)


@dataclass(frozen=True, slots=True)
class Key:
    fields: str
    resolvable: bool = True
    extension: bool = False  # declared on a type extension (or @extends): Fed-1 meaning


@dataclass(slots=True)
class TypeDef:
    name: str
    kind: Kind
    description: str | None = None
    applied: Applied = field(default_factory=Applied)
    fields: dict[str, Field] = field(default_factory=dict)  # objects and interfaces
    input_fields: dict[str, InputValue] = field(default_factory=dict)
    interfaces: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    values: dict[str, EnumValue] = field(default_factory=dict)
    keys: list[Key] = field(default_factory=list)
    shareable: bool = False
    interface_object: bool = False
    extension: bool = False  # only ever declared as an extension in this subgraph
    contexts: list[str] = field(default_factory=list)

    def is_composite(self) -> bool:
        return self.kind in (Kind.OBJECT, Kind.INTERFACE, Kind.UNION)


@dataclass(frozen=True, slots=True)
class CustomDirective:
    """A directive definition of the subgraph's own (not a federation one)."""

    name: str
    definition: str  # printed, for comparison and for the supergraph
    locations: frozenset[str]
    repeatable: bool
    executable: bool
    composed: bool = False
    link_url: str | None = None  # the spec a composed directive comes from
    link_import: str | None = None


@dataclass(slots=True)
class Subgraph:
    """A parsed, normalized subgraph: root types renamed to Query/Mutation/Subscription."""

    name: str
    url: str
    federation_version: tuple[int, int]  # (1, 0) for an upgraded Fed-1 subgraph
    types: dict[str, TypeDef] = field(default_factory=dict)
    directives: dict[str, CustomDirective] = field(default_factory=dict)

    @property
    def is_fed1(self) -> bool:
        return self.federation_version[0] == 1

    def field_of(self, type_name: str, field_name: str) -> Field | None:
        type_def = self.types.get(type_name)
        return type_def.fields.get(field_name) if type_def is not None else None


ROOT_NAMES = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}


def named_type(type_ref: str) -> str:
    """``"[Foo!]!"`` → ``"Foo"``."""
    return type_ref.strip("[]!")


def is_non_null(type_ref: str) -> bool:
    return type_ref.endswith("!")
