"""Fetch groups: the planner's working units, one future subgraph request each."""

from __future__ import annotations

from dataclasses import dataclass, field

from gateway.planner.operation import Condition
from gateway.planner.plan import Rewrite
from gateway.planner.selection import SelectionBuilder


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


class Groups:
    """Creates groups, reuses a child group for the same (subgraph, path, conditions), records dependencies."""

    def __init__(self) -> None:
        self.next_id = 0
        # Every group a jump lands in is recorded in each open frame: what a requirement depends on.
        self.frames: list[set[FetchGroup]] = []

    def new(
        self, subgraph: str, path: tuple[str, ...], parent: FetchGroup | None, conditions: tuple[Condition, ...]
    ) -> FetchGroup:
        group = FetchGroup(self.next_id, subgraph, path, parent, conditions)
        self.next_id += 1
        if parent is not None:
            group.requires = SelectionBuilder()
            parent.children.append(group)
        return group

    def child(
        self, parent: FetchGroup, subgraph: str, path: tuple[str, ...], conditions: tuple[Condition, ...]
    ) -> FetchGroup:
        """The child group of ``parent`` for this subgraph and path, opened if needed, and recorded as used."""
        found = next(
            (c for c in parent.children if c.subgraph == subgraph and c.path == path and c.conditions == conditions),
            None,
        )
        child = found or self.new(subgraph, path, parent, conditions)
        for frame in self.frames:
            frame.add(child)
        return child
