"""The market-regulation registry's REST API, with the quirks of the real one.

* Envelope ``{"code": "0000", "msg": "成功", "data": …}``; business errors
  come inside HTTP 200 with another code: ``1001`` bad or missing parameter,
  ``1004`` 企业不存在, ``1005`` 开发区不存在, ``1006`` 行政区划不存在,
  ``1010`` batch over the limit.
* Pinyin-initial field names: ``tyshxydm`` 统一社会信用代码, ``qymc`` 企业名称,
  ``fddbr`` 法定代表人, ``lxdh`` 联系电话, ``zczb`` 注册资本 (万元, a decimal
  string), ``clrq`` 成立日期 (``yyyyMMdd``), ``sshy``/``sshymc`` 所属行业
  (GB/T 4754 section), ``kfqdm`` 开发区代码, ``xzqhdm`` 行政区划代码,
  ``nczz`` 年产值 (万元, a JSON number), ``djzt`` 登记状态; parks: ``kfqmc``,
  ``kfqjb`` 级别 (``国家级``/``省级``), ``pzrq`` 批准日期, ``qysl`` 企业数量.
* Batch lookups (``POST …/qy/plcx``, ``POST …/kfq/plcx``) take at most 50
  codes and return only the records found, in no promised order.
* Lists page by number: ``pageNo`` from 1, ``pageSize`` at most 100, answered
  as ``{"total": …, "pageNo": …, "pageSize": …, "list": […]}``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from mocks.data.province import INDUSTRIES, PROVINCE_CODE, PROVINCE_NAME, City, Enterprise, Park, Province
from mocks.faults import FaultInjection, Faults

BASE = "/scjg/api/v1"
MAX_BATCH = 50
MAX_PAGE_SIZE = 100
_INDUSTRY_NAMES = dict(INDUSTRIES)
_LEVELS = {"NATIONAL": "国家级", "PROVINCIAL": "省级"}


class RegistryError(Exception):
    """A business error the registry reports inside HTTP 200."""

    def __init__(self, code: str, msg: str) -> None:
        super().__init__(msg)
        self.code = code
        self.msg = msg


def create_app(province: Province, faults: Faults | None = None) -> FaultInjection:
    """The registry for ``province``, wrapped in run-time fault injection."""
    parks_by_code = {park.code: park for park in province.parks}
    cities_by_code = {city.code: city for city in province.cities}

    async def enterprise(request: Request) -> JSONResponse:
        found = province.enterprise(request.path_params["tyshxydm"])
        if found is None:
            raise RegistryError("1004", "企业不存在")
        return _ok(_enterprise(found))

    async def enterprise_batch(request: Request) -> JSONResponse:
        codes = _codes(await _json(request), "tyshxydmList")
        return _ok([_enterprise(e) for code in dict.fromkeys(codes) if (e := province.enterprise(code)) is not None])

    async def enterprise_list(request: Request) -> JSONResponse:
        params = request.query_params
        records: Sequence[Enterprise] = province.enterprises
        if kfqdm := params.get("kfqdm"):
            records = province.enterprises_in_park(kfqdm)
        if xzqhdm := params.get("xzqhdm"):
            records = [e for e in records if e.city_code == xzqhdm]
        if sshy := params.get("sshy"):
            records = [e for e in records if e.industry_code == sshy]
        if qymc := params.get("qymc"):
            records = [e for e in records if qymc in e.name]
        return _ok(_page(request, records, _enterprise))

    async def park(request: Request) -> JSONResponse:
        found = parks_by_code.get(request.path_params["kfqdm"])
        if found is None:
            raise RegistryError("1005", "开发区不存在")
        return _ok(_park(province, found))

    async def park_batch(request: Request) -> JSONResponse:
        codes = _codes(await _json(request), "kfqdmList")
        return _ok([_park(province, p) for code in dict.fromkeys(codes) if (p := parks_by_code.get(code)) is not None])

    async def park_list(request: Request) -> JSONResponse:
        records: Sequence[Park] = province.parks
        if xzqhdm := request.query_params.get("xzqhdm"):
            if xzqhdm not in cities_by_code:
                raise RegistryError("1006", "行政区划不存在")
            records = [p for p in records if p.city_code == xzqhdm]
        return _ok(_page(request, records, lambda p: _park(province, p)))

    async def city_list(request: Request) -> JSONResponse:
        return _ok(_page(request, province.cities, _city))

    async def province_info(request: Request) -> JSONResponse:
        return _ok({"xzqhdm": PROVINCE_CODE, "xzqhmc": PROVINCE_NAME, "dssl": len(province.cities)})

    routes = [
        Route(f"{BASE}/qy/plcx", _envelope(enterprise_batch), methods=["POST"]),
        Route(f"{BASE}/qy/{{tyshxydm}}", _envelope(enterprise), methods=["GET"]),
        Route(f"{BASE}/qy", _envelope(enterprise_list), methods=["GET"]),
        Route(f"{BASE}/kfq/plcx", _envelope(park_batch), methods=["POST"]),
        Route(f"{BASE}/kfq/{{kfqdm}}", _envelope(park), methods=["GET"]),
        Route(f"{BASE}/kfq", _envelope(park_list), methods=["GET"]),
        Route(f"{BASE}/xzqh/ds", _envelope(city_list), methods=["GET"]),
        Route(f"{BASE}/xzqh/sheng", _envelope(province_info), methods=["GET"]),
    ]
    return FaultInjection(Starlette(routes=routes), faults, seed=province.seed)


def _envelope(handler: Callable[[Request], Awaitable[JSONResponse]]) -> Callable[[Request], Awaitable[JSONResponse]]:
    """Business errors become another code inside HTTP 200, as the real registry answers them."""

    async def endpoint(request: Request) -> JSONResponse:
        try:
            return await handler(request)
        except RegistryError as exc:
            return JSONResponse({"code": exc.code, "msg": exc.msg, "data": None})

    return endpoint


def _ok(data: Any) -> JSONResponse:
    return JSONResponse({"code": "0000", "msg": "成功", "data": data})


async def _json(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except ValueError:
        raise RegistryError("1001", "请求报文格式错误") from None


def _codes(body: Any, field: str) -> list[str]:
    codes = body.get(field) if isinstance(body, dict) else None
    if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
        raise RegistryError("1001", f"参数{field}缺失或格式错误")
    if len(codes) > MAX_BATCH:
        raise RegistryError("1010", f"批量查询数量超过上限({MAX_BATCH})")
    return codes


def _page(request: Request, records: Sequence[Any], render: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    page_no = _positive(request.query_params.get("pageNo", "1"), "pageNo")
    page_size = _positive(request.query_params.get("pageSize", "10"), "pageSize")
    if page_size > MAX_PAGE_SIZE:
        raise RegistryError("1001", f"pageSize不能超过{MAX_PAGE_SIZE}")
    chunk = records[(page_no - 1) * page_size : page_no * page_size]
    return {"total": len(records), "pageNo": page_no, "pageSize": page_size, "list": [render(r) for r in chunk]}


def _positive(value: str, name: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise RegistryError("1001", f"参数{name}格式错误")
    return int(value)


def _enterprise(e: Enterprise) -> dict[str, Any]:
    return {
        "tyshxydm": e.uscc,
        "qymc": e.name,
        "fddbr": e.legal_representative,
        "lxdh": e.phone,
        "zczb": f"{e.registered_capital_wan:.4f}",
        "clrq": e.established.replace("-", ""),
        "sshy": e.industry_code,
        "sshymc": _INDUSTRY_NAMES.get(e.industry_code, ""),
        "kfqdm": e.park_code,
        "xzqhdm": e.city_code,
        "nczz": float(e.annual_output_wan),
        "djzt": "存续",
    }


def _park(province: Province, p: Park) -> dict[str, Any]:
    return {
        "kfqdm": p.code,
        "kfqmc": p.name,
        "xzqhdm": p.city_code,
        "kfqjb": _LEVELS[p.level],
        "pzrq": p.established.replace("-", ""),
        "qysl": len(province.enterprises_in_park(p.code)),
    }


def _city(c: City) -> dict[str, Any]:
    return {"xzqhdm": c.code, "xzqhmc": c.name, "sjxzqhdm": PROVINCE_CODE}
