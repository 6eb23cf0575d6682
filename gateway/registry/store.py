"""The registry's state in SQL: graph versions with their subgraphs and supergraph, and operation usage.

Every write is one transaction. A new version is written as ``base + 1``;
if another writer got there first the primary key collides and
:class:`~gateway.registry.errors.VersionConflict` is raised, so two
registry processes can never both accept a change against the same base.
Every SQLAlchemy error becomes :class:`~gateway.registry.errors.StoreUnavailable`.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from gateway.registry.db import (
    GraphVersionRow,
    OperationRow,
    OperationUsageRow,
    SchemaBlob,
    create_tables,
    make_engine,
)
from gateway.registry.errors import StoreUnavailable, VersionConflict
from gateway.registry.model import Action, GraphVersion, OperationUse, RecordedOperation, RegisteredSubgraph

DAY_SECONDS = 86_400


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class RegistryStore:
    """Graph versions and operation usage in one SQL database."""

    def __init__(self, engine: AsyncEngine, *, schema: str | None = None) -> None:
        self.engine = engine
        self.schema = schema
        self._insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert

    @classmethod
    def connect(cls, url: str, *, schema: str | None = None) -> RegistryStore:
        """A store for ``url`` without touching the database yet (call :meth:`prepare` in the serving loop)."""
        return cls(make_engine(url, schema=schema), schema=schema)

    @classmethod
    async def open(cls, url: str, *, schema: str | None = None) -> RegistryStore:
        """A store with its tables created."""
        store = cls.connect(url, schema=schema)
        await store.prepare()
        return store

    async def prepare(self) -> None:
        """Creates the tables that are missing."""
        try:
            await create_tables(self.engine, schema=self.schema)
        except SQLAlchemyError as exc:
            raise StoreUnavailable(f"cannot open the registry database: {exc}") from exc

    async def close(self) -> None:
        await self.engine.dispose()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncConnection]:
        try:
            async with self.engine.begin() as connection:
                yield connection
        except IntegrityError:
            raise
        except SQLAlchemyError as exc:
            raise StoreUnavailable(f"the registry database failed: {exc}") from exc

    async def current(self) -> GraphVersion | None:
        """The newest version, or None before the first publish."""
        async with self._transaction() as connection:
            row = (
                await connection.execute(select(GraphVersionRow).order_by(GraphVersionRow.version.desc()).limit(1))
            ).first()
            return None if row is None else await self._version(connection, row)

    async def version(self, number: int) -> GraphVersion | None:
        async with self._transaction() as connection:
            row = (await connection.execute(select(GraphVersionRow).where(GraphVersionRow.version == number))).first()
            return None if row is None else await self._version(connection, row)

    async def history(self, limit: int = 50) -> list[GraphVersion]:
        """The newest ``limit`` versions, newest first."""
        async with self._transaction() as connection:
            rows = (
                await connection.execute(select(GraphVersionRow).order_by(GraphVersionRow.version.desc()).limit(limit))
            ).all()
            return [await self._version(connection, row) for row in rows]

    async def append(
        self,
        *,
        base: int,
        subgraphs: Sequence[RegisteredSubgraph],
        supergraph_sdl: str | None,
        action: Action,
        actor: str,
        subject: str,
    ) -> GraphVersion:
        """Writes version ``base + 1``; raises VersionConflict if it already exists."""
        number = base + 1
        entries = [{"name": s.name, "url": s.url, "owner": s.owner, "sdl": sha256(s.sdl)} for s in subgraphs]
        blobs = {sha256(s.sdl): s.sdl for s in subgraphs}
        supergraph_sha = None
        if supergraph_sdl is not None:
            supergraph_sha = sha256(supergraph_sdl)
            blobs[supergraph_sha] = supergraph_sdl
        created_at = time.time()
        try:
            async with self._transaction() as connection:
                if blobs:
                    statement = self._insert(SchemaBlob).on_conflict_do_nothing(index_elements=["sha256"])
                    await connection.execute(statement, [{"sha256": k, "body": v} for k, v in blobs.items()])
                await connection.execute(
                    insert(GraphVersionRow),
                    {
                        "version": number,
                        "created_at": created_at,
                        "actor": actor,
                        "action": action,
                        "subject": subject,
                        "subgraphs": json.dumps(entries, ensure_ascii=False),
                        "supergraph_sha": supergraph_sha,
                    },
                )
        except IntegrityError as exc:
            raise VersionConflict(
                f"version {number} was written by another change meanwhile; check again and retry"
            ) from exc
        return GraphVersion(number, created_at, actor, action, subject, tuple(subgraphs), supergraph_sdl)

    async def _version(self, connection: AsyncConnection, row: Any) -> GraphVersion:
        entries = json.loads(row.subgraphs)
        wanted = {e["sdl"] for e in entries} | ({row.supergraph_sha} if row.supergraph_sha else set())
        bodies: dict[str, str] = {}
        if wanted:
            result = await connection.execute(select(SchemaBlob).where(SchemaBlob.sha256.in_(wanted)))
            bodies = {blob.sha256: blob.body for blob in result}
        subgraphs = tuple(RegisteredSubgraph(e["name"], e["url"], bodies[e["sdl"]], e["owner"]) for e in entries)
        supergraph = bodies[row.supergraph_sha] if row.supergraph_sha else None
        return GraphVersion(row.version, row.created_at, row.actor, row.action, row.subject, subgraphs, supergraph)

    async def record_usage(self, uses: Sequence[OperationUse]) -> None:
        """Adds a gateway's batch of operation counts (one transaction, one upsert per operation/client/day)."""
        if not uses:
            return
        operations: dict[str, dict[str, Any]] = {}
        counts: dict[tuple[str, str, int], list[float]] = defaultdict(lambda: [0, 0.0])
        for use in uses:
            op_hash = sha256(use.document)
            operations[op_hash] = {"op_hash": op_hash, "document": use.document, "operation_name": use.operation_name}
            slot = counts[(op_hash, use.client, int(use.seen_at // DAY_SECONDS))]
            slot[0] += use.count
            slot[1] = max(slot[1], use.seen_at)
        rows = [
            {"op_hash": h, "client": c, "day": d, "count": int(n), "last_seen": seen}
            for (h, c, d), (n, seen) in counts.items()
        ]
        async with self._transaction() as connection:
            await connection.execute(
                self._insert(OperationRow).on_conflict_do_nothing(index_elements=["op_hash"]), list(operations.values())
            )
            upsert = self._insert(OperationUsageRow)
            upsert = upsert.on_conflict_do_update(
                index_elements=["op_hash", "client", "day"],
                set_={
                    "count": OperationUsageRow.count + upsert.excluded["count"],
                    "last_seen": upsert.excluded.last_seen,
                },
            )
            await connection.execute(upsert, rows)

    async def operations_since(self, since: float) -> list[RecordedOperation]:
        """Every operation run at or after ``since`` (epoch seconds), with its clients and total count."""
        async with self._transaction() as connection:
            result = await connection.execute(
                select(OperationRow, OperationUsageRow.client, OperationUsageRow.count.label("uses"))
                .join(OperationUsageRow, OperationUsageRow.op_hash == OperationRow.op_hash)
                .where(OperationUsageRow.last_seen >= since)
            )
            found: dict[str, tuple[str, str | None, set[str], list[int]]] = {}
            for row in result:
                entry = found.setdefault(row.op_hash, (row.document, row.operation_name, set(), [0]))
                entry[2].add(row.client)
                entry[3][0] += row.uses
        return [
            RecordedOperation(h, doc, name, tuple(sorted(clients)), total[0])
            for h, (doc, name, clients, total) in sorted(found.items())
        ]
