"""Creates and seeds the talent database (SQLite file by default, PostgreSQL when given such a URL).

On PostgreSQL the tables live in their own schema (``talent`` unless told
otherwise), so that the database can be shared with other systems and with
parallel test runs. Seeding drops and recreates the tables: the result is a
pure function of the province.
"""

from __future__ import annotations

from sqlalchemy import insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from mocks.data.province import Province
from mocks.data.talent import EDUCATION_LEVELS, OCCUPATIONS, generate_demands
from mocks.talent.tables import demands, education_levels, enterprises, metadata, occupations

DEFAULT_SCHEMA = "talent"
_CHUNK = 2000


def async_url(url: str) -> str:
    """The URL with an asyncio driver (``sqlite`` → aiosqlite, ``postgresql`` → asyncpg)."""
    parsed = make_url(url)
    driver = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}.get(parsed.drivername)
    return parsed.set(drivername=driver).render_as_string(hide_password=False) if driver else url


def open_engine(url: str, schema: str | None = DEFAULT_SCHEMA) -> AsyncEngine:
    """An engine whose tables resolve into ``schema`` on PostgreSQL (SQLite has no schemas)."""
    engine = create_async_engine(async_url(url))
    if engine.dialect.name == "postgresql" and schema:
        engine = engine.execution_options(schema_translate_map={None: schema})
    return engine


async def create_database(url: str, province: Province, schema: str | None = DEFAULT_SCHEMA) -> None:
    """(Re)creates the legacy tables and fills them with the province's records."""
    engine = open_engine(url, schema)
    try:
        async with engine.begin() as conn:
            if engine.dialect.name == "postgresql" and schema:
                await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            await conn.run_sync(metadata.drop_all)
            await conn.run_sync(metadata.create_all)
            await conn.execute(insert(education_levels), [{"DM": dm, "MC": mc} for dm, mc in EDUCATION_LEVELS])
            await conn.execute(insert(occupations), [{"DM": dm, "MC": mc, "FJDM": up} for dm, mc, up in OCCUPATIONS])
            rows = [
                {"QYDM": e.uscc, "QYMC": e.name, "YQDM": e.park_code, "XZQHDM": e.city_code}
                for e in province.enterprises
            ]
            for start in range(0, len(rows), _CHUNK):
                await conn.execute(insert(enterprises), rows[start : start + _CHUNK])
            demand_rows = [
                {
                    "QYDM": d.uscc,
                    "GWMC": d.title,
                    "XQRS": d.headcount,
                    "XLYQ": d.education_code,
                    "ZYDM": d.occupation_code,
                    "XZFW": d.salary_text,
                    "FBRQ": d.posted_on,
                    "YXQZ": d.valid_until,
                    "ZT": d.status,
                    "LXR": d.contact_name,
                    "LXDH": d.contact_phone,
                    "CJSJ": f"{d.posted_on[:4]}-{d.posted_on[4:6]}-{d.posted_on[6:]} 09:00:00",
                }
                for d in generate_demands(province)
            ]
            for start in range(0, len(demand_rows), _CHUNK):
                await conn.execute(insert(demands), demand_rows[start : start + _CHUNK])
    finally:
        await engine.dispose()


async def drop_schema(url: str, schema: str) -> None:
    """Removes a PostgreSQL schema and everything in it (tests clean up with this)."""
    engine = create_async_engine(async_url(url))
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        await engine.dispose()
