"""The per-request DataLoaders of the logistics subgraph.

Every enterprise's shipments for one filter are one loader, so a list of N
enterprises costs one listing per 20 enterprises (the platform's limit; the
client chunks), not N; waybill lookups are batched by 50 and zone totals by 20.
"""

from __future__ import annotations

from adapters.logistics.models import ANY_SHIPMENT, Shipment, ShipmentFilter, ZoneStats
from schema.errors import Forbidden
from subgraphs.common import Loader
from subgraphs.common.tenancy import record_visible
from subgraphs.logistics.context import LogisticsContext


def shipments_of(context: LogisticsContext, criteria: ShipmentFilter) -> Loader[str, list[Shipment]]:
    client = context.logistics

    async def batch(usccs: list[str]) -> list[list[Shipment]]:
        found = await client.shipments_of(usccs, criteria)
        return [found.get(uscc, []) for uscc in usccs]

    return context.loaders.get(batch, name=("logistics.shipments_of", criteria))


def shipment(context: LogisticsContext) -> Loader[str, Shipment | None]:
    client = context.logistics

    async def batch(numbers: list[str]) -> list[Shipment | None]:
        found = await client.shipments(numbers)
        return [found.get(number) for number in numbers]

    return context.loaders.get(batch, name="logistics.shipment")


def zone_stats(context: LogisticsContext) -> Loader[str, ZoneStats | None]:
    client = context.logistics

    async def batch(park_codes: list[str]) -> list[ZoneStats | None]:
        found = await client.zone_stats(park_codes)
        return [found.get(code) for code in park_codes]

    return context.loaders.get(batch, name="logistics.zone_stats")


async def park_of(context: LogisticsContext, uscc: str) -> str | None:
    """The zone the platform tags the enterprise's own bookings with (the tenancy guard's lookup for park tenants)."""
    found = await shipments_of(context, ANY_SHIPMENT).load(uscc)
    return next((s.park_code for s in found if s.consignor_uscc == uscc), None)


def require_shipment(context: LogisticsContext, shipment: Shipment) -> None:
    """``Forbidden`` unless the caller's tenant holds either side of the waybill (the consignor in its zone)."""
    tenant = context.tenant
    consignor = record_visible(tenant, uscc=shipment.consignor_uscc, park_code=shipment.park_code)
    if not consignor and not record_visible(tenant, uscc=shipment.consignee_uscc, park_code=None):
        raise Forbidden(f"waybill {shipment.waybill_no} is outside your tenant {tenant or 'anonymous'}")
