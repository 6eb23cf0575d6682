"""The registry's entities as the environment subgraph extends them, and ``Alert``, shared with the safety subgraph.

Stubs are built from their keys without a legacy call; every field loads
through the request's DataLoaders (one registry read and one alert query per
request, whatever the number of entities).
"""

from __future__ import annotations

import strawberry

from adapters.environment.models import MonitoringPoint
from schema.scalars import USCC
from subgraphs.common import Loader
from subgraphs.common.alerts import graph
from subgraphs.common.fields import described, federated
from subgraphs.environment.context import EnvironmentContext, Info
from subgraphs.environment.types import DischargePoint

SHARED = "Open alerts of both monitoring domains (safety and environment), gravest and newest first."


def points_loader(context: EnvironmentContext) -> Loader[str, list[MonitoringPoint]]:
    client = context.environment

    async def batch(usccs: list[str]) -> list[list[MonitoringPoint]]:
        found = await client.points_of(usccs)
        return [found[u] for u in usccs]

    return context.loaders.get(batch, name="environment.points")


def park_points_loader(context: EnvironmentContext) -> Loader[str, list[MonitoringPoint]]:
    client = context.environment

    async def batch(codes: list[str]) -> list[list[MonitoringPoint]]:
        found = await client.points_in_parks(codes)
        return [found[c] for c in codes]

    return context.loaders.get(batch, name="environment.park_points")


async def park_of(context: EnvironmentContext, uscc: str) -> str | None:
    """The park of the enterprise's monitoring points (the tenancy guard's lookup for park tenants)."""
    points = await points_loader(context).load(uscc)
    return points[0].park_code if points else None


@strawberry.federation.type(keys=["uscc"], description="An enterprise (企业), as pollution monitoring sees it.")
class Enterprise:
    uscc: USCC

    @classmethod
    def resolve_reference(cls, info: Info, uscc: str) -> Enterprise:
        return cls(uscc=USCC(uscc))

    @federated("The enterprise's online monitoring points (在线监测点); empty unless it is a key polluter.")
    async def discharge_points(self, info: Info) -> list[DischargePoint]:
        return [DischargePoint.of(p) for p in await points_loader(info.context).load(self.uscc)]

    @federated(SHARED, shareable=True)
    async def open_alerts(self, info: Info) -> list[Alert]:
        return await graph.open_alerts(info, "uscc", self.uscc, Alert)


@strawberry.federation.type(keys=["code"], description="A development zone (开发区).")
class Park:
    code: strawberry.ID

    @classmethod
    def resolve_reference(cls, info: Info, code: str) -> Park:
        return cls(code=strawberry.ID(code))

    @federated("Online monitoring points of the park's key polluters.")
    async def discharge_points(self, info: Info) -> list[DischargePoint]:
        return [DischargePoint.of(p) for p in await park_points_loader(info.context).load(str(self.code))]

    @federated("The park's alert board (园区预警看板). " + SHARED, shareable=True)
    async def alert_board(self, info: Info) -> list[Alert]:
        return await graph.open_alerts(info, "park_code", str(self.code), Alert)


@strawberry.federation.type(keys=["code"], description="A prefecture-level city (地级市).")
class City:
    code: strawberry.ID

    @classmethod
    def resolve_reference(cls, info: Info, code: str) -> City:
        return cls(code=strawberry.ID(code))

    @federated("The city's alert board (全市预警看板), over all its parks. " + SHARED, shareable=True)
    async def alert_board(self, info: Info) -> list[Alert]:
        return await graph.open_alerts(info, "city_code", str(self.code), Alert)


@strawberry.federation.type(keys=["id"], shareable=True, description=graph.ALERT_DESCRIPTION)
class Alert(graph.AlertFields):
    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Alert | None:
        return await graph.alert_by_id(info, str(id), Alert)

    @described("The enterprise whose monitoring point raised the alert.")
    def enterprise(self) -> Enterprise:
        return Enterprise(uscc=USCC(self.uscc))

    @described("The development zone of the enterprise.")
    def park(self) -> Park:
        return Park(code=strawberry.ID(self.park_code))

    @described("The city of the development zone.")
    def city(self) -> City:
        return City(code=strawberry.ID(self.city_code))
