"""Registry failures become the adapter error tree: envelope codes, HTTP errors, faults, garbage."""

from __future__ import annotations

import httpx
import pytest

from adapters.errors import BadData, LegacyTimeout, LegacyUnavailable, NotFound, Rejected
from adapters.registry import RegistryClient
from adapters.registry.client import BASE
from tests.adapters.registry.conftest import Registry


async def test_unknown_enterprise_is_not_found(registry: Registry) -> None:
    with pytest.raises(NotFound) as info:
        await registry.client.fetch_enterprise("91110000802100433B")
    assert info.value.system == "registry" and "企业不存在 (1004)" in info.value.message


async def test_unknown_city_is_not_found(registry: Registry) -> None:
    with pytest.raises(NotFound, match="1006"):
        await registry.client.list_parks("999900")


async def test_the_mock_refuses_51_codes_inside_http_200(registry: Registry) -> None:
    codes = [e.uscc for e in registry.province.enterprises[:51]]
    async with httpx.AsyncClient(base_url=registry.url) as http:
        response = await http.post(f"{BASE}/qy/plcx", json={"tyshxydmList": codes})
    assert response.status_code == 200
    assert response.json()["code"] == "1010" and response.json()["data"] is None
    # and the adapter never sends 51: it chunks
    found = await registry.client.fetch_enterprises(codes)
    assert all(found) and len(registry.transport.requests) == 2


async def test_business_error_codes_are_rejected_with_the_legacy_code(registry: Registry) -> None:
    # The public methods never ask for more than 100 per page; the plumbing shows how the registry answers.
    with pytest.raises(Rejected) as info:
        await registry.client._call("GET", f"{BASE}/qy", params={"pageSize": 500})
    assert info.value.legacy_code == "1001"


async def test_outage_is_unavailable(registry: Registry) -> None:
    registry.faults.update({"outage": True})
    with pytest.raises(LegacyUnavailable):
        await registry.client.fetch_enterprises(["91110000802100433B"])


async def test_server_errors_are_unavailable(registry: Registry) -> None:
    registry.faults.update({"error_rate": 1.0, "error_status": 502})
    with pytest.raises(LegacyUnavailable, match="HTTP 502"):
        await registry.client.fetch_province()


async def test_malformed_answers_are_bad_data(registry: Registry) -> None:
    registry.faults.update({"malformed_rate": 1.0})
    with pytest.raises(BadData, match="without the envelope"):
        await registry.client.fetch_province()


async def test_slow_answers_time_out(registry: Registry) -> None:
    registry.faults.update({"latency_ms": 500})
    async with RegistryClient(registry.url, timeout=0.1) as client:
        with pytest.raises(LegacyTimeout):
            await client.fetch_province()


async def test_refused_connection_is_unavailable() -> None:
    # Port 9 on loopback (discard) is not served here; nothing is bound by this test.
    async with RegistryClient("http://127.0.0.1:9", timeout=1.0) as client:
        with pytest.raises(LegacyUnavailable):
            await client.fetch_province()


def answering(body: object, status: int = 200) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(status, json=body))


@pytest.mark.parametrize(
    ("body", "error"),
    [
        # a record with a date the registry should never write
        ({"code": "0000", "msg": "成功", "data": {"xzqhdm": "340000"}}, BadData),
        # 系统繁忙 inside HTTP 200
        ({"code": "9999", "msg": "系统繁忙", "data": None}, LegacyUnavailable),
        # not an envelope at all
        (["0000"], BadData),
    ],
)
async def test_envelope_oddities(body: object, error: type[Exception]) -> None:
    async with RegistryClient("http://registry", transport=answering(body)) as client:
        with pytest.raises(error):
            await client.fetch_province()


async def test_batch_with_a_bad_record_is_bad_data() -> None:
    body = {"code": "0000", "msg": "成功", "data": [{"tyshxydm": "91110000802100433B", "zczb": "many"}]}
    async with RegistryClient("http://registry", transport=answering(body)) as client:
        with pytest.raises(BadData):
            await client.fetch_enterprises(["91110000802100433B"])
