"""A registry store on SQLite and on the real PostgreSQL (a schema of its own per test, dropped after)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from gateway.registry.db import async_url
from gateway.registry.store import RegistryStore

POSTGRES_URL = os.environ.get("PARKGRAPH_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


async def drop_schema(schema: str) -> None:
    engine = create_async_engine(async_url(POSTGRES_URL))
    try:
        async with engine.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[RegistryStore]:
    if request.param == "sqlite":
        opened = await RegistryStore.open(f"sqlite:///{tmp_path / 'registry.db'}")
        yield opened
        await opened.close()
        return
    schema = f"registry_test_{uuid.uuid4().hex[:12]}"
    opened = await RegistryStore.open(POSTGRES_URL, schema=schema)
    try:
        yield opened
    finally:
        await opened.close()
        await drop_schema(schema)
