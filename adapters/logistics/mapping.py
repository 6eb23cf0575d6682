"""Translation between the platform's records and :mod:`adapters.logistics.models`.

The platform's field names (``consignor_code``, ``gross_wt_kg``, ``crt_tm`` …)
and codes stay in this module.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from adapters.errors import BadData
from adapters.logistics.models import Booking, Shipment, ShipmentFilter, ShipmentStatus, ZoneStats

SYSTEM = "logistics"
CST = timezone(timedelta(hours=8), "CST")
_FEN = Decimal("0.01")
STATUS_CODES: dict[str, ShipmentStatus] = {
    "10": ShipmentStatus.BOOKED,
    "20": ShipmentStatus.PICKED_UP,
    "30": ShipmentStatus.IN_TRANSIT,
    "40": ShipmentStatus.DELIVERED,
    "90": ShipmentStatus.CANCELLED,
}
_STATUS_CODE_OF = {status: code for code, status in STATUS_CODES.items()}


def shipment(record: Any) -> Shipment:
    """A waybill record as the platform sends it → :class:`Shipment` (``BadData`` if it is not one)."""
    try:
        status = STATUS_CODES[str(record["status_cd"])]
        return Shipment(
            waybill_no=str(record["waybill_no"]),
            consignor_uscc=str(record["consignor_code"]),
            consignor_name=str(record["consignor_nm"]),
            consignee_uscc=str(record["consignee_code"]),
            consignee_name=str(record["consignee_nm"]),
            origin_city_code=str(record["orig_region"]),
            destination_city_code=str(record["dest_region"]),
            park_code=str(record["zone_cd"]),
            cargo=str(record["goods_desc"]),
            weight_kg=Decimal(str(record["gross_wt_kg"])),
            pieces=int(record["pkg_qty"]),
            freight_yuan=fen_to_yuan(record["freight_amt"]),
            status=status,
            created_at=timestamp(record["crt_tm"]),
            delivered_at=timestamp(record["sign_tm"]) if record.get("sign_tm") else None,
            carrier=str(record.get("carrier_nm") or ""),
            client_reference=str(record.get("client_ref_no") or "") or None,
        )
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise BadData(SYSTEM, f"unreadable waybill record: {exc!r}") from exc


def zone_stats(row: Any) -> ZoneStats:
    try:
        return ZoneStats(
            park_code=str(row["zone_cd"]),
            shipment_count=int(row["waybill_cnt"]),
            delivered_count=int(row["signed_cnt"]),
            in_transit_count=int(row["transit_cnt"]),
            total_weight_kg=Decimal(str(row["total_wt_kg"])),
            freight_total_yuan=fen_to_yuan(row["freight_amt"]),
        )
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise BadData(SYSTEM, f"unreadable zone statistics: {exc!r}") from exc


def timestamp(raw: Any) -> datetime:
    """``yyyy-MM-dd HH:mm:ss`` in China Standard Time (the platform gives no zone)."""
    return datetime.strptime(str(raw), "%Y-%m-%d %H:%M:%S").replace(tzinfo=CST)


def fen_to_yuan(raw: Any) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise TypeError(f"money in fen expected, got {raw!r}")
    return (Decimal(int(raw)) / 100).quantize(_FEN)


def list_params(criteria: ShipmentFilter) -> dict[str, str]:
    """Query parameters for ``GET /api/v2/waybills`` other than the codes and the cursor."""
    params: dict[str, str] = {}
    if criteria.status is not None:
        params["status_cd"] = _STATUS_CODE_OF[criteria.status]
    if criteria.created_from is not None:
        params["crt_tm_from"] = criteria.created_from.isoformat()
    if criteria.created_to is not None:
        params["crt_tm_to"] = criteria.created_to.isoformat()
    return params


def booking_body(booking: Booking, client_reference: str) -> dict[str, Any]:
    return {
        "client_ref_no": client_reference,
        "consignor_code": booking.consignor_uscc,
        "consignee_code": booking.consignee_uscc,
        "consignee_nm": booking.consignee_name,
        "dest_region": booking.destination_city_code,
        "goods_desc": booking.cargo,
        "gross_wt_kg": str(booking.weight_kg),
        "pkg_qty": booking.pieces,
    }
