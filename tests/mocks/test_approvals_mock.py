"""The approval platform mock behaves like the real platform: its envelope, paging quirks, limits and admin faults."""

from __future__ import annotations

import httpx

from mocks.approvals.app import create_app
from mocks.data.province import SHOWCASE_USCC, generate

BASE = "/zwfw/api/v1"


def client() -> httpx.AsyncClient:
    app = create_app(generate(seed=2026, scale=0.05))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://platform")


async def test_page_size_is_cut_to_a_hundred_and_total_is_a_string() -> None:
    async with client() as http:
        body = (await http.get(f"{BASE}/bjxx", params={"tyshxydm": SHOWCASE_USCC, "pageSize": "500"})).json()
    assert body["code"] == "200" and body["success"] is True
    assert body["data"]["pageSize"] == 100 and body["data"]["total"] == "7"
    record = body["data"]["list"][0]
    assert len(record["sqsj"]) == 14 and record["sqsj"].isdigit()  # yyyyMMddHHmmss, no zone
    assert all(value is not None for value in record.values())  # "" stands for a missing value


async def test_business_errors_come_inside_http_200() -> None:
    async with client() as http:
        too_many = await http.get(f"{BASE}/bjxx", params={"tyshxydm": ",".join([SHOWCASE_USCC] * 21)})
        no_key = await http.post(f"{BASE}/bjxx", json={"sxbm": "000105001000", "tyshxydm": SHOWCASE_USCC})
        unknown = await http.post(f"{BASE}/bjxx/1/blzt", json={"blzt": "02"}, headers={"Idempotency-Key": "k"})
    assert [r.status_code for r in (too_many, no_key, unknown)] == [200, 200, 200]
    assert [r.json()["code"] for r in (too_many, no_key, unknown)] == ["E1001", "E1002", "E2001"]
    assert too_many.json()["success"] is False and too_many.json()["data"] is None


async def test_a_repeated_key_replays_the_first_answer_even_for_another_body() -> None:
    async with client() as http:
        body = {"sxbm": "000105001000", "tyshxydm": SHOWCASE_USCC, "lxr": "王伟", "lxdh": "13900000000"}
        first = (await http.post(f"{BASE}/bjxx", json=body, headers={"Idempotency-Key": "same"})).json()["data"]
        other = {**body, "sxbm": "000119017000"}
        again = (await http.post(f"{BASE}/bjxx", json=other, headers={"Idempotency-Key": "same"})).json()["data"]
    assert again == first and first["blzt"] == "01" and first["slsj"] == ""


async def test_admin_endpoint_switches_an_outage_on_and_off() -> None:
    async with client() as http:
        await http.put("/__admin/faults", json={"outage": True})
        assert (await http.get(f"{BASE}/zd/blzt")).status_code == 503
        await http.put("/__admin/faults", json={"reset": True})
        table = (await http.get(f"{BASE}/zd/blzt")).json()["data"]
    assert {"dm": "05", "mc": "准予许可"} in table
