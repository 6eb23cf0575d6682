"""Step 4: checks on the merged supergraph: queries exist, interfaces are implemented, ``@inaccessible`` is
consistent (the API schema must be valid without repair, federation-notes §2.4), ``@interfaceObject`` is used
as Apollo requires.
"""

from __future__ import annotations

from gateway.supergraph.compose.codes import CompositionError, subgraph_names
from gateway.supergraph.compose.merged import Merged, MergedType
from gateway.supergraph.compose.model import Kind, named_type
from gateway.supergraph.fieldsets import parse_field_set


def post_merge_checks(merged: Merged) -> list[CompositionError]:
    errors: list[CompositionError] = []
    query = merged.types.get("Query")
    if query is None or not query.fields:
        errors.append(
            CompositionError(
                "NO_QUERIES", "No queries found in any subgraph: a supergraph must have a query root type."
            )
        )
    _check_interfaces(merged, errors)
    _check_interface_objects(merged, errors)
    _check_inaccessible(merged, errors)
    return errors


def _check_interfaces(merged: Merged, errors: list[CompositionError]) -> None:
    for merged_type in merged.types.values():
        for interface_name in merged_type.interfaces:
            interface = merged.types.get(interface_name)
            if interface is None:
                continue
            for name in interface.fields:
                if name not in merged_type.fields:
                    declared = [g for g, t in interface.sources.items() if name in t.fields]
                    errors.append(
                        CompositionError(
                            "INTERFACE_FIELD_NO_IMPLEM",
                            f"Interface field "
                            f'"{interface_name}.{name}" is declared in {subgraph_names(declared)} but type '
                            f'"{merged_type.name}", which implements "{interface_name}" only in '
                            f"{subgraph_names(_implementing(merged_type, interface_name))} does not have "
                            f'field "{name}".',
                        )
                    )
    for interface in merged.types.values():
        if interface.kind is not Kind.INTERFACE:
            continue
        implementations = [t for t in merged.types.values() if interface.name in t.interfaces]
        for graph, source in interface.sources.items():
            if source.interface_object or not source.keys:
                continue
            subgraph = merged.subgraph(graph)
            for implementation in implementations:
                local = subgraph.types.get(implementation.name)
                if local is None:
                    errors.append(
                        CompositionError(
                            "INTERFACE_KEY_MISSING_IMPLEMENTATION_TYPE",
                            f"[{graph}] Interface "
                            f'type "{interface.name}" has a resolvable key (@key(fields: "{source.keys[0].fields}"'
                            f') in subgraph "{graph}" but that subgraph is missing some of the supergraph '
                            f'implementation types of "{interface.name}". Subgraph "{graph}" should define type '
                            f'"{implementation.name}" (and have it implement "{interface.name}").',
                        )
                    )
                    continue
                local_keys = {_normal(k.fields) for k in local.keys if k.resolvable}
                for key in source.keys:
                    if key.resolvable and _normal(key.fields) not in local_keys:
                        errors.append(
                            CompositionError(
                                "INTERFACE_KEY_NOT_ON_IMPLEMENTATION",
                                f"[{graph}] Key "
                                f'@key(fields: "{key.fields}") on interface type "{interface.name}" is missing '
                                f'on implementation type "{implementation.name}".',
                            )
                        )


def _implementing(merged_type: MergedType, interface: str) -> list[str]:
    return [g for g, t in merged_type.sources.items() if interface in t.interfaces]


def _normal(fields: str) -> str:
    from graphql import print_ast

    return print_ast(parse_field_set(fields))


def _check_interface_objects(merged: Merged, errors: list[CompositionError]) -> None:
    for merged_type in merged.types.values():
        object_graphs = [g for g, t in merged_type.sources.items() if t.interface_object]
        if not object_graphs:
            continue
        if len(object_graphs) == len(merged_type.sources):
            errors.append(
                CompositionError(
                    "INTERFACE_OBJECT_USAGE_ERROR",
                    f'Type "{merged_type.name}" is declared '
                    "with @interfaceObject in all the subgraphs in which is is defined "
                    f"({subgraph_names(object_graphs)})",
                )
            )
        for graph in object_graphs:
            subgraph = merged.subgraph(graph)
            for implementation in subgraph.types.values():
                if merged_type.name in merged.types.get(implementation.name, merged_type).interfaces and (
                    implementation.name != merged_type.name
                ):
                    errors.append(
                        CompositionError(
                            "INTERFACE_OBJECT_USAGE_ERROR",
                            f"[{graph}] Interface type "
                            f'"{merged_type.name}" is defined as an @interfaceObject in subgraph "{graph}" so '
                            f"that subgraph should not define any of the implementation types of "
                            f'"{merged_type.name}", but it defines type "{implementation.name}"',
                        )
                    )


def _check_inaccessible(merged: Merged, errors: list[CompositionError]) -> None:
    hidden = {name for name, t in merged.types.items() if t.applied.inaccessible}
    if "Query" in hidden:
        errors.append(
            CompositionError(
                "QUERY_ROOT_TYPE_INACCESSIBLE",
                'Type "Query" is @inaccessible but is the root query type, which must be in the API schema.',
            )
        )
    for merged_type in merged.types.values():
        if merged_type.name in hidden:
            continue
        children = [
            *((f.name, f.applied.inaccessible) for f in merged_type.fields.values()),
            *((f.name, f.applied.inaccessible) for f in merged_type.input_fields.values()),
            *((v.name, v.applied.inaccessible) for v in merged_type.values.values()),
            *((m, m in hidden) for m in merged_type.members),
        ]
        if children and all(inaccessible for _, inaccessible in children):
            what = {Kind.ENUM: "values", Kind.UNION: "members"}.get(merged_type.kind, "fields")
            errors.append(
                CompositionError(
                    "ONLY_INACCESSIBLE_CHILDREN",
                    f'Type "{merged_type.name}" is in the API schema but all of its {what} are @inaccessible.',
                )
            )
        for field in merged_type.fields.values():
            coordinate = f"{merged_type.name}.{field.name}"
            if field.applied.inaccessible:
                _implemented_by_inaccessible(merged, merged_type, field.name, errors)
                continue
            _referenced(named_type(field.type), coordinate, hidden, errors)
            for arg in field.args.values():
                arg_coordinate = f"{coordinate}({arg.name}:)"
                if arg.applied.inaccessible:
                    if arg.type.endswith("!") and arg.default is None:
                        errors.append(
                            CompositionError(
                                "REQUIRED_INACCESSIBLE",
                                f'Argument "{arg_coordinate}" is required, but is marked @inaccessible.',
                            )
                        )
                    continue
                _referenced(named_type(arg.type), arg_coordinate, hidden, errors)
        for input_field in merged_type.input_fields.values():
            coordinate = f"{merged_type.name}.{input_field.name}"
            if input_field.applied.inaccessible:
                if input_field.type.endswith("!") and input_field.default is None:
                    errors.append(
                        CompositionError(
                            "REQUIRED_INACCESSIBLE",
                            f'Input field "{coordinate}" is required, but is marked @inaccessible.',
                        )
                    )
                continue
            _referenced(named_type(input_field.type), coordinate, hidden, errors)


def _referenced(type_name: str, coordinate: str, hidden: set[str], errors: list[CompositionError]) -> None:
    if type_name in hidden:
        errors.append(
            CompositionError(
                "REFERENCED_INACCESSIBLE",
                f'Type "{type_name}" is @inaccessible but is referenced by "{coordinate}", which is in the API schema.',
            )
        )


def _implemented_by_inaccessible(
    merged: Merged, merged_type: MergedType, field_name: str, errors: list[CompositionError]
) -> None:
    for interface_name in merged_type.interfaces:
        interface = merged.types.get(interface_name)
        if interface is None or interface.applied.inaccessible:
            continue
        field = interface.fields.get(field_name)
        if field is not None and not field.applied.inaccessible:
            errors.append(
                CompositionError(
                    "IMPLEMENTED_BY_INACCESSIBLE",
                    f'Field "{merged_type.name}.{field_name}" '
                    f'is @inaccessible but implements the interface field "{interface_name}.{field_name}", '
                    "which is in the API schema.",
                )
            )
