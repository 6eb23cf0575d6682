"""The mock logistics information platform (物流信息平台): cursor-paged REST with a rate limit.

Stands for the province's logistics platform as third parties meet it:

* ``GET /api/v2/waybills`` lists waybills, filtered by ``consignor_codes`` /
  ``consignee_codes`` (comma-separated, at most 20 each), ``status_cd``,
  ``crt_tm_from`` / ``crt_tm_to`` (``yyyy-MM-dd``); ``limit`` at most 100; the
  next page comes from the opaque ``cursor`` of the previous answer's
  ``next_cursor``, which is ``""`` (not null) on the last page.
* ``POST /api/v2/waybills/query`` looks up at most 50 waybill numbers at once.
* ``GET /api/v2/waybills/{waybill_no}`` looks up one (``ret`` 40400 when unknown).
* ``GET /api/v2/stats/zones?zone_cds=…`` totals per development zone (at most 20).
* ``POST /api/v2/waybills`` books a waybill; the client's reference number
  ``client_ref_no`` makes it idempotent: the same reference with the same
  content answers the first waybill again (200, ``"duplicate": true``), with
  other content 409.

Every answer is ``{"ret": 0, "msg": "OK", "data": …}``; errors carry a non-zero
``ret`` with a matching HTTP status. A token bucket answers 429 with a
``Retry-After`` header in whole seconds, and a seeded share of requests gets a
503 (系统繁忙), as the real platform does under load.
"""

from __future__ import annotations

import base64
import json
import math
import random
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from mocks.data.logistics import ShipmentRecord, shipments
from mocks.data.province import Province
from mocks.faults import FaultInjection, Faults

MAX_PAGE = 100
MAX_CODES = 20
MAX_QUERY = 50
MAX_ZONES = 20
_TIME = "%Y-%m-%d %H:%M:%S"


@dataclass
class Limits:
    """The platform's own load behaviour: a token bucket and a share of 503 answers."""

    rate_per_second: float = 50.0
    burst: int = 100
    flaky_rate: float = 0.0
    seed: int = 0
    _tokens: float = field(default=-1.0, repr=False)
    _stamp: float = field(default=0.0, repr=False)
    _rng: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        self._tokens = float(self.burst)
        self._stamp = time.monotonic()
        self._rng = random.Random(self.seed)

    def take(self) -> float:
        """0 if the request may pass, otherwise the seconds until a token is free."""
        if self.rate_per_second <= 0:
            return 0.0
        now = time.monotonic()
        self._tokens = min(float(self.burst), self._tokens + (now - self._stamp) * self.rate_per_second)
        self._stamp = now
        if self._tokens >= 1:
            self._tokens -= 1
            return 0.0
        return (1 - self._tokens) / self.rate_per_second

    def flaky(self) -> bool:
        return self.flaky_rate > 0 and self._rng.random() < self.flaky_rate


class _Throttle:
    """ASGI layer: 429 with Retry-After when the bucket is empty, seeded 503s."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            wait = self.limits.take()
            if wait > 0:
                headers = {"Retry-After": str(max(1, math.ceil(wait)))}
                await _error(429, 42900, "请求过于频繁，请稍后再试", headers)(scope, receive, send)
                return
            if self.limits.flaky():
                await _error(503, 50300, "系统繁忙")(scope, receive, send)
                return
        await self.app(scope, receive, send)


class _Store:
    """The platform's waybills, seeded and booked, with the indexes its queries use."""

    def __init__(self, province: Province) -> None:
        self.records: list[ShipmentRecord] = []
        self.by_no: dict[str, ShipmentRecord] = {}
        self.by_ref: dict[str, ShipmentRecord] = {}
        self.by_party: dict[str, list[ShipmentRecord]] = {}  # consignor or consignee code
        self.by_zone: dict[str, list[ShipmentRecord]] = {}
        for record in shipments(province):
            self._add(record)

    def book(self, record: ShipmentRecord) -> ShipmentRecord:
        booked = replace(record, waybill_no=f"WL{record.created_at:%Y%m%d}{len(self.records) + 1:06d}")
        self._add(booked)
        return booked

    def _add(self, record: ShipmentRecord) -> None:
        self.records.append(record)
        self.by_no[record.waybill_no] = record
        if record.client_ref:
            self.by_ref[record.client_ref] = record
        self.by_party.setdefault(record.consignor_uscc, []).append(record)
        if record.consignee_uscc != record.consignor_uscc:
            self.by_party.setdefault(record.consignee_uscc, []).append(record)
        self.by_zone.setdefault(record.park_code, []).append(record)

    def candidates(self, consignors: list[str], consignees: list[str]) -> list[ShipmentRecord]:
        """Waybills that may match, in the platform's order (by waybill number, i.e. booking order)."""
        if not consignors and not consignees:
            return self.records
        seen: dict[str, ShipmentRecord] = {}
        for code in {*consignors, *consignees}:
            for record in self.by_party.get(code, []):
                seen[record.waybill_no] = record
        return sorted(seen.values(), key=lambda r: int(r.waybill_no[10:]))


def create_app(
    province: Province,
    *,
    faults: Faults | None = None,
    rate_per_second: float = 50.0,
    burst: int = 100,
    flaky_rate: float = 0.0,
) -> FaultInjection:
    """The platform for ``province``; ``flaky_rate`` is the share of requests answered 503."""
    store = _Store(province)

    async def list_waybills(request: Request) -> Response:
        params = request.query_params
        try:
            consignors = _codes(params.get("consignor_codes"))
            consignees = _codes(params.get("consignee_codes"))
            limit = int(params.get("limit", "20"))
            start = _date(params.get("crt_tm_from"))
            end = _date(params.get("crt_tm_to"))
        except ValueError as exc:
            return _error(400, 40002, f"参数错误: {exc}")
        if not 1 <= limit <= MAX_PAGE:
            return _error(400, 40002, f"limit 须在 1 与 {MAX_PAGE} 之间")
        status = params.get("status_cd") or None
        query_key = json.dumps([sorted(consignors), sorted(consignees), status, str(start), str(end)])
        offset = 0
        if params.get("cursor"):
            try:
                token = json.loads(base64.urlsafe_b64decode(params["cursor"].encode()))
                offset, key = int(token["o"]), token["q"]
            except (ValueError, KeyError, TypeError) as exc:
                return _error(400, 40003, f"cursor 无效: {exc}")
            if key != query_key:
                return _error(400, 40003, "cursor 与查询条件不符")

        def matches(r: ShipmentRecord) -> bool:
            if (consignors or consignees) and not (r.consignor_uscc in consignors or r.consignee_uscc in consignees):
                return False
            if status and r.status != status:
                return False
            if start and r.created_at < start:
                return False
            return not (end and r.created_at >= end + timedelta(days=1))

        found = [r for r in store.candidates(consignors, consignees) if matches(r)]
        page = found[offset : offset + limit]
        more = offset + limit < len(found)
        cursor = (
            base64.urlsafe_b64encode(json.dumps({"o": offset + limit, "q": query_key}).encode()).decode()
            if more
            else ""
        )
        return _ok({"records": [_legacy(r) for r in page], "next_cursor": cursor, "total": len(found)})

    async def query_waybills(request: Request) -> Response:
        try:
            body = await request.json()
            numbers = body["waybill_nos"]
            if not isinstance(numbers, list):
                raise TypeError("waybill_nos 须为数组")
        except (ValueError, KeyError, TypeError) as exc:
            return _error(400, 40002, f"参数错误: {exc}")
        if len(numbers) > MAX_QUERY:
            return _error(400, 40004, f"单次最多查询 {MAX_QUERY} 个运单")
        records = [store.by_no[n] for n in numbers if n in store.by_no]
        missing = [n for n in numbers if n not in store.by_no]
        return _ok({"records": [_legacy(r) for r in records], "not_found": missing})

    async def get_waybill(request: Request) -> Response:
        record = store.by_no.get(request.path_params["waybill_no"])
        if record is None:
            return _error(404, 40400, "运单不存在")
        return _ok(_legacy(record))

    async def zone_stats(request: Request) -> Response:
        try:
            zones = _codes(request.query_params.get("zone_cds"), MAX_ZONES)
        except ValueError as exc:
            return _error(400, 40002, f"参数错误: {exc}")
        rows = []
        for zone in zones:
            inside = store.by_zone.get(zone, [])
            rows.append(
                {
                    "zone_cd": zone,
                    "waybill_cnt": len(inside),
                    "signed_cnt": sum(1 for r in inside if r.status == "40"),
                    "transit_cnt": sum(1 for r in inside if r.status in ("20", "30")),
                    "total_wt_kg": f"{sum(r.weight_kg for r in inside):.1f}",
                    "freight_amt": sum(r.freight_fen for r in inside),
                }
            )
        return _ok(rows)

    async def book_waybill(request: Request) -> Response:
        try:
            body = await request.json()
            record = _booking(province, body)
        except (ValueError, KeyError, TypeError) as exc:
            return _error(400, 40002, f"参数错误: {exc}")
        previous = store.by_ref.get(record.client_ref or "")
        if previous is not None:
            if _content(previous) != _content(record):
                return _error(409, 40901, "client_ref_no 已被其他运单使用")
            return _ok(_legacy(previous), duplicate=True)
        return _ok(_legacy(store.book(record)), status=201, duplicate=False)

    app = Starlette(
        routes=[
            Route("/api/v2/waybills", list_waybills, methods=["GET"]),
            Route("/api/v2/waybills", book_waybill, methods=["POST"]),
            Route("/api/v2/waybills/query", query_waybills, methods=["POST"]),
            Route("/api/v2/waybills/{waybill_no}", get_waybill, methods=["GET"]),
            Route("/api/v2/stats/zones", zone_stats, methods=["GET"]),
        ]
    )
    limits = Limits(rate_per_second, burst, flaky_rate, seed=province.seed)
    return FaultInjection(_Throttle(app, limits), faults, seed=province.seed)


def _codes(raw: str | None, limit: int = MAX_CODES) -> list[str]:
    codes = [c.strip() for c in (raw or "").split(",") if c.strip()]
    if len(codes) > limit:
        raise ValueError(f"最多 {limit} 个代码")
    return codes


def _date(raw: str | None) -> datetime | None:
    return datetime.strptime(raw, "%Y-%m-%d") if raw else None


def _booking(province: Province, body: dict[str, Any]) -> ShipmentRecord:
    """A new waybill from a booking request; the platform prices it and stamps the time."""
    ref = str(body["client_ref_no"])
    if not 1 <= len(ref) <= 64:
        raise ValueError("client_ref_no 长度须为 1-64")
    consignor = province.enterprise(str(body["consignor_code"]))
    if consignor is None:
        raise ValueError("托运人未在平台注册")
    weight = float(body["gross_wt_kg"])
    pieces = int(body["pkg_qty"])
    if weight <= 0 or pieces <= 0:
        raise ValueError("重量与件数须为正数")
    consignee_code = str(body["consignee_code"])
    if len(consignee_code) != 18:
        raise ValueError("收货人统一社会信用代码须为 18 位")
    return ShipmentRecord(
        waybill_no="",
        consignor_uscc=consignor.uscc,
        consignor_name=consignor.name,
        consignee_uscc=consignee_code,
        consignee_name=str(body["consignee_nm"]),
        origin_city=str(body.get("orig_region") or consignor.city_code),
        destination_city=str(body["dest_region"]),
        park_code=consignor.park_code,
        cargo=str(body["goods_desc"]),
        weight_kg=round(weight, 1),
        pieces=pieces,
        freight_fen=int(weight * 150) + 5000,
        status="10",
        created_at=datetime.now().replace(microsecond=0) + _cst_offset(),
        signed_at=None,
        carrier=str(body.get("carrier_nm") or "安徽快运物流有限公司"),
        client_ref=ref,
    )


def _cst_offset() -> timedelta:
    """The platform's clock runs on China Standard Time whatever the host's zone."""
    local = datetime.now().astimezone().utcoffset() or timedelta(0)
    return timedelta(hours=8) - local


def _content(record: ShipmentRecord) -> tuple[Any, ...]:
    return (
        record.consignor_uscc,
        record.consignee_uscc,
        record.consignee_name,
        record.destination_city,
        record.cargo,
        record.weight_kg,
        record.pieces,
    )


def _legacy(r: ShipmentRecord) -> dict[str, Any]:
    """A waybill as the platform spells it."""
    return {
        "waybill_no": r.waybill_no,
        "consignor_code": r.consignor_uscc,
        "consignor_nm": r.consignor_name,
        "consignee_code": r.consignee_uscc,
        "consignee_nm": r.consignee_name,
        "orig_region": r.origin_city,
        "dest_region": r.destination_city,
        "zone_cd": r.park_code,
        "goods_desc": r.cargo,
        "gross_wt_kg": f"{r.weight_kg:.1f}",
        "pkg_qty": r.pieces,
        "freight_amt": r.freight_fen,
        "status_cd": r.status,
        "crt_tm": r.created_at.strftime(_TIME),
        "sign_tm": r.signed_at.strftime(_TIME) if r.signed_at else "",
        "carrier_nm": r.carrier,
        "client_ref_no": r.client_ref or "",
    }


def _ok(data: Any, *, status: int = 200, duplicate: bool | None = None) -> Response:
    body: dict[str, Any] = {"ret": 0, "msg": "OK", "data": data}
    if duplicate is not None:
        body["duplicate"] = duplicate
    return JSONResponse(body, status_code=status)


def _error(status: int, ret: int, msg: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"ret": ret, "msg": msg, "data": None}, status_code=status, headers=headers)
