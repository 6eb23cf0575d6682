"""The approval platform's REST API, with the quirks of the real one.

* Envelope ``{"code": "200", "success": true, "msg": "操作成功", "data": …}``;
  business errors come inside HTTP 200 with another code (``E1001`` bad
  parameter, ``E2001`` no such case, ``E3001`` workflow refuses the change,
  ``E4001`` unknown item, ``E4002`` unknown applicant).
* Pinyin-initial field names (``sblsh`` 申办流水号, ``sxbm`` 事项编码, ``sxmc``
  事项名称, ``sqr`` 申请人, ``tyshxydm``, ``blzt`` 办理状态, ``sqsj`` 申请时间,
  ``slsj`` 受理时间, ``bjsj`` 办结时间, ``sljg`` 受理机关, ``yqbm`` 园区编码…).
* Timestamps ``yyyyMMddHHmmss`` in China Standard Time without a zone; a
  missing value is ``""``, never ``null``.
* Page-number paging (``pageNo`` from 1, ``pageSize``, ``total``); ``pageSize``
  above 100 is silently cut to 100 and ``total`` is a string.
* Batch limits: 20 applicants per list query, 50 case numbers per batch
  lookup, 10 parks per statistics query.
* Writes need an ``Idempotency-Key`` header; the platform replays the first
  answer for a repeated key.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from mocks.approvals.store import CaseStore, PlatformError
from mocks.data.approvals import STATUSES, ApprovalRecord
from mocks.data.province import Province
from mocks.faults import FaultInjection, Faults

MAX_APPLICANTS = 20
MAX_CASE_NUMBERS = 50
MAX_PARKS = 10
MAX_PAGE_SIZE = 100
BASE = "/zwfw/api/v1"


def create_app(province: Province, faults: Faults | None = None) -> FaultInjection:
    """The platform for ``province``, wrapped in run-time fault injection."""
    store = CaseStore(province)

    async def list_cases(request: Request) -> JSONResponse:
        params = request.query_params
        usccs = _split(params.get("tyshxydm", ""))
        parks = _split(params.get("yqbm", ""))
        if not usccs and not parks:
            raise PlatformError("E1001", "tyshxydm与yqbm不能同时为空")
        if len(usccs) > MAX_APPLICANTS:
            raise PlatformError("E1001", f"单次查询统一社会信用代码不超过{MAX_APPLICANTS}个")
        if len(parks) > MAX_PARKS:
            raise PlatformError("E1001", f"单次查询园区不超过{MAX_PARKS}个")
        page_no = _positive(params.get("pageNo", "1"), "pageNo")
        page_size = min(_positive(params.get("pageSize", "10"), "pageSize"), MAX_PAGE_SIZE)
        records = store.search(usccs, params.get("blzt") or None, parks)
        page = records[(page_no - 1) * page_size : page_no * page_size]
        return _ok(
            {"pageNo": page_no, "pageSize": page_size, "total": str(len(records)), "list": [_render(r) for r in page]}
        )

    async def batch_lookup(request: Request) -> JSONResponse:
        body = await _json(request)
        numbers = body.get("sblsh")
        if not isinstance(numbers, list) or not all(isinstance(n, str) for n in numbers):
            raise PlatformError("E1001", "sblsh必须为字符串数组")
        if len(numbers) > MAX_CASE_NUMBERS:
            raise PlatformError("E1001", f"单次批量查询不超过{MAX_CASE_NUMBERS}条")
        found = [record for n in numbers if (record := store.get(n)) is not None]
        return _ok({"list": [_render(r) for r in found]})

    async def park_statistics(request: Request) -> JSONResponse:
        parks = _split(request.query_params.get("yqbm", ""))
        if not parks or len(parks) > MAX_PARKS:
            raise PlatformError("E1001", f"yqbm为1至{MAX_PARKS}个园区编码")
        rows = store.park_counts(parks)
        return _ok([{"yqbm": park, "blzt": status, "sl": str(n)} for park, status, n in rows])

    async def submit(request: Request) -> JSONResponse:
        key = _idempotency_key(request)
        body = await _json(request)
        record = store.submit(
            key,
            item_code=str(body.get("sxbm", "")),
            uscc=str(body.get("tyshxydm", "")),
            contact_name=str(body.get("lxr", "")),
            contact_phone=str(body.get("lxdh", "")),
            description=str(body.get("sqsm", "")),
        )
        return _ok(_render(record))

    async def change_status(request: Request) -> JSONResponse:
        key = _idempotency_key(request)
        body = await _json(request)
        record = store.change_status(key, request.path_params["sblsh"], str(body.get("blzt", "")))
        return _ok(_render(record))

    async def status_table(request: Request) -> JSONResponse:
        return _ok([{"dm": code, "mc": label} for code, label in STATUSES.items()])

    async def platform_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, PlatformError)
        return JSONResponse({"code": exc.code, "success": False, "msg": exc.message, "data": None})

    app = Starlette(
        routes=[
            Route(f"{BASE}/bjxx", list_cases, methods=["GET"]),
            Route(f"{BASE}/bjxx", submit, methods=["POST"]),
            Route(f"{BASE}/bjxx/plcx", batch_lookup, methods=["POST"]),
            Route(f"{BASE}/bjxx/{{sblsh}}/blzt", change_status, methods=["POST"]),
            Route(f"{BASE}/tj/yqbjl", park_statistics, methods=["GET"]),
            Route(f"{BASE}/zd/blzt", status_table, methods=["GET"]),
        ],
        exception_handlers={PlatformError: platform_error},
    )
    return FaultInjection(app, faults, seed=province.seed)


def _render(record: ApprovalRecord) -> dict[str, str]:
    return {
        "sblsh": record.case_no,
        "sxbm": record.item_code,
        "sxmc": record.item_name,
        "sljg": record.authority,
        "sqr": record.applicant_name,
        "tyshxydm": record.uscc,
        "yqbm": record.park_code,
        "xzqhdm": record.city_code,
        "lxr": record.contact_name,
        "lxdh": record.contact_phone,
        "sqsm": record.description,
        "blzt": record.status,
        "blztmc": STATUSES[record.status],
        "sqsj": record.submitted_at,
        "slsj": record.accepted_at or "",
        "bjsj": record.completed_at or "",
    }


def _ok(data: Any) -> JSONResponse:
    return JSONResponse({"code": "200", "success": True, "msg": "操作成功", "data": data})


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _positive(value: str, name: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise PlatformError("E1001", f"{name}必须为正整数")
    return int(value)


def _idempotency_key(request: Request) -> str:
    key = request.headers.get("idempotency-key", "").strip()
    if not key:
        raise PlatformError("E1002", "缺少Idempotency-Key请求头")
    return key


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError as exc:
        raise PlatformError("E1001", "请求体不是合法的JSON") from exc
    if not isinstance(body, dict):
        raise PlatformError("E1001", "请求体必须为JSON对象")
    return body
