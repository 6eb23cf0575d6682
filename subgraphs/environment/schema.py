"""The environment subgraph's schema: the entity extensions, alert queries and mutations, and its subscription."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry.federation.schema_directives import Authenticated

from subgraphs.common import create_federation_schema
from subgraphs.common.alerts import graph
from subgraphs.common.alerts.store import Action
from subgraphs.common.fields import federated, subscribed
from subgraphs.common.schema import SubgraphSchema
from subgraphs.environment.context import Info
from subgraphs.environment.entities import Alert, City, Enterprise, Park, park_of
from subgraphs.environment.monitoring import DOMAIN
from subgraphs.environment.types import ReceiverStats

BY = "Who acts (值班人员): recorded in the alert's audit trail."


@strawberry.type
class Query:
    @federated("An alert of either monitoring domain by its id.", shareable=True, authenticated=True)
    async def alert(self, info: Info, id: strawberry.ID) -> Alert | None:
        return await graph.alert_by_id(info, str(id), Alert)

    @federated(
        "The HJ 212 receiver's counters: accepted frames and refused ones by reason (data-quality view).",
        authenticated=True,
    )
    def hj212_receiver_stats(self, info: Info) -> ReceiverStats:
        stats = info.context.environment.receiver.stats
        return ReceiverStats(
            connections=stats["connections"],
            accepted_frames=stats["accepted"],
            refused_bad_crc=stats["refused:bad_crc"],
            refused_bad_length=stats["refused:bad_length"],
            refused_unknown_code=stats["refused:unknown_code"],
            refused_malformed=stats["refused:malformed"],
        )


@strawberry.type
class Mutation:
    @federated(
        "Acknowledge an alert (签收). Idempotent: a repeat changes nothing.",
        shareable=True,
        requires_scopes=[[graph.WRITE_SCOPE]],
    )
    async def acknowledge_alert(self, info: Info, id: strawberry.ID, by: str, note: str | None = None) -> Alert:
        return await graph.transition(info, str(id), Action.ACKNOWLEDGED, by, note, Alert)

    @federated(
        "Dispatch an alert to a unit for handling (派单). Idempotent.",
        shareable=True,
        requires_scopes=[[graph.WRITE_SCOPE]],
    )
    async def dispatch_alert(self, info: Info, id: strawberry.ID, by: str, to: str) -> Alert:
        return await graph.transition(info, str(id), Action.DISPATCHED, by, to, Alert)

    @federated(
        "Close an alert with how it was resolved (办结). Idempotent.",
        shareable=True,
        requires_scopes=[[graph.WRITE_SCOPE]],
    )
    async def close_alert(self, info: Info, id: strawberry.ID, by: str, resolution: str) -> Alert:
        return await graph.transition(info, str(id), Action.CLOSED, by, resolution, Alert)


@strawberry.type
class Subscription:
    @subscribed(
        "Environment alerts as they are raised or escalated, optionally only those of one park or city.",
        directives=[Authenticated()],
    )
    async def environment_alert_raised(
        self, info: Info, park_code: str | None = None, city_code: str | None = None
    ) -> AsyncGenerator[Alert, None]:
        async for alert in graph.raised(info, DOMAIN, Alert, park_code=park_code, city_code=city_code):
            yield alert


def build_schema() -> SubgraphSchema:
    return create_federation_schema(
        domain="environment",
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[Enterprise, Park, City, Alert],
        park_of=park_of,
    )
