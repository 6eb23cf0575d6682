"""Seeded shipments of the logistics information platform (物流信息平台).

A pure function of a :class:`~mocks.data.province.Province`: every enterprise
ships a few waybills to other enterprises of the province, and the showcase
enterprise always has a dozen, so the single-window query has something to show.
Records use plain English names; the mock renames them to the platform's own.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import lru_cache

from mocks.data.province import SHOWCASE_USCC, Province

# The platform's status codes (状态代码): 10 已下单, 20 已揽收, 30 运输中, 40 已签收, 90 已取消.
STATUS_CODES = ("10", "20", "30", "40", "90")
CARRIERS = ("安徽快运物流有限公司", "江淮供应链管理有限公司", "皖通速递有限公司", "徽商冷链物流有限公司")
CARGO = ("电子元器件", "汽车零部件", "钢材", "包装材料", "医药制剂", "日用品", "机械设备", "化工原料", "食品")
# Seeded history: one year before the seed's present.
HISTORY_START = datetime(2025, 1, 1, 8, 0, 0)
HISTORY_DAYS = 365


@dataclass(frozen=True, slots=True)
class ShipmentRecord:
    waybill_no: str
    consignor_uscc: str
    consignor_name: str
    consignee_uscc: str
    consignee_name: str
    origin_city: str
    destination_city: str
    park_code: str  # the consignor's development zone: the platform tags shippers by 园区
    cargo: str
    weight_kg: float
    pieces: int
    freight_fen: int  # the platform counts money in fen (分)
    status: str
    created_at: datetime  # China Standard Time, naive as the platform keeps it
    signed_at: datetime | None
    carrier: str
    client_ref: str | None = None


@lru_cache(maxsize=4)
def shipments(province: Province) -> tuple[ShipmentRecord, ...]:
    """Every seeded waybill, ordered by creation time (the platform's natural order)."""
    rng = random.Random(f"{province.seed}-logistics")
    enterprises = province.enterprises
    drafts: list[tuple[datetime, ShipmentRecord]] = []
    for enterprise in enterprises:
        count = 12 if enterprise.uscc == SHOWCASE_USCC else rng.randint(0, 10)
        for _ in range(count):
            consignee = rng.choice(enterprises)
            if consignee.uscc == enterprise.uscc:
                consignee = enterprises[(enterprises.index(enterprise) + 1) % len(enterprises)]
            created = HISTORY_START + timedelta(minutes=rng.randint(0, HISTORY_DAYS * 24 * 60))
            age_days = (HISTORY_START + timedelta(days=HISTORY_DAYS) - created).days
            status = _status(rng, age_days)
            signed = created + timedelta(hours=rng.randint(18, 96)) if status == "40" else None
            weight = round(rng.uniform(0.5, 8000.0), 1)
            drafts.append(
                (
                    created,
                    ShipmentRecord(
                        waybill_no="",
                        consignor_uscc=enterprise.uscc,
                        consignor_name=enterprise.name,
                        consignee_uscc=consignee.uscc,
                        consignee_name=consignee.name,
                        origin_city=enterprise.city_code,
                        destination_city=consignee.city_code,
                        park_code=enterprise.park_code,
                        cargo=rng.choice(CARGO),
                        weight_kg=weight,
                        pieces=rng.randint(1, 200),
                        freight_fen=int(weight * rng.uniform(80, 260)) + 5000,
                        status=status,
                        created_at=created,
                        signed_at=signed,
                        carrier=rng.choice(CARRIERS),
                    ),
                )
            )
    drafts.sort(key=lambda pair: (pair[0], pair[1].consignor_uscc))
    result = []
    for sequence, (created, draft) in enumerate(drafts, start=1):
        waybill_no = f"WL{created:%Y%m%d}{sequence:06d}"
        result.append(replace(draft, waybill_no=waybill_no))
    return tuple(result)


def _status(rng: random.Random, age_days: int) -> str:
    if age_days > 10:
        return "90" if rng.random() < 0.05 else "40"
    return rng.choice(STATUS_CODES[:4])
