"""The shared alert store: one alert per open breach, escalation, idempotent audited transitions, the monitor."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from schema.errors import BadUserInput, NotFoundError
from schema.scalars import CHINA_STANDARD_TIME
from subgraphs.common.alerts.monitor import AlertMonitor
from subgraphs.common.alerts.rules import Level, RuleSet
from subgraphs.common.alerts.store import Action, AlertStore, Status, Subject

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=CHINA_STANDARD_TIME)
SUBJECT = Subject("environment", "P1", "91340100MA2NJ8U3W1", "340100-HTZ", "340100")


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[AlertStore]:
    alerts = AlertStore(f"sqlite:///{tmp_path / 'alerts.db'}")
    await alerts.create_tables()
    yield alerts
    await alerts.aclose()


def monitor(store: AlertStore) -> AlertMonitor:
    rules = RuleSet(limits={"cod": Decimal(100)})
    return AlertMonitor(
        store, domain="environment", rules_of=lambda p: rules, subject_of=lambda p: SUBJECT, clock=lambda: T0
    )


async def test_a_breach_raises_once_and_escalates_when_graver(store: AlertStore) -> None:
    alerts = monitor(store)
    (raised,) = await alerts.observe("P1", "cod", Decimal(110), T0)
    assert raised.level is Level.YELLOW and raised.status is Status.OPEN and raised.park_code == "340100-HTZ"
    assert await alerts.observe("P1", "cod", Decimal(115), T0 + timedelta(seconds=30)) == []  # same level: no news
    (escalated,) = await alerts.observe("P1", "cod", Decimal(200), T0 + timedelta(seconds=60))
    assert escalated.id == raised.id and escalated.level is Level.RED and escalated.value == 200
    history = (await store.audit_of([raised.id]))[raised.id]
    assert [e.action for e in history] == [Action.RAISED, Action.ESCALATED]
    assert alerts.raised == 1


async def test_transitions_are_idempotent_and_audited(store: AlertStore) -> None:
    (alert,) = await monitor(store).observe("P1", "cod", Decimal(110), T0)
    for _ in range(2):  # the retry changes nothing and appends nothing
        acked = await store.transition(alert.id, Action.ACKNOWLEDGED, "值班员张伟", None, T0)
    assert acked.status is Status.ACKNOWLEDGED
    dispatched = await store.transition(alert.id, Action.DISPATCHED, "值班员张伟", "园区环保站", T0)
    assert dispatched.dispatched_to == "园区环保站"
    # acknowledging a dispatched alert: already beyond, nothing changes
    assert (await store.transition(alert.id, Action.ACKNOWLEDGED, "李强", None, T0)).status is Status.DISPATCHED
    closed = await store.transition(alert.id, Action.CLOSED, "李强", "设备校准后恢复", T0)
    assert closed.status is Status.CLOSED
    history = (await store.audit_of([alert.id]))[alert.id]
    assert [(e.action, e.actor) for e in history] == [
        (Action.RAISED, "system"),
        (Action.ACKNOWLEDGED, "值班员张伟"),
        (Action.DISPATCHED, "值班员张伟"),
        (Action.CLOSED, "李强"),
    ]
    # A new breach after closing is a new alert.
    (again,) = await monitor(store).observe("P1", "cod", Decimal(110), T0)
    assert again.id != alert.id
    assert (await store.open_by("park_code", ["340100-HTZ"]))["340100-HTZ"] == [again]


async def test_unknown_alert_and_anonymous_actor_are_refused(store: AlertStore) -> None:
    with pytest.raises(NotFoundError):
        await store.transition("ENV-nope", Action.CLOSED, "李强", None, T0)
    (alert,) = await monitor(store).observe("P1", "cod", Decimal(110), T0)
    with pytest.raises(BadUserInput):
        await store.transition(alert.id, Action.CLOSED, "  ", None, T0)


async def test_subscribers_receive_raised_alerts_and_slow_ones_lose_the_oldest(store: AlertStore) -> None:
    alerts = monitor(store)
    stream = alerts.subscribe()
    first = asyncio.ensure_future(anext(stream))
    await asyncio.sleep(0)
    (raised,) = await alerts.observe("P1", "cod", Decimal(110), T0)
    assert (await asyncio.wait_for(first, 2)).id == raised.id
    assert alerts.subscribers == 1
    await stream.aclose()
    assert alerts.subscribers == 0
