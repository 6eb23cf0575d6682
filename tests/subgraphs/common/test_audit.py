"""The hash-chained audit log: appends chain, and ``parkgraph audit verify`` finds edits, removals, reorders."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from parkgraph.cli import main
from subgraphs.common.audit import GENESIS, AuditEntry, AuditLog

POSTGRES_URL = os.environ.get("PARKGRAPH_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def log(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AuditLog]:
    if request.param == "sqlite":
        audit = AuditLog(f"sqlite:///{tmp_path / 'audit.db'}")
        yield audit
        audit.close()
        return
    schema = f"audit_test_{uuid.uuid4().hex[:12]}"
    audit = AuditLog(POSTGRES_URL, schema=schema)
    yield audit
    audit.close()
    engine = create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def entry(n: int) -> AuditEntry:
    return AuditEntry(
        subject="city-staff",
        client_id="demo-frontend",
        tenant="city:340100",
        purpose="tax-inspection",
        subgraph="registry",
        operation_hash=f"{n:064x}",
        request_id=f"r{n}",
        entity_ids=["91340100MA2NJ8U32D"],
        kinds=["name", "phone"],
    )


async def test_appends_chain_and_verify(log: AuditLog) -> None:
    assert log.verify().ok and log.verify().head == GENESIS
    for n in range(1, 4):
        assert await log.append(entry(n)) == n
    records = log.records()
    assert [r.seq for r in records] == [1, 2, 3] and records[0].prev_hash == GENESIS
    assert records[1].prev_hash == records[0].hash and json.loads(records[2].kinds) == ["name", "phone"]
    report = log.verify()
    assert report.ok and report.records == 3 and report.head == records[2].hash


def _tamper(log: AuditLog, statement: str) -> None:
    with log.engine.connect() as connection:
        for part in statement.split(";"):
            connection.execute(text(part))
        connection.commit()


@pytest.mark.parametrize(
    ("statement", "problem"),
    [
        ("UPDATE pii_audit_log SET purpose = 'curiosity' WHERE seq = 2", "#2: content does not match its hash"),
        ("DELETE FROM pii_audit_log WHERE seq = 2", "#3: expected record #2"),
        # reorder: records 2 and 3 swap places (each keeps its own content and hashes)
        (
            "UPDATE pii_audit_log SET seq = 100 WHERE seq = 2; UPDATE pii_audit_log SET seq = 2 WHERE seq = 3;"
            " UPDATE pii_audit_log SET seq = 3 WHERE seq = 100",
            "#2: does not",
        ),
    ],
    ids=["edited", "removed", "reordered"],
)
async def test_verify_detects(log: AuditLog, statement: str, problem: str) -> None:
    for n in range(1, 4):
        await log.append(entry(n))
    _tamper(log, statement)
    report = log.verify()
    assert not report.ok and any(p.startswith(problem) for p in report.problems), report.problems


async def test_parkgraph_audit_verify_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    log = AuditLog(url)
    for n in range(1, 3):
        await log.append(entry(n))
    assert main(["audit", "verify", "--database-url", url]) == 0
    assert json.loads(capsys.readouterr().out) == {"ok": True, "records": 2, "problems": []}
    _tamper(log, "UPDATE pii_audit_log SET entity_ids = '[]' WHERE seq = 1")
    assert main(["audit", "verify", "--database-url", url]) == 1
    captured = capsys.readouterr()
    assert "#1: content does not match its hash (edited)" in captured.out and "broken at record #1" in captured.err
    log.close()
