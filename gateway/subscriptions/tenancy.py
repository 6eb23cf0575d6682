"""Tenant isolation of events: a city's user receives only its parks' alerts.

The subgraphs' event streams are not split by tenant, so the gateway checks
every event. Before planning it adds hidden selections to the root field
(``city { code }``, ``park { code }``, ``enterprise { uscc }``, as far as the
root field's type has them); for each event it reads them back, asks the
caller's :class:`~auth.identity.Tenant` whether it covers them, and strips
them before the client sees the event. A type with none of those fields
cannot be matched to a tenant: such subscriptions are refused to every tenant
but the province (fail closed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from graphql import (
    FieldNode,
    GraphQLObjectType,
    GraphQLSchema,
    NameNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    parse,
    print_ast,
)

from auth.identity import Tenant

HIDDEN_PREFIX = "_pgTenant"
# (tenant level, field on the event type, its code field).
_LEVELS: tuple[tuple[str, str, str], ...] = (
    ("city", "city", "code"),
    ("park", "park", "code"),
    ("enterprise", "enterprise", "uscc"),
)


@dataclass(frozen=True, slots=True)
class TenantCheck:
    """Which hidden fields an augmented operation reads, and whether a tenant may see an event."""

    tenant: Tenant
    root_key: str  # the root field's response key
    fields: Mapping[str, tuple[str, str]]  # level -> (hidden response key, code field)

    def permits(self, data: Mapping[str, Any] | None) -> bool:
        """Whether the tenant covers the event in ``data`` (hidden fields still in it); False if unknowable."""
        root = data.get(self.root_key) if data is not None else None
        if not isinstance(root, dict):
            return False
        fields = self.fields
        city, park, uscc = (_code(root, *fields[level]) if level in fields else None for level, _, _ in _LEVELS)
        tenant = self.tenant
        if tenant.kind == "province":
            return True
        if tenant.kind == "city":
            if city is not None:
                return tenant.covers_city(city)
            if park is not None:
                return tenant.covers_park(park)
            return uscc is not None and tenant.covers_enterprise(uscc)
        if tenant.kind == "park":
            return park is not None and tenant.covers_park(park)
        return uscc is not None and tenant.covers_enterprise(uscc)

    def strip(self, data: Mapping[str, Any] | None) -> None:
        root = data.get(self.root_key) if data is not None else None
        if isinstance(root, dict):
            for hidden, _ in self.fields.values():
                root.pop(hidden, None)

    def hides(self, error: Mapping[str, Any]) -> bool:
        """Whether an error belongs to a hidden field (the client never asked for it)."""
        path = error.get("path")
        return isinstance(path, list) and len(path) > 1 and str(path[1]).startswith(HIDDEN_PREFIX)


def augment(
    query: str, operation_name: str | None, schema: GraphQLSchema, tenant: Tenant
) -> tuple[str, TenantCheck] | None:
    """The query with the hidden tenancy fields added, and its check; None when no field identifies a tenant."""
    try:
        document = parse(query, no_location=True)
    except Exception:
        return None  # the pipeline reports the syntax error
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name is not None and o.name.value == operation_name]
    subscription = schema.subscription_type
    if len(operations) != 1 or subscription is None:
        return None
    operation = operations[0]
    roots = [s for s in operation.selection_set.selections if isinstance(s, FieldNode)]
    if len(roots) != 1 or len(operation.selection_set.selections) != 1:
        return None
    root = roots[0]
    selection_set = root.selection_set
    if selection_set is None:
        return None
    definition = subscription.fields.get(root.name.value)
    if definition is None:
        return None
    event_type = get_named_type(definition.type)
    if not isinstance(event_type, GraphQLObjectType):
        return None
    added: list[FieldNode] = []
    fields: dict[str, tuple[str, str]] = {}
    for level, name, code in _LEVELS:
        holder = event_type.fields.get(name)
        holder_type = get_named_type(holder.type) if holder is not None else None
        if not isinstance(holder_type, GraphQLObjectType) or code not in holder_type.fields:
            continue
        hidden = f"{HIDDEN_PREFIX}{level.capitalize()}"
        fields[level] = (hidden, code)
        added.append(
            FieldNode(
                alias=NameNode(value=hidden),
                name=NameNode(value=name),
                selection_set=SelectionSetNode(selections=(FieldNode(name=NameNode(value=code)),)),
            )
        )
    if not fields:
        return None
    new_root = replace(root, selection_set=SelectionSetNode(selections=(*selection_set.selections, *added)))
    new_operation = replace(operation, selection_set=SelectionSetNode(selections=(new_root,)))
    definitions = tuple(new_operation if d is operation else d for d in document.definitions)
    root_key = root.alias.value if root.alias else root.name.value
    return print_ast(replace(document, definitions=definitions)), TenantCheck(tenant, root_key, fields)


def _code(root: Mapping[str, Any], hidden: str, code: str) -> str | None:
    holder = root.get(hidden)
    value = holder.get(code) if isinstance(holder, dict) else None
    return value if isinstance(value, str) else None
