"""The registry's tables and engine: SQLite (aiosqlite) by default, PostgreSQL (asyncpg) in production.

Schema texts are stored once by their SHA-256 (``registry_schema_blob``); a
graph version lists its subgraphs as JSON pointing at those blobs, so a long
history of small changes costs little. Operation usage is aggregated per
operation, client and day.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Float, Integer, String, Text, event, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class SchemaBlob(Base):
    """A subgraph SDL or a supergraph SDL, by the SHA-256 of its text."""

    __tablename__ = "registry_schema_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    body: Mapped[str] = mapped_column(Text)


class GraphVersionRow(Base):
    """One version of the graph. The primary key makes concurrent writers of the same version collide."""

    __tablename__ = "registry_graph_version"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created_at: Mapped[float] = mapped_column(Float)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200))
    subgraphs: Mapped[str] = mapped_column(Text)  # JSON: [{name, url, owner, sdl: sha256}]
    supergraph_sha: Mapped[str | None] = mapped_column(String(64))


class OperationRow(Base):
    """An operation document some gateway served, by the SHA-256 of its text."""

    __tablename__ = "registry_operation"

    op_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    document: Mapped[str] = mapped_column(Text)
    operation_name: Mapped[str | None] = mapped_column(String(200))


class OperationUsageRow(Base):
    """How often a client ran an operation on one day (UTC days since the epoch)."""

    __tablename__ = "registry_operation_usage"

    op_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    client: Mapped[str] = mapped_column(String(120), primary_key=True)
    day: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    last_seen: Mapped[float] = mapped_column(Float, index=True)


def async_url(url: str) -> str:
    """``postgresql://…`` or ``sqlite:///…`` as written in settings → the async driver SQLAlchemy needs."""
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url.removeprefix(prefix)
    if url.startswith("sqlite:///") or url == "sqlite://":
        return "sqlite+aiosqlite://" + url.removeprefix("sqlite://")
    return url


def make_engine(url: str, *, schema: str | None = None) -> AsyncEngine:
    """An engine for ``url`` (no I/O yet); ``schema`` puts every table in that PostgreSQL schema (tests)."""
    url = async_url(url)
    if url.startswith("sqlite+aiosqlite:///"):
        path = url.removeprefix("sqlite+aiosqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url)

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_connection: object, _record: object) -> None:
            cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

        return engine
    if schema is not None:
        return create_async_engine(url, connect_args={"server_settings": {"search_path": schema}}, pool_pre_ping=True)
    return create_async_engine(url, pool_pre_ping=True)


async def create_tables(engine: AsyncEngine, *, schema: str | None = None) -> None:
    """Creates the schema (PostgreSQL, when given) and every missing table."""
    async with engine.begin() as connection:
        if schema is not None and engine.dialect.name == "postgresql":
            await connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        await connection.run_sync(Base.metadata.create_all)
