"""Step 5: satisfiability: every query on the API schema can be executed by fetches from the subgraphs.

A simplified form of Apollo's validation (federation-notes §3): walk the API
schema from the roots, carrying the subgraphs that can be "at" the current
point (with what a ``@provides`` above made available). A field is reachable
from a subgraph if it resolves it there, or after key jumps (each jump needs a
resolvable ``@key`` in the target whose fields the source can supply; a
``@requires`` needs its fields, nested selections and type conditions included,
from the source or a subgraph it can jump to, and each required field's own
``@requires`` in turn: a chain, a cycle failing). A field that no candidate
reaches is an error with a witness query and Apollo's reasons, from each
subgraph the query can be in there. Abstract types are explored through the
runtime types each candidate knows; interface fields are checked on each
implementation. Not modelled: ``@override`` labels (both sides count as
resolvable) and ``@provides`` beyond the fields it names.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from graphql import FieldNode, InlineFragmentNode, SelectionSetNode, print_ast

from gateway.supergraph.compose.codes import CompositionError
from gateway.supergraph.compose.merged import Merged, MergedField, MergedType
from gateway.supergraph.compose.model import Kind, named_type
from gateway.supergraph.fieldsets import parse_field_set

Candidate = tuple[str, str | None]  # (subgraph, what a @provides above makes available here, printed)


@dataclass(frozen=True, slots=True)
class _Step:
    """One element of the witness path: a field (with its arguments) or a type condition."""

    text: str
    composite: bool = True


def check_satisfiability(merged: Merged) -> list[CompositionError]:
    return _Walker(merged).run()


class _Walker:
    def __init__(self, merged: Merged) -> None:
        self.merged = merged
        self.errors: list[CompositionError] = []
        self.reported: set[str] = set()
        self.reach_cache: dict[tuple[str, str], frozenset[str]] = {}

    def run(self) -> list[CompositionError]:
        queue: deque[tuple[str, frozenset[Candidate], tuple[_Step, ...]]] = deque()
        seen: set[tuple[str, frozenset[Candidate]]] = set()
        for root in self.merged.roots:
            root_type = self.merged.types[root]
            candidates: frozenset[Candidate] = frozenset(
                (g, None) for g in root_type.sources if self._has_fields(root_type, g)
            )
            prefix = () if root == "Query" else (_Step(root.lower()),)
            queue.append((root, candidates, prefix))
        while queue:
            type_name, candidates, path = queue.popleft()
            if (type_name, candidates) in seen or not candidates:
                continue
            seen.add((type_name, candidates))
            merged_type = self.merged.types[type_name]
            if merged_type.kind in (Kind.INTERFACE, Kind.UNION):
                for runtime, runtime_candidates in self._downcasts(merged_type, candidates):
                    queue.append((runtime, runtime_candidates, (*path, _Step(f"... on {runtime}"))))
                if merged_type.kind is Kind.UNION:
                    continue
            for field in merged_type.fields.values():
                if field.applied.inaccessible:
                    continue
                step = _Step(field.name + _placeholder_args(field, self.merged), self._composite(field.type))
                next_candidates = self._advance(merged_type, field, candidates, (*path, step))
                target = named_type(field.type)
                if next_candidates and self._composite(field.type) and not self._hidden(target):
                    queue.append((target, next_candidates, (*path, step)))
        return self.errors

    def _has_fields(self, root_type: MergedType, graph: str) -> bool:
        return bool(root_type.sources[graph].fields)

    def _composite(self, type_ref: str) -> bool:
        target = self.merged.types.get(named_type(type_ref))
        return target is not None and target.kind in (Kind.OBJECT, Kind.INTERFACE, Kind.UNION)

    def _hidden(self, type_name: str) -> bool:
        target = self.merged.types.get(type_name)
        return target is None or target.applied.inaccessible

    def _downcasts(
        self, merged_type: MergedType, candidates: frozenset[Candidate]
    ) -> Iterable[tuple[str, frozenset[Candidate]]]:
        by_runtime: dict[str, set[Candidate]] = {}
        for graph, provided in candidates:
            source = merged_type.sources.get(graph)
            if source is None:
                continue
            if source.interface_object:
                # The subgraph sees the interface as one object: learn the concrete type from an interface owner.
                owners = [g for g, t in merged_type.sources.items() if not t.interface_object and t.keys]
                for owner in owners:
                    for runtime in self._runtime_types(merged_type, owner):
                        by_runtime.setdefault(runtime, set()).add((owner, None))
                continue
            for runtime in self._runtime_types(merged_type, graph):
                by_runtime.setdefault(runtime, set()).add((graph, provided))
        for runtime, found in by_runtime.items():
            if not self._hidden(runtime):
                yield runtime, frozenset(found)

    def _runtime_types(self, merged_type: MergedType, graph: str) -> list[str]:
        subgraph = self.merged.subgraph(graph)
        if merged_type.kind is Kind.UNION:
            return list(subgraph.types[merged_type.name].members)
        return [
            t.name
            for t in subgraph.types.values()
            if t.kind is Kind.OBJECT and merged_type.name in t.interfaces and not t.interface_object
        ]

    def _advance(
        self, merged_type: MergedType, field: MergedField, candidates: frozenset[Candidate], path: tuple[_Step, ...]
    ) -> frozenset[Candidate]:
        result: set[Candidate] = set()
        for graph, provided in candidates:
            provided_here = _provided(provided)
            if self._resolves(merged_type, field, graph, provided_here):
                result.add((graph, self._child_provides(field, graph, provided_here)))
                continue
            if merged_type.kind is Kind.INTERFACE:
                continue  # an interface field another subgraph owns: checked on each implementation instead
            for target in self._reachable(merged_type, graph, provided_here):
                if (
                    target != graph
                    and self._resolves(merged_type, field, target, {})
                    and self._requires_ok(merged_type, field, target, graph)
                ):
                    result.add((target, self._child_provides(field, target, {})))
        if not result and merged_type.kind is Kind.OBJECT:
            self._report(merged_type, field, candidates, path)
        return frozenset(result)

    def _resolves(
        self, merged_type: MergedType, field: MergedField, graph: str, provided: dict[str, str | None]
    ) -> bool:
        source = field.sources.get(graph)
        if source is None:
            return self._via_interface_object(merged_type, field.name, graph)
        if graph in field.overridden:
            return False
        return not source.external or field.name in provided

    def _via_interface_object(self, merged_type: MergedType, field_name: str, graph: str) -> bool:
        for interface_name in merged_type.interfaces:
            interface = self.merged.types.get(interface_name)
            if interface is None:
                continue
            source = interface.sources.get(graph)
            if source is not None and source.interface_object and field_name in source.fields:
                return not source.fields[field_name].external
        return False

    def _child_provides(self, field: MergedField, graph: str, provided: dict[str, str | None]) -> str | None:
        source = field.sources.get(graph)
        if source is not None and source.provides is not None:
            return source.provides
        return provided.get(field.name)

    def _available(self, merged_type: MergedType, graph: str, provided: dict[str, str | None]) -> set[str]:
        """Fields of the type that the subgraph can put in a representation here."""
        names = {name for name, f in merged_type.fields.items() if self._resolves(merged_type, f, graph, provided)}
        source = merged_type.sources.get(graph)
        for key in source.keys if source is not None else ():
            names |= _top_level(key.fields)
        return names

    def _keys_into(self, merged_type: MergedType, graph: str) -> list[str]:
        """The resolvable keys by which a fetch can enter the subgraph at this type (or its interface object)."""
        source = merged_type.sources.get(graph)
        keys = [k.fields for k in source.keys if k.resolvable] if source is not None else []
        for interface_name in merged_type.interfaces:
            interface = self.merged.types.get(interface_name)
            interface_source = interface.sources.get(graph) if interface is not None else None
            if interface_source is not None and interface_source.interface_object:
                keys += [k.fields for k in interface_source.keys if k.resolvable]
        return keys

    def _reachable(self, merged_type: MergedType, start: str, provided: dict[str, str | None]) -> frozenset[str]:
        cache_key = (merged_type.name, start)
        if not provided and cache_key in self.reach_cache:
            return self.reach_cache[cache_key]
        reached = {start}
        frontier = [start]
        while frontier:
            graph = frontier.pop()
            available = self._available(merged_type, graph, provided if graph == start else {})
            for target in (s.name for s in self.merged.subgraphs):
                if target in reached:
                    continue
                if any(_top_level(key) <= available for key in self._keys_into(merged_type, target)):
                    reached.add(target)
                    frontier.append(target)
        result = frozenset(reached)
        if not provided:
            self.reach_cache[cache_key] = result
        return result

    def _requires_ok(
        self,
        merged_type: MergedType,
        field: MergedField,
        target: str,
        start: str,
        chain: frozenset[tuple[str, str, str]] = frozenset(),
    ) -> bool:
        """Whether ``target`` can get the fields its ``@requires`` names, fetched from where ``start`` can reach."""
        source = field.sources.get(target)
        if source is None or source.requires is None:
            return True
        link = (merged_type.name, field.name, target)
        if link in chain:
            # A cycle of @requires: no field of it can be fetched first. (Apollo's composition 2.14.4 overflows
            # its stack on one; we report each field of the cycle as unsatisfiable instead.)
            return False
        graphs = self._reachable(merged_type, start, {})
        return self._selection_ok(merged_type, parse_field_set(source.requires), graphs, chain | {link})

    def _selection_ok(
        self,
        merged_type: MergedType,
        selection_set: SelectionSetNode,
        graphs: frozenset[str],
        chain: frozenset[tuple[str, str, str]],
    ) -> bool:
        """Whether some of ``graphs`` resolve every field of a required selection, nested ones through the
        subgraphs the parent field lands in, and required fields' own ``@requires`` too (a chain)."""
        for node in selection_set.selections:
            if isinstance(node, InlineFragmentNode):
                condition = node.type_condition.name.value if node.type_condition else merged_type.name
                runtime = self.merged.types.get(condition)
                if runtime is None or not self._selection_ok(runtime, node.selection_set, graphs, chain):
                    return False
                continue
            if not isinstance(node, FieldNode) or node.name.value == "__typename":
                continue
            required = merged_type.fields.get(node.name.value)
            if required is None:
                return False
            resolving = [
                g
                for g in sorted(graphs)
                if self._resolves(merged_type, required, g, {})
                and self._requires_ok(merged_type, required, g, g, chain)
            ]
            if not resolving:
                return False
            if node.selection_set is not None:
                target = self.merged.types.get(named_type(required.type))
                if target is None or not any(
                    self._selection_ok(target, node.selection_set, self._reachable(target, g, {}), chain)
                    for g in resolving
                ):
                    return False
        return True

    def _report(
        self, merged_type: MergedType, field: MergedField, candidates: frozenset[Candidate], path: tuple[_Step, ...]
    ) -> None:
        coordinate = f"{merged_type.name}.{field.name}"
        if coordinate in self.reported:
            return
        self.reported.add(coordinate)
        owners = [g for g, f in field.sources.items() if not f.external and g not in field.overridden]
        entered = {g for g, _ in candidates}
        # Apollo explains from every subgraph the query can be in here: those it came in by, and those their
        # keys lead to; moves to other subgraphs are explained once, from the subgraphs it came in by.
        closure: set[str] = set()
        for graph, provided in candidates:
            closure |= self._reachable(merged_type, graph, _provided(provided))
        reasons: list[str] = []
        for graph in sorted(closure):
            lines = [self._why_not_here(merged_type, field, graph)]
            if graph in entered:
                lines += [
                    m for o in owners if o not in closure for m in self._why_no_move(merged_type, field, graph, o)
                ]
            else:
                lines += [
                    self._ignored_move(merged_type, graph, other) for other in sorted(closure - entered - {graph})
                ]
            if len(lines) == 1:
                reasons.append(f'- from subgraph "{graph}": {lines[0]}')
            else:
                reasons.append(f'- from subgraph "{graph}":\n' + "\n".join(f"  - {line}" for line in lines))
        self.errors.append(
            CompositionError(
                "SATISFIABILITY_ERROR",
                "The following supergraph API query:\n"
                + _witness(path)
                + "\ncannot be satisfied by the subgraphs because:\n"
                + "\n".join(reasons),
            )
        )

    def _why_not_here(self, merged_type: MergedType, field: MergedField, graph: str) -> str:
        coordinate = f"{merged_type.name}.{field.name}"
        source = field.sources.get(graph)
        if source is None:
            return f'cannot find field "{coordinate}".'
        if source.external or graph in field.overridden:
            return f'field "{coordinate}" is not resolvable because marked @external.'
        return f'cannot satisfy @require conditions on field "{coordinate}".'

    def _ignored_move(self, merged_type: MergedType, graph: str, other: str) -> str:
        # Apollo does not chain key jumps: from a subgraph reached by one, it would jump on only if that beat
        # jumping from the subgraph it came from, and it says so.
        keys = self._keys_into(merged_type, other)
        return (
            f'ignoring moving to subgraph "{other}" using @key(fields: "{keys[0] if keys else ""}") of '
            f'"{merged_type.name}" because there is a more direct path in {other} that avoids {graph} altogether.'
        )

    def _why_no_move(self, merged_type: MergedType, field: MergedField, graph: str, owner: str) -> list[str]:
        keys = self._keys_into(merged_type, owner)
        if keys:
            return [
                f'cannot move to subgraph "{owner}" using @key(fields: "{keys[0]}") of '
                f'"{merged_type.name}", the key field(s) cannot be resolved from subgraph "{graph}".'
            ]
        source = merged_type.sources.get(owner)
        if source is not None and source.keys:
            return [
                f'cannot move to subgraph "{owner}", which has field "{merged_type.name}.{field.name}", because '
                f'none of the @key defined on type "{merged_type.name}" in subgraph "{owner}" are resolvable '
                '(they are all declared with their "resolvable" argument set to false).'
            ]
        return []  # without a key there is no way in; Apollo does not list the subgraph then


def _witness(path: tuple[_Step, ...]) -> str:
    """Apollo's layout: the path as nested selections, ``{ ... }`` under a composite leaf."""
    steps = list(path)
    operation = ""
    if steps and steps[0].text in ("mutation", "subscription"):
        operation = steps.pop(0).text + " "
    lines: list[str] = []
    for depth, step in enumerate(steps):
        indent = "  " * (depth + 1)
        last = depth == len(steps) - 1
        if last:
            lines.append(indent + step.text + (" {\n" + indent + "  ...\n" + indent + "}" if step.composite else ""))
        else:
            lines.append(indent + step.text + " {")
    for depth in range(len(steps) - 2, -1, -1):
        lines.append("  " * (depth + 1) + "}")
    return operation + "{\n" + "\n".join(lines) + "\n}"


def _placeholder_args(field: MergedField, merged: Merged) -> str:
    required = [a for a in field.args.values() if a.type.endswith("!") and a.default is None]
    if not required:
        return ""
    return "(" + ", ".join(f"{a.name}: {_placeholder(a.type, merged)}" for a in required) + ")"


def _placeholder(type_ref: str, merged: Merged) -> str:
    base = type_ref.rstrip("!")
    if base.startswith("["):
        return "[]"
    enum = merged.types.get(base)
    if enum is not None and enum.kind is Kind.ENUM and enum.values:
        return next(iter(enum.values))
    if enum is not None and enum.kind is Kind.INPUT_OBJECT:
        fields = [f for f in enum.input_fields.values() if f.type.endswith("!") and f.default is None]
        return "{" + ", ".join(f"{f.name}: {_placeholder(f.type, merged)}" for f in fields) + "}"
    return {"Int": "0", "Float": "3.14", "Boolean": "true"}.get(base, '"A string value"')


@lru_cache(maxsize=4096)
def _top_level(fields: str) -> frozenset[str]:
    return frozenset(n for n in _provided(fields))


@lru_cache(maxsize=4096)
def _provided_cached(fields: str) -> tuple[tuple[str, str | None], ...]:
    result: dict[str, str | None] = {}

    def collect(selection_set: SelectionSetNode) -> None:
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                sub = node.selection_set
                result[node.name.value] = print_ast(sub)[1:-1].strip() if sub is not None else None
            elif isinstance(node, InlineFragmentNode):
                collect(node.selection_set)

    collect(parse_field_set(fields))
    return tuple(result.items())


def _provided(fields: str | None) -> dict[str, str | None]:
    """Field name → its sub-selection (printed) in a field set; {} for None."""
    return dict(_provided_cached(fields)) if fields else {}
