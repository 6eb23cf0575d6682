"""Legacy registry records (pinyin-initial fields, 万元, ``yyyyMMdd``) to :mod:`adapters.registry.models`.

Every function raises ``KeyError``/``ValueError``/``TypeError`` on a record it
cannot read; the client turns those into ``BadData``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from adapters.registry.models import City, Enterprise, Park, ParkLevel, Province

_WAN = Decimal(10000)
_LEVELS = {"国家级": ParkLevel.NATIONAL, "省级": ParkLevel.PROVINCIAL}


def enterprise(record: dict[str, Any]) -> Enterprise:
    return Enterprise(
        uscc=_text(record, "tyshxydm"),
        name=_text(record, "qymc"),
        legal_representative=_text(record, "fddbr"),
        phone=str(record.get("lxdh") or ""),
        registered_capital=_wan_to_yuan(record["zczb"]),
        established=_date(record["clrq"]),
        industry_code=_text(record, "sshy"),
        industry_name=str(record.get("sshymc") or ""),
        park_code=record.get("kfqdm") or None,
        city_code=_text(record, "xzqhdm"),
        annual_output=None if record.get("nczz") in (None, "") else _wan_to_yuan(record["nczz"]),
        status=str(record.get("djzt") or ""),
    )


def park(record: dict[str, Any]) -> Park:
    level = _text(record, "kfqjb")
    if level not in _LEVELS:
        raise ValueError(f"unknown park level {level!r}")
    return Park(
        code=_text(record, "kfqdm"),
        name=_text(record, "kfqmc"),
        city_code=_text(record, "xzqhdm"),
        level=_LEVELS[level],
        approved=_date(record["pzrq"]),
        enterprise_count=int(record.get("qysl") or 0),
    )


def city(record: dict[str, Any]) -> City:
    return City(code=_text(record, "xzqhdm"), name=_text(record, "xzqhmc"), province_code=_text(record, "sjxzqhdm"))


def province(record: dict[str, Any]) -> Province:
    return Province(code=_text(record, "xzqhdm"), name=_text(record, "xzqhmc"))


def _text(record: dict[str, Any], field: str) -> str:
    value = record[field]
    if not isinstance(value, str) or not value:
        raise ValueError(f"field {field!r} is not a non-empty string: {value!r}")
    return value


def _wan_to_yuan(value: object) -> Decimal:
    # str() first: a JSON float like 86000.0 must not carry binary noise into Decimal.
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise TypeError(f"not an amount: {value!r}")
    return (Decimal(str(value)) * _WAN).quantize(Decimal("0.01"))


def _date(value: object) -> datetime.date:
    if not isinstance(value, str) or len(value) != 8 or not value.isdigit():
        raise ValueError(f"not a yyyyMMdd date: {value!r}")
    return datetime.date(int(value[:4]), int(value[4:6]), int(value[6:]))
