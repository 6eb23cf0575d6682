"""A small seeded province and its metering platform's drops, shared by the utilities adapter tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from mocks.data.province import Province, generate
from mocks.utilities.app import CST
from mocks.utilities.drops import write_drops

# A fixed "now" so that every run sees the same files and the same live readings.
TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 10, 30, tzinfo=CST)
DAYS = [TODAY - timedelta(days=n) for n in range(1, 8)]


@pytest.fixture(scope="session")
def province() -> Province:
    return generate(2026, 0.05)


@pytest.fixture
def drop_dir(tmp_path: Path, province: Province) -> Path:
    folder = tmp_path / "drops"
    write_drops(province, folder, DAYS)
    return folder
