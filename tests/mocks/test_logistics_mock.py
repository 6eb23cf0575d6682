"""The mock logistics platform: seeded waybills and the platform's quirks as the adapter meets them."""

from __future__ import annotations

import httpx

from mocks.data.identifiers import uscc_check
from mocks.data.logistics import shipments
from mocks.data.province import SHOWCASE_USCC, generate
from mocks.logistics.app import create_app
from tests.support.live_server import live_server

PROVINCE = generate(2026, 0.1)


def test_seeded_waybills_are_deterministic_and_consistent() -> None:
    first, again = shipments(PROVINCE), shipments(generate(2026, 0.1))
    assert [s.waybill_no for s in first] == [s.waybill_no for s in again]
    assert len({s.waybill_no for s in first}) == len(first)
    assert sum(1 for s in first if s.consignor_uscc == SHOWCASE_USCC) == 12
    for s in first:
        consignee = PROVINCE.enterprise(s.consignee_uscc)
        assert consignee is not None and consignee.name == s.consignee_name
        assert uscc_check(s.consignor_uscc[:17]) == s.consignor_uscc[17]
        assert (s.signed_at is not None) == (s.status == "40")
    assert [s.waybill_no for s in shipments(generate(7, 0.1))] != [s.waybill_no for s in first]


async def test_cursor_is_bound_to_its_query_and_the_last_page_says_empty_string() -> None:
    async with live_server(create_app(PROVINCE, rate_per_second=0)) as url, httpx.AsyncClient(base_url=url) as http:
        page = (await http.get("/api/v2/waybills", params={"consignor_codes": SHOWCASE_USCC, "limit": 10})).json()
        cursor = page["data"]["next_cursor"]
        other = await http.get("/api/v2/waybills", params={"consignee_codes": SHOWCASE_USCC, "cursor": cursor})
        last = (await http.get("/api/v2/waybills", params={"consignor_codes": SHOWCASE_USCC, "cursor": cursor})).json()
        too_many = await http.get("/api/v2/waybills", params={"consignor_codes": ",".join(["X"] * 21)})
    assert cursor and other.status_code == 400 and other.json()["ret"] == 40003
    assert last["data"]["next_cursor"] == ""
    assert len(page["data"]["records"]) + len(last["data"]["records"]) == 12
    assert too_many.status_code == 400


async def test_rate_limit_answers_429_with_retry_after() -> None:
    app = create_app(PROVINCE, rate_per_second=1, burst=2)
    async with live_server(app) as url, httpx.AsyncClient(base_url=url) as http:
        statuses = [(await http.get("/api/v2/stats/zones", params={"zone_cds": "340100-HTZ"})) for _ in range(3)]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    assert statuses[2].headers["retry-after"] == "1"
    assert statuses[2].json()["ret"] == 42900
