"""The alert store both monitoring subgraphs share: alerts and their append-only audit trail, in SQL.

Safety and environment alerts land in one store (SQLite file in the embedded
default, PostgreSQL in production), so that a park's or a city's alert board
shows both and either subgraph can resolve any ``Alert`` by id: that is what
makes the ``Alert`` fields ``@shareable`` honestly.

Every change of an alert appends one row to the audit trail (who, what,
when, the note); rows are never updated or deleted. State changes are
idempotent: acknowledging an acknowledged alert changes nothing and appends
nothing, so a retried mutation cannot double-book. An alert is::

    OPEN ──acknowledge──▶ ACKNOWLEDGED ──dispatch──▶ DISPATCHED ──close──▶ CLOSED
      └──────────────dispatch / close─────────────────────────────────────▲
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from schema.errors import BadUserInput, NotFoundError
from schema.scalars import to_china_time
from subgraphs.common.alerts.rules import Breach, Level, Rule


class Status(enum.Enum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    DISPATCHED = "dispatched"
    CLOSED = "closed"


class Action(enum.Enum):
    RAISED = "raised"
    ESCALATED = "escalated"
    ACKNOWLEDGED = "acknowledged"
    DISPATCHED = "dispatched"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Subject:
    """Where a monitoring point belongs: the alert board filters by these."""

    domain: str  # "safety" or "environment"
    point: str  # MN of a monitoring point, or a sensor's code
    uscc: str
    park_code: str
    city_code: str


@dataclass(frozen=True, slots=True)
class AlertRecord:
    id: str
    domain: str
    point: str
    metric: str
    rule: Rule
    level: Level
    status: Status
    value: Decimal | None
    threshold: Decimal | None
    message: str
    uscc: str
    park_code: str
    city_code: str
    raised_at: datetime
    updated_at: datetime
    dispatched_to: str | None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    alert_id: str
    action: Action
    actor: str
    note: str | None
    at: datetime


def _tables(prefix: str) -> tuple[sa.MetaData, sa.Table, sa.Table]:
    metadata = sa.MetaData()
    alerts = sa.Table(
        f"{prefix}alerts",
        metadata,
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("domain", sa.String(20), nullable=False),
        sa.Column("point", sa.String(40), nullable=False),
        sa.Column("metric", sa.String(40), nullable=False),
        sa.Column("rule", sa.String(20), nullable=False),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("value", sa.Numeric(18, 4)),
        sa.Column("threshold", sa.Numeric(18, 4)),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("uscc", sa.String(18), nullable=False, index=True),
        sa.Column("park_code", sa.String(20), nullable=False, index=True),
        sa.Column("city_code", sa.String(6), nullable=False, index=True),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dispatched_to", sa.String(200)),
    )
    audit = sa.Table(
        f"{prefix}alert_audit",
        metadata,
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("alert_id", sa.String(40), nullable=False, index=True),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    return metadata, alerts, audit


class AlertStore:
    """Alerts and their audit trail in the database at ``url`` (``sqlite+aiosqlite:///…`` or PostgreSQL)."""

    def __init__(self, url: str, *, table_prefix: str = "", engine: AsyncEngine | None = None) -> None:
        self.engine = engine or create_async_engine(_async_url(url))
        self._metadata, self._alerts, self._audit = _tables(table_prefix)
        self.queries = 0  # statements that read alerts, for the batching tests

    async def create_tables(self) -> None:
        async with self.engine.begin() as connection:
            await connection.run_sync(self._metadata.create_all)

    async def aclose(self) -> None:
        await self.engine.dispose()

    async def record(self, breach: Breach, subject: Subject) -> tuple[AlertRecord, Action] | None:
        """A new alert for ``breach``, or an escalation of the one still open for the same rule; else None."""
        a = self._alerts
        async with self.engine.begin() as connection:
            row = (
                await connection.execute(
                    sa.select(a).where(
                        a.c.point == breach.point,
                        a.c.metric == breach.metric,
                        a.c.rule == breach.rule.value,
                        a.c.status != Status.CLOSED.value,
                    )
                )
            ).first()
            if row is not None:
                if breach.level <= row.level:
                    return None  # already on the board at this level or a graver one
                await connection.execute(
                    a.update()
                    .where(a.c.id == row.id)
                    .values(level=int(breach.level), value=breach.value, message=breach.message, updated_at=breach.at)
                )
                await self._append(connection, row.id, Action.ESCALATED, "system", breach.message, breach.at)
                alert_id, action = row.id, Action.ESCALATED
            else:
                alert_id, action = f"{subject.domain[:3].upper()}-{uuid.uuid4().hex[:16]}", Action.RAISED
                await connection.execute(
                    a.insert().values(
                        id=alert_id,
                        domain=subject.domain,
                        point=breach.point,
                        metric=breach.metric,
                        rule=breach.rule.value,
                        level=int(breach.level),
                        status=Status.OPEN.value,
                        value=breach.value,
                        threshold=breach.threshold,
                        message=breach.message,
                        uscc=subject.uscc,
                        park_code=subject.park_code,
                        city_code=subject.city_code,
                        raised_at=breach.at,
                        updated_at=breach.at,
                    )
                )
                await self._append(connection, alert_id, Action.RAISED, "system", breach.message, breach.at)
            fresh = (await connection.execute(sa.select(a).where(a.c.id == alert_id))).one()
        return _alert(fresh), action

    async def transition(
        self, alert_id: str, action: Action, actor: str, note: str | None, at: datetime
    ) -> AlertRecord:
        """Acknowledge, dispatch (``note`` names whom) or close an alert; a repeat changes nothing."""
        if not actor.strip():
            raise BadUserInput("who acts must be named")
        a = self._alerts
        target, allowed = _TRANSITIONS[action]
        async with self.engine.begin() as connection:
            row = (await connection.execute(sa.select(a).where(a.c.id == alert_id).with_for_update())).first()
            if row is None:
                raise NotFoundError(f"no alert {alert_id!r}")
            status = Status(row.status)
            if status is target or _RANK[status] > _RANK[target]:
                return _alert(row)  # done already (or beyond): idempotent, nothing appended
            if status not in allowed:
                raise BadUserInput(f"alert {alert_id} is {status.value}: it cannot be {action.value}")
            values: dict[str, Any] = {"status": target.value, "updated_at": at}
            if action is Action.DISPATCHED:
                values["dispatched_to"] = note
            await connection.execute(a.update().where(a.c.id == alert_id).values(**values))
            await self._append(connection, alert_id, action, actor, note, at)
            fresh = (await connection.execute(sa.select(a).where(a.c.id == alert_id))).one()
        return _alert(fresh)

    async def by_ids(self, ids: Sequence[str]) -> dict[str, AlertRecord]:
        self.queries += 1
        async with self.engine.connect() as connection:
            rows = await connection.execute(sa.select(self._alerts).where(self._alerts.c.id.in_(list(ids))))
            return {row.id: _alert(row) for row in rows}

    async def open_by(
        self, column: str, keys: Sequence[str], domain: str | None = None
    ) -> dict[str, list[AlertRecord]]:
        """Alerts not closed, gravest and newest first, per ``uscc``, ``park_code``, ``city_code`` or ``point``."""
        self.queries += 1
        a = self._alerts
        query = sa.select(a).where(a.c[column].in_(list(keys)), a.c.status != Status.CLOSED.value)
        if domain is not None:
            query = query.where(a.c.domain == domain)
        result: dict[str, list[AlertRecord]] = {key: [] for key in keys}
        async with self.engine.connect() as connection:
            for row in await connection.execute(query.order_by(a.c.level.desc(), a.c.raised_at.desc())):
                result[row._mapping[column]].append(_alert(row))
        return result

    async def audit_of(self, ids: Sequence[str]) -> dict[str, list[AuditEntry]]:
        self.queries += 1
        t = self._audit
        result: dict[str, list[AuditEntry]] = {alert_id: [] for alert_id in ids}
        async with self.engine.connect() as connection:
            for row in await connection.execute(sa.select(t).where(t.c.alert_id.in_(list(ids))).order_by(t.c.seq)):
                result[row.alert_id].append(
                    AuditEntry(row.seq, row.alert_id, Action(row.action), row.actor, row.note, _aware(row.at))
                )
        return result

    async def _append(
        self, connection: Any, alert_id: str, action: Action, actor: str, note: str | None, at: datetime
    ) -> None:
        await connection.execute(
            self._audit.insert().values(alert_id=alert_id, action=action.value, actor=actor, note=note, at=at)
        )


_RANK = {Status.OPEN: 0, Status.ACKNOWLEDGED: 1, Status.DISPATCHED: 2, Status.CLOSED: 3}
_TRANSITIONS: dict[Action, tuple[Status, frozenset[Status]]] = {
    Action.ACKNOWLEDGED: (Status.ACKNOWLEDGED, frozenset({Status.OPEN})),
    Action.DISPATCHED: (Status.DISPATCHED, frozenset({Status.OPEN, Status.ACKNOWLEDGED})),
    Action.CLOSED: (Status.CLOSED, frozenset({Status.OPEN, Status.ACKNOWLEDGED, Status.DISPATCHED})),
}


def _async_url(url: str) -> str:
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    return url


def _aware(value: datetime) -> datetime:
    # SQLite keeps no offset: every time written here is China Standard Time.
    return to_china_time(value) if value.tzinfo is None else value


def _alert(row: Any) -> AlertRecord:
    return AlertRecord(
        id=row.id,
        domain=row.domain,
        point=row.point,
        metric=row.metric,
        rule=Rule(row.rule),
        level=Level(row.level),
        status=Status(row.status),
        value=None if row.value is None else Decimal(row.value),
        threshold=None if row.threshold is None else Decimal(row.threshold),
        message=row.message,
        uscc=row.uscc,
        park_code=row.park_code,
        city_code=row.city_code,
        raised_at=_aware(row.raised_at),
        updated_at=_aware(row.updated_at),
        dispatched_to=row.dispatched_to,
    )
