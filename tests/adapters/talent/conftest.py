"""The talent database, seeded by its mock on SQLite and on the real PostgreSQL, and a client over it.

Each PostgreSQL run gets a schema of its own, so parallel runs do not meet.
Every statement the adapter sends is counted, and the mock's engine-level
fault hook is installed on the adapter's engine.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from adapters.talent import TalentClient
from mocks.data.province import Province, generate
from mocks.faults import Faults
from mocks.talent import faults as database_faults
from mocks.talent.database import async_url, create_database, drop_schema

POSTGRES_URL = os.environ.get("PARKGRAPH_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


@dataclass
class TalentDatabase:
    province: Province
    url: str
    schema: str | None
    engine: AsyncEngine
    faults: Faults
    client: TalentClient
    statements: list[str] = field(default_factory=list)


async def _postgres_reachable() -> bool:
    engine = create_async_engine(async_url(POSTGRES_URL))
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def talent(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[TalentDatabase]:
    province = generate(seed=2026, scale=0.3)
    if request.param == "sqlite":
        url, schema = f"sqlite:///{tmp_path / 'talent.db'}", None
    else:
        if not await _postgres_reachable():
            if os.environ.get("PARKGRAPH_REQUIRE_SERVICES"):
                pytest.fail(f"PostgreSQL is required but not reachable at {POSTGRES_URL}")
            pytest.skip("PostgreSQL not reachable")
        url, schema = POSTGRES_URL, f"talent_test_{uuid.uuid4().hex[:12]}"
    await create_database(url, province, schema)
    engine = create_async_engine(async_url(url))
    faults = database_faults.install(engine)
    database = TalentDatabase(province, url, schema, engine, faults, TalentClient(engine, schema=schema, timeout=2.0))

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        database.statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield database
    finally:
        await engine.dispose()
        if schema is not None:
            await drop_schema(url, schema)
