from __future__ import annotations

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from adapters.errors import LegacyUnavailable
from adapters.utilities.ledger import DropLedger
from adapters.utilities.models import DropStatus, EnergyKind
from mocks.data.province import SHOWCASE_USCC, Province
from mocks.utilities.drops import file_name, render_drop, write_drops
from tests.adapters.utilities.clock import DAYS, TODAY
from tests.adapters.utilities.expected import use_by_kind


async def test_totals_match_what_the_mock_wrote(drop_dir: Path, province: Province) -> None:
    ledger = DropLedger(drop_dir)
    await ledger.refresh()
    start, end = min(DAYS), max(DAYS)
    summary = ledger.usage("uscc", [SHOWCASE_USCC], start, end, None)[SHOWCASE_USCC]
    expected = use_by_kind(province, SHOWCASE_USCC, DAYS)
    assert {t.kind.value: t.quantity for t in summary.totals} == {
        k: v.quantize(Decimal("0.01")) for k, v in expected.items()
    }
    assert summary.days_covered == len(DAYS)
    electricity = next(t for t in summary.totals if t.kind is EnergyKind.ELECTRICITY)
    assert electricity.unit == "kWh"
    assert electricity.tce == (electricity.quantity * Decimal("0.0001229")).quantize(Decimal("0.001"))
    water = next(t for t in summary.totals if t.kind is EnergyKind.WATER)
    assert water.tce is None  # a medium, not energy


async def test_only_new_files_are_parsed(drop_dir: Path, province: Province) -> None:
    ledger = DropLedger(drop_dir, rescan_interval=0)
    await ledger.refresh()
    assert ledger.files_parsed == len(DAYS)
    await ledger.refresh()
    assert ledger.files_parsed == len(DAYS)  # nothing new
    write_drops(province, drop_dir, [TODAY])
    await ledger.refresh()
    assert ledger.files_parsed == len(DAYS) + 1
    assert ledger.files()[0].name == file_name(TODAY)


async def test_rescans_are_rate_limited_unless_forced(drop_dir: Path, province: Province) -> None:
    ledger = DropLedger(drop_dir, rescan_interval=3600)
    await ledger.refresh()
    write_drops(province, drop_dir, [TODAY])
    await ledger.refresh()
    assert ledger.files_parsed == len(DAYS)
    await ledger.refresh(force=True)
    assert ledger.files_parsed == len(DAYS) + 1


async def test_a_pending_file_is_loaded_once_complete(drop_dir: Path, province: Province) -> None:
    ledger = DropLedger(drop_dir, rescan_interval=0)
    full = render_drop(province, TODAY)
    target = drop_dir / file_name(TODAY)
    target.write_bytes(full[: len(full) // 2])  # the export is still writing
    await ledger.refresh()
    report = next(f for f in ledger.files() if f.name == target.name)
    assert report.status is DropStatus.PENDING
    assert ledger.days_covered(TODAY, TODAY) == 0
    target.write_bytes(full)
    os.utime(target, ns=(1, 2))  # a different mtime even on coarse clocks
    await ledger.refresh()
    report = next(f for f in ledger.files() if f.name == target.name)
    assert report.status is DropStatus.LOADED
    assert ledger.days_covered(TODAY, TODAY) == 1


async def test_a_changed_file_replaces_its_rows_instead_of_adding(drop_dir: Path, province: Province) -> None:
    ledger = DropLedger(drop_dir, rescan_interval=0)
    await ledger.refresh()
    day = DAYS[0]
    before = ledger.usage("uscc", [SHOWCASE_USCC], day, day, None)[SHOWCASE_USCC]
    target = drop_dir / file_name(day)
    target.write_bytes(target.read_bytes())  # re-delivered unchanged
    os.utime(target, ns=(3, 4))
    await ledger.refresh()
    after = ledger.usage("uscc", [SHOWCASE_USCC], day, day, None)[SHOWCASE_USCC]
    assert after == before


async def test_bad_rows_are_reported_per_file(drop_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    ledger = DropLedger(drop_dir)
    await ledger.refresh()
    bad = [row for f in ledger.files() for row in f.bad_rows]
    assert bad
    logged = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(logged) == len(bad)
    assert all(m.startswith("utilities: drop METER_DAILY_") for m in logged)


async def test_park_and_city_totals_add_up_from_enterprises(drop_dir: Path, province: Province) -> None:
    ledger = DropLedger(drop_dir)
    await ledger.refresh()
    start, end = min(DAYS), max(DAYS)
    park = "340100-HTZ"
    members = [e.uscc for e in province.enterprises_in_park(park)]
    by_enterprise = ledger.usage("uscc", members, start, end, EnergyKind.ELECTRICITY)
    expected = sum((s.totals[0].quantity for s in by_enterprise.values() if s.totals), Decimal(0))
    park_total = ledger.usage("park", [park], start, end, EnergyKind.ELECTRICITY)[park]
    assert [t.kind for t in park_total.totals] == [EnergyKind.ELECTRICITY]
    assert abs(park_total.totals[0].quantity - expected) <= Decimal("0.01") * len(members)
    city = ledger.usage("city", ["340100"], start, end, EnergyKind.ELECTRICITY)["340100"]
    assert city.totals[0].quantity > park_total.totals[0].quantity  # Hefei has three parks


async def test_annualised_use_scales_the_days_covered(drop_dir: Path) -> None:
    ledger = DropLedger(drop_dir)
    await ledger.refresh()
    annual = ledger.annualised([SHOWCASE_USCC, "91340100MA0000000X"])
    showcase = annual[SHOWCASE_USCC]
    assert showcase is not None
    assert showcase.days_covered == len(DAYS)
    assert showcase.basis_end == max(DAYS)
    assert showcase.basis_end - showcase.basis_start == timedelta(days=364)
    assert showcase.annualised_tce == (showcase.tce * 365 / len(DAYS)).quantize(Decimal("0.001"))
    unknown = annual["91340100MA0000000X"]
    assert unknown is not None and unknown.tce == 0


async def test_a_missing_drop_folder_is_an_unavailable_legacy_system(tmp_path: Path) -> None:
    ledger = DropLedger(tmp_path / "not-mounted")
    with pytest.raises(LegacyUnavailable, match="drop folder"):
        await ledger.refresh()
