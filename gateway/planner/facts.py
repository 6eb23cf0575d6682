"""What the planner asks of the supergraph: who resolves a field here, which types a subgraph can return."""

from __future__ import annotations

from graphql import (
    FieldNode,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
)

from gateway.errors import PlanningError
from gateway.supergraph.fieldsets import field_names
from gateway.supergraph.model import Supergraph


class Facts:
    """Ownership questions for one planning run (the active override labels decide some answers)."""

    def __init__(self, supergraph: Supergraph, labels: frozenset[str]) -> None:
        self.sg = supergraph
        self.labels = labels

    def local_field(
        self, graph: str, parent_type: str, name: str, provided: SelectionSetNode | None
    ) -> tuple[bool, SelectionSetNode | None]:
        """Whether ``graph`` resolves ``parent_type.name`` here without a jump, and what it provides beneath.

        A field with ``@requires`` is never local: its inputs must be fetched first, even from itself.
        """
        if provided is not None:
            found = self._provided_field(provided, parent_type, name)
            if found is not None:
                return True, found.selection_set
        info = self.sg.field_in_graphs(parent_type, name).get(graph)
        if info is not None and info.resolvable(self.labels):
            return info.requires is None, info.provides
        if any(name in field_names(k.selection_set) for k in self.sg.keys(parent_type, graph)):
            return True, None  # key fields are always resolvable where the key is
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
        """The concrete types that ``graph`` can return where it declares the abstract type."""
        return self.sg.possible_types_in_graph(abstract, graph) & self.sg.possible_runtime_types(abstract)

    def is_interface_object(self, type_name: str, graph: str) -> bool:
        info = self.sg.graphs_of(type_name).get(graph)
        return info is not None and info.is_interface_object

    def interface_object_route(self, type_name: str, field_name: str) -> tuple[str, list[str]]:
        """For a field that only an @interfaceObject subgraph defines: the interface and those subgraphs."""
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

    def field_type(self, parent_type: str, name: str) -> GraphQLOutputType:
        parent = self.sg.schema.type_map.get(parent_type)
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            raise PlanningError(f'cannot select "{name}" on "{parent_type}"')
        definition = parent.fields.get(name)
        if definition is None:
            raise PlanningError(f'"{parent_type}" has no field "{name}"')
        field_type: GraphQLOutputType = definition.type
        return field_type

    def _provided_field(self, provided: SelectionSetNode, parent_type: str, name: str) -> FieldNode | None:
        for node in provided.selections:
            if isinstance(node, FieldNode) and node.name.value == name:
                return node
            if isinstance(node, InlineFragmentNode):
                condition = node.type_condition.name.value if node.type_condition else parent_type
                if condition == parent_type or parent_type in self.sg.possible_runtime_types(condition):
                    found = self._provided_field(node.selection_set, parent_type, name)
                    if found is not None:
                        return found
        return None


def list_depth(type_: GraphQLOutputType) -> int:
    """How many list levels wrap the named type (each becomes an "@" in a response path)."""
    depth = 0
    while True:
        if isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
        elif isinstance(type_, GraphQLList):
            depth += 1
            type_ = type_.of_type
        else:
            return depth
