"""Mutable selection sets that the planner fills in and finally prints as subgraph operations.

Fields merge by (response key, name, arguments, directives), so that a field
the client asked for and the same field added as a key are sent once.
Inline fragments merge by (type condition, directives).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import (
    ArgumentNode,
    DirectiveNode,
    FieldNode,
    InlineFragmentNode,
    NamedTypeNode,
    NameNode,
    SelectionNode,
    SelectionSetNode,
    print_ast,
)

from gateway.planner.plan import FieldSel, FragmentSel, Selection


@dataclass
class FieldEntry:
    name: str
    alias: str | None
    arguments: tuple[ArgumentNode, ...]
    directives: tuple[DirectiveNode, ...]
    sub: SelectionBuilder | None

    @property
    def response_key(self) -> str:
        return self.alias or self.name


@dataclass
class FragmentEntry:
    type_condition: str | None
    directives: tuple[DirectiveNode, ...]
    sub: SelectionBuilder


@dataclass
class SelectionBuilder:
    entries: dict[tuple[object, ...], FieldEntry | FragmentEntry] = field(default_factory=dict)

    def add_field(
        self,
        name: str,
        alias: str | None = None,
        arguments: tuple[ArgumentNode, ...] = (),
        directives: tuple[DirectiveNode, ...] = (),
        composite: bool = False,
    ) -> FieldEntry:
        if alias == name:
            alias = None
        key = ("field", alias or name, name, _printed(arguments), _printed(directives))
        entry = self.entries.get(key)
        if entry is None:
            entry = FieldEntry(name, alias, arguments, directives, SelectionBuilder() if composite else None)
            self.entries[key] = entry
        assert isinstance(entry, FieldEntry)
        return entry

    def add_fragment(self, type_condition: str | None, directives: tuple[DirectiveNode, ...] = ()) -> SelectionBuilder:
        key = ("fragment", type_condition, _printed(directives))
        entry = self.entries.get(key)
        if entry is None:
            entry = FragmentEntry(type_condition, directives, SelectionBuilder())
            self.entries[key] = entry
        assert isinstance(entry, FragmentEntry)
        return entry.sub

    def response_keys(self) -> dict[str, FieldEntry]:
        """The fields selected directly here (not inside fragments), by response key."""
        return {e.response_key: e for e in self.entries.values() if isinstance(e, FieldEntry)}

    def is_empty(self) -> bool:
        return not self.entries

    def to_ast(self) -> SelectionSetNode:
        selections: list[SelectionNode] = []
        for entry in self.entries.values():
            if isinstance(entry, FieldEntry):
                sub = entry.sub.to_ast() if entry.sub is not None else None
                selections.append(
                    FieldNode(
                        name=NameNode(value=entry.name),
                        alias=NameNode(value=entry.alias) if entry.alias else None,
                        arguments=entry.arguments,
                        directives=entry.directives,
                        selection_set=sub,
                    )
                )
            else:
                if entry.sub.is_empty():
                    continue
                selections.append(
                    InlineFragmentNode(
                        type_condition=NamedTypeNode(name=NameNode(value=entry.type_condition))
                        if entry.type_condition
                        else None,
                        directives=entry.directives,
                        selection_set=entry.sub.to_ast(),
                    )
                )
        return SelectionSetNode(selections=tuple(selections))

    def to_selections(self) -> tuple[Selection, ...]:
        """The executor's view (names and type conditions), for ``requires``."""
        result: list[Selection] = []
        for entry in self.entries.values():
            if isinstance(entry, FieldEntry):
                result.append(FieldSel(entry.name, entry.sub.to_selections() if entry.sub else ()))
            elif entry.type_condition is not None:
                result.append(FragmentSel(entry.type_condition, entry.sub.to_selections()))
            else:
                result.extend(entry.sub.to_selections())
        return tuple(result)


def _printed(nodes: tuple[ArgumentNode, ...] | tuple[DirectiveNode, ...]) -> str:
    return " ".join(print_ast(node) for node in nodes) if nodes else ""
