"""The query plan: frozen data that the planner builds and the executor walks.

The shapes follow Apollo's ``QueryPlan.ts`` so that printed plans read the same:
``Sequence``, ``Parallel``, ``Fetch``, ``Flatten``, ``Condition`` and, for a
subscription, ``Subscription``. Nothing
here does I/O or knows about HTTP.

Selections used for ``requires`` and rewrites are small frozen trees
(:class:`FieldSel`, :class:`FragmentSel`) so that the executor can build
representations without touching graphql-core's AST on the hot path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias

# A response path inside a Flatten: response keys, or "@" for "every list item here".
PathElement: TypeAlias = str


@dataclass(frozen=True, slots=True)
class FieldSel:
    """A field of a ``requires`` selection; ``selections`` is empty for a leaf.

    ``alias`` is the response key the value sits under when the planner had to
    alias the field apart from a client field with the same key (e.g. a
    required ``size(unit: "in")`` next to the client's ``size``); the
    representation always carries it under ``name``.
    """

    name: str
    selections: tuple[Selection, ...] = ()
    alias: str | None = None


@dataclass(frozen=True, slots=True)
class FragmentSel:
    """``... on T { … }`` in a ``requires`` selection."""

    type_condition: str
    selections: tuple[Selection, ...]


Selection: TypeAlias = FieldSel | FragmentSel


@dataclass(frozen=True, slots=True)
class ValueSetter:
    """Set the value at ``path`` (keys or ``... on T``) to ``set_value_to``."""

    path: tuple[str, ...]
    set_value_to: str


@dataclass(frozen=True, slots=True)
class KeyRenamer:
    """Rename the key at the end of ``path`` to ``rename_key_to``."""

    path: tuple[str, ...]
    rename_key_to: str


Rewrite: TypeAlias = ValueSetter | KeyRenamer


@dataclass(frozen=True, slots=True)
class Fetch:
    """One request to one subgraph.

    A root fetch (``requires`` empty) sends ``operation`` with the client's
    variables named in ``variable_usages``. An entity fetch builds one
    representation per object at the cursor from ``requires`` and sends them
    as ``$representations``.
    """

    service_name: str
    operation: str
    operation_kind: Literal["query", "mutation", "subscription"] = "query"
    operation_name: str | None = None
    variable_usages: tuple[str, ...] = ()
    requires: tuple[Selection, ...] = ()
    input_rewrites: tuple[Rewrite, ...] = ()
    output_rewrites: tuple[Rewrite, ...] = ()
    id: int | None = None
    kind: Literal["Fetch"] = field(default="Fetch", init=False)

    @property
    def is_entity_fetch(self) -> bool:
        return bool(self.requires)


@dataclass(frozen=True, slots=True)
class Flatten:
    """Run ``node`` at every object found at ``path`` (``@`` flattens lists)."""

    path: tuple[PathElement, ...]
    node: Fetch
    kind: Literal["Flatten"] = field(default="Flatten", init=False)


@dataclass(frozen=True, slots=True)
class Sequence:
    nodes: tuple[PlanNode, ...]
    kind: Literal["Sequence"] = field(default="Sequence", init=False)


@dataclass(frozen=True, slots=True)
class Parallel:
    nodes: tuple[PlanNode, ...]
    kind: Literal["Parallel"] = field(default="Parallel", init=False)


@dataclass(frozen=True, slots=True)
class Condition:
    """Run ``if_clause`` when the boolean variable ``condition`` is true, else ``else_clause``."""

    condition: str
    if_clause: PlanNode | None = None
    else_clause: PlanNode | None = None
    kind: Literal["Condition"] = field(default="Condition", init=False)


PlanNode: TypeAlias = Sequence | Parallel | Fetch | Flatten | Condition


@dataclass(frozen=True, slots=True)
class Subscription:
    """A subscription (federation-notes §4.1): ``primary`` subscribes to the root field's subgraph once;
    ``rest`` runs for every event it sends, on the event's data, like a query plan after its root fetch."""

    primary: Fetch
    rest: PlanNode | None = None
    kind: Literal["Subscription"] = field(default="Subscription", init=False)


@dataclass(frozen=True, slots=True)
class QueryPlan:
    """The whole plan; ``node`` is None when nothing needs fetching (e.g. introspection only)."""

    node: PlanNode | Subscription | None
    kind: Literal["QueryPlan"] = field(default="QueryPlan", init=False)
