"""The social security subgraph's GraphQL types, and the registry's entities as this subgraph extends them.

``Enterprise`` and ``Park`` stubs declare only their key and make no legacy
call in ``resolve_reference``; their fields load through the request's
DataLoaders. ``Person`` is this subgraph's own entity, keyed by an opaque id;
its personal fields pass through ``info.context.personal`` (masked by default).
"""

from __future__ import annotations

import asyncio
import enum
from collections import defaultdict
from decimal import Decimal
from typing import Annotated

import strawberry

from adapters.socialsecurity import models
from schema.scalars import USCC, Money, money
from subgraphs.common import Connection, connection_from_page, page_request
from subgraphs.common.fields import described
from subgraphs.common.tenancy import require_enterprise_of
from subgraphs.socialsecurity import loaders, lookahead, periods
from subgraphs.socialsecurity.context import SocialSecurityContext

Info = strawberry.Info[SocialSecurityContext, None]
LEGACY_PAGE = 100
From = Annotated[str, strawberry.argument(name="from", description="First month, YYYY-MM.")]
To = Annotated[str, strawberry.argument(description="Last month, YYYY-MM, inclusive.")]


@strawberry.enum(description="The five social insurances (五险).")
class InsuranceType(enum.Enum):
    PENSION = strawberry.enum_value("PENSION", description="Basic pension insurance (养老保险).")
    UNEMPLOYMENT = strawberry.enum_value("UNEMPLOYMENT", description="Unemployment insurance (失业保险).")
    MEDICAL = strawberry.enum_value("MEDICAL", description="Basic medical insurance (医疗保险).")
    WORK_INJURY = strawberry.enum_value("WORK_INJURY", description="Work injury insurance (工伤保险).")
    MATERNITY = strawberry.enum_value("MATERNITY", description="Maternity insurance (生育保险).")

    def to_model(self) -> models.InsuranceType:
        return models.InsuranceType(self.value)


@strawberry.enum(description="A person's insurance status (参保状态).")
class InsuredStatus(enum.Enum):
    ACTIVE = strawberry.enum_value("ACTIVE", description="Contributing (正常参保).")
    SUSPENDED = strawberry.enum_value("SUSPENDED", description="Contributions suspended (暂停缴费).")


@strawberry.enum(description="Gender as the resident ID number states it (性别).")
class Gender(enum.Enum):
    MALE = "MALE"
    FEMALE = "FEMALE"


@strawberry.type(description="One month's contribution for one insurance type (月度缴费明细).")
class MonthlyContribution:
    month: str = strawberry.field(description="Contribution month (费款所属期), YYYY-MM.")
    insurance_type: InsuranceType
    headcount: int = strawberry.field(description="Persons contributed for (缴费人数).")
    contribution_base: Money = strawberry.field(description="Sum of the contribution bases (缴费基数合计), yuan.")
    unit_amount: Money = strawberry.field(description="The unit's share (单位缴费), yuan.")
    personal_amount: Money = strawberry.field(description="The employees' share (个人缴费), yuan.")
    paid: bool = strawberry.field(description="Paid (已缴); false while in arrears (欠费).")

    @classmethod
    def of(cls, row: models.MonthlyContribution) -> MonthlyContribution:
        return cls(
            month=periods.label(row.month),
            insurance_type=InsuranceType(row.insurance_type.value),
            headcount=row.headcount,
            contribution_base=money(row.base_yuan),
            unit_amount=money(row.unit_yuan),
            personal_amount=money(row.personal_yuan),
            paid=row.paid,
        )


@strawberry.type(description="Contributions of one insurance type over a period.")
class InsuranceContribution:
    insurance_type: InsuranceType
    unit_amount: Money
    personal_amount: Money
    total: Money


@strawberry.type(description="A unit's contributions over a period (缴费汇总).")
class ContributionSummary:
    period: str = strawberry.field(description="The period asked for: YYYY or YYYY-MM.")
    months_contributed: int = strawberry.field(description="Months with contributions in the period.")
    unpaid_months: int = strawberry.field(description="Months in arrears (欠费月数).")
    unit_amount: Money = strawberry.field(description="The unit's share (单位缴费合计), yuan.")
    personal_amount: Money = strawberry.field(description="The employees' share (个人缴费合计), yuan.")
    total: Money = strawberry.field(description="Both shares (缴费总额), yuan.")
    by_insurance: list[InsuranceContribution] = strawberry.field(description="The same, per insurance type.")

    @classmethod
    def of(cls, period: str, rows: list[models.MonthlyContribution]) -> ContributionSummary:
        per_type: dict[models.InsuranceType, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
        for row in rows:
            per_type[row.insurance_type][0] += row.unit_yuan
            per_type[row.insurance_type][1] += row.personal_yuan
        unit_total = sum((v[0] for v in per_type.values()), Decimal(0))
        personal_total = sum((v[1] for v in per_type.values()), Decimal(0))
        return cls(
            period=period,
            months_contributed=len({r.month for r in rows}),
            unpaid_months=len({r.month for r in rows if not r.paid}),
            unit_amount=money(unit_total),
            personal_amount=money(personal_total),
            total=money(unit_total + personal_total),
            by_insurance=[
                InsuranceContribution(
                    insurance_type=InsuranceType(kind.value),
                    unit_amount=money(amounts[0]),
                    personal_amount=money(amounts[1]),
                    total=money(amounts[0] + amounts[1]),
                )
                for kind in models.InsuranceType
                if (amounts := per_type.get(kind)) is not None
            ],
        )


@strawberry.federation.type(keys=["id"], description="A person insured through an employer (参保人员).")
class Person:
    id: strawberry.ID = strawberry.field(
        description="Opaque, stable identifier (a keyed hash of the resident ID number, never the number)."
    )
    gender: Gender
    status: InsuredStatus
    insured_since: str = strawberry.field(description="First insured month (参保年月), YYYY-MM.")
    employer: Enterprise = strawberry.field(description="The insured unit the person contributes through (参保单位).")
    record: strawberry.Private[models.InsuredPerson]

    @classmethod
    def of(cls, info: Info, person: models.InsuredPerson) -> Person:
        return cls(
            id=strawberry.ID(info.context.persons.id_of(person.resident_id)),
            gender=Gender(person.gender.value),
            status=InsuredStatus(person.status.value),
            insured_since=periods.label(person.insured_since),
            employer=Enterprise(uscc=USCC(person.employer_uscc)),
            record=person,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: str) -> Person | None:
        resident_id = info.context.persons.resident_id_of(id)
        if resident_id is None:  # an id this process never issued (or has forgotten)
            return None
        found = await loaders.persons(info.context).load(resident_id)
        if not found:
            return None
        await require_enterprise_of(info.context, found.employer_uscc)  # a person is seen through the employer
        return cls.of(info, found)

    @described("Resident ID number (公民身份号码) (personal data): masked unless the caller may see it.")
    def resident_id(self, info: Info) -> str | None:
        return info.context.personal.resident_id(self.record.resident_id)

    @described("Name (姓名) (personal data): masked unless the caller may see it.")
    def name(self, info: Info) -> str | None:
        return info.context.personal.name(self.record.name)

    @described("Monthly contribution base (缴费基数), yuan (personal data: a wage): null unless the caller may see it.")
    def contribution_base(self, info: Info) -> Money | None:
        value = info.context.personal.wage(self.record.contribution_base_yuan)
        return money(value) if value is not None else None


@strawberry.type(description="An enterprise's social insurance account as an insured unit (参保单位信息).")
class SocialSecurityAccount:
    unit_number: str = strawberry.field(description="Unit number at the social insurance agency (单位编号).")
    insured_since: str = strawberry.field(description="First insured month (参保年月), YYYY-MM.")
    insured_headcount: int = strawberry.field(description="Persons insured now (参保人数).")
    in_arrears: bool = strawberry.field(description="Behind with contributions (欠费).")
    uscc: strawberry.Private[str]

    @described("Contributions over a year (YYYY) or a month (YYYY-MM) (缴费汇总).")
    async def contribution_summary(self, info: Info, period: str) -> ContributionSummary:
        first, last = periods.period(period)
        rows = await loaders.contributions(info.context, loaders.Months(first, last)).load(self.uscc)
        return ContributionSummary.of(period, rows)

    @described("Monthly contributions per insurance type (月度缴费明细), oldest first; at most 120 months.")
    async def monthly_contributions(
        self,
        info: Info,
        from_: From,
        to: To,
        insurance_type: InsuranceType | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[MonthlyContribution]:
        page = page_request(first, after)
        start, end = periods.month(from_, "from"), periods.month(to, "to")
        periods.months_between(start, end)
        kind = insurance_type.to_model() if insurance_type else None
        rows = await loaders.contributions(info.context, loaders.Months(start, end, kind)).load(self.uscc)
        items = [MonthlyContribution.of(r) for r in rows[page.offset : page.offset + page.limit]]
        return connection_from_page(items, offset=page.offset, total_count=len(rows))

    @described("Persons insured through the unit (参保人员), in the agency's order.")
    async def insured_persons(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Person]:
        page = page_request(first, after)
        if page.limit == 0:
            total = (await loaders.unit_persons(info.context).load(loaders.PersonSlice(self.uscc, 1, 1))).total
            return connection_from_page([], offset=page.offset, total_count=total)
        # The agency pages by number: fetch the (at most two) pages of 100 that cover the slice.
        first_page = page.offset // LEGACY_PAGE + 1
        last_page = (page.offset + page.limit - 1) // LEGACY_PAGE + 1
        slices = [loaders.PersonSlice(self.uscc, n, LEGACY_PAGE) for n in range(first_page, last_page + 1)]
        answers = await loaders.unit_persons(info.context).load_many(slices)
        everyone = [p for answer in answers for p in answer.persons]
        start = page.offset - (first_page - 1) * LEGACY_PAGE
        items = [Person.of(info, p) for p in everyone[start : start + page.limit]]
        return connection_from_page(items, offset=page.offset, total_count=answers[0].total)


@strawberry.federation.type(keys=["uscc"], description="An enterprise (企业), as the social insurance agency sees it.")
class Enterprise:
    uscc: USCC

    @classmethod
    def resolve_reference(cls, info: Info, uscc: str) -> Enterprise:
        return cls(uscc=USCC(uscc))

    @described("Social insurance (社保) as an insured unit; null if the enterprise never registered.")
    async def social_security(self, info: Info) -> SocialSecurityAccount | None:
        # The contributions asked for below load beside the unit, not after it (see lookahead.py).
        selections = [s for field in info.selected_fields for s in field.selections]
        ahead = [
            loaders.contributions(info.context, months).load(self.uscc)
            for months in lookahead.summary_months(selections)
        ]
        unit_load = asyncio.ensure_future(loaders.units(info.context).load(self.uscc))
        # A failed look-ahead is not this field's failure: the summary loads again and reports it.
        await asyncio.gather(unit_load, *ahead, return_exceptions=True)
        unit = unit_load.result()
        if unit is None:
            return None
        return SocialSecurityAccount(
            unit_number=unit.unit_number,
            insured_since=periods.label(unit.insured_since),
            insured_headcount=unit.insured_headcount,
            in_arrears=unit.in_arrears,
            uscc=unit.uscc,
        )


@strawberry.federation.type(keys=["code"], description="A development zone (开发区).")
class Park:
    code: strawberry.ID

    @classmethod
    def resolve_reference(cls, info: Info, code: str) -> Park:
        return cls(code=strawberry.ID(code))

    @described("Persons insured through the zone's enterprises (园区参保人数).")
    async def insured_headcount(self, info: Info) -> int | None:
        stats = await loaders.park_insurance(info.context).load(str(self.code))
        return stats.insured_headcount if stats else 0

    @described("The zone's enterprises registered as insured units (园区参保单位数).")
    async def insured_unit_count(self, info: Info) -> int | None:
        stats = await loaders.park_insurance(info.context).load(str(self.code))
        return stats.unit_count if stats else 0
