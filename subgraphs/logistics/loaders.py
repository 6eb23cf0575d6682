"""The per-request DataLoaders of the logistics subgraph.

Every enterprise's shipments for one filter are one loader, so a list of N
enterprises costs one listing per 20 enterprises (the platform's limit; the
client chunks), not N; waybill lookups are batched by 50 and zone totals by 20.
"""

from __future__ import annotations

from adapters.logistics.models import Shipment, ShipmentFilter, ZoneStats
from subgraphs.common import Loader
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
