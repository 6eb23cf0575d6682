"""Step 2b: federation validation of one subgraph: field sets, ``@external`` use, ``@override``, misplaced directives.

Every error is prefixed ``[subgraph]``; field-set errors say
``On type "T", for @key(fields: "…"):`` as Apollo does (federation-notes §3).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from gateway.supergraph.compose.codes import CompositionError, in_subgraph
from gateway.supergraph.compose.fieldset_check import check_field_set
from gateway.supergraph.compose.model import Field, Kind, Subgraph, TypeDef, named_type

_Report = Callable[[str, str], None]
_LABEL = re.compile(r"^[a-zA-Z][a-zA-Z0-9_\-:./]*$")
_PERCENT = re.compile(r"^percent\((\d{1,3}(\.\d+)?)\)$")


def validate_subgraph(subgraph: Subgraph) -> list[CompositionError]:
    errors: list[CompositionError] = []
    used: set[tuple[str, str]] = set()

    def error(code: str, message: str) -> None:
        errors.append(in_subgraph(subgraph.name, code, message))

    for type_def in subgraph.types.values():
        for key in type_def.keys:
            _check_key(subgraph, type_def, key.fields, error, used)
        if type_def.kind is Kind.INTERFACE:
            _check_interface(type_def, error)
        if type_def.interface_object and not type_def.keys:
            error(
                "INTERFACE_OBJECT_USAGE_ERROR",
                f'The @interfaceObject directive can only be applied to entity types but type "{type_def.name}" '
                "has no @key in this subgraph.",
            )
        for contextual in type_def.contexts:
            error("UNSUPPORTED_FEATURE", f'@context(name: "{contextual}") on "{type_def.name}" is not supported')
        for field_def in type_def.fields.values():
            coordinate = f"{type_def.name}.{field_def.name}"
            if field_def.requires is not None:
                _check_requires(subgraph, type_def, field_def, error, used)
            if field_def.provides is not None:
                _check_provides(subgraph, type_def, field_def, error, used)
            if field_def.override is not None:
                _check_override(subgraph, type_def, field_def, error)
            if any(arg.from_context is not None for arg in field_def.args.values()):
                error("UNSUPPORTED_FEATURE", f'@fromContext on an argument of "{coordinate}" is not supported')
    for type_def in subgraph.types.values():
        if type_def.kind is Kind.INTERFACE:
            # An @external field that implements an interface field is used.
            for implementation in subgraph.types.values():
                if type_def.name in implementation.interfaces:
                    used.update((implementation.name, name) for name in type_def.fields)
    for type_def in subgraph.types.values():
        for field_def in type_def.fields.values():
            if field_def.external and (type_def.name, field_def.name) not in used and not subgraph.is_fed1:
                error(
                    "EXTERNAL_UNUSED",
                    f'Field "{type_def.name}.{field_def.name}" is marked @external but is not used in any federation '
                    "directive (@key, @provides, @requires) or to satisfy an interface; the field declaration has no "
                    "use and should be removed (or the field should not be @external).",
                )
    return errors


def _check_key(subgraph: Subgraph, type_def: TypeDef, fields: str, error: _Report, used: set[tuple[str, str]]) -> None:
    prefix = f'On type "{type_def.name}", for @key(fields: "{fields}"): '
    check = check_field_set(subgraph, type_def.name, fields)
    for problem in check.problems:
        error("KEY_INVALID_FIELDS", prefix + problem)
    if check.has_directives:
        error(
            "KEY_DIRECTIVE_IN_FIELDS_ARG",
            prefix + "cannot have directive applications in the @key(fields:) argument but has some.",
        )
    for parent, field_def in check.top_level + check.nested:
        used.add((parent, field_def.name))
        if field_def.args:
            error(
                "KEY_FIELDS_HAS_ARGS",
                prefix + f"field {parent}.{field_def.name} cannot be included because "
                "it has arguments (fields with argument are not allowed in @key)",
            )
        target = subgraph.types.get(named_type(field_def.type))
        if target is not None and target.kind in (Kind.INTERFACE, Kind.UNION):
            error(
                "KEY_FIELDS_SELECT_INVALID_TYPE",
                prefix + f'field "{parent}.{field_def.name}" is a{"n" if target.kind is Kind.INTERFACE else ""} '
                f"{target.kind.value} which is not allowed in @key",
            )


def _check_requires(
    subgraph: Subgraph, type_def: TypeDef, field_def: Field, error: _Report, used: set[tuple[str, str]]
) -> None:
    prefix = f'On field "{type_def.name}.{field_def.name}", for @requires(fields: "{field_def.requires}"): '
    check = check_field_set(subgraph, type_def.name, field_def.requires or "")
    for problem in check.problems:
        error("REQUIRES_INVALID_FIELDS", prefix + problem)
    for parent, required in check.top_level:
        used.add((parent, required.name))
        if not required.external:
            error(
                "REQUIRES_FIELDS_MISSING_EXTERNAL",
                prefix + f'field "{parent}.{required.name}" should not be part of a @requires since it is already '
                "provided by this subgraph (it is not marked @external)",
            )
    for parent, nested in check.nested:
        used.add((parent, nested.name))


def _check_provides(
    subgraph: Subgraph, type_def: TypeDef, field_def: Field, error: _Report, used: set[tuple[str, str]]
) -> None:
    prefix = f'On field "{type_def.name}.{field_def.name}", for @provides(fields: "{field_def.provides}"): '
    target = subgraph.types.get(named_type(field_def.type))
    if target is None or not target.is_composite():
        error(
            "PROVIDES_ON_NON_OBJECT_FIELD",
            prefix + f'Invalid @provides directive on field "{type_def.name}.{field_def.name}": field has type '
            f'"{field_def.type}" which is not a Composite Type',
        )
        return
    check = check_field_set(subgraph, target.name, field_def.provides or "")
    for problem in check.problems:
        error("PROVIDES_INVALID_FIELDS", prefix + problem)
    for parent, provided in check.top_level:
        used.add((parent, provided.name))
        if provided.args:
            error(
                "PROVIDES_FIELDS_HAS_ARGS",
                prefix + f'field "{parent}.{provided.name}" cannot be included '
                "because it has arguments (fields with argument are not allowed in @provides)",
            )
        is_key = any(provided.name in k.fields.split() for k in subgraph.types[parent].keys)
        if not provided.external and not is_key:
            error(
                "PROVIDES_FIELDS_MISSING_EXTERNAL",
                prefix + f'field "{parent}.{provided.name}" should not be part of a @provides since it is already '
                "provided by this subgraph (it is not marked @external)",
            )
    for parent, nested in check.nested:
        used.add((parent, nested.name))


def _check_override(subgraph: Subgraph, type_def: TypeDef, field_def: Field, error: _Report) -> None:
    coordinate = f"{type_def.name}.{field_def.name}"
    if field_def.override == subgraph.name:
        error(
            "OVERRIDE_FROM_SELF_ERROR",
            f'Source and destination subgraphs "{subgraph.name}" are the same for overridden field "{coordinate}"',
        )
    if type_def.kind is Kind.INTERFACE:
        error(
            "OVERRIDE_ON_INTERFACE",
            f'@override cannot be used on field "{coordinate}" on subgraph "{subgraph.name}": @override is not '
            "supported on interface type fields.",
        )
    if field_def.external:
        error(
            "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
            f'@override cannot be used on field "{coordinate}" on subgraph "{subgraph.name}" since '
            f'"{coordinate}" on "{subgraph.name}" is marked with directive "@external"',
        )
    label = field_def.override_label
    if label is not None and not _valid_label(label):
        error(
            "OVERRIDE_LABEL_INVALID",
            f'Invalid @override label "{label}" on field "{coordinate}" on subgraph "{subgraph.name}": labels must '
            "start with a letter and after that may contain alphanumerics, underscores, minuses, colons, periods, "
            'or slashes. Alternatively, labels may be of the form "percent(x)" where x is a float between 0-100 '
            "inclusive.",
        )


def _valid_label(label: str) -> bool:
    percent = _PERCENT.match(label)
    if percent is not None:
        return 0 <= float(percent.group(1)) <= 100
    return label.startswith("percent(") is False and _LABEL.match(label) is not None


def _check_interface(type_def: TypeDef, error: _Report) -> None:
    if type_def.applied.authenticated or type_def.applied.scopes or type_def.applied.policies:
        error(
            "AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE",
            f'Invalid use of @authenticated, @requiresScopes or @policy on interface "{type_def.name}": '
            "these directives cannot be applied to interfaces or their fields",
        )
    for field_def in type_def.fields.values():
        coordinate = f"{type_def.name}.{field_def.name}"
        if field_def.shareable:
            error(
                "INVALID_SHAREABLE_USAGE",
                f'Invalid use of @shareable on field "{coordinate}": only object type fields can be marked with '
                "@shareable",
            )
        if field_def.applied.authenticated or field_def.applied.scopes or field_def.applied.policies:
            error(
                "AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE",
                f'Invalid use of @authenticated, @requiresScopes or @policy on field "{coordinate}" of interface '
                f'"{type_def.name}": these directives cannot be applied to interfaces or their fields',
            )
