"""The metering platform's live feed (实时数据接口) and its nightly drops, as one ASGI app.

``GET /realtime?meters=A,B,C`` answers the latest register reading (示数) of
at most 100 meters, in the platform's own terms: an ``errcode``/``errmsg``
envelope inside HTTP 200 (40001 no meters given, 40003 more than 100),
abbreviated keys (``mno`` meter number, ``val`` register as a string, ``unit``,
``rt`` read time ``yyyyMMddHHmmss`` in China Standard Time, ``st`` status
"1" online / "0" offline / "2" communication fault), unknown meters silently
left out, offline meters with an empty ``val`` and a stale ``rt``.

When created, the app writes the CSV drops of the last ``days`` days (up to
yesterday, as the nightly job would have) into ``drop_dir`` (files already
there are kept, as the real export never rewrites a day); while it runs, the
nightly export writes each new day's file at 00:30 China Standard Time;
``POST /__admin/drops?date=yyyyMMdd`` writes one more, for demonstrations of
incremental loading.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator, Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from mocks.data.province import Province
from mocks.data.utilities import EPOCH, MeterRecord, meters, register_reading
from mocks.faults import FaultInjection, Faults
from mocks.utilities.drops import write_drops

CST = ZoneInfo("Asia/Shanghai")
BATCH_LIMIT = 100


def create_app(
    province: Province,
    *,
    drop_dir: Path | None = None,
    days: int = 31,
    today: date | None = None,
    clock: Callable[[], datetime] | None = None,
    faults: Faults | None = None,
) -> FaultInjection:
    """The live feed over ``province``'s meters; writes ``days`` daily drops into ``drop_dir`` at start-up."""
    now = clock or (lambda: datetime.now(CST))
    ledger = {meter.meter_no: meter for meter in meters(province)}

    async def realtime(request: Request) -> JSONResponse:
        raw = request.query_params.get("meters", "")
        numbers = [n.strip() for n in raw.split(",") if n.strip()]
        if not numbers:
            return _envelope(40001, "缺少meters参数")
        if len(numbers) > BATCH_LIMIT:
            return _envelope(40003, f"meters参数超过{BATCH_LIMIT}个")
        moment = now().astimezone(CST)
        rows = [_reading(ledger[n], moment, province.seed) for n in dict.fromkeys(numbers) if n in ledger]
        return _envelope(0, "ok", ts=f"{moment:%Y%m%d%H%M%S}", rows=rows)

    async def drop(request: Request) -> JSONResponse:
        if drop_dir is None:
            return _envelope(50001, "未配置落地目录")
        try:
            day = datetime.strptime(request.query_params.get("date", ""), "%Y%m%d").date()
        except ValueError:
            return _envelope(40002, "date参数格式应为yyyyMMdd")
        written = write_drops(province, drop_dir, [day], overwrite=True)
        return _envelope(0, "ok", files=[p.name for p in written])

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        nightly = asyncio.create_task(_nightly_export(province, drop_dir, now)) if drop_dir is not None else None
        try:
            yield
        finally:
            if nightly is not None:
                nightly.cancel()

    if drop_dir is not None:
        last = (today or now().astimezone(CST).date()) - timedelta(days=1)
        write_drops(province, drop_dir, [last - timedelta(days=n) for n in range(days)])
    routes = [Route("/realtime", realtime), Route("/__admin/drops", drop, methods=["POST"])]
    app = Starlette(routes=routes, lifespan=lifespan)
    return FaultInjection(app, faults, seed=province.seed)


def seconds_to_export(moment: datetime) -> float:
    """Seconds from ``moment`` to the next nightly export (00:30 China Standard Time)."""
    local = moment.astimezone(CST)
    run = datetime.combine(local.date(), time(0, 30), CST)
    if run <= local:
        run += timedelta(days=1)
    return (run - local).total_seconds()


async def _nightly_export(province: Province, drop_dir: Path, now: Callable[[], datetime]) -> None:
    while True:
        await asyncio.sleep(seconds_to_export(now()))
        yesterday = now().astimezone(CST).date() - timedelta(days=1)
        await asyncio.to_thread(write_drops, province, drop_dir, [yesterday])


def _reading(meter: MeterRecord, moment: datetime, seed: int) -> dict[str, str]:
    # Status and report lag change every hour, the same for every caller within it.
    rng = random.Random(f"{seed}-utilities-live-{meter.meter_no}-{moment:%Y%m%d%H}")
    roll = rng.random()
    if roll < 0.02:
        read_at = moment - timedelta(hours=rng.randint(3, 48))
        return {"mno": meter.meter_no, "val": "", "unit": meter.unit, "rt": f"{read_at:%Y%m%d%H%M%S}", "st": "0"}
    status = "2" if roll < 0.04 else "1"
    read_at = moment - timedelta(seconds=rng.randint(0, 900))
    days = (read_at.replace(tzinfo=None) - datetime(EPOCH.year, EPOCH.month, EPOCH.day)).total_seconds() / 86400
    value = register_reading(meter, days)
    return {
        "mno": meter.meter_no,
        "val": f"{value:.2f}",
        "unit": meter.unit,
        "rt": f"{read_at:%Y%m%d%H%M%S}",
        "st": status,
    }


def _envelope(errcode: int, errmsg: str, **data: object) -> JSONResponse:
    return JSONResponse({"errcode": errcode, "errmsg": errmsg, **data})
