"""The logistics subgraph's GraphQL types: ``Shipment`` and the registry's entities as this subgraph extends them.

The entity stubs (``Enterprise``, ``Park``, ``City``) declare only their key,
plus ``Enterprise.name`` as ``@external`` for ``Shipment.consignee``'s
``@provides``. Their ``resolve_reference`` makes no legacy call: every field
below them loads through the request's DataLoaders.
"""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

import strawberry

from adapters.logistics import models
from schema.scalars import USCC, DateTime, Money, money
from subgraphs.common import Connection, connection_from_page, page_request
from subgraphs.common.fields import described
from subgraphs.logistics import loaders
from subgraphs.logistics.context import LogisticsContext

Info = strawberry.Info[LogisticsContext, None]


@strawberry.enum(description="A waybill's state on the logistics platform (运单状态).")
class ShipmentStatus(enum.Enum):
    BOOKED = strawberry.enum_value("BOOKED", description="Booked, not yet picked up (已下单).")
    PICKED_UP = strawberry.enum_value("PICKED_UP", description="Picked up by the carrier (已揽收).")
    IN_TRANSIT = strawberry.enum_value("IN_TRANSIT", description="On its way (运输中).")
    DELIVERED = strawberry.enum_value("DELIVERED", description="Signed for by the consignee (已签收).")
    CANCELLED = strawberry.enum_value("CANCELLED", description="Cancelled (已取消).")

    def to_model(self) -> models.ShipmentStatus:
        return models.ShipmentStatus(self.value)


@strawberry.enum(description="Which side of a shipment the enterprise is on.")
class ShipmentRole(enum.Enum):
    CONSIGNOR = strawberry.enum_value("CONSIGNOR", description="The enterprise sends (托运人/发货方).")
    CONSIGNEE = strawberry.enum_value("CONSIGNEE", description="The enterprise receives (收货人).")
    EITHER = strawberry.enum_value("EITHER", description="Either side.")


@strawberry.input(description="Filters for an enterprise's shipments (运单筛选).")
class ShipmentFilter:
    role: ShipmentRole = ShipmentRole.EITHER
    status: ShipmentStatus | None = None
    created_from: date | None = strawberry.field(default=None, description="Booked on or after this day.")
    created_to: date | None = strawberry.field(default=None, description="Booked on or before this day.")

    def to_model(self) -> models.ShipmentFilter:
        return models.ShipmentFilter(
            role=models.PartyRole(self.role.value),
            status=self.status.to_model() if self.status else None,
            created_from=self.created_from,
            created_to=self.created_to,
        )


@strawberry.federation.type(keys=["code"], description="A prefecture-level city (地级市).")
class City:
    code: strawberry.ID

    @classmethod
    def resolve_reference(cls, info: Info, code: str) -> City:
        return cls(code=strawberry.ID(code))


@strawberry.type(description="A development zone's shipments on the logistics platform (园区物流统计).")
class LogisticsStats:
    shipment_count: int = strawberry.field(description="Waybills booked by the zone's enterprises (运单数).")
    delivered_count: int = strawberry.field(description="Of those, delivered (已签收).")
    in_transit_count: int = strawberry.field(description="Of those, picked up or on their way (在途).")
    total_weight_kg: Decimal = strawberry.field(description="Gross weight of all waybills, kg (总重量).")
    freight_total: Money = strawberry.field(description="Freight charged, yuan (运费合计).")


@strawberry.federation.type(keys=["code"], description="A development zone (开发区).")
class Park:
    code: strawberry.ID

    @classmethod
    def resolve_reference(cls, info: Info, code: str) -> Park:
        return cls(code=strawberry.ID(code))

    @described("Shipments booked by the zone's enterprises (园区物流统计).")
    async def logistics_stats(self, info: Info) -> LogisticsStats | None:
        stats = await loaders.zone_stats(info.context).load(str(self.code))
        if stats is None:  # the platform knows no shipper in this zone
            return LogisticsStats(
                shipment_count=0,
                delivered_count=0,
                in_transit_count=0,
                total_weight_kg=Decimal(0),
                freight_total=money(0),
            )
        return LogisticsStats(
            shipment_count=stats.shipment_count,
            delivered_count=stats.delivered_count,
            in_transit_count=stats.in_transit_count,
            total_weight_kg=stats.total_weight_kg,
            freight_total=money(stats.freight_total_yuan),
        )


@strawberry.federation.type(keys=["uscc"], description="An enterprise (企业), as the logistics platform sees it.")
class Enterprise:
    uscc: USCC
    name: str = strawberry.federation.field(
        external=True,
        default="",
        description="Registered name (企业名称), owned by the registry; provided here under Shipment.consignee.",
    )

    @classmethod
    def resolve_reference(cls, info: Info, uscc: str) -> Enterprise:
        return cls(uscc=USCC(uscc))

    @described("Waybills the enterprise sent or receives (运单), oldest first.")
    async def shipments(
        self,
        info: Info,
        filter: ShipmentFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Shipment] | None:
        page = page_request(first, after)
        criteria = filter.to_model() if filter else models.ANY_SHIPMENT
        found = await loaders.shipments_of(info.context, criteria).load(self.uscc)
        items = [Shipment.of(s) for s in found[page.offset : page.offset + page.limit]]
        return connection_from_page(items, offset=page.offset, total_count=len(found))


@strawberry.federation.type(keys=["waybillNo"], description="A waybill (运单) on the logistics information platform.")
class Shipment:
    waybill_no: strawberry.ID = strawberry.field(description="Waybill number (运单号).")
    status: ShipmentStatus
    consignor: Enterprise = strawberry.field(description="The enterprise that sends the goods (托运人).")
    consignee: Enterprise = strawberry.federation.field(
        provides=["name"],
        description="The enterprise that receives the goods (收货人); its name as recorded on the waybill.",
    )
    origin: City = strawberry.field(description="City the goods leave from (始发地).")
    destination: City = strawberry.field(description="City the goods go to (目的地).")
    park: Park = strawberry.field(description="The consignor's development zone, as the platform tags it (园区).")
    cargo: str = strawberry.field(description="Description of the goods (货物名称).")
    weight_kg: Decimal = strawberry.field(description="Gross weight in kg (毛重).")
    pieces: int = strawberry.field(description="Number of packages (件数).")
    freight: Money = strawberry.field(description="Freight charged, yuan (运费).")
    carrier: str = strawberry.field(description="Carrier (承运人).")
    created_at: DateTime = strawberry.field(description="When the waybill was booked (下单时间).")
    delivered_at: DateTime | None = strawberry.field(description="When the consignee signed for it (签收时间).")

    @classmethod
    def of(cls, shipment: models.Shipment) -> Shipment:
        return cls(
            waybill_no=strawberry.ID(shipment.waybill_no),
            status=ShipmentStatus(shipment.status.value),
            consignor=Enterprise(uscc=USCC(shipment.consignor_uscc)),
            consignee=Enterprise(uscc=USCC(shipment.consignee_uscc), name=shipment.consignee_name),
            origin=City(code=strawberry.ID(shipment.origin_city_code)),
            destination=City(code=strawberry.ID(shipment.destination_city_code)),
            park=Park(code=strawberry.ID(shipment.park_code)),
            cargo=shipment.cargo,
            weight_kg=shipment.weight_kg,
            pieces=shipment.pieces,
            freight=money(shipment.freight_yuan),
            carrier=shipment.carrier,
            created_at=shipment.created_at,
            delivered_at=shipment.delivered_at,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, waybillNo: str) -> Shipment | None:
        found = await loaders.shipment(info.context).load(waybillNo)
        if not found:
            return None
        loaders.require_shipment(info.context, found)  # _entities straight to the subgraph: the tenant still decides
        return cls.of(found)
