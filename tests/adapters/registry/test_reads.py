"""The registry adapter against the mock over real HTTP: mapping, batches of at most 50, page windows."""

from __future__ import annotations

import datetime
from decimal import Decimal

from adapters.registry import EnterpriseFilter, ParkLevel
from mocks.data.province import SHOWCASE_USCC
from tests.adapters.registry.conftest import Registry


async def test_fetch_enterprise_maps_legacy_fields(registry: Registry) -> None:
    enterprise = await registry.client.fetch_enterprise(SHOWCASE_USCC)
    assert enterprise.name == "合肥智园科技有限公司"
    assert enterprise.legal_representative == "王伟"
    # 5000 万元 and 86000 万元 in the registry
    assert enterprise.registered_capital == Decimal("50000000.00")
    assert enterprise.annual_output == Decimal("860000000.00")
    assert enterprise.established == datetime.date(2016, 3, 18)
    assert (enterprise.park_code, enterprise.city_code, enterprise.industry_code) == ("340100-HTZ", "340100", "I")
    assert enterprise.industry_name == "信息传输、软件和信息技术服务业"


async def test_batch_of_120_makes_three_calls_and_keeps_order(registry: Registry) -> None:
    usccs = [e.uscc for e in registry.province.enterprises[:119]] + ["91110000802100433B"]  # the last is unknown
    found = await registry.client.fetch_enterprises(usccs)
    batch_calls = [r for r in registry.transport.requests if r.url.path.endswith("/qy/plcx")]
    assert len(batch_calls) == 3  # 50 + 50 + 20: the registry's limit, no more
    assert [e.uscc if e else None for e in found] == [*usccs[:119], None]


async def test_duplicates_are_asked_once(registry: Registry) -> None:
    uscc = registry.province.enterprises[3].uscc
    found = await registry.client.fetch_enterprises([uscc, uscc, uscc])
    assert [e.uscc if e else None for e in found] == [uscc] * 3
    assert len(registry.transport.requests) == 1
    assert b"tyshxydmList" in registry.transport.requests[0].content


async def test_search_enterprises_windows_over_page_numbers(registry: Registry) -> None:
    in_park = registry.province.enterprises_in_park("340100-HTZ")
    where = EnterpriseFilter(park_code="340100-HTZ")
    first = await registry.client.search_enterprises(where, offset=0, limit=2)
    assert [e.uscc for e in first.items] == [e.uscc for e in in_park[:2]]
    assert first.total == len(in_park)
    # offset 3, limit 2 straddles pages 2 and 3 of size 2: two calls, the right slice
    before = len(registry.transport.requests)
    straddling = await registry.client.search_enterprises(where, offset=3, limit=2)
    assert [e.uscc for e in straddling.items] == [e.uscc for e in in_park[3:5]]
    assert len(registry.transport.requests) - before == 2


async def test_search_filters(registry: Registry) -> None:
    page = await registry.client.search_enterprises(
        EnterpriseFilter(city_code="340200", industry_code="C"), offset=0, limit=100
    )
    assert page.items and all(e.city_code == "340200" and e.industry_code == "C" for e in page.items)
    named = await registry.client.search_enterprises(EnterpriseFilter(name_contains="智园"), limit=10)
    assert [e.uscc for e in named.items] == [SHOWCASE_USCC]


async def test_parks_cities_province(registry: Registry) -> None:
    parks = await registry.client.fetch_parks(["340100-HTZ", "999999-XXX", "341800-PROV"])
    assert parks[0] is not None and parks[0].level is ParkLevel.NATIONAL and parks[0].name == "合肥高新技术产业开发区"
    assert parks[1] is None
    assert parks[2] is not None and parks[2].level is ParkLevel.PROVINCIAL
    hefei = await registry.client.list_parks("340100", limit=10)
    assert {p.code for p in hefei.items} == {"340100-ETDZ", "340100-HTZ", "340100-PROV"}
    assert sum(p.enterprise_count for p in hefei.items) == sum(
        len(registry.province.enterprises_in_park(p.code)) for p in hefei.items
    )
    cities = await registry.client.list_cities()
    assert len(cities) == 16 and cities[0].code == "340100" and cities[0].province_code == "340000"
    province = await registry.client.fetch_province()
    assert (province.code, province.name) == ("340000", "安徽省")
