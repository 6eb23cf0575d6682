"""The mock social insurance system (社保): a SOAP 1.1 service speaking GBK-encoded XML.

One endpoint, ``POST /sbws/services/SiQueryService``, as an old Axis service
exposes it. Requests are SOAP 1.1 envelopes (``text/xml``; the body's charset
is taken from the Content-Type, GBK when none is given) with a ``SOAPAction``
header that must name the operation in the body. Answers are ``text/xml;
charset=GBK``. Errors are SOAP faults with HTTP 500: ``soap:Client`` for bad
input (a malformed code, too many codes, a period range too long),
``soap:Server`` while the back end is down for maintenance
(``PUT /__admin/maintenance`` with ``{"on": true}``).

Operations (elements in :data:`NS`; field names follow the national social
insurance indicator codes: AAB998 USCC, AAB001 unit number, AAB004 unit name,
AAC001 person number, AAC002 resident ID, AAC003 name, AAC004 sex, AAC006
birth date, AAC008 insured status, AAE140 insurance type, AAE002 period,
AAE180 contribution base; plus pinyin ones: CBRS 参保人数, DWJFJE 单位缴费金额,
GRJFJE 个人缴费金额, JFBZ 缴费标志, QFBZ 欠费标志, YQBM 园区编码):

* ``queryUnits``: up to 20 ``aab998`` → ``unit`` records; unknown codes are left out.
* ``queryUnitContributions``: up to 20 ``aab998``, ``qsny``/``zzny`` (yyyyMM,
  at most 36 months), optional ``aae140`` → ``jfmx`` rows (money as yuan with
  two decimals).
* ``queryPersons``: up to 20 ``aac002`` → ``person`` records.
* ``queryUnitPersons``: one ``aab998``, ``pageNo`` (from 1), ``pageSize`` (≤ 100)
  → ``person`` records and ``total``.
* ``queryParkStatistics``: up to 20 ``yqbm`` → ``yq`` rows (units, insured).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mocks.data.province import Province
from mocks.data.socialsecurity import LAST_PERIOD, InsuredPerson, SocialSecurityData, generate, periods
from mocks.faults import FaultInjection, Faults

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
NS = "http://ws.si.ahhrss.gov.cn/query"
SERVICE_PATH = "/sbws/services/SiQueryService"
MAX_BATCH = 20
MAX_MONTHS = 36
MAX_PAGE_SIZE = 100
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")
_PERIOD = re.compile(r"^\d{4}(0[1-9]|1[0-2])$")

ET.register_namespace("soap", SOAP_NS)
ET.register_namespace("ns", NS)


class ClientFault(Exception):
    """Bad input: answered as a ``soap:Client`` fault."""


@dataclass
class Backend:
    """The service's state behind the SOAP layer."""

    data: SocialSecurityData
    maintenance: bool = False


Operation = Callable[[SocialSecurityData, ET.Element, ET.Element], None]


def create_app(province: Province, *, faults: Faults | None = None) -> FaultInjection:
    """The SOAP service for ``province``, wrapped in fault injection."""
    backend = Backend(generate(province))

    async def service(request: Request) -> Response:
        content_type = request.headers.get("content-type", "")
        if not content_type.startswith("text/xml"):
            return _fault("soap:Client", "Content-Type 须为 text/xml (SOAP 1.1)", status=415)
        charset = _charset(content_type) or "GBK"
        try:
            text = (await request.body()).decode(charset)
            envelope = ET.fromstring(text)
        except (UnicodeDecodeError, LookupError, ET.ParseError) as exc:
            return _fault("soap:Client", f"报文解析失败: {exc}")
        body = envelope.find(f"{{{SOAP_NS}}}Body")
        if envelope.tag != f"{{{SOAP_NS}}}Envelope" or body is None or len(body) != 1:
            return _fault("soap:Client", "不是有效的 SOAP 1.1 报文")
        call = body[0]
        name = call.tag.removeprefix(f"{{{NS}}}")
        action = request.headers.get("soapaction", "").strip('"')
        if action.rsplit("/", 1)[-1] != name:
            return _fault("soap:Client", f"SOAPAction 与操作不符: {action!r}")
        operation = _OPERATIONS.get(name)
        if operation is None:
            return _fault("soap:Client", f"未知操作: {name}")
        if backend.maintenance:
            return _fault("soap:Server", "核心业务库连接失败 (ORA-12541: TNS:no listener)")
        answer = ET.Element(f"{{{NS}}}{name}Response")
        try:
            operation(backend.data, call, answer)
        except ClientFault as exc:
            return _fault("soap:Client", str(exc))
        return _envelope(answer)

    async def maintenance(request: Request) -> Response:
        if request.method == "PUT":
            backend.maintenance = bool((await request.json()).get("on"))
        return JSONResponse({"on": backend.maintenance})

    app = Starlette(
        routes=[
            Route(SERVICE_PATH, service, methods=["POST"]),
            Route("/__admin/maintenance", maintenance, methods=["GET", "PUT"]),
        ]
    )
    return FaultInjection(app, faults, seed=province.seed)


def _query_units(data: SocialSecurityData, call: ET.Element, answer: ET.Element) -> None:
    for uscc in _batch(call, "aab998", _USCC, "统一社会信用代码"):
        unit = data.unit(uscc)
        if unit is None:
            continue
        node = ET.SubElement(answer, "unit")
        _leaf(node, "aab001", unit.unit_number)
        _leaf(node, "aab998", unit.uscc)
        _leaf(node, "aab004", unit.name)
        _leaf(node, "yqbm", unit.park_code)
        _leaf(node, "cbny", unit.registered)
        _leaf(node, "cbrs", str(data.headcount(uscc)))
        _leaf(node, "qfbz", "1" if unit.arrears_from else "0")


def _query_contributions(data: SocialSecurityData, call: ET.Element, answer: ET.Element) -> None:
    codes = _batch(call, "aab998", _USCC, "统一社会信用代码")
    first, last = _text(call, "qsny"), _text(call, "zzny")
    if not (_PERIOD.match(first) and _PERIOD.match(last)) or first > last:
        raise ClientFault(f"起止年月无效: {first}-{last}")
    if len(periods(first, last)) > MAX_MONTHS:
        raise ClientFault(f"单次查询不得超过 {MAX_MONTHS} 个月")
    kind = call.findtext("aae140")
    for uscc in codes:
        for row in data.contributions(uscc, first, last):
            if kind and row.insurance_type != kind:
                continue
            node = ET.SubElement(answer, "jfmx")
            _leaf(node, "aab998", row.uscc)
            _leaf(node, "aae002", row.period)
            _leaf(node, "aae140", row.insurance_type)
            _leaf(node, "cbrs", str(row.headcount))
            _leaf(node, "aae180", _yuan(row.base_fen))
            _leaf(node, "dwjfje", _yuan(row.unit_fen))
            _leaf(node, "grjfje", _yuan(row.personal_fen))
            _leaf(node, "jfbz", "1" if row.paid else "0")


def _query_persons(data: SocialSecurityData, call: ET.Element, answer: ET.Element) -> None:
    for resident_id in _batch(call, "aac002", _RESIDENT_ID, "公民身份号码"):
        person = data.person(resident_id)
        if person is not None:
            _person(ET.SubElement(answer, "person"), person)


def _query_unit_persons(data: SocialSecurityData, call: ET.Element, answer: ET.Element) -> None:
    uscc = _text(call, "aab998")
    if not _USCC.match(uscc):
        raise ClientFault(f"统一社会信用代码格式错误: {uscc}")
    try:
        page_no, page_size = int(_text(call, "pageNo")), int(_text(call, "pageSize"))
    except ValueError as exc:
        raise ClientFault(f"分页参数错误: {exc}") from exc
    if page_no < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ClientFault(f"分页参数错误: pageNo={page_no} pageSize={page_size}")
    persons = data.unit_persons(uscc)
    _leaf(answer, "total", str(len(persons)))
    for person in persons[(page_no - 1) * page_size : page_no * page_size]:
        _person(ET.SubElement(answer, "person"), person)


def _query_parks(data: SocialSecurityData, call: ET.Element, answer: ET.Element) -> None:
    for park_code in _batch(call, "yqbm", re.compile(r"^\d{6}-[A-Z]+$"), "园区编码"):
        units = data.park_units(park_code)
        node = ET.SubElement(answer, "yq")
        _leaf(node, "yqbm", park_code)
        _leaf(node, "dws", str(len(units)))
        _leaf(node, "cbrs", str(sum(data.headcount(u.uscc) for u in units)))


_OPERATIONS: dict[str, Operation] = {
    "queryUnits": _query_units,
    "queryUnitContributions": _query_contributions,
    "queryPersons": _query_persons,
    "queryUnitPersons": _query_unit_persons,
    "queryParkStatistics": _query_parks,
}


def _person(node: ET.Element, person: InsuredPerson) -> None:
    _leaf(node, "aac001", person.person_number)
    _leaf(node, "aac002", person.resident_id)
    _leaf(node, "aac003", person.name)
    _leaf(node, "aac004", "1" if int(person.resident_id[16]) % 2 else "2")
    _leaf(node, "aac006", person.resident_id[6:14])
    _leaf(node, "aab998", person.unit_uscc)
    _leaf(node, "aac008", "1" if person.insured_in(LAST_PERIOD) else "2")
    _leaf(node, "cbny", person.joined)
    _leaf(node, "aae180", _yuan(person.contribution_base_yuan * 100))


def _batch(call: ET.Element, tag: str, pattern: re.Pattern[str], label: str) -> list[str]:
    values = [(node.text or "").strip() for node in call.findall(tag)]
    if not values:
        raise ClientFault(f"缺少参数 {tag}")
    if len(values) > MAX_BATCH:
        raise ClientFault(f"单次最多查询 {MAX_BATCH} 条 ({tag})")
    for value in values:
        if not pattern.match(value):
            raise ClientFault(f"{label}格式错误: {value}")
    return values


def _text(call: ET.Element, tag: str) -> str:
    value = call.findtext(tag)
    if value is None:
        raise ClientFault(f"缺少参数 {tag}")
    return value.strip()


def _leaf(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = text


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _charset(content_type: str) -> str | None:
    match = re.search(r"charset=\"?([\w-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def _envelope(payload: ET.Element, status: int = 200) -> Response:
    envelope = ET.Element(f"{{{SOAP_NS}}}Envelope")
    ET.SubElement(envelope, f"{{{SOAP_NS}}}Body").append(payload)
    return Response(ET.tostring(envelope, encoding="GBK"), status_code=status, media_type="text/xml; charset=GBK")


def _fault(code: str, message: str, *, status: int = 500) -> Response:
    fault = ET.Element(f"{{{SOAP_NS}}}Fault")
    _leaf(fault, "faultcode", code)
    _leaf(fault, "faultstring", message)
    return _envelope(fault, status)
