"""The talent database mock: legacy tables seeded deterministically, reseeding resets, faults hook the engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from mocks.data.province import generate
from mocks.data.talent import generate_demands
from mocks.talent import faults
from mocks.talent.database import create_database, open_engine
from mocks.talent.tables import demands


async def test_seeding_twice_gives_the_same_rows_and_upper_case_tables(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'talent.db'}"
    province = generate(seed=2026, scale=0.05)
    await create_database(url, province)
    engine = open_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DELETE FROM T_RC_XQ WHERE XQID > 3"))
        await create_database(url, province)  # reseeding resets what others changed
        async with engine.connect() as conn:
            count = await conn.scalar(select(func.count()).select_from(demands))
            names = (await conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))).scalars().all()
        assert count == len(generate_demands(province))
        assert set(names) == {"T_ZD_XL", "T_ZD_ZY", "T_QY_JBXX", "T_RC_XQ"}
    finally:
        await engine.dispose()


async def test_fault_hook_fails_statements_while_the_outage_lasts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'talent.db'}"
    await create_database(url, generate(seed=2026, scale=0.05))
    engine = open_engine(url)
    switch = faults.install(engine)
    try:
        switch.outage = True
        async with engine.connect() as conn:
            with pytest.raises(OperationalError, match="fault injection"):
                await conn.execute(select(func.count()).select_from(demands))
        switch.outage = False
        async with engine.connect() as conn:
            assert await conn.scalar(select(func.count()).select_from(demands))
    finally:
        await engine.dispose()
