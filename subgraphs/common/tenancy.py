"""Row filtering by tenant, shared by every subgraph: who may see which enterprise, park or city.

The tenant comes from the gateway's signed identity (``context.tenant``):
``province`` sees everything, ``city:<code>`` its own city's parks and
enterprises, ``park:<code>`` its park's enterprises, ``enterprise:<uscc>``
only itself; an anonymous caller (``None``) sees no enterprise. Resolvers
that return one record call :func:`require_enterprise` (a ``FORBIDDEN``
error naming the tenant); list resolvers narrow their query with the
tenant's city or park code (:func:`list_scope`) so that no other tenant's row
is ever fetched.
"""

from __future__ import annotations

from dataclasses import dataclass

from auth.identity import Tenant
from schema.errors import Forbidden


def require_enterprise(
    tenant: Tenant | None, uscc: str, *, city_code: str | None = None, park_code: str | None = None
) -> None:
    """Raises ``Forbidden`` unless ``tenant`` may see the enterprise ``uscc``."""
    if tenant is None:
        raise Forbidden(f"enterprise {uscc} is not visible to anonymous callers")
    if not tenant.covers_enterprise(uscc, city_code=city_code, park_code=park_code):
        raise Forbidden(f"enterprise {uscc} is outside your tenant {tenant}", tenant=str(tenant))


@dataclass(frozen=True, slots=True)
class ListScope:
    """How a list of enterprises must be narrowed for a tenant; ``nothing`` means answer an empty list."""

    city_code: str | None = None
    park_code: str | None = None
    uscc: str | None = None
    nothing: bool = False


def list_scope(tenant: Tenant | None, *, city_code: str | None, park_code: str | None) -> ListScope:
    """The narrowing of an enterprise list asked with ``city_code``/``park_code`` filters."""
    if tenant is None:
        return ListScope(nothing=True)
    if tenant.kind == "province":
        return ListScope(city_code, park_code)
    if tenant.kind == "city":
        if city_code not in (None, tenant.code) or (park_code is not None and not tenant.covers_park(park_code)):
            return ListScope(nothing=True)
        return ListScope(tenant.code, park_code)
    if tenant.kind == "park":
        if park_code not in (None, tenant.code) or (
            city_code is not None and city_code != (tenant.code or "").split("-", 1)[0]
        ):
            return ListScope(nothing=True)
        return ListScope(city_code, tenant.code)
    return ListScope(city_code, park_code, uscc=tenant.code)
