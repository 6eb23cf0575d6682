"""Row filtering by tenant, shared by every subgraph: who may see which enterprise, park or city.

The tenant comes from the gateway's signed identity (``context.tenant``):
``province`` sees everything, ``city:<code>`` its own city's parks and
enterprises, ``park:<code>`` its park's enterprises, ``enterprise:<uscc>``
only itself; an anonymous caller (``None``) sees no enterprise. Resolvers
that return one record call :func:`require_enterprise` (a ``FORBIDDEN``
error naming the tenant); list resolvers narrow their query with the
tenant's city or park code (:func:`list_scope`) so that no other tenant's row
is ever fetched.

The domain subgraphs add fields to the registry's ``Enterprise``, ``Park`` and
``City``: :class:`subgraphs.common.tenancy_guard.TenancyGuard` checks those
against the tenant before any of their resolvers runs, so a domain needs only
check its own root fields, entities and mutations with
:func:`require_enterprise_of`, :func:`require_enterprise`, :func:`require_park`,
:func:`require_city` and :func:`require_province`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from auth.identity import Tenant, uscc_city
from schema.errors import Forbidden

if TYPE_CHECKING:
    from subgraphs.common.context import SubgraphContext


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


def sees_everything(tenant: Tenant | None) -> bool:
    """The province: no check needed (and no legacy call made to check)."""
    return tenant is not None and tenant.kind == "province"


async def require_enterprise_of(context: SubgraphContext, uscc: str) -> None:
    """Raises ``Forbidden`` unless the caller's tenant may see enterprise ``uscc`` in this subgraph.

    A city or an enterprise is decided by the USCC alone (its characters 3–8 are the city). A park needs the
    enterprise's park, which a domain subgraph learns from its own legacy records (``context.park_of``): an
    enterprise this subgraph cannot place in the caller's park stays hidden (fail closed).
    """
    tenant = context.tenant
    if tenant is None or tenant.kind != "park":
        require_enterprise(tenant, uscc)
        return
    if uscc_city(uscc) != (tenant.code or "").split("-", 1)[0]:
        require_enterprise(tenant, uscc)  # another city: no need to ask the legacy system
    park_code = None if context.park_of is None else await context.park_of(uscc)
    require_enterprise(tenant, uscc, park_code=park_code)


def require_park(tenant: Tenant | None, park_code: str) -> None:
    """Raises ``Forbidden`` unless ``tenant`` may see the park's own data (totals, boards)."""
    if tenant is None or not tenant.covers_park(park_code):
        raise Forbidden(f"park {park_code} is outside your tenant {tenant or 'anonymous'}", tenant=str(tenant))


def require_city(tenant: Tenant | None, city_code: str) -> None:
    """Raises ``Forbidden`` unless ``tenant`` may see the city's own data (totals, boards)."""
    if tenant is None or not tenant.covers_city(city_code):
        raise Forbidden(f"city {city_code} is outside your tenant {tenant or 'anonymous'}", tenant=str(tenant))


def require_province(tenant: Tenant | None, what: str) -> None:
    """Raises ``Forbidden`` unless the caller is the province (operators' views over every tenant's rows)."""
    if tenant is None or tenant.kind != "province":
        raise Forbidden(f"{what} is for the province only, not {tenant or 'anonymous'}", tenant=str(tenant))


def record_visible(tenant: Tenant | None, *, uscc: str, park_code: str | None, city_code: str | None = None) -> bool:
    """Whether a record the legacy system placed (enterprise, park, city) is the caller's to see."""
    return tenant is not None and tenant.covers_enterprise(uscc, city_code=city_code, park_code=park_code)
