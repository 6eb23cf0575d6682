"""What the operation limits measure in a document: tokens, depth, aliases, root fields, and its cost tree.

Measured once per (query text, operation name) and remembered, so a client
repeating an operation pays a dictionary lookup; only the cost is evaluated
per request, since list sizes may come from variables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Source,
    TokenKind,
    parse,
)
from graphql.language.lexer import Lexer

from gateway.pipeline.documents import LRU
from gateway.plugins.cost import CostModel, OperationCost


@dataclass(frozen=True, slots=True)
class Measured:
    """The static measures of one operation; ``cost`` is None when the document could not be measured further."""

    tokens: int
    depth: int = 0
    aliases: int = 0
    root_fields: int = 0
    cost: OperationCost | None = None


class Measurer:
    """Measures operations, remembering the last ``size`` distinct ones."""

    def __init__(self, cost_model: CostModel | None, *, token_cap: int | None, size: int = 1024) -> None:
        self.cost_model = cost_model
        self.token_cap = token_cap  # counting stops here: beyond every class's limit, the exact count is moot
        self._memo: LRU[tuple[str, str | None], Measured] = LRU(size)

    def measure(self, query: str, operation_name: str | None) -> Measured:
        key = (query, operation_name)
        measured = self._memo.get(key)
        if measured is None:
            measured = self._measure(query, operation_name)
            self._memo.put(key, measured)
        return measured

    def _measure(self, query: str, operation_name: str | None) -> Measured:
        tokens = count_tokens(query, self.token_cap)
        if self.token_cap is not None and tokens > self.token_cap:
            return Measured(tokens)
        try:
            document = parse(query, no_location=True)
        except GraphQLError:
            return Measured(tokens)  # the supergraph layer answers with the syntax error
        operation = _operation(document, operation_name)
        if operation is None:
            return Measured(tokens)
        fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        walk = _Walk(fragments)
        depth = walk.depth(operation.selection_set, frozenset())
        root_fields = len(walk.fields(operation.selection_set, frozenset()))
        aliases = walk.aliases(operation.selection_set, frozenset())
        cost = self.cost_model.compile(document, operation) if self.cost_model is not None else None
        return Measured(tokens, depth, aliases, root_fields, cost)


def count_tokens(query: str, cap: int | None) -> int:
    """The number of lexical tokens (punctuators, names, values; not comments), up to ``cap + 1``."""
    lexer = Lexer(Source(query))
    count = 0
    try:
        while lexer.advance().kind != TokenKind.EOF:
            count += 1
            if cap is not None and count > cap:
                break
    except GraphQLError:
        pass  # a lexical error: the supergraph layer reports it
    return count


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name is not None and o.name.value == name), None)


class _Walk:
    """Walks selections through fragments; a fragment already on the path is not entered again (cycles)."""

    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments

    def fields(self, selection_set: SelectionSetNode, visiting: frozenset[str]) -> list[FieldNode]:
        """The fields of a selection set, with fragments expanded in place."""
        result: list[FieldNode] = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                result.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                result.extend(self.fields(selection.selection_set, visiting))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in visiting:
                    result.extend(self.fields(fragment.selection_set, visiting | {name}))
        return result

    def depth(self, selection_set: SelectionSetNode, visiting: frozenset[str]) -> int:
        deepest = 0
        for field in self._fields_with_visiting(selection_set, visiting):
            node, seen = field
            below = self.depth(node.selection_set, seen) if node.selection_set is not None else 0
            deepest = max(deepest, 1 + below)
        return deepest

    def aliases(self, selection_set: SelectionSetNode, visiting: frozenset[str]) -> int:
        count = 0
        for node, seen in self._fields_with_visiting(selection_set, visiting):
            if node.alias is not None:
                count += 1
            if node.selection_set is not None:
                count += self.aliases(node.selection_set, seen)
        return count

    def _fields_with_visiting(
        self, selection_set: SelectionSetNode, visiting: frozenset[str]
    ) -> list[tuple[FieldNode, frozenset[str]]]:
        result: list[tuple[FieldNode, frozenset[str]]] = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                result.append((selection, visiting))
            elif isinstance(selection, InlineFragmentNode):
                result.extend(self._fields_with_visiting(selection.selection_set, visiting))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in visiting:
                    result.extend(self._fields_with_visiting(fragment.selection_set, visiting | {name}))
        return result
