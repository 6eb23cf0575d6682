"""Merges what flows into subgraphs: arguments and input objects by intersection, enums by usage."""

from __future__ import annotations

from collections.abc import Mapping

from graphql import print_ast

from gateway.supergraph.compose.applied import merge_applied, pick_description
from gateway.supergraph.compose.codes import CompositionError, Hint, subgraph_names
from gateway.supergraph.compose.merged import JoinField, Merged, MergedEnumValue, MergedInput, MergedType
from gateway.supergraph.compose.model import InputValue, Kind, is_non_null, named_type
from gateway.supergraph.compose.types import Subtyping


def merge_input_values(
    owner: str,
    sources: Mapping[str, Mapping[str, InputValue]],
    errors: list[CompositionError],
    hints: list[Hint],
    argument: bool,
) -> dict[str, MergedInput]:
    """Arguments of a field (``owner`` "T.f") or fields of an input type (``owner`` "I"): the intersection."""
    names: list[str] = []
    for values in sources.values():
        names.extend(n for n in values if n not in names)
    result: dict[str, MergedInput] = {}
    for name in names:
        coordinate = f"{owner}({name}:)" if argument else f"{owner}.{name}"
        what = "Argument" if argument else "Input object field"
        present = {g: values[name] for g, values in sources.items() if name in values}
        missing = [g for g in sources if g not in present]
        if missing:
            required = [g for g, v in present.items() if is_non_null(v.type) and v.default is None]
            if required:
                code = (
                    "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH"
                    if argument
                    else ("REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH")
                )
                errors.append(
                    CompositionError(
                        code,
                        f'{what} "{coordinate}" is required in some subgraphs but does '
                        f"not appear in all subgraphs: it is required in {subgraph_names(required)} but does "
                        f"not appear in {subgraph_names(missing)}",
                    )
                )
            else:
                code = "INCONSISTENT_ARGUMENT_PRESENCE" if argument else "INCONSISTENT_INPUT_OBJECT_FIELD"
                hints.append(
                    Hint(
                        code,
                        f'Optional {what.lower()} "{coordinate}" will not be included in the '
                        f"supergraph as it does not appear in all subgraphs: it is defined in "
                        f"{subgraph_names(present)} but not in {subgraph_names(missing)}",
                    )
                )
            continue
        types = [v.type for v in present.values()]
        merged_type = Subtyping.most_restrictive(types)
        if merged_type is None:
            groups: dict[str, list[str]] = {}
            for graph, value in present.items():
                groups.setdefault(value.type, []).append(graph)
            detail = " but ".join(f'type "{t}" in {subgraph_names(gs)}' for t, gs in groups.items())
            label = "argument" if argument else "input field"
            errors.append(
                CompositionError(
                    "FIELD_ARGUMENT_TYPE_MISMATCH",
                    f'Type of {label} "{coordinate}" is incompatible across subgraphs: it has {detail}',
                )
            )
            merged_type = types[0]
        defaults = {g: print_ast(v.default) if v.default is not None else None for g, v in present.items()}
        if len(set(defaults.values())) > 1:
            code = "FIELD_ARGUMENT_DEFAULT_MISMATCH" if argument else "INPUT_FIELD_DEFAULT_MISMATCH"
            groups = {}
            for graph, default in defaults.items():
                groups.setdefault(default or "no default", []).append(graph)
            detail = " but ".join(f"{d} in {subgraph_names(gs)}" for d, gs in groups.items())
            errors.append(
                CompositionError(
                    code,
                    f'{what} "{coordinate}" has incompatible default values across '
                    f"subgraphs: it has default value {detail}",
                )
            )
        result[name] = MergedInput(
            name=name,
            type=merged_type,
            default=next(iter(present.values())).default,
            description=pick_description([v.description for v in present.values()], coordinate, hints),
            applied=merge_applied(v.applied for v in present.values()),
            sources=present,
        )
        if not argument and any(v.type != merged_type for v in present.values()):
            result[name].join = [JoinField(graph=g, type=v.type) for g, v in present.items()]
    return result


def merge_input_object(merged_type: MergedType, errors: list[CompositionError], hints: list[Hint]) -> None:
    sources = {g: t.input_fields for g, t in merged_type.sources.items()}
    merged_type.input_fields = merge_input_values(merged_type.name, sources, errors, hints, argument=False)
    if not merged_type.input_fields:
        errors.append(
            CompositionError(
                "EMPTY_MERGED_INPUT_TYPE",
                f"None of the fields of input object type "
                f'"{merged_type.name}" are consistently defined in all the subgraphs defining that type. As '
                "only fields common to all subgraphs are merged, this would result in an empty type.",
            )
        )


def merge_enum(merged_type: MergedType, merged: Merged, errors: list[CompositionError], hints: list[Hint]) -> None:
    output_use, input_use = _usage(merged_type.name, merged)
    values: dict[str, MergedEnumValue] = {}
    for graph, type_def in merged_type.sources.items():
        for name in type_def.values:
            merged_value = values.setdefault(name, MergedEnumValue(name=name))
            merged_value.graphs.append(graph)
    for name, merged_value in values.items():
        sources = [t.values[name] for t in merged_type.sources.values() if name in t.values]
        merged_value.description = pick_description(
            [v.description for v in sources], f"{merged_type.name}.{name}", hints
        )
        merged_value.applied = merge_applied(v.applied for v in sources)
    all_graphs = list(merged_type.sources)
    partial = {n: v for n, v in values.items() if len(v.graphs) < len(all_graphs)}
    if input_use and output_use:
        for name, partial_value in partial.items():
            missing = [g for g in all_graphs if g not in partial_value.graphs]
            errors.append(
                CompositionError(
                    "ENUM_VALUE_MISMATCH",
                    f'Enum type "{merged_type.name}" is used as both '
                    f'input type (for example, as type of "{input_use}") and output type (for example, as type '
                    f'of "{output_use}"), but value "{name}" is not defined in all the subgraphs defining '
                    f'"{merged_type.name}": "{name}" is defined in {subgraph_names(partial_value.graphs)} but not in '
                    f"{subgraph_names(missing)}",
                )
            )
    elif input_use:
        for name, partial_value in partial.items():
            del values[name]
            hints.append(
                Hint(
                    "INCONSISTENT_ENUM_VALUE_FOR_INPUT_ENUM",
                    f'Value "{name}" of enum type '
                    f'"{merged_type.name}" will not be part of the supergraph as it is not defined in all '
                    f'the subgraphs defining "{merged_type.name}": it is defined in '
                    f"{subgraph_names(partial_value.graphs)}",
                )
            )
        if not values:
            errors.append(
                CompositionError(
                    "EMPTY_MERGED_ENUM_TYPE",
                    f"None of the values of enum type "
                    f'"{merged_type.name}" are defined consistently in all the subgraphs defining that type. As '
                    "only values common to all subgraphs are merged, this would result in an empty type.",
                )
            )
    elif not output_use:
        hints.append(
            Hint(
                "UNUSED_ENUM_TYPE",
                f'Enum type "{merged_type.name}" is defined but unused. It will be '
                'included in the supergraph with all the values appearing in any subgraph ("as if" it '
                "was only used as an output type).",
            )
        )
    merged_type.values = values


def _usage(enum_name: str, merged: Merged) -> tuple[str | None, str | None]:
    """An example output use and an example input use of the enum (coordinates), if any."""
    output_use: str | None = None
    input_use: str | None = None
    for merged_type in merged.types.values():
        for field in merged_type.fields.values():
            if output_use is None and named_type(field.type) == enum_name:
                output_use = f"{merged_type.name}.{field.name}"
            for arg in field.args.values():
                if input_use is None and named_type(arg.type) == enum_name:
                    input_use = f"{merged_type.name}.{field.name}({arg.name}:)"
        if merged_type.kind is Kind.INPUT_OBJECT:
            for input_field in merged_type.input_fields.values():
                if input_use is None and named_type(input_field.type) == enum_name:
                    input_use = f"{merged_type.name}.{input_field.name}"
    return output_use, input_use
