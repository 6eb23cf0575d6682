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
    internal: bool = False  # added by the planner (a key or @requires input), not asked by the client
    source: FieldEntry | None = None  # in a ``requires`` selection: the fetched field the value comes from
    subgraph_type: str | None = None  # the field's type in the fetching subgraph, when it matters for merging

    @property
    def response_key(self) -> str:
        return self.alias or self.name

    @property
    def shape(self) -> tuple[str, str]:
        return self.name, _printed(self.arguments)


@dataclass
class FragmentEntry:
    type_condition: str | None
    directives: tuple[DirectiveNode, ...]
    sub: SelectionBuilder


@dataclass
class SelectionBuilder:
    entries: dict[tuple[object, ...], FieldEntry | FragmentEntry] = field(default_factory=dict)
    # For the selection inside ``... on T``: the selection holding that fragment, and T.
    parent: SelectionBuilder | None = None
    type_condition: str | None = None

    def add_field(
        self,
        name: str,
        alias: str | None = None,
        arguments: tuple[ArgumentNode, ...] = (),
        directives: tuple[DirectiveNode, ...] = (),
        composite: bool = False,
        *,
        internal: bool = False,
    ) -> FieldEntry:
        """Adds a field, or returns the same field already selected here.

        Two different fields (name or arguments) cannot share a response key in one selection set. The
        client's field keeps its key; the planner's own field is aliased ``<name>__alias_<n>`` instead.
        """
        if alias == name:
            alias = None
        shape = (name, _printed(arguments))
        taken = self._holder_of(alias or name)
        if taken is not None and taken.shape != shape:
            if internal:
                alias = self.free_alias(name)
            elif taken.internal:
                self._realias(taken)
        key = self._key(alias or name, shape, directives)
        entry = self.entries.get(key)
        if entry is None:
            entry = FieldEntry(
                name, alias, arguments, directives, SelectionBuilder() if composite else None, internal=internal
            )
            self.entries[key] = entry
        assert isinstance(entry, FieldEntry)
        entry.internal = entry.internal and internal
        return entry

    def find_field(self, name: str, arguments: tuple[ArgumentNode, ...]) -> FieldEntry | None:
        """The field with this name and these arguments, here or in a fragment without type condition."""
        shape = (name, _printed(arguments))
        for entry in self.entries.values():
            if isinstance(entry, FieldEntry) and entry.shape == shape:
                return entry
        for entry in self.entries.values():
            if isinstance(entry, FragmentEntry) and entry.type_condition is None:
                found = entry.sub.find_field(name, arguments)
                if found is not None:
                    return found
        return None

    def _holder_of(self, response_key: str) -> FieldEntry | None:
        for entry in self.entries.values():
            if isinstance(entry, FieldEntry) and entry.response_key == response_key:
                return entry
        return None

    def free_alias(self, name: str) -> str:
        n = 0
        while self._holder_of(f"{name}__alias_{n}") is not None:
            n += 1
        return f"{name}__alias_{n}"

    def _realias(self, entry: FieldEntry) -> None:
        """Moves a planner-added field out of the way of a client field, keeping the entries' order."""
        alias = self.free_alias(entry.name)
        self.entries = {
            (self._key(alias, entry.shape, entry.directives) if e is entry else k): e for k, e in self.entries.items()
        }
        entry.alias = alias

    @staticmethod
    def _key(response_key: str, shape: tuple[str, str], directives: tuple[DirectiveNode, ...]) -> tuple[object, ...]:
        return ("field", response_key, *shape, _printed(directives))

    def add_fragment(self, type_condition: str | None, directives: tuple[DirectiveNode, ...] = ()) -> SelectionBuilder:
        key = ("fragment", type_condition, _printed(directives))
        entry = self.entries.get(key)
        if entry is None:
            entry = FragmentEntry(
                type_condition, directives, SelectionBuilder(parent=self, type_condition=type_condition)
            )
            self.entries[key] = entry
        assert isinstance(entry, FragmentEntry)
        return entry.sub

    def sibling_fields(self, response_key: str) -> list[FieldEntry]:
        """Fields with this response key in the other typed fragments beside this one (same selection set)."""
        if self.parent is None or self.type_condition is None:
            return []
        found = []
        for entry in self.parent.entries.values():
            if isinstance(entry, FragmentEntry) and entry.sub is not self and entry.type_condition is not None:
                holder = entry.sub._holder_of(response_key)
                if holder is not None:
                    found.append(holder)
        return found

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
                read_from = entry.source.response_key if entry.source is not None else entry.name
                result.append(
                    FieldSel(
                        entry.name,
                        entry.sub.to_selections() if entry.sub else (),
                        alias=read_from if read_from != entry.name else None,
                    )
                )
            elif entry.type_condition is not None:
                result.append(FragmentSel(entry.type_condition, entry.sub.to_selections()))
            else:
                result.extend(entry.sub.to_selections())
        return tuple(result)


def _printed(nodes: tuple[ArgumentNode, ...] | tuple[DirectiveNode, ...]) -> str:
    return " ".join(print_ast(node) for node in nodes) if nodes else ""
