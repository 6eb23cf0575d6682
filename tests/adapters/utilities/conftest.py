"""A small seeded province and its metering platform's drops, shared by the utilities adapter tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from mocks.data.province import Province, generate
from mocks.utilities.drops import write_drops
from tests.adapters.utilities.clock import DAYS


@pytest.fixture(scope="session")
def province() -> Province:
    return generate(2026, 0.05)


@pytest.fixture
def drop_dir(tmp_path: Path, province: Province) -> Path:
    folder = tmp_path / "drops"
    write_drops(province, folder, DAYS)
    return folder
