"""The mock social insurance service: seeded records and the SOAP/GBK quirks as the adapter meets them."""

from __future__ import annotations

import httpx

from mocks.data import socialsecurity as seeded
from mocks.data.province import SHOWCASE_USCC, generate
from mocks.socialsecurity.app import SERVICE_PATH, create_app
from tests.support.live_server import live_server

PROVINCE = generate(2026, 0.1)
ENVELOPE = (
    '<?xml version="1.0" encoding="{charset}"?>'
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="http://ws.si.ahhrss.gov.cn/query">'
    "<soap:Body><ns:queryUnits><aab998>{uscc}</aab998></ns:queryUnits></soap:Body></soap:Envelope>"
)


def test_seeded_records_are_deterministic_and_consistent() -> None:
    data, again = seeded.generate(PROVINCE), seeded.generate(generate(2026, 0.1))
    assert [u.unit_number for u in data.units] == [u.unit_number for u in again.units]
    assert data.unit(SHOWCASE_USCC) is not None
    assert 0.9 < len(data.units) / len(PROVINCE.enterprises) <= 1.0
    assert all(data.unit(p.unit_uscc) is not None for p in data.persons)
    rows = data.contributions(SHOWCASE_USCC, "202501", "202512")
    assert {r.period for r in rows} == {f"2025{m:02d}" for m in range(1, 13)}
    assert all(r.headcount >= 1 and r.unit_fen > 0 for r in rows)


async def test_answers_are_gbk_and_faults_are_http_500() -> None:
    async with live_server(create_app(PROVINCE)) as url, httpx.AsyncClient(base_url=url) as http:
        ok = await http.post(
            SERVICE_PATH,
            content=ENVELOPE.format(charset="GBK", uscc=SHOWCASE_USCC).encode("gbk"),
            headers={"content-type": "text/xml", "soapaction": '"queryUnits"'},  # no charset: GBK assumed
        )
        wrong_action = await http.post(
            SERVICE_PATH,
            content=ENVELOPE.format(charset="UTF-8", uscc=SHOWCASE_USCC).encode(),
            headers={"content-type": "text/xml; charset=UTF-8", "soapaction": '"queryPersons"'},
        )
        bad_code = await http.post(
            SERVICE_PATH,
            content=ENVELOPE.format(charset="UTF-8", uscc="not-a-code").encode(),
            headers={"content-type": "text/xml; charset=UTF-8", "soapaction": '"queryUnits"'},
        )
    assert ok.status_code == 200 and ok.headers["content-type"] == "text/xml; charset=GBK"
    assert "合肥智园科技有限公司".encode("gbk") in ok.content
    for fault in (wrong_action, bad_code):
        assert fault.status_code == 500
        assert b"<faultcode>soap:Client</faultcode>" in fault.content
