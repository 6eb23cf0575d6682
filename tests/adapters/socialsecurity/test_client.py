"""The social insurance adapter against the mock SOAP service over real HTTP: GBK, faults, batches of 20."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import httpx
import pytest

from adapters.errors import BadData, LegacyUnavailable, Rejected
from adapters.socialsecurity import soap
from adapters.socialsecurity.client import SocialSecurityClient
from adapters.socialsecurity.models import Gender, InsuranceType, InsuredStatus
from mocks.data import socialsecurity as seeded
from mocks.data.province import SHOWCASE_NAME, SHOWCASE_USCC, generate
from mocks.faults import FaultInjection
from mocks.socialsecurity.app import create_app
from tests.support.live_server import live_server

PROVINCE = generate(2026, 0.1)
DATA = seeded.generate(PROVINCE)


@dataclass
class Service:
    url: str
    app: FaultInjection


@pytest.fixture
async def service() -> AsyncIterator[Service]:
    app = create_app(PROVINCE)
    async with live_server(app) as url:
        yield Service(url, app)


async def test_units_decode_gbk_and_batch_by_twenty(service: Service) -> None:
    usccs = [e.uscc for e in PROVINCE.enterprises[:45]]
    async with SocialSecurityClient(service.url) as client:
        units = await client.units(usccs)
    assert client.calls["queryUnits"] == 3
    assert set(units) == {u for u in usccs if DATA.unit(u) is not None}
    assert len(units) < len(usccs) or all(DATA.unit(u) for u in usccs)  # unregistered ones are left out
    showcase = units[SHOWCASE_USCC]
    assert showcase.name == SHOWCASE_NAME  # Chinese text survived GBK both ways
    assert showcase.insured_headcount == DATA.headcount(SHOWCASE_USCC) > 0
    assert showcase.park_code == "340100-HTZ"


async def test_contributions_are_split_into_windows_of_36_months(service: Service) -> None:
    usccs = [e.uscc for e in PROVINCE.enterprises[:25]]
    async with SocialSecurityClient(service.url) as client:
        rows = await client.contributions(usccs, date(2022, 1, 1), date(2025, 12, 1))
    assert client.calls["queryUnitContributions"] == 4  # 2 windows (36 + 12 months) × 2 batches
    mine = rows[SHOWCASE_USCC]
    expected = DATA.contributions(SHOWCASE_USCC, "202201", "202512")
    assert len(mine) == len(expected) > 0
    assert mine[0].month == date(int(expected[0].period[:4]), int(expected[0].period[4:]), 1)
    assert sum(r.unit_yuan for r in mine) == Decimal(sum(r.unit_fen for r in expected)) / 100
    assert {r.insurance_type for r in mine} == set(InsuranceType)


async def test_contributions_filter_by_insurance_type(service: Service) -> None:
    async with SocialSecurityClient(service.url) as client:
        rows = await client.contributions([SHOWCASE_USCC], date(2025, 1, 1), date(2025, 12, 1), InsuranceType.PENSION)
    pension = rows[SHOWCASE_USCC]
    assert len(pension) == 12
    assert all(r.insurance_type is InsuranceType.PENSION for r in pension)
    assert all(r.unit_yuan == (r.base_yuan * Decimal("0.16")).quantize(Decimal("0.01")) for r in pension)


async def test_persons_by_resident_id(service: Service) -> None:
    insured = DATA.persons[:25]
    async with SocialSecurityClient(service.url) as client:
        persons = await client.persons([p.resident_id for p in insured] + ["11010519491231002X"])
    assert client.calls["queryPersons"] == 2
    assert set(persons) == {p.resident_id for p in insured}
    first = persons[insured[0].resident_id]
    assert first.name == insured[0].name
    assert first.gender is (Gender.MALE if int(first.resident_id[16]) % 2 else Gender.FEMALE)
    assert first.birth_date == date(
        int(first.resident_id[6:10]), int(first.resident_id[10:12]), int(first.resident_id[12:14])
    )
    assert first.status is (InsuredStatus.ACTIVE if insured[0].insured_in("202512") else InsuredStatus.SUSPENDED)


async def test_unit_persons_page_by_number(service: Service) -> None:
    async with SocialSecurityClient(service.url) as client:
        first = await client.unit_persons(SHOWCASE_USCC, page=1, page_size=4)
        last = await client.unit_persons(SHOWCASE_USCC, page=3, page_size=4)
    everyone = DATA.unit_persons(SHOWCASE_USCC)
    assert first.total == last.total == len(everyone)
    assert [p.resident_id for p in first.persons] == [p.resident_id for p in everyone[:4]]
    assert [p.resident_id for p in last.persons] == [p.resident_id for p in everyone[8:12]]


async def test_park_insurance(service: Service) -> None:
    async with SocialSecurityClient(service.url) as client:
        parks = await client.park_insurance(["340100-HTZ", "340200-ETDZ"])
    htz = parks["340100-HTZ"]
    assert htz.unit_count == len(DATA.park_units("340100-HTZ"))
    assert htz.insured_headcount == sum(DATA.headcount(u.uscc) for u in DATA.park_units("340100-HTZ"))


async def test_client_fault_becomes_rejected(service: Service) -> None:
    async with SocialSecurityClient(service.url) as client:
        with pytest.raises(Rejected) as rejected:
            await client.unit_persons(SHOWCASE_USCC, page=1, page_size=500)
    assert rejected.value.legacy_code == "soap:Client"
    assert "分页参数错误" in rejected.value.message  # the fault string, decoded from GBK


async def test_server_fault_becomes_unavailable(service: Service) -> None:
    async with httpx.AsyncClient(base_url=service.url) as admin:
        await admin.put("/__admin/maintenance", json={"on": True})
    async with SocialSecurityClient(service.url) as client:
        with pytest.raises(LegacyUnavailable, match="ORA-12541"):
            await client.units([SHOWCASE_USCC])


async def test_outage_and_garbage(service: Service) -> None:
    async with SocialSecurityClient(service.url) as client:
        service.app.faults.update({"malformed_rate": 1.0})
        with pytest.raises(BadData):
            await client.units([SHOWCASE_USCC])
        service.app.faults.update({"reset": True, "outage": True})
        with pytest.raises(LegacyUnavailable):
            await client.units([SHOWCASE_USCC])


async def test_answer_charset_falls_back_to_the_xml_declaration() -> None:
    # Some gateways in front of the service drop the charset from the Content-Type.
    body = (
        '<?xml version="1.0" encoding="GBK"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">'
        "<s:Body><s:Fault><faultcode>s:Server.userException</faultcode><faultstring>数据库忙</faultstring>"
        "</s:Fault></s:Body></s:Envelope>"
    ).encode("gbk")

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["soapaction"] == '"queryUnits"'
        return httpx.Response(500, content=body, headers={"content-type": "text/xml"})

    async with SocialSecurityClient("http://si.test", transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(LegacyUnavailable, match="数据库忙"):
            await client.units([SHOWCASE_USCC])


def test_envelopes_are_gbk_encoded() -> None:
    raw = soap.envelope("queryPersons", [("aac003", "张三")])
    assert raw.startswith(b"<?xml version='1.0' encoding='GBK'?>")
    assert "张三".encode("gbk") in raw
    assert "张三".encode() not in raw
