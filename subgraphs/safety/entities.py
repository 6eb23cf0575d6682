"""The registry's entities as the safety subgraph extends them, and ``Alert``, shared with the environment subgraph."""

from __future__ import annotations

import enum
from decimal import Decimal

import strawberry

from adapters.safety.models import Sensor
from schema.scalars import USCC, DateTime
from subgraphs.common import Loader
from subgraphs.common.alerts import graph
from subgraphs.common.fields import described, federated
from subgraphs.safety.context import Info, SafetyContext

SHARED = "Open alerts of both monitoring domains (safety and environment), gravest and newest first."


@strawberry.enum(description="What a hazard-source sensor measures.")
class SensorKind(enum.Enum):
    GAS = "gas"
    PRESSURE = "pressure"
    TEMPERATURE = "temperature"
    LEVEL = "level"


@strawberry.type(description="A sensor's latest reading, as published over MQTT.")
class SensorReading:
    value: Decimal
    unit: str
    measured_at: DateTime
    status: str = strawberry.field(description="normal, fault or maintenance.")
    above_alarm: bool = strawberry.field(description="At or above the alarm value of the filing (报警).")


@strawberry.type(description="A sensor on a major hazard source (重大危险源监测点).")
class SafetySensor:
    code: strawberry.ID = strawberry.field(description="Sensor code (传感器编码).")
    hazard_source: str = strawberry.field(description="Major hazard source code (重大危险源编码).")
    kind: SensorKind
    unit: str
    alarm_value: Decimal = strawberry.field(description="Alarm value from the hazard source's filing (报警值).")

    @described("The latest reading received, or null if the sensor has not reported since the subgraph started.")
    def latest_reading(self, info: Info) -> SensorReading | None:
        reading = info.context.safety.latest([str(self.code)])[str(self.code)]
        if reading is None:
            return None
        return SensorReading(
            value=reading.value,
            unit=reading.unit,
            measured_at=reading.measured_at,
            status=reading.status.name.lower(),
            above_alarm=reading.value >= self.alarm_value,
        )

    @staticmethod
    def of(sensor: Sensor) -> SafetySensor:
        return SafetySensor(
            code=strawberry.ID(sensor.code),
            hazard_source=sensor.hazard_source,
            kind=SensorKind(sensor.kind.value),
            unit=sensor.unit,
            alarm_value=sensor.alarm,
        )


def sensors_loader(context: SafetyContext) -> Loader[str, list[Sensor]]:
    client = context.safety

    async def batch(usccs: list[str]) -> list[list[Sensor]]:
        found = await client.sensors_of(usccs)
        return [found[u] for u in usccs]

    return context.loaders.get(batch, name="safety.sensors")


async def park_of(context: SafetyContext, uscc: str) -> str | None:
    """The park of the enterprise's hazard-source sensors (the tenancy guard's lookup for park tenants)."""
    sensors = await sensors_loader(context).load(uscc)
    return sensors[0].park_code if sensors else None


@strawberry.federation.type(keys=["uscc"], description="An enterprise (企业), as safety monitoring sees it.")
class Enterprise:
    uscc: USCC

    @classmethod
    def resolve_reference(cls, info: Info, uscc: str) -> Enterprise:
        return cls(uscc=USCC(uscc))

    @federated("Sensors on the enterprise's major hazard sources; empty if it has none.")
    async def safety_sensors(self, info: Info) -> list[SafetySensor]:
        return [SafetySensor.of(s) for s in await sensors_loader(info.context).load(self.uscc)]

    @federated(SHARED, shareable=True)
    async def open_alerts(self, info: Info) -> list[Alert]:
        return await graph.open_alerts(info, "uscc", self.uscc, Alert)


@strawberry.federation.type(keys=["code"], description="A development zone (开发区).")
class Park:
    code: strawberry.ID

    @classmethod
    def resolve_reference(cls, info: Info, code: str) -> Park:
        return cls(code=strawberry.ID(code))

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
