"""The append-only, hash-chained audit log of unmasked personal-data reads.

Each record says who read (subject, client, tenant), why (the declared
purpose), what (subgraph, operation hash, entity ids, kinds of personal data)
and when. Record *n* stores the SHA-256 of record *n-1* and its own hash over
its content, sequence number and that previous hash, so editing, removing or
reordering records breaks the chain, which :meth:`AuditLog.verify` (and
``parkgraph audit verify``) reports. Removing records from the *end* leaves a
valid shorter chain: compare the reported head with one kept elsewhere.

Appends are serialised across processes (``BEGIN IMMEDIATE`` on SQLite, an
advisory lock on PostgreSQL) so that two subgraphs never fork the chain.
The database is ``PARKGRAPH_AUDIT_DATABASE_URL``, else ``DATABASE_URL``, else
``audit.db`` under the dev data dir.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Float, Integer, String, Text, create_engine, event, select, text
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

GENESIS = "0" * 64
_ADVISORY_LOCK = 740_2026  # any constant shared by every writer


class _Base(DeclarativeBase):
    pass


class AuditRecord(_Base):
    __tablename__ = "pii_audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[float] = mapped_column(Float)
    subject: Mapped[str | None] = mapped_column(String(200))
    client_id: Mapped[str | None] = mapped_column(String(200))
    tenant: Mapped[str | None] = mapped_column(String(120))
    purpose: Mapped[str | None] = mapped_column(String(120))
    subgraph: Mapped[str] = mapped_column(String(60))
    operation_hash: Mapped[str] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(120))
    entity_ids: Mapped[str] = mapped_column(Text)  # JSON list
    kinds: Mapped[str] = mapped_column(Text)  # JSON list of revealed kinds
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One unmasked read, before it is chained."""

    subject: str | None
    client_id: str | None
    tenant: str | None
    purpose: str | None
    subgraph: str
    operation_hash: str
    request_id: str | None
    entity_ids: Sequence[str]
    kinds: Sequence[str]
    at: float = field(default_factory=time.time)


@dataclass(frozen=True, slots=True)
class VerifyReport:
    ok: bool
    records: int
    head: str  # hash of the last record (GENESIS when empty)
    problems: list[str]


def record_hash(seq: int, prev_hash: str, content: dict[str, Any]) -> str:
    canonical = json.dumps({"seq": seq, "prev": prev_hash, **content}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _content(record: AuditRecord) -> dict[str, Any]:
    return {
        "at": repr(record.at),
        "subject": record.subject,
        "client_id": record.client_id,
        "tenant": record.tenant,
        "purpose": record.purpose,
        "subgraph": record.subgraph,
        "operation_hash": record.operation_hash,
        "request_id": record.request_id,
        "entity_ids": record.entity_ids,
        "kinds": record.kinds,
    }


def default_audit_url() -> str:
    url = os.environ.get("PARKGRAPH_AUDIT_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if url:
        return url
    folder = Path(os.environ.get("PARKGRAPH_DATA_DIR", "var/dev")).resolve()
    return f"sqlite:///{folder / 'audit.db'}"


def _engine(url: str, schema: str | None) -> Engine:
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url.removeprefix(prefix)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "isolation_level": None})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: object) -> None:
            dbapi_connection.execute("PRAGMA busy_timeout=10000")

        return engine
    options = {"options": f"-csearch_path={schema}"} if schema else {}
    engine = create_engine(url, connect_args=options, pool_pre_ping=True)
    if schema:
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    return engine


class AuditLog:
    """Appends chained records and verifies the chain; the tables are created on first use."""

    def __init__(self, url: str, *, schema: str | None = None) -> None:
        self.url = url
        self.schema = schema
        self._engine: Engine | None = None

    @classmethod
    def from_env(cls, url: str | None = None) -> AuditLog:
        return cls(url or default_audit_url())

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = _engine(self.url, self.schema)
            _Base.metadata.create_all(self._engine)
        return self._engine

    async def append(self, entry: AuditEntry) -> int:
        """Chains ``entry`` after the last record (in a worker thread); returns its sequence number."""
        return await asyncio.to_thread(self.append_sync, entry)

    def append_sync(self, entry: AuditEntry) -> int:
        engine = self.engine
        sqlite = engine.dialect.name == "sqlite"
        with engine.connect() as connection:
            if sqlite:
                connection.exec_driver_sql("BEGIN IMMEDIATE")  # one writer at a time, across processes
            else:
                connection.begin()
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
            with Session(bind=connection) as session:
                last = session.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(1)).first()
                seq = 1 if last is None else last.seq + 1
                record = AuditRecord(
                    seq=seq,
                    at=entry.at,
                    subject=entry.subject,
                    client_id=entry.client_id,
                    tenant=entry.tenant,
                    purpose=entry.purpose,
                    subgraph=entry.subgraph,
                    operation_hash=entry.operation_hash,
                    request_id=entry.request_id,
                    entity_ids=json.dumps(sorted(set(entry.entity_ids)), ensure_ascii=False),
                    kinds=json.dumps(sorted(set(entry.kinds))),
                    prev_hash=GENESIS if last is None else last.hash,
                    hash="",
                )
                record.hash = record_hash(seq, record.prev_hash, _content(record))
                session.add(record)
                session.flush()
            if sqlite:
                connection.exec_driver_sql("COMMIT")
            else:
                connection.commit()
        return seq

    def records(self) -> list[AuditRecord]:
        with Session(self.engine) as session:
            return list(session.scalars(select(AuditRecord).order_by(AuditRecord.seq)))

    def verify(self) -> VerifyReport:
        """Walks the chain in sequence order; every problem names the record where the chain breaks."""
        problems: list[str] = []
        previous = GENESIS
        records = self.records()
        for expected_seq, record in enumerate(records, start=1):
            if record.seq != expected_seq:
                problems.append(f"#{record.seq}: expected record #{expected_seq} (a record was removed)")
            if record.prev_hash != previous:
                problems.append(f"#{record.seq}: does not follow the record before it (removed or reordered)")
            if record_hash(record.seq, record.prev_hash, _content(record)) != record.hash:
                problems.append(f"#{record.seq}: content does not match its hash (edited)")
            previous = record.hash
        return VerifyReport(not problems, len(records), previous, problems)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
