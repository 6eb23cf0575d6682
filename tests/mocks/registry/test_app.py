"""The registry mock answers like the real registry: envelope, legacy field names, page numbers."""

from __future__ import annotations

import httpx

from mocks.data.province import SHOWCASE_USCC, generate
from mocks.registry.app import BASE, create_app


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(generate(2026, 0.05))), base_url="http://r")


async def test_envelope_and_legacy_fields() -> None:
    async with client() as http:
        body = (await http.get(f"{BASE}/qy/{SHOWCASE_USCC}")).json()
    assert (body["code"], body["msg"]) == ("0000", "成功")
    record = body["data"]
    assert record["tyshxydm"] == SHOWCASE_USCC
    assert record["zczb"] == "5000.0000" and record["clrq"] == "20160318" and record["kfqdm"] == "340100-HTZ"


async def test_business_errors_inside_http_200() -> None:
    async with client() as http:
        missing = await http.get(f"{BASE}/qy/91110000802100433B")
        bad_page = await http.get(f"{BASE}/kfq", params={"pageNo": "0"})
        bad_body = await http.post(f"{BASE}/qy/plcx", content=b"not json")
    assert missing.status_code == 200 and missing.json()["code"] == "1004"
    assert bad_page.json()["code"] == "1001"
    assert bad_body.json()["code"] == "1001"


async def test_page_numbers() -> None:
    async with client() as http:
        page = (await http.get(f"{BASE}/xzqh/ds", params={"pageNo": "2", "pageSize": "10"})).json()["data"]
    assert (page["total"], page["pageNo"], page["pageSize"], len(page["list"])) == (16, 2, 10, 6)
