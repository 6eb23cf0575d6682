from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from adapters.utilities import UtilitiesClient
from adapters.utilities.models import EnergyKind
from mocks.data.province import SHOWCASE_USCC, Province
from mocks.data.utilities import meters_of
from mocks.utilities.app import create_app
from tests.adapters.utilities.clock import NOW, TODAY
from tests.support.live_server import live_server


@pytest.fixture
async def client(tmp_path: Path, province: Province) -> AsyncIterator[UtilitiesClient]:
    drops = tmp_path / "drops"
    # The mock writes its week of drops into the folder when it is created, as at start-up.
    app = create_app(province, drop_dir=drops, days=7, today=TODAY, clock=lambda: NOW)
    async with live_server(app) as url:
        client = UtilitiesClient(drop_dir=drops, feed_url=url, rescan_interval=0)
        yield client
        await client.aclose()


async def test_meters_come_from_the_drops_and_readings_from_the_feed(
    client: UtilitiesClient, province: Province
) -> None:
    found = (await client.meters_of([SHOWCASE_USCC]))[SHOWCASE_USCC]
    seeded = meters_of(province, SHOWCASE_USCC)
    assert sorted(m.number for m in found) == sorted(m.meter_no for m in seeded)
    assert found[0].kind is EnergyKind.ELECTRICITY  # electricity first
    readings = await client.latest_readings([m.number for m in found])
    assert set(readings) == {m.number for m in found}
    assert client.calls["meters_of"] == 1
    assert client.calls["latest_readings"] == 1


async def test_usage_by_owner(client: UtilitiesClient) -> None:
    start, end = TODAY.replace(day=21), TODAY.replace(day=27)
    usage = await client.usage_of("park", ["340100-HTZ", "999999-XXX"], start, end)
    assert usage["340100-HTZ"].days_covered == 7
    assert usage["340100-HTZ"].tce > 0
    assert usage["999999-XXX"].totals == ()
    with pytest.raises(ValueError, match="unknown owner"):
        await client.usage_of("province", ["340000"], start, end)


async def test_the_drop_report_lists_every_file(client: UtilitiesClient) -> None:
    files = await client.drop_files()
    assert [f.day for f in files] == sorted((f.day for f in files), reverse=True)
    assert len(files) == 7
    assert max(f.day for f in files) == TODAY.replace(day=27)  # up to yesterday


async def test_the_mock_writes_another_drop_on_request(client: UtilitiesClient) -> None:
    async with httpx.AsyncClient(base_url=str(client.feed._http.base_url)) as http:
        answer = (await http.post("/__admin/drops", params={"date": "20261128"})).json()
    assert answer == {"errcode": 0, "errmsg": "ok", "files": ["METER_DAILY_20261128.csv"]}
    files = await client.drop_files()
    assert files[0].day == TODAY
