from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import httpx

from mocks.data.province import generate
from mocks.utilities.app import CST, create_app, seconds_to_export
from mocks.utilities.drops import file_name

NOW = datetime(2026, 11, 28, 10, 30, tzinfo=CST)


def test_the_nightly_export_runs_at_half_past_midnight() -> None:
    assert seconds_to_export(datetime(2026, 11, 28, 0, 0, tzinfo=CST)) == 30 * 60
    assert seconds_to_export(datetime(2026, 11, 28, 0, 30, tzinfo=CST)) == 24 * 3600  # just ran: the next night
    assert seconds_to_export(datetime(2026, 11, 27, 16, 0, tzinfo=UTC)) == 30 * 60  # midnight in Hefei


def test_drops_of_recent_days_are_written_at_creation(tmp_path: Path) -> None:
    create_app(generate(2026, 0.05), drop_dir=tmp_path, days=3, clock=lambda: NOW)
    assert sorted(p.name for p in tmp_path.iterdir()) == [file_name(date(2026, 11, d)) for d in (25, 26, 27)]


async def test_the_feed_speaks_the_platform_dialect(tmp_path: Path) -> None:
    app = create_app(generate(2026, 0.05), drop_dir=tmp_path, days=1, clock=lambda: NOW)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://feed") as http:
        empty = (await http.get("/realtime")).json()
        too_many = (await http.get("/realtime", params={"meters": ",".join(str(n) for n in range(101))})).json()
        bad_date = (await http.post("/__admin/drops", params={"date": "2026-11-28"})).json()
    assert empty == {"errcode": 40001, "errmsg": "缺少meters参数"}
    assert too_many["errcode"] == 40003
    assert bad_date["errcode"] == 40002
