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
siblings; emission turns that into Sequence/Parallel/Flatten/Condition nodes.
See federation-notes §4.2 for the rules this follows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
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
from gateway.planner.operation import Condition, conditions_of, inline_fragments
from gateway.planner.plan import KeyRenamer, QueryPlan, Rewrite, ValueSetter
from gateway.planner.selection import SelectionBuilder
from gateway.supergraph.fieldsets import field_names
from gateway.supergraph.model import Key, Supergraph

_INTROSPECTION = frozenset({"__schema", "__type"})


@dataclass(eq=False)
class FetchGroup:
    """One future subgraph request: what to select, where its result merges, and what it waits for."""

    id: int
    subgraph: str
    path: tuple[str, ...]  # where results merge: response keys, "@" for list items
    parent: FetchGroup | None
    conditions: tuple[Condition, ...]
    selection: SelectionBuilder = field(default_factory=SelectionBuilder)
    requires: SelectionBuilder | None = None  # None for a root group
    depends_on: set[FetchGroup] = field(default_factory=set)
    children: list[FetchGroup] = field(default_factory=list)
    input_rewrites: list[Rewrite] = field(default_factory=list)
    output_rewrites: list[Rewrite] = field(default_factory=list)

    @property
    def is_entity(self) -> bool:
        return self.requires is not None


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


class _Planner:
    def __init__(self, supergraph: Supergraph, labels: frozenset[str]) -> None:
        self.sg = supergraph
        self.labels = labels
        self.next_id = 0
        # Every group a jump lands in is recorded in each open frame: what a requirement depends on.
        self.touched: list[set[FetchGroup]] = []
        # Above zero while planning keys and @requires inputs: those fields yield to the client's response keys.
        self.internal = 0

    # -- groups ---------------------------------------------------------------------------------

    def new_group(
        self, subgraph: str, path: tuple[str, ...], parent: FetchGroup | None, conditions: tuple[Condition, ...]
    ) -> FetchGroup:
        group = FetchGroup(self.next_id, subgraph, path, parent, conditions)
        self.next_id += 1
        if parent is not None:
            group.requires = SelectionBuilder()
            parent.children.append(group)
        return group

    def child_group(
        self, parent: FetchGroup, subgraph: str, path: tuple[str, ...], conditions: tuple[Condition, ...]
    ) -> FetchGroup:
        for child in parent.children:
            if child.subgraph == subgraph and child.path == path and child.conditions == conditions:
                return child
        return self.new_group(subgraph, path, parent, conditions)

    # -- root -----------------------------------------------------------------------------------

    def plan_root(self, kind: OperationType, selection_set: SelectionSetNode) -> list[FetchGroup]:
        root_type = self.sg.schema.get_root_type(kind)
        if root_type is None:
            raise PlanningError(f"the supergraph has no {kind.value} root type")
        groups: list[FetchGroup] = []
        for node, conditions in _root_fields(selection_set):
            name = node.name.value
            if name == "__typename" or name in _INTROSPECTION:
                continue  # answered by the gateway itself
            resolvers = self.sg.resolvers(root_type.name, name, self.labels)
            if not resolvers:
                raise PlanningError(f'no subgraph resolves the root field "{root_type.name}.{name}"')
            group = self._root_group(groups, resolvers, serial=kind == OperationType.MUTATION)
            directives = node.directives or ()
            self.add_local_field(group, group.selection, root_type.name, node, (), None, directives, conditions)
        return groups

    def _root_group(self, groups: list[FetchGroup], resolvers: list[str], *, serial: bool) -> FetchGroup:
        if serial:
            # Mutations run in order: only the last group may take a consecutive field.
            if groups and groups[-1].subgraph in resolvers:
                return groups[-1]
        else:
            for group in groups:
                if group.subgraph in resolvers:
                    return group
        group = self.new_group(resolvers[0], (), None, ())
        groups.append(group)
        return group

    # -- selections -----------------------------------------------------------------------------

    def plan_selections(
        self,
        group: FetchGroup,
        builder: SelectionBuilder,
        parent_type: str,
        selections: Iterable[SelectionNode],
        path: tuple[str, ...],
        provided: SelectionSetNode | None,
        conditions: tuple[Condition, ...],
    ) -> None:
        for node in selections:
            own = conditions_of(node.directives)
            if own is None:
                continue  # excluded by a literal @skip(if: true) / @include(if: false)
            if isinstance(node, FieldNode):
                self.plan_field(group, builder, parent_type, node, path, provided, conditions + own)
            elif isinstance(node, InlineFragmentNode):
                self.plan_fragment(group, builder, parent_type, node, path, provided, conditions + own)
            else:
                raise PlanningError("fragment spreads must be inlined before planning")

    def plan_field(
        self,
        group: FetchGroup,
        builder: SelectionBuilder,
        parent_type: str,
        node: FieldNode,
        path: tuple[str, ...],
        provided: SelectionSetNode | None,
        conditions: tuple[Condition, ...],
    ) -> None:
        name = node.name.value
        directives = node.directives or ()
        if name == "__typename":
            if self.is_interface_object(parent_type, group.subgraph):
                # The subgraph would answer the interface's name: ask the interface's owner.
                self.jump_to_interface_owner(group, builder, parent_type, (node,), path, conditions)
                return
            builder.add_field(name, _alias(node), directives=directives)
            return
        local, sub_provided = self.local_field(group.subgraph, parent_type, name, provided)
        if local:
            self.add_local_field(group, builder, parent_type, node, path, sub_provided, directives, conditions)
            return
        if self.is_interface_object(parent_type, group.subgraph):
            # This subgraph knows no implementations: the interface's owner resolves the field.
            self.jump_to_interface_owner(group, builder, parent_type, (node,), path, conditions)
            return
        if self.sg.is_abstract(parent_type):
            # Not resolvable on the interface here: ask per concrete type this subgraph can return.
            builder.add_field("__typename")
            for runtime in sorted(self.runtime_types_in(group.subgraph, parent_type)):
                sub = builder.add_fragment(runtime)
                self.plan_field(group, sub, runtime, node, path, None, conditions)
            return
        self.jump(group, builder, parent_type, node, path, provided, conditions)

    def add_local_field(
        self,
        group: FetchGroup,
        builder: SelectionBuilder,
        parent_type: str,
        node: FieldNode,
        path: tuple[str, ...],
        provided: SelectionSetNode | None,
        directives: Sequence[object],
        conditions: tuple[Condition, ...],
    ) -> None:
        field_type = self.field_type(parent_type, node.name.value)
        named = get_named_type(field_type)
        composite = not is_leaf_type(named)
        info = self.sg.field_in_graphs(parent_type, node.name.value).get(group.subgraph)
        subgraph_type = info.type if info is not None and info.type is not None else str(field_type)
        alias = _alias(node)
        response_key = alias or node.name.value
        if any(f.subgraph_type not in (None, subgraph_type) for f in builder.sibling_fields(response_key)):
            # Same response key, different types in this subgraph (e.g. String! on Book, String on Car): the
            # subgraph would reject the document, so fetch under an alias and rename the key back afterwards.
            alias = builder._free_alias(node.name.value)
            relative = tuple(p for p in path[len(group.path) :] if p != "@")
            group.output_rewrites.append(KeyRenamer((*relative, f"... on {parent_type}", alias), response_key))
        entry = builder.add_field(
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
        sub_path = (*path, response_key, *("@" for _ in range(_list_depth(field_type))))
        if provided is None:
            provided = info.provides if info is not None else None
        self.plan_selections(
            group, entry.sub, named.name, node.selection_set.selections, sub_path, provided, conditions
        )

    def plan_fragment(
        self,
        group: FetchGroup,
        builder: SelectionBuilder,
        parent_type: str,
        node: InlineFragmentNode,
        path: tuple[str, ...],
        provided: SelectionSetNode | None,
        conditions: tuple[Condition, ...],
    ) -> None:
        condition = node.type_condition.name.value if node.type_condition else parent_type
        directives = tuple(node.directives or ())
        selections = node.selection_set.selections
        wanted = self.sg.possible_runtime_types(condition)
        if condition == parent_type or not self.sg.is_abstract(parent_type):
            if parent_type not in wanted and condition != parent_type:
                return  # e.g. `... on Book` where only Movies can appear
            sub = builder.add_fragment(None, directives) if directives else builder
            self.plan_selections(group, sub, parent_type, selections, path, provided, conditions)
            return
        if self.is_interface_object(parent_type, group.subgraph):
            self.jump_to_interface_owner(group, builder, parent_type, (node,), path, conditions)
            return
        here = self.runtime_types_in(group.subgraph, parent_type) & wanted
        if not here:
            return  # this subgraph never returns such objects here: nothing to ask
        if group.subgraph in self.sg.graphs_of(condition):
            sub = builder.add_fragment(condition, directives)
            if self.sg.is_abstract(condition):
                sub.add_field("__typename")
            self.plan_selections(group, sub, condition, selections, path, provided, conditions)
            return
        for runtime in sorted(here):
            sub = builder.add_fragment(runtime, directives)
            self.plan_selections(group, sub, runtime, selections, path, provided, conditions)

    # -- jumps ----------------------------------------------------------------------------------

    def jump(
        self,
        group: FetchGroup,
        builder: SelectionBuilder,
        parent_type: str,
        node: FieldNode,
        path: tuple[str, ...],
        provided: SelectionSetNode | None,
        conditions: tuple[Condition, ...],
    ) -> None:
        name = node.name.value
        candidates = self.sg.resolvers(parent_type, name, self.labels)
        entity_type = parent_type
        if not candidates:
            entity_type, candidates = self.interface_object_route(parent_type, name)
        if not candidates:
            raise PlanningError(f'no subgraph can resolve "{parent_type}.{name}"')
        target, key = self.choose_target(group, parent_type, entity_type, candidates, path, provided, conditions)
        child = self.child_group(group, target, path, conditions)
        for frame in self.touched:
            frame.add(child)
        info = self.sg.field_in_graphs(entity_type, name)[target]
        deps = self.select_inputs(group, builder, parent_type, key, info.requires, path, provided, child)
        child.depends_on |= deps - {group, child}
        if entity_type != parent_type:
            rewrite = ValueSetter((f"... on {parent_type}", "__typename"), entity_type)
            if rewrite not in child.input_rewrites:
                child.input_rewrites.append(rewrite)
        target_builder = child.selection.add_fragment(entity_type)
        directives = node.directives or ()
        self.add_local_field(child, target_builder, entity_type, node, path, info.provides, directives, conditions)

    def select_inputs(
        self,
        group: FetchGroup,
        builder: SelectionBuilder,
        parent_type: str,
        key: Key,
        requires: SelectionSetNode | None,
        path: tuple[str, ...],
        provided: SelectionSetNode | None,
        child: FetchGroup,
    ) -> set[FetchGroup]:
        """Makes ``group`` fetch the key (and requirements) the child needs; returns the groups it waits for."""
        self.touched.append(set())
        self.internal += 1
        try:
            builder.add_field("__typename")
            self.plan_selections(group, builder, parent_type, key.selection_set.selections, path, provided, ())
            if requires is not None:
                self.plan_selections(group, builder, parent_type, requires.selections, path, provided, ())
        finally:
            self.internal -= 1
            deps = self.touched.pop()
        for frame in self.touched:
            frame.update(deps)
        assert child.requires is not None
        required = child.requires.add_fragment(parent_type)
        required.add_field("__typename")
        _copy_field_set(required, key.selection_set, builder)
        if requires is not None:
            _copy_field_set(required, requires, builder)
        return deps

    def choose_target(
        self,
        group: FetchGroup,
        parent_type: str,
        entity_type: str,
        candidates: list[str],
        path: tuple[str, ...],
        provided: SelectionSetNode | None,
        conditions: tuple[Condition, ...],
    ) -> tuple[str, Key]:
        """Prefers a group already open here, then a key the current subgraph can supply itself."""
        keyed = [(c, k) for c in candidates for k in self.sg.keys(entity_type, c) if k.resolvable]
        if not keyed:
            raise PlanningError(
                f'"{parent_type}" cannot be fetched from {", ".join(candidates)}: no resolvable @key there'
            )
        open_here = {c.subgraph for c in group.children if c.path == path and c.conditions == conditions}
        local = [
            (c, k) for c, k in keyed if self.field_set_local(group.subgraph, parent_type, k.selection_set, provided)
        ]
        for c, k in local:
            if c in open_here:
                return c, k
        if local:
            return local[0]
        return keyed[0]

    def interface_object_route(self, type_name: str, field_name: str) -> tuple[str, list[str]]:
        """For a field that only an @interfaceObject subgraph defines: the interface and its subgraphs."""
        named = self.sg.schema.type_map.get(type_name)
        for interface in getattr(named, "interfaces", ()):
            graphs = [
                g
                for g, f in self.sg.field_in_graphs(interface.name, field_name).items()
                if f.resolvable(self.labels) and self.is_interface_object(interface.name, g)
            ]
            if graphs:
                return interface.name, graphs
        return type_name, []

    def jump_to_interface_owner(
        self,
        group: FetchGroup,
        builder: SelectionBuilder,
        interface: str,
        selections: Sequence[SelectionNode],
        path: tuple[str, ...],
        conditions: tuple[Condition, ...],
    ) -> None:
        """From an @interfaceObject subgraph, learn concrete types from a subgraph where it is an interface."""
        owners = [
            (g, k)
            for g, info in self.sg.graphs_of(interface).items()
            if not info.is_interface_object
            for k in info.resolvable_keys
        ]
        if not owners:
            raise PlanningError(f'no subgraph can tell the concrete type of "{interface}"')
        target, key = owners[0]
        child = self.child_group(group, target, path, conditions)
        for frame in self.touched:
            frame.add(child)
        deps = self.select_inputs(group, builder, interface, key, None, path, None, child)
        child.depends_on |= deps - {group, child}
        target_builder = child.selection.add_fragment(interface)
        target_builder.add_field("__typename")
        self.plan_selections(child, target_builder, interface, selections, path, None, conditions)

    # -- facts ----------------------------------------------------------------------------------

    def local_field(
        self, graph: str, parent_type: str, name: str, provided: SelectionSetNode | None
    ) -> tuple[bool, SelectionSetNode | None]:
        """Whether ``graph`` resolves ``parent_type.name`` here, and what it provides beneath."""
        if provided is not None:
            found = _provided_field(provided, parent_type, name, self.sg.possible_runtime_types)
            if found is not None:
                return True, found.selection_set
        info = self.sg.field_in_graphs(parent_type, name).get(graph)
        if info is not None and info.resolvable(self.labels):
            return info.requires is None, info.provides
        if any(name in field_names(k.selection_set) for k in self.sg.keys(parent_type, graph)):
            return True, None
        return False, None

    def field_set_local(
        self, graph: str, parent_type: str, field_set: SelectionSetNode, provided: SelectionSetNode | None
    ) -> bool:
        for node in field_set.selections:
            if isinstance(node, InlineFragmentNode):
                condition = node.type_condition.name.value if node.type_condition else parent_type
                if not self.field_set_local(graph, condition, node.selection_set, None):
                    return False
                continue
            assert isinstance(node, FieldNode)
            local, sub_provided = self.local_field(graph, parent_type, node.name.value, provided)
            if not local:
                return False
            if node.selection_set is not None:
                named = get_named_type(self.field_type(parent_type, node.name.value)).name
                if not self.field_set_local(graph, named, node.selection_set, sub_provided):
                    return False
        return True

    def runtime_types_in(self, graph: str, abstract: str) -> frozenset[str]:
        return self.sg.possible_types_in_graph(abstract, graph) & self.sg.possible_runtime_types(abstract)

    def is_interface_object(self, type_name: str, graph: str) -> bool:
        info = self.sg.graphs_of(type_name).get(graph)
        return info is not None and info.is_interface_object

    def field_type(self, parent_type: str, name: str) -> GraphQLOutputType:
        parent = self.sg.schema.type_map.get(parent_type)
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            raise PlanningError(f'cannot select "{name}" on "{parent_type}"')
        definition = parent.fields.get(name)
        if definition is None:
            raise PlanningError(f'"{parent_type}" has no field "{name}"')
        field_type: GraphQLOutputType = definition.type
        return field_type


def _root_fields(selection_set: SelectionSetNode) -> list[tuple[FieldNode, tuple[Condition, ...]]]:
    """Root fields in order, with root-level fragments flattened (their conditions kept per field)."""
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
                    inner = _with_directives(inner, tuple(node.directives))
                result.append((inner, own + inner_conditions))
    return result


def _with_directives(node: FieldNode, directives: tuple[object, ...]) -> FieldNode:
    from dataclasses import replace

    return replace(node, directives=tuple(node.directives or ()) + directives)  # type: ignore[operator]


def _provided_field(
    provided: SelectionSetNode,
    parent_type: str,
    name: str,
    possible: object,
) -> FieldNode | None:
    for node in provided.selections:
        if isinstance(node, FieldNode) and node.name.value == name:
            return node
        if isinstance(node, InlineFragmentNode):
            condition = node.type_condition.name.value if node.type_condition else parent_type
            if condition == parent_type or parent_type in possible(condition):  # type: ignore[operator]
                found = _provided_field(node.selection_set, parent_type, name, possible)
                if found is not None:
                    return found
    return None


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


def _list_depth(type_: GraphQLOutputType) -> int:
    depth = 0
    while True:
        if isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
        elif isinstance(type_, GraphQLList):
            depth += 1
            type_ = type_.of_type
        else:
            return depth


__all__ = ["FetchGroup", "build_query_plan"]
