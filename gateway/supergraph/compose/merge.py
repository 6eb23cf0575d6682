"""Step 3: merges the subgraphs' types into one supergraph, by Apollo's rules (federation-notes §2.5–2.6).

Objects, interfaces and unions unite; field types take the most general type
(with ``@join__field(type:)`` where a subgraph differs); arguments and input
fields intersect; enums merge by how they are used; ``@override`` decides who
keeps a field. Input types, enums and interfaces live in :mod:`.merge_inputs`.
"""

from __future__ import annotations

from collections.abc import Sequence

from gateway.supergraph.compose.applied import merge_applied, pick_description
from gateway.supergraph.compose.codes import CompositionError, Hint, subgraph_names
from gateway.supergraph.compose.merge_inputs import merge_enum, merge_input_object, merge_input_values
from gateway.supergraph.compose.merged import JoinField, Merged, MergedField, MergedType
from gateway.supergraph.compose.model import Field, Kind, Subgraph, TypeDef
from gateway.supergraph.compose.types import Subtyping
from gateway.supergraph.fieldsets import field_names, parse_field_set


def merge(subgraphs: Sequence[Subgraph]) -> tuple[Merged, list[CompositionError], list[Hint]]:
    merger = _Merger(sorted(subgraphs, key=lambda s: s.name))
    merger.run()
    return merger.merged, merger.errors, merger.hints


class _Merger:
    def __init__(self, subgraphs: list[Subgraph]) -> None:
        self.merged = Merged(subgraphs=subgraphs)
        self.errors: list[CompositionError] = []
        self.hints: list[Hint] = []
        self.names = {s.name for s in subgraphs}

    def run(self) -> None:
        by_name = self._collect()
        self.subtyping = Subtyping(self._supertypes())
        for name, sources in by_name.items():
            self._merge_type(name, sources)
        for merged_type in self.merged.types.values():
            if merged_type.kind in (Kind.OBJECT, Kind.INTERFACE):
                self._merge_fields(merged_type)
            elif merged_type.kind is Kind.INPUT_OBJECT:
                merge_input_object(merged_type, self.errors, self.hints)
        for merged_type in self.merged.types.values():
            if merged_type.kind is Kind.ENUM:
                merge_enum(merged_type, self.merged, self.errors, self.hints)
        self._copy_interface_object_fields()
        self._merge_directives()
        self.merged.roots = [r for r in ("Query", "Mutation", "Subscription") if r in self.merged.types]
        minor = max(s.federation_version[1] if not s.is_fed1 else 0 for s in self.merged.subgraphs)
        self.merged.join_version = "0.5" if minor >= 8 else "0.4" if minor == 7 else "0.3"

    def _collect(self) -> dict[str, dict[str, TypeDef]]:
        by_name: dict[str, dict[str, TypeDef]] = {}
        for subgraph in self.merged.subgraphs:
            # Every subgraph has a query root (the library adds _service and _entities to it).
            by_name.setdefault("Query", {})[subgraph.name] = subgraph.types.get("Query") or TypeDef(
                "Query", Kind.OBJECT
            )
            for name, type_def in subgraph.types.items():
                by_name.setdefault(name, {})[subgraph.name] = type_def
        result: dict[str, dict[str, TypeDef]] = {}
        for name, sources in by_name.items():
            kinds: dict[Kind, list[str]] = {}
            for graph, type_def in sources.items():
                kinds.setdefault(_effective_kind(type_def), []).append(graph)
            if len(kinds) > 1:
                described = " but ".join(f"{kind.value} in {subgraph_names(graphs)}" for kind, graphs in kinds.items())
                self.errors.append(
                    CompositionError(
                        "TYPE_KIND_MISMATCH", f'Type "{name}" has mismatched kind: it is defined as {described}'
                    )
                )
                continue
            result[name] = sources
        return result

    def _supertypes(self) -> dict[str, set[str]]:
        supertypes: dict[str, set[str]] = {}
        for subgraph in self.merged.subgraphs:
            for type_def in subgraph.types.values():
                supertypes.setdefault(type_def.name, set()).update(type_def.interfaces)
                for member in type_def.members:
                    supertypes.setdefault(member, set()).add(type_def.name)
        return supertypes

    def _merge_type(self, name: str, sources: dict[str, TypeDef]) -> None:
        first = next(iter(sources.values()))
        merged_type = MergedType(
            name=name,
            kind=_effective_kind(first),
            description=pick_description([t.description for t in sources.values()], name, self.hints),
            applied=merge_applied(t.applied for t in sources.values()),
            sources=sources,
        )
        for type_def in sources.values():
            for interface in type_def.interfaces:
                if interface not in merged_type.interfaces:
                    merged_type.interfaces.append(interface)
            for member in type_def.members:
                if member not in merged_type.members:
                    merged_type.members.append(member)
        self.merged.types[name] = merged_type

    def _merge_fields(self, merged_type: MergedType) -> None:
        names: list[str] = []
        for type_def in merged_type.sources.values():
            names.extend(n for n in type_def.fields if n not in names)
        for name in names:
            sources = {g: t.fields[name] for g, t in merged_type.sources.items() if name in t.fields}
            merged_type.fields[name] = self._merge_field(merged_type, name, sources)

    def _merge_field(self, merged_type: MergedType, name: str, sources: dict[str, Field]) -> MergedField:
        coordinate = f"{merged_type.name}.{name}"
        types = [f.type for f in sources.values()]
        field_type = self.subtyping.most_general(types)
        if field_type is None:
            self.errors.append(
                CompositionError(
                    "FIELD_TYPE_MISMATCH",
                    f'Type of field "{coordinate}" is incompatible '
                    f"across subgraphs: {_by_value(sources, lambda f: f.type)}",
                )
            )
            field_type = types[0]
        elif len(set(types)) > 1:
            self.hints.append(
                Hint(
                    "INCONSISTENT_BUT_COMPATIBLE_FIELD_TYPE",
                    f'Type of field "{coordinate}" is '
                    f"inconsistent but compatible across subgraphs: {_by_value(sources, lambda f: f.type)}",
                )
            )
        resolving = {g: f for g, f in sources.items() if not f.external} or sources
        merged_field = MergedField(
            name=name,
            type=field_type,
            # An @external declaration only restates the field: the resolving subgraphs' description wins.
            description=pick_description([f.description for f in resolving.values()], coordinate, self.hints),
            args=merge_input_values(
                coordinate, {g: f.args for g, f in resolving.items()}, self.errors, self.hints, argument=True
            ),
            applied=merge_applied(f.applied for f in sources.values()),
            sources=sources,
        )
        labels = self._overrides(merged_type, merged_field)
        if merged_type.kind is Kind.OBJECT:
            self._check_sharing(merged_type, merged_field, labels)
            if all(f.external for f in sources.values()):
                self.errors.append(
                    CompositionError(
                        "EXTERNAL_MISSING_ON_BASE",
                        f'Field "{coordinate}" is marked '
                        "@external on all the subgraphs in which it is listed "
                        f"({subgraph_names(sources)}).",
                    )
                )
        merged_field.join = self._join_fields(merged_type, merged_field, labels)
        return merged_field

    def _overrides(self, merged_type: MergedType, merged_field: MergedField) -> dict[str, str]:
        """Applies ``@override``; returns the override label per overridden graph (label-less ones are removed)."""
        labels: dict[str, str] = {}
        coordinate = f"{merged_type.name}.{merged_field.name}"
        for graph, source in merged_field.sources.items():
            origin = source.override
            if origin is None or origin == graph:
                continue
            if origin not in self.names:
                self.hints.append(
                    Hint(
                        "FROM_SUBGRAPH_DOES_NOT_EXIST",
                        f'Source subgraph "{origin}" for field "{coordinate}" on subgraph "{graph}" does not exist.',
                    )
                )
                continue
            overridden = merged_field.sources.get(origin)
            if overridden is None:
                self.hints.append(
                    Hint(
                        "OVERRIDE_DIRECTIVE_CAN_BE_REMOVED",
                        f'Field "{coordinate}" on subgraph '
                        f'"{graph}" no longer exists in the from subgraph. The @override directive can '
                        "be removed.",
                    )
                )
                continue
            if overridden.override is not None:
                self.errors.append(
                    CompositionError(
                        "OVERRIDE_SOURCE_HAS_OVERRIDE",
                        f'Field "{coordinate}" on subgraph '
                        f'"{graph}" is also marked with directive @override in subgraph "{origin}". Only '
                        "one @override directive is allowed per field.",
                    )
                )
                continue
            if source.override_label is not None:
                labels[origin] = source.override_label
            else:
                merged_field.overridden.add(origin)
        return labels

    def _check_sharing(self, merged_type: MergedType, merged_field: MergedField, labels: dict[str, str]) -> None:
        resolving = [
            g
            for g, f in merged_field.sources.items()
            if not f.external and g not in merged_field.overridden and g not in labels
        ]
        if len(resolving) < 2:
            return
        non_shareable = [g for g in resolving if not self._shareable(merged_type.sources[g], merged_field.sources[g])]
        if not non_shareable:
            return
        where = "all of them" if len(non_shareable) == len(resolving) else subgraph_names(non_shareable)
        self.errors.append(
            CompositionError(
                "INVALID_FIELD_SHARING",
                f'Non-shareable field "{merged_type.name}.'
                f'{merged_field.name}" is resolved from multiple subgraphs: it is resolved from '
                f"{subgraph_names(resolving)} and defined as non-shareable in {where}",
            )
        )

    @staticmethod
    def _shareable(type_def: TypeDef, field_def: Field) -> bool:
        if field_def.shareable or type_def.shareable:
            return True
        return any(field_def.name in field_names(parse_field_set(key.fields)) for key in type_def.keys)

    def _join_fields(
        self, merged_type: MergedType, merged_field: MergedField, labels: dict[str, str]
    ) -> list[JoinField] | None:
        sources = merged_field.sources
        needed = (
            len(sources) < len(merged_type.sources)
            or bool(merged_field.overridden or labels)
            or any(
                f.external or f.requires or f.provides or f.override or f.type != merged_field.type
                for f in sources.values()
            )
        )
        if not needed:
            return None
        joins: list[JoinField] = []
        same_type = all(f.type == merged_field.type for f in sources.values())
        for graph, source in sources.items():
            used_overridden = False
            if graph in merged_field.overridden:
                if not self._used_locally(merged_type.sources[graph], merged_field.name):
                    self.hints.append(
                        Hint(
                            "OVERRIDDEN_FIELD_CAN_BE_REMOVED",
                            f'Field "{merged_type.name}.'
                            f'{merged_field.name}" on subgraph "{graph}" is overridden. Consider '
                            "removing it.",
                        )
                    )
                    continue
                used_overridden = True
            overriding = source.override is not None and (
                source.override in merged_field.overridden or source.override in labels
            )
            joins.append(
                JoinField(
                    graph=graph,
                    requires=source.requires,
                    provides=source.provides,
                    type=source.type if not same_type else None,
                    external=source.external,
                    override=source.override if overriding else None,
                    used_overridden=used_overridden,
                    override_label=source.override_label if overriding else labels.get(graph),
                )
            )
        return joins

    @staticmethod
    def _used_locally(type_def: TypeDef, name: str) -> bool:
        """Whether the overridden subgraph still needs the field for a key of its own."""
        return any(name in field_names(parse_field_set(key.fields)) for key in type_def.keys)

    def _copy_interface_object_fields(self) -> None:
        """Fields an ``@interfaceObject`` adds to an interface also go on every implementation, graph-less."""
        for interface in list(self.merged.types.values()):
            if interface.kind is not Kind.INTERFACE:
                continue
            object_graphs = {g for g, t in interface.sources.items() if t.interface_object}
            if not object_graphs:
                continue
            for implementation in self.merged.types.values():
                if interface.name not in implementation.interfaces:
                    continue
                for name, field in interface.fields.items():
                    if name in implementation.fields or not (object_graphs & set(field.sources)):
                        continue
                    implementation.fields[name] = MergedField(
                        name=name,
                        type=field.type,
                        description=field.description,
                        args=dict(field.args),
                        applied=field.applied,
                        join=[JoinField(graph=None)],
                    )

    def _merge_directives(self) -> None:
        subgraphs = self.merged.subgraphs
        for subgraph in subgraphs:
            for name, directive in subgraph.directives.items():
                if directive.composed and name not in self.merged.directives:
                    self.merged.directives[name] = directive
        first = subgraphs[0]
        for name, directive in first.directives.items():
            if not directive.executable or directive.composed:
                continue
            if all(name in s.directives and s.directives[name].executable for s in subgraphs):
                self.merged.directives[name] = directive
            else:
                self.hints.append(
                    Hint(
                        "INCONSISTENT_EXECUTABLE_DIRECTIVE_PRESENCE",
                        f'Executable directive "@{name}" '
                        "will not be part of the supergraph as it does not appear in all subgraphs",
                    )
                )


def _effective_kind(type_def: TypeDef) -> Kind:
    return Kind.INTERFACE if type_def.interface_object else type_def.kind


def _by_value(sources: dict[str, Field], value: object) -> str:
    """``it has type "Int" in subgraph "a" but type "String" in subgraph "b"``."""
    assert callable(value)
    groups: dict[str, list[str]] = {}
    for graph, source in sources.items():
        groups.setdefault(str(value(source)), []).append(graph)
    parts = [f'type "{v}" in {subgraph_names(graphs)}' for v, graphs in groups.items()]
    return "it has " + " but ".join(parts)
