"""Shipments and totals of the logistics platform, in ParkGraph's own words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum


class ShipmentStatus(Enum):
    """A waybill's state (运单状态)."""

    BOOKED = "BOOKED"  # 已下单
    PICKED_UP = "PICKED_UP"  # 已揽收
    IN_TRANSIT = "IN_TRANSIT"  # 运输中
    DELIVERED = "DELIVERED"  # 已签收
    CANCELLED = "CANCELLED"  # 已取消


class PartyRole(Enum):
    """Which side of a shipment an enterprise is on."""

    CONSIGNOR = "CONSIGNOR"  # 托运人 / 发货方
    CONSIGNEE = "CONSIGNEE"  # 收货人
    EITHER = "EITHER"


@dataclass(frozen=True, slots=True)
class Shipment:
    waybill_no: str
    consignor_uscc: str
    consignor_name: str
    consignee_uscc: str
    consignee_name: str
    origin_city_code: str
    destination_city_code: str
    park_code: str
    cargo: str
    weight_kg: Decimal
    pieces: int
    freight_yuan: Decimal
    status: ShipmentStatus
    created_at: datetime  # aware, China Standard Time
    delivered_at: datetime | None
    carrier: str
    client_reference: str | None


@dataclass(frozen=True, slots=True)
class ShipmentFilter:
    """What the platform can filter on; hashable so that DataLoaders can group by it."""

    role: PartyRole = PartyRole.EITHER
    status: ShipmentStatus | None = None
    created_from: date | None = None
    created_to: date | None = None  # inclusive


ANY_SHIPMENT = ShipmentFilter()


@dataclass(frozen=True, slots=True)
class ZoneStats:
    """A development zone's totals on the platform (园区物流统计)."""

    park_code: str
    shipment_count: int
    delivered_count: int
    in_transit_count: int
    total_weight_kg: Decimal
    freight_total_yuan: Decimal


@dataclass(frozen=True, slots=True)
class Booking:
    """A new shipment to book; the platform prices it and assigns the waybill number."""

    consignor_uscc: str
    consignee_uscc: str
    consignee_name: str
    destination_city_code: str
    cargo: str
    weight_kg: Decimal
    pieces: int


@dataclass(frozen=True, slots=True)
class BookingResult:
    shipment: Shipment
    duplicate: bool  # the platform had already booked this client reference
