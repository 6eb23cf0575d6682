"""Builds a query plan: a pure function from (supergraph, operation, labels) to frozen plan data.

The planner walks the client's selections and files every field into a
*fetch group* (one subgraph request at one response path). A field stays in
the current group when its subgraph resolves it here (resolvable, provided,
or a key field); otherwise the planner jumps: it picks a subgraph that
resolves the field, makes the current group select that subgraph's key
(and the field's ``@requires``), and opens a child group that fetches the
field through ``_entities``. Key and requirement fields are themselves
planned like client fields, so a key that the current subgraph lacks is
fetched from a third one, and the child waits for it.

Groups form a tree (child after parent) plus requirement edges between
siblings; :mod:`gateway.planner.emit` turns that into plan nodes.
See federation-notes §4.2 for the rules this follows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionNode,
    SelectionSetNode,
    get_named_type,
    is_leaf_type,
)

from gateway.errors import PlanningError
from gateway.planner.emit import emit_plan
from gateway.planner.facts import Facts, list_depth
from gateway.planner.groups import FetchGroup, Groups
from gateway.planner.operation import Condition, conditions_of, inline_fragments
from gateway.planner.plan import KeyRenamer, QueryPlan, ValueSetter
from gateway.planner.selection import SelectionBuilder
from gateway.supergraph.model import Key, Supergraph

_INTROSPECTION = frozenset({"__schema", "__type"})


def build_query_plan(
    supergraph: Supergraph,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    *,
    override_labels: frozenset[str] = frozenset(),
) -> QueryPlan:
    """Plans ``operation``; raises PlanningError when no plan exists (composition should prevent that)."""
    planner = _Planner(supergraph, override_labels)
    selection_set = inline_fragments(operation.selection_set, fragments)
    roots = planner.plan_root(operation.operation, selection_set)
    return emit_plan(roots, operation, serial=operation.operation == OperationType.MUTATION)


@dataclass(frozen=True, slots=True)
class Position:
    """Where the walk is: the fetch group, the place in its selection, the type and the response path."""

    group: FetchGroup
    builder: SelectionBuilder
    parent_type: str
    path: tuple[str, ...]
    provided: SelectionSetNode | None  # what @provides makes local below this point, if anything
    conditions: tuple[Condition, ...]  # @skip/@include on the way here

    @property
    def subgraph(self) -> str:
        return self.group.subgraph


class _Planner:
    def __init__(self, supergraph: Supergraph, labels: frozenset[str]) -> None:
        self.sg = supergraph
        self.labels = labels
        self.facts = Facts(supergraph, labels)
        self.groups = Groups()
        # Above zero while planning keys and @requires inputs: those fields yield to the client's response keys.
        self.internal = 0

    # -- root -----------------------------------------------------------------------------------

    def plan_root(self, kind: OperationType, selection_set: SelectionSetNode) -> list[FetchGroup]:
        root_type = self.sg.schema.get_root_type(kind)
        if root_type is None:
            raise PlanningError(f"the supergraph has no {kind.value} root type")
        roots: list[FetchGroup] = []
        for node, conditions in _root_fields(selection_set):
            name = node.name.value
            if name == "__typename" or name in _INTROSPECTION:
                continue  # answered by the gateway itself
            resolvers = self.sg.resolvers(root_type.name, name, self.labels)
            if not resolvers:
                raise PlanningError(f'no subgraph resolves the root field "{root_type.name}.{name}"')
            group = self._root_group(roots, resolvers, serial=kind == OperationType.MUTATION)
            at = Position(group, group.selection, root_type.name, (), None, conditions)
            self.add_local_field(at, node, None)
        return roots

    def _root_group(self, roots: list[FetchGroup], resolvers: list[str], *, serial: bool) -> FetchGroup:
        if serial:
            # Mutations run in order: only the last group may take a consecutive field.
            if roots and roots[-1].subgraph in resolvers:
                return roots[-1]
        else:
            for group in roots:
                if group.subgraph in resolvers:
                    return group
        group = self.groups.new(resolvers[0], (), None, ())
        roots.append(group)
        return group

    # -- selections -----------------------------------------------------------------------------

    def plan_selections(self, at: Position, selections: Iterable[SelectionNode]) -> None:
        for node in selections:
            own = conditions_of(node.directives)
            if own is None:
                continue  # excluded by a literal @skip(if: true) / @include(if: false)
            here = replace(at, conditions=at.conditions + own) if own else at
            if isinstance(node, FieldNode):
                self.plan_field(here, node)
            elif isinstance(node, InlineFragmentNode):
                self.plan_fragment(here, node)
            else:
                raise PlanningError("fragment spreads must be inlined before planning")

    def plan_field(self, at: Position, node: FieldNode) -> None:
        name = node.name.value
        if name == "__typename":
            if self.facts.is_interface_object(at.parent_type, at.subgraph):
                # The subgraph would answer the interface's name: ask the interface's owner.
                self.jump_to_interface_owner(at, (node,))
            else:
                at.builder.add_field(name, _alias(node), directives=tuple(node.directives or ()))
            return
        local, below = self.facts.local_field(at.subgraph, at.parent_type, name, at.provided)
        if local:
            self.add_local_field(at, node, below)
        elif self.facts.is_interface_object(at.parent_type, at.subgraph):
            # This subgraph knows no implementations: the interface's owner resolves the field.
            self.jump_to_interface_owner(at, (node,))
        elif self.sg.is_abstract(at.parent_type):
            # Not resolvable on the interface here: ask per concrete type this subgraph can return.
            at.builder.add_field("__typename")
            for runtime in sorted(self.facts.runtime_types_in(at.subgraph, at.parent_type)):
                sub = at.builder.add_fragment(runtime)
                self.plan_field(replace(at, builder=sub, parent_type=runtime, provided=None), node)
        else:
            self.jump(at, node)

    def add_local_field(self, at: Position, node: FieldNode, below: SelectionSetNode | None) -> None:
        """Selects ``node`` in ``at.group`` and plans its sub-selections from there."""
        field_type = self.facts.field_type(at.parent_type, node.name.value)
        named = get_named_type(field_type)
        composite = not is_leaf_type(named)
        info = self.sg.field_in_graphs(at.parent_type, node.name.value).get(at.subgraph)
        subgraph_type = info.type if info is not None and info.type is not None else str(field_type)
        alias = _alias(node)
        response_key = alias or node.name.value
        if any(f.subgraph_type not in (None, subgraph_type) for f in at.builder.sibling_fields(response_key)):
            # Same response key, different types in this subgraph (e.g. String! on Book, String on Car): the
            # subgraph would reject the document, so fetch under an alias and rename the key back afterwards.
            alias = at.builder.free_alias(node.name.value)
            relative = tuple(p for p in at.path[len(at.group.path) :] if p != "@")
            at.group.output_rewrites.append(KeyRenamer((*relative, f"... on {at.parent_type}", alias), response_key))
        entry = at.builder.add_field(
            node.name.value,
            alias,
            tuple(node.arguments or ()),
            tuple(node.directives or ()),
            composite,
            internal=self.internal > 0,
        )
        entry.subgraph_type = subgraph_type
        if not composite:
            return
        assert entry.sub is not None and node.selection_set is not None
        if self.sg.is_abstract(named.name):
            entry.sub.add_field("__typename")
        if below is None and info is not None:
            below = info.provides
        path = (*at.path, response_key, *("@" for _ in range(list_depth(field_type))))
        inner = replace(at, builder=entry.sub, parent_type=named.name, path=path, provided=below)
        self.plan_selections(inner, node.selection_set.selections)

    def plan_fragment(self, at: Position, node: InlineFragmentNode) -> None:
        condition = node.type_condition.name.value if node.type_condition else at.parent_type
        directives = tuple(node.directives or ())
        selections = node.selection_set.selections
        wanted = self.sg.possible_runtime_types(condition)
        if condition == at.parent_type or not self.sg.is_abstract(at.parent_type):
            if at.parent_type not in wanted and condition != at.parent_type:
                return  # e.g. `... on Book` where only Movies can appear
            sub = at.builder.add_fragment(None, directives) if directives else at.builder
            self.plan_selections(replace(at, builder=sub), selections)
            return
        if self.facts.is_interface_object(at.parent_type, at.subgraph):
            self.jump_to_interface_owner(at, (node,))
            return
        here = self.facts.runtime_types_in(at.subgraph, at.parent_type) & wanted
        if not here:
            return  # this subgraph never returns such objects here: nothing to ask
        if at.subgraph in self.sg.graphs_of(condition):
            sub = at.builder.add_fragment(condition, directives)
            if self.sg.is_abstract(condition):
                sub.add_field("__typename")
            self.plan_selections(replace(at, builder=sub, parent_type=condition), selections)
            return
        for runtime in sorted(here):
            sub = at.builder.add_fragment(runtime, directives)
            self.plan_selections(replace(at, builder=sub, parent_type=runtime), selections)

    # -- jumps ----------------------------------------------------------------------------------

    def jump(self, at: Position, node: FieldNode) -> None:
        """Fetches ``node`` from another subgraph through ``_entities``, in a child group."""
        name = node.name.value
        candidates = self.sg.resolvers(at.parent_type, name, self.labels)
        entity_type = at.parent_type
        if not candidates:
            entity_type, candidates = self.facts.interface_object_route(at.parent_type, name)
        if not candidates:
            raise PlanningError(f'no subgraph can resolve "{at.parent_type}.{name}"')
        target, key = self.choose_target(at, entity_type, candidates)
        info = self.sg.field_in_graphs(entity_type, name)[target]
        child = self.enter(at, target, key, info.requires)
        if entity_type != at.parent_type:
            rewrite = ValueSetter((f"... on {at.parent_type}", "__typename"), entity_type)
            if rewrite not in child.input_rewrites:
                child.input_rewrites.append(rewrite)
        fragment = child.selection.add_fragment(entity_type)
        self.add_local_field(Position(child, fragment, entity_type, at.path, None, at.conditions), node, info.provides)

    def jump_to_interface_owner(self, at: Position, selections: Sequence[SelectionNode]) -> None:
        """From an @interfaceObject subgraph, continue in a subgraph where the type is a real interface."""
        interface = at.parent_type
        owners = [
            (g, k)
            for g, info in self.sg.graphs_of(interface).items()
            if not info.is_interface_object
            for k in info.resolvable_keys
        ]
        if not owners:
            raise PlanningError(f'no subgraph can tell the concrete type of "{interface}"')
        target, key = owners[0]
        child = self.enter(replace(at, provided=None), target, key, None)
        fragment = child.selection.add_fragment(interface)
        fragment.add_field("__typename")
        self.plan_selections(Position(child, fragment, interface, at.path, None, at.conditions), selections)

    def enter(self, at: Position, target: str, key: Key, requires: SelectionSetNode | None) -> FetchGroup:
        """The child group for ``target`` here, after making ``at.group`` fetch its key and requirements."""
        child = self.groups.child(at.group, target, at.path, at.conditions)
        self.groups.frames.append(set())
        self.internal += 1
        try:
            at.builder.add_field("__typename")
            inputs = replace(at, conditions=())
            self.plan_selections(inputs, key.selection_set.selections)
            if requires is not None:
                self.plan_selections(inputs, requires.selections)
        finally:
            self.internal -= 1
            deps = self.groups.frames.pop()
        for frame in self.groups.frames:
            frame.update(deps)
        child.depends_on |= deps - {at.group, child}
        assert child.requires is not None
        required = child.requires.add_fragment(at.parent_type)
        required.add_field("__typename")
        _copy_field_set(required, key.selection_set, at.builder)
        if requires is not None:
            _copy_field_set(required, requires, at.builder)
        return child

    def choose_target(self, at: Position, entity_type: str, candidates: list[str]) -> tuple[str, Key]:
        """Prefers a group already open here, then a key the current subgraph can supply itself."""
        keyed = [(c, k) for c in candidates for k in self.sg.keys(entity_type, c) if k.resolvable]
        if not keyed:
            raise PlanningError(
                f'"{at.parent_type}" cannot be fetched from {", ".join(candidates)}: no resolvable @key there'
            )
        open_here = {c.subgraph for c in at.group.children if c.path == at.path and c.conditions == at.conditions}
        local = [
            (c, k)
            for c, k in keyed
            if self.facts.field_set_local(at.subgraph, at.parent_type, k.selection_set, at.provided)
        ]
        for c, k in local:
            if c in open_here:
                return c, k
        if local:
            return local[0]
        return keyed[0]


def _root_fields(selection_set: SelectionSetNode) -> list[tuple[FieldNode, tuple[Condition, ...]]]:
    """Root fields in order, with root-level fragments flattened (their directives kept per field)."""
    result: list[tuple[FieldNode, tuple[Condition, ...]]] = []
    for node in selection_set.selections:
        own = conditions_of(node.directives)
        if own is None:
            continue
        if isinstance(node, FieldNode):
            result.append((node, own))
        elif isinstance(node, InlineFragmentNode):
            for inner, inner_conditions in _root_fields(node.selection_set):
                if node.directives:
                    inner = replace(inner, directives=(*(inner.directives or ()), *node.directives))
                result.append((inner, own + inner_conditions))
    return result


def _copy_field_set(builder: SelectionBuilder, field_set: SelectionSetNode, fetched: SelectionBuilder | None) -> None:
    """Copies a key or @requires field set into a ``requires`` selection, linked to where it was fetched."""
    for node in field_set.selections:
        if isinstance(node, FieldNode):
            arguments = tuple(node.arguments or ())
            entry = builder.add_field(node.name.value, None, arguments, (), node.selection_set is not None)
            entry.source = fetched.find_field(node.name.value, arguments) if fetched is not None else None
            if node.selection_set is not None:
                assert entry.sub is not None
                source_sub = entry.source.sub if entry.source is not None else None
                _copy_field_set(entry.sub, node.selection_set, source_sub)
        elif isinstance(node, InlineFragmentNode):
            condition = node.type_condition.name.value if node.type_condition else None
            _copy_field_set(builder.add_fragment(condition), node.selection_set, fetched)


def _alias(node: FieldNode) -> str | None:
    return node.alias.value if node.alias else None


__all__ = ["FetchGroup", "build_query_plan"]
