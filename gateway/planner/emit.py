"""Turns the planner's fetch groups into plan nodes and subgraph operations.

Children run after their parent; siblings run in parallel unless one needs
what another fetches (``@requires``, keys from a third subgraph), in which
case they are layered into a Sequence. A group under ``@skip``/``@include``
is wrapped, with everything beneath it, in Condition nodes.
"""

from __future__ import annotations

from collections.abc import Sequence as Seq
from typing import TYPE_CHECKING

from graphql import (
    ArgumentNode,
    FieldNode,
    ListTypeNode,
    NamedTypeNode,
    NameNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    print_ast,
    strip_ignored_characters,
    visit,
)

from gateway.errors import PlanningError
from gateway.planner.plan import Condition, Fetch, Flatten, Parallel, PlanNode, QueryPlan, Sequence, Subscription

if TYPE_CHECKING:
    from gateway.planner.groups import FetchGroup

_REPRESENTATIONS = VariableDefinitionNode(
    variable=VariableNode(name=NameNode(value="representations")),
    type=NonNullTypeNode(type=ListTypeNode(type=NonNullTypeNode(type=NamedTypeNode(name=NameNode(value="_Any"))))),
)


def emit_plan(roots: list[FetchGroup], operation: OperationDefinitionNode, *, serial: bool) -> QueryPlan:
    emitter = _Emitter(operation)
    if operation.operation == OperationType.SUBSCRIPTION:
        return _subscription(emitter, roots)
    nodes = [emitter.subtree(group) for group in roots if not group.selection.is_empty()]
    if not nodes:
        return QueryPlan(None)
    if len(nodes) == 1:
        return QueryPlan(nodes[0])
    return QueryPlan(Sequence(tuple(nodes)) if serial else Parallel(tuple(nodes)))


def _subscription(emitter: _Emitter, roots: list[FetchGroup]) -> QueryPlan:
    """One root field (validation sees to it): its fetch is the primary, what follows runs per event."""
    groups = [group for group in roots if not group.selection.is_empty()]
    if not groups:
        return QueryPlan(None)  # only __typename: answered by the gateway
    if len(groups) > 1:
        raise PlanningError("a subscription must select exactly one root field")
    root = groups[0]
    primary = emitter.fetch(root)
    return QueryPlan(Subscription(primary, emitter.children(root)))


class _Emitter:
    def __init__(self, operation: OperationDefinitionNode) -> None:
        self.operation = operation
        self.definitions = {d.variable.name.value: d for d in operation.variable_definitions or ()}
        self.count = 0

    def subtree(self, group: FetchGroup) -> PlanNode:
        fetch = self.fetch(group)
        node: PlanNode = fetch if group.parent is None else Flatten(group.path, fetch)
        children = self.children(group)
        if children is not None:
            node = Sequence((node, *_flat([children], Sequence)))
        inherited = set(group.parent.conditions) if group.parent is not None else set()
        for variable, wanted in reversed([c for c in group.conditions if c not in inherited]):
            node = Condition(variable, node, None) if wanted else Condition(variable, None, node)
        return node

    def children(self, group: FetchGroup) -> PlanNode | None:
        children = [c for c in group.children if not c.selection.is_empty()]
        if not children:
            return None
        waits = {c: {_sibling_of(d, group) for d in c.depends_on} - {None, c} for c in children}
        layers: list[list[FetchGroup]] = []
        placed: set[FetchGroup] = set()
        while len(placed) < len(children):
            layer = [c for c in children if c not in placed and waits[c] <= placed]
            if not layer:  # a cycle cannot be ordered; fall back to declaration order
                layer = [c for c in children if c not in placed][:1]
            layers.append(layer)
            placed.update(layer)
        steps = [self._parallel([self.subtree(c) for c in layer]) for layer in layers]
        return steps[0] if len(steps) == 1 else Sequence(tuple(_flat(steps, Sequence)))

    @staticmethod
    def _parallel(nodes: list[PlanNode]) -> PlanNode:
        return nodes[0] if len(nodes) == 1 else Parallel(tuple(_flat(nodes, Parallel)))

    def fetch(self, group: FetchGroup) -> Fetch:
        index = self.count
        self.count += 1
        selection = group.selection.to_ast()
        used = _variables_in(selection)
        definitions = [self.definitions[name] for name in self.definitions if name in used]
        if group.is_entity:
            kind = OperationType.QUERY
            definitions.insert(0, _REPRESENTATIONS)
            selection = SelectionSetNode(
                selections=(
                    FieldNode(
                        name=NameNode(value="_entities"),
                        arguments=(
                            ArgumentNode(
                                name=NameNode(value="representations"),
                                value=VariableNode(name=NameNode(value="representations")),
                            ),
                        ),
                        selection_set=selection,
                    ),
                )
            )
        else:
            kind = self.operation.operation
        name = None
        if self.operation.name is not None:
            name = f"{self.operation.name.value}__{_subgraph_part(group.subgraph)}__{index}"
        document = OperationDefinitionNode(
            operation=kind,
            name=NameNode(value=name) if name else None,
            variable_definitions=tuple(definitions),
            selection_set=selection,
        )
        assert group.requires is None or not group.requires.is_empty()
        return Fetch(
            service_name=group.subgraph,
            operation=strip_ignored_characters(print_ast(document)),
            operation_kind=kind.value,
            operation_name=name,
            variable_usages=tuple(n for n in self.definitions if n in used),
            requires=group.requires.to_selections() if group.requires is not None else (),
            input_rewrites=tuple(group.input_rewrites),
            output_rewrites=tuple(group.output_rewrites),
            id=index,
        )


def _sibling_of(group: FetchGroup, parent: FetchGroup) -> FetchGroup | None:
    """The child of ``parent`` whose subtree holds ``group`` (None if it lies elsewhere)."""
    current: FetchGroup | None = group
    while current is not None and current.parent is not parent:
        current = current.parent
    return current


def _flat(nodes: Seq[PlanNode], kind: type[Sequence] | type[Parallel]) -> list[PlanNode]:
    result: list[PlanNode] = []
    for node in nodes:
        result.extend(node.nodes if isinstance(node, kind) else (node,))
    return result


class _VariableCollector(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_variable(self, node: VariableNode, *_: object) -> None:
        self.names.add(node.name.value)


def _variables_in(selection: SelectionSetNode) -> set[str]:
    collector = _VariableCollector()
    visit(selection, collector)
    return collector.names


def _subgraph_part(name: str) -> str:
    cleaned = "".join(ch for ch in name.replace("-", "_") if ch.isalnum() or ch == "_")
    return "_" + cleaned if cleaned[:1].isdigit() else cleaned
