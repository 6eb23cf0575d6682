"""The GraphQL side of alerting that both monitoring subgraphs share: enums, ``AlertFields``, loaders, mutations.

Each subgraph declares its own ``Alert`` entity as a subclass that adds the
links to its entity stubs (strawberry copies the inherited fields), so both
serve the same SDL and every ``Alert`` field is ``@shareable``::

    @strawberry.federation.type(keys=["id"], shareable=True, description=ALERT_DESCRIPTION)
    class Alert(AlertFields):
        @strawberry.field
        def enterprise(self) -> Enterprise: return Enterprise(uscc=self.uscc)

The context must carry the subgraph's :class:`AlertMonitor` as ``monitor``
(see :class:`AlertingContext`); every list goes through the request's
DataLoaders, so N enterprises cost one query, not N.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol, Self, TypeVar

import strawberry

from auth.identity import Tenant
from schema.errors import Forbidden
from schema.scalars import USCC, DateTime
from subgraphs.common.alerts import rules, store
from subgraphs.common.alerts.monitor import AlertMonitor
from subgraphs.common.context import SubgraphContext
from subgraphs.common.fields import described
from subgraphs.common.loaders import Loader
from subgraphs.common.tenancy import record_visible, require_enterprise, sees_everything

# The OAuth scope the alert mutations (acknowledge, dispatch, close) need in both monitoring subgraphs
# (@requiresScopes, enforced by the gateway before the alert is touched).
WRITE_SCOPE = "alerts:write"

ALERT_DESCRIPTION = (
    "An early-warning alert (预警) of the safety or environment monitoring platform: the rule a monitoring point "
    "broke, its four-colour level, and how it is being handled (acknowledged, dispatched, closed)."
)


class AlertingContext(Protocol):
    monitor: AlertMonitor | None


@dataclass
class MonitorContext(SubgraphContext):
    """A subgraph context with the alert monitor (subclass it to add the adapter client)."""

    monitor: AlertMonitor | None = None

    @property
    def alerts(self) -> AlertMonitor:
        if self.monitor is None:
            raise RuntimeError("context built without an alert monitor")
        return self.monitor


@strawberry.enum(
    description="The four-colour warning level (预警级别): BLUE 蓝, YELLOW 黄, ORANGE 橙, RED 红 (gravest)."
)
class AlertLevel(enum.Enum):
    BLUE = 1
    YELLOW = 2
    ORANGE = 3
    RED = 4


@strawberry.enum(description="Where an alert stands in its handling (处置状态).")
class AlertStatus(enum.Enum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    DISPATCHED = "dispatched"
    CLOSED = "closed"


@strawberry.enum(description="The rule that raised an alert.")
class AlertRule(enum.Enum):
    THRESHOLD = strawberry.enum_value("threshold", description="A value above its limit (超标).")
    RATE_OF_CHANGE = strawberry.enum_value("rate_of_change", description="A value rising or falling too fast.")
    MISSING_DATA = strawberry.enum_value("missing_data", description="A point that stopped reporting (数据缺失).")


@strawberry.enum(description="The monitoring domain an alert comes from.")
class AlertDomain(enum.Enum):
    SAFETY = "safety"
    ENVIRONMENT = "environment"


@strawberry.enum(description="What happened to an alert, as the audit trail records it.")
class AlertAction(enum.Enum):
    RAISED = "raised"
    ESCALATED = "escalated"
    ACKNOWLEDGED = "acknowledged"
    DISPATCHED = "dispatched"
    CLOSED = "closed"


@strawberry.federation.type(shareable=True, description="One entry of an alert's append-only audit trail (处置记录).")
class AlertAuditEntry:
    action: AlertAction
    actor: str = strawberry.field(description="Who acted: a duty officer, or `system` for the rules.")
    note: str | None
    at: DateTime


@strawberry.type
class AlertFields:
    """The fields of ``Alert`` both subgraphs serve (subclassed by each; never in a schema by itself)."""

    id: strawberry.ID
    domain: AlertDomain
    level: AlertLevel
    rule: AlertRule
    status: AlertStatus
    monitoring_point: str = strawberry.field(description="The point that broke the rule: an MN or a sensor code.")
    metric: str = strawberry.field(description="The pollutant code or sensor quantity; `*` for missing data.")
    value: Decimal | None = strawberry.field(description="The reading that broke the rule.")
    threshold: Decimal | None = strawberry.field(description="The limit or the largest allowed change per minute.")
    message: str
    raised_at: DateTime
    updated_at: DateTime
    dispatched_to: str | None = strawberry.field(description="Whom the alert was dispatched to (处置单位).")
    uscc: strawberry.Private[str]
    park_code: strawberry.Private[str]
    city_code: strawberry.Private[str]

    @described("The audit trail of the alert, oldest first: raised, escalated, acknowledged, dispatched, closed.")
    async def history(self, info: strawberry.Info[MonitorContext, None]) -> list[AlertAuditEntry]:
        entries = await history_loader(info.context).load(str(self.id))
        return [
            AlertAuditEntry(action=AlertAction(e.action.value), actor=e.actor, note=e.note, at=e.at) for e in entries
        ]

    @classmethod
    def of(cls, record: store.AlertRecord) -> Self:
        return cls(
            id=strawberry.ID(record.id),
            domain=AlertDomain(record.domain),
            level=AlertLevel(int(record.level)),
            rule=AlertRule(record.rule.value),
            status=AlertStatus(record.status.value),
            monitoring_point=record.point,
            metric=record.metric,
            value=record.value,
            threshold=record.threshold,
            message=record.message,
            raised_at=record.raised_at,
            updated_at=record.updated_at,
            dispatched_to=record.dispatched_to,
            uscc=USCC(record.uscc),
            park_code=record.park_code,
            city_code=record.city_code,
        )


A = TypeVar("A", bound=AlertFields)


def alert_loader(context: MonitorContext) -> Loader[str, store.AlertRecord | None]:
    monitor = context.alerts

    async def batch(ids: list[str]) -> list[store.AlertRecord | None]:
        found = await monitor.store.by_ids(ids)
        return [found.get(alert_id) for alert_id in ids]

    return context.loaders.get(batch, name="alerts.by_id")


def open_alerts_loader(context: MonitorContext, column: str) -> Loader[str, list[store.AlertRecord]]:
    """Open alerts of both domains per ``uscc``, ``park_code``, ``city_code`` or ``point``: one query per request."""
    monitor = context.alerts

    async def batch(keys: list[str]) -> list[list[store.AlertRecord]]:
        found = await monitor.store.open_by(column, keys)
        return [found[key] for key in keys]

    return context.loaders.get(batch, name=f"alerts.open.{column}")


def history_loader(context: MonitorContext) -> Loader[str, list[store.AuditEntry]]:
    monitor = context.alerts

    async def batch(ids: list[str]) -> list[list[store.AuditEntry]]:
        found = await monitor.store.audit_of(ids)
        return [found[alert_id] for alert_id in ids]

    return context.loaders.get(batch, name="alerts.history")


async def open_alerts(info: strawberry.Info[Any, Any], column: str, key: str, alert_type: type[A]) -> list[A]:
    return [alert_type.of(r) for r in await open_alerts_loader(info.context, column).load(key)]


async def alert_by_id(info: strawberry.Info[Any, Any], alert_id: str, alert_type: type[A]) -> A | None:
    record = await alert_loader(info.context).load(alert_id)
    if record is None:
        return None
    require_alert(info.context.tenant, record)  # _entities straight to the subgraph too: the tenant decides
    return alert_type.of(record)


async def raised(
    info: strawberry.Info[Any, Any],
    domain: str,
    alert_type: type[A],
    *,
    park_code: str | None = None,
    city_code: str | None = None,
) -> AsyncGenerator[A, None]:
    """The body of a domain's ``…AlertRaised`` subscription: its alerts, of one park or city if asked, in the tenant."""
    async for record in info.context.alerts.subscribe():
        if record.domain != domain:
            continue
        if park_code is not None and record.park_code != park_code:
            continue
        if city_code is not None and record.city_code != city_code:
            continue
        if not alert_visible(info.context.tenant, record):
            continue
        yield alert_type.of(record)


def require_alert(tenant: Tenant | None, record: store.AlertRecord) -> None:
    """``Forbidden`` unless the alert's enterprise, in its park and city, is in the caller's tenant."""
    require_enterprise(tenant, record.uscc, city_code=record.city_code, park_code=record.park_code)


def alert_visible(tenant: Tenant | None, record: store.AlertRecord) -> bool:
    """For subscriptions: whether the caller may receive this alert."""
    return record_visible(tenant, uscc=record.uscc, park_code=record.park_code, city_code=record.city_code)


async def transition(
    info: strawberry.Info[Any, Any],
    alert_id: str,
    action: store.Action,
    actor: str,
    note: str | None,
    alert_type: type[A],
) -> A:
    """Acknowledge, dispatch or close: idempotent (a repeat answers the alert as it is) and audited."""
    monitor: AlertMonitor = info.context.alerts
    if not sees_everything(info.context.tenant):
        current = await alert_loader(info.context).load(alert_id)
        if current is None:
            raise Forbidden(f"alert {alert_id} is not visible to your tenant")
        require_alert(info.context.tenant, current)
    record = await monitor.store.transition(alert_id, action, actor, note, monitor.clock())
    return alert_type.of(record)


def level_of(level: rules.Level) -> AlertLevel:
    return AlertLevel(int(level))
