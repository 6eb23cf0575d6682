"""The registry's entities as the utilities subgraph extends them: ``Enterprise``, ``Park`` and ``City``.

The stubs declare only their key (and ``Enterprise.annualOutput``, external,
for ``@requires``). ``resolve_reference`` builds the stub from the
representation without a legacy call: nothing about the entity itself comes
from the metering platform, and every field below loads through the
request's DataLoaders, so N entities cost one batch call per field, not N.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import strawberry

from schema.errors import BadUserInput
from schema.scalars import USCC, Money, money
from subgraphs.common import Connection, connection_from_page, page_request
from subgraphs.common.fields import described, federated
from subgraphs.utilities import loaders
from subgraphs.utilities.types import EnergyIntensity, EnergyKind, EnergyUse, Info, Meter, energy_use

From = Annotated[date | None, strawberry.argument(name="from", description="First day (default: 30 days before to).")]
To = Annotated[date | None, strawberry.argument(description="Last day, inclusive (default: yesterday).")]
Kind = Annotated[EnergyKind | None, strawberry.argument(description="Only this kind of energy.")]
TEN_THOUSAND = Decimal(10_000)


@strawberry.federation.type(keys=["uscc"], description="An enterprise (企业), as the metering platform sees it.")
class Enterprise:
    uscc: USCC
    annual_output: Money | None = strawberry.federation.field(
        external=True, default=None, description="Annual output value (年产值), owned by the registry."
    )

    @classmethod
    def resolve_reference(cls, info: Info, uscc: str, **fields: Any) -> Enterprise:
        return cls(uscc=USCC(uscc), annual_output=_money(fields.get("annualOutput")))

    @described("The enterprise's meters (表计): electricity first, then water, gas, heat.")
    async def meters(
        self, info: Info, kind: Kind = None, first: int | None = None, after: str | None = None
    ) -> Connection[Meter] | None:
        page = page_request(first, after)
        found = await loaders.meters(info.context).load(self.uscc)
        if kind is not None:
            found = [m for m in found if m.kind is kind.to_model()]
        items = [Meter.of(m) for m in found[page.offset : page.offset + page.limit]]
        return connection_from_page(items, offset=page.offset, total_count=len(found))

    @described("Energy use (能耗) over a period, by kind, with tce.")
    async def energy_use(self, info: Info, from_: From = None, to: To = None, kind: Kind = None) -> EnergyUse | None:
        return await energy_use(info, "uscc", self.uscc, from_, to, kind)

    @federated(
        "Energy intensity (万元产值能耗): tce of the last 365 days of drops, scaled to a year, per "
        "10,000 yuan of the registry's annual output. Null without output or without drops.",
        requires=["annualOutput"],
    )
    async def energy_intensity(self, info: Info) -> EnergyIntensity | None:
        if self.annual_output is None or self.annual_output <= 0:
            return None
        use = await loaders.annualised(info.context).load(self.uscc)
        if use is None or use.days_covered == 0:
            return None
        per_unit = (use.annualised_tce / (self.annual_output / TEN_THOUSAND)).quantize(Decimal("0.0001"))
        return EnergyIntensity(
            tce_per_ten_thousand_yuan=per_unit,
            annualised_tce=use.annualised_tce,
            basis_from=use.basis_start,
            basis_to=use.basis_end,
            days_covered=use.days_covered,
        )


@strawberry.federation.type(keys=["code"], description="A development zone (开发区).")
class Park:
    code: strawberry.ID

    @classmethod
    def resolve_reference(cls, info: Info, code: str) -> Park:
        return cls(code=strawberry.ID(code))

    @described("Energy use of every metered enterprise in the park (园区能耗合计).")
    async def energy_use(self, info: Info, from_: From = None, to: To = None, kind: Kind = None) -> EnergyUse | None:
        return await energy_use(info, "park", str(self.code), from_, to, kind)


@strawberry.federation.type(keys=["code"], description="A prefecture-level city (地级市).")
class City:
    code: strawberry.ID

    @classmethod
    def resolve_reference(cls, info: Info, code: str) -> City:
        return cls(code=strawberry.ID(code))

    @described("Energy use of every metered enterprise in the city (全市能耗合计).")
    async def energy_use(self, info: Info, from_: From = None, to: To = None, kind: Kind = None) -> EnergyUse | None:
        return await energy_use(info, "city", str(self.code), from_, to, kind)


def _money(value: object) -> Money | None:
    """The registry's ``annualOutput`` as it arrives in a representation (a Money string, or null)."""
    if value is None:
        return None
    try:
        return money(str(value))
    except InvalidOperation:
        raise BadUserInput(f"annualOutput {value!r} is not a yuan amount") from None
