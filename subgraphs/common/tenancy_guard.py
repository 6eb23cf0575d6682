"""The tenancy guard: what a domain adds to the registry's ``Enterprise``, ``Park`` and ``City`` stays in the tenant.

Every domain subgraph extends the registry's entities with its own fields
(approval cases, job demands, meters, park and city totals…). The registry
vouches for the entity, but ``_entities`` can be sent straight to a domain
subgraph, and an entity reached through another one's field (a shipment's
consignee) was never checked by the registry. So this schema extension checks,
before the resolver of any such field runs, that the caller's tenant covers
the entity's key: an enterprise by :func:`~subgraphs.common.tenancy.require_enterprise_of`,
a park by ``require_park``, a city by ``require_city``. A field outside the
tenant is ``null`` with a ``FORBIDDEN`` error at its path; the key fields and
``@external`` fields (the registry's data, provided) pass.

``park_of(context, uscc)`` is how the subgraph places an enterprise in a park
from its own legacy records (for park tenants); without it a park tenant sees
no enterprise's fields here.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from graphql import GraphQLResolveInfo
from strawberry.extensions import SchemaExtension

from subgraphs.common.context import SubgraphContext
from subgraphs.common.tenancy import require_city, require_enterprise, require_enterprise_of, require_park

ParkOf = Callable[[Any, str], Awaitable[str | None]]  # (the request's context, USCC) → park code or None
# The registry's entities and their key field, as every domain subgraph extends them.
GUARDED: dict[str, str] = {"Enterprise": "uscc", "Park": "code", "City": "code"}


class TenancyGuard(SchemaExtension):
    """Refuses fields of another tenant's enterprise, park or city before their resolvers run."""

    def __init__(self, *, park_of: ParkOf | None = None) -> None:
        self.park_of = park_of

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        park_of = self.park_of
        if park_of is not None and isinstance(context, SubgraphContext) and context.park_of is None:

            async def lookup(uscc: str) -> str | None:
                return await park_of(context, uscc)

            context.park_of = lookup
        yield

    def resolve(
        self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo[Any], *args: Any, **kwargs: Any
    ) -> Any:
        key = GUARDED.get(info.parent_type.name)
        tenant = getattr(info.context, "tenant", None)
        if key is None or info.field_name == key or _external(info):
            return _next(root, info, *args, **kwargs)
        if tenant is not None and tenant.kind == "province":
            return _next(root, info, *args, **kwargs)
        value = str(getattr(root, key))
        if info.parent_type.name == "Park":
            require_park(tenant, value)
        elif info.parent_type.name == "City":
            require_city(tenant, value)
        elif tenant is not None and tenant.kind == "park":
            return _after(require_enterprise_of(info.context, value), _next, root, info, *args, **kwargs)
        else:
            require_enterprise(tenant, value)
        return _next(root, info, *args, **kwargs)


async def _after(check: Awaitable[None], _next: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    await check
    result = _next(*args, **kwargs)
    return await result if inspect.isawaitable(result) else result


def _external(info: GraphQLResolveInfo[Any]) -> bool:
    field = info.parent_type.fields.get(info.field_name)  # None: __typename
    if field is None:
        return True
    definition = field.extensions.get("strawberry-definition")
    directives = getattr(definition, "directives", ()) or ()
    return any(type(d).__name__ == "External" for d in directives)
