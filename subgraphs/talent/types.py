"""The talent subgraph's GraphQL types: ``JobDemand`` and the fields it adds to ``Enterprise``, ``Park`` and ``City``.

``Enterprise``, ``Park`` and ``City`` are owned by the registry subgraph;
here they are stubs with their key and this domain's fields. Contact data is
personal and masked through ``info.context.personal``.
"""

from __future__ import annotations

import strawberry

from adapters.talent import models
from schema.scalars import USCC, Date, Money, money
from subgraphs.common import Connection, connection_from_page, page_request
from subgraphs.common.fields import described
from subgraphs.talent import loaders
from subgraphs.talent.context import TalentContext

Info = strawberry.Info[TalentContext, None]

strawberry.enum(
    models.EducationLevel,
    name="EducationLevel",
    description="Required education (学历要求, GB/T 4658): DOCTORATE 博士研究生, MASTER 硕士研究生, BACHELOR 大学本科, "
    "ASSOCIATE 大学专科, SECONDARY_VOCATIONAL 中等专科, HIGH_SCHOOL 普通高中, JUNIOR_HIGH 初中, OTHER 其他, NONE 不限.",
)
strawberry.enum(models.DemandStatus, name="JobDemandStatus", description="OPEN 有效, CLOSED 撤销或已招满 (需求状态).")
EducationLevel = models.EducationLevel
DemandStatus = models.DemandStatus


@strawberry.input(description="Narrows a list of job demands; every field given must match.")
class JobDemandFilter:
    occupation_code: str | None = strawberry.field(
        default=None, description='Occupation code (职业代码, GB/T 6565) or a group of it, e.g. "6" or "2-02-10-03".'
    )
    education: EducationLevel | None = strawberry.field(default=None, description="Required education (学历要求).")
    open_only: bool = strawberry.field(default=False, description="Only open demands within their validity.")
    posted_since: Date | None = strawberry.field(default=None, description="Posted on or after this day (发布日期).")

    def to_model(self) -> models.DemandFilter:
        return models.DemandFilter(self.occupation_code, self.education, self.open_only, self.posted_since)


@strawberry.type(description="An occupation of the national classification (职业, GB/T 6565).")
class Occupation:
    code: str = strawberry.field(description="Occupation code (职业代码).")
    name: str = strawberry.field(description="Occupation name (职业名称).")
    major_group_code: str | None = strawberry.field(description="Major group code (大类代码).")
    major_group_name: str | None = strawberry.field(description="Major group name (大类名称).")


@strawberry.federation.type(keys=["id"], description="A job demand (用工需求): a posting for a number of workers.")
class JobDemand:
    id: strawberry.ID = strawberry.field(description="Demand number in the talent database (需求编号).")
    title: str = strawberry.field(description="Job title (岗位名称).")
    headcount: int = strawberry.field(description="Workers wanted (需求人数).")
    education: EducationLevel = strawberry.field(description="Required education (学历要求).")
    education_label: str = strawberry.field(description="The code table's Chinese label of the education level.")
    occupation: Occupation = strawberry.field(description="Occupation (职业).")
    salary_min: Money | None = strawberry.field(description="Monthly salary from, yuan (薪资下限); null: 面议.")
    salary_max: Money | None = strawberry.field(description="Monthly salary up to, yuan (薪资上限).")
    posted_on: Date = strawberry.field(description="Posted on (发布日期).")
    valid_until: Date | None = strawberry.field(description="Valid until (有效期至).")
    status: DemandStatus = strawberry.field(description="Status (需求状态).")
    model: strawberry.Private[models.JobDemand]

    @classmethod
    def from_model(cls, demand: models.JobDemand) -> JobDemand:
        occupation = demand.occupation
        return cls(
            id=strawberry.ID(demand.id),
            title=demand.title,
            headcount=demand.headcount,
            education=demand.education,
            education_label=demand.education_label,
            occupation=Occupation(
                code=occupation.code,
                name=occupation.name,
                major_group_code=occupation.major_group_code,
                major_group_name=occupation.major_group_name,
            ),
            salary_min=money(demand.salary_min) if demand.salary_min is not None else None,
            salary_max=money(demand.salary_max) if demand.salary_max is not None else None,
            posted_on=demand.posted_on,
            valid_until=demand.valid_until,
            status=demand.status,
            model=demand,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> JobDemand | None:
        demand = await loaders.demands_by_id(info.context).load(str(id))
        if demand is None:
            return None
        loaders.require_demand(info.context, demand)  # _entities straight to the subgraph: the tenant still decides
        return cls.from_model(demand)

    @described("The employer (用人单位).")
    def employer(self) -> Enterprise:
        return Enterprise(uscc=USCC(self.model.employer_uscc))

    @described("Contact person (联系人) (personal data).")
    def contact_name(self, info: Info) -> str | None:
        return info.context.personal.name(self.model.contact_name)

    @described("Contact phone number (联系电话) (personal data).")
    def contact_phone(self, info: Info) -> str | None:
        return info.context.personal.phone(self.model.contact_phone)


@strawberry.type(description="Open positions wanted at one education level.")
class EducationDemand:
    education: EducationLevel
    positions: int


@strawberry.type(description="Open job demand of an area (用工需求汇总): postings and positions within their validity.")
class TalentDemandTotals:
    open_postings: int = strawberry.field(description="Open postings (有效需求条数).")
    open_positions: int = strawberry.field(description="Workers wanted by them (需求人数合计).")
    by_education: list[EducationDemand] = strawberry.field(
        description="Positions by required education, zeros left out."
    )

    @classmethod
    def from_model(cls, totals: models.TalentTotals) -> TalentDemandTotals:
        return cls(
            open_postings=totals.open_postings,
            open_positions=totals.open_positions,
            by_education=[
                EducationDemand(education=level, positions=totals.positions_by_education[level])
                for level in EducationLevel
                if totals.positions_by_education.get(level)
            ],
        )


@strawberry.federation.type(keys=["uscc"], description="An enterprise (企业); owned by the registry subgraph.")
class Enterprise:
    uscc: USCC

    @classmethod
    def resolve_reference(cls, uscc: str) -> Enterprise:
        # A stub: the registry vouches for the enterprise; this subgraph only adds fields.
        return cls(uscc=USCC(uscc))

    @described("The enterprise's job demands (用工需求), newest first.")
    async def job_demands(
        self, info: Info, filter: JobDemandFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[JobDemand] | None:
        # Nullable on purpose: when the database is down, only this field is lost, not the enterprise.
        page = page_request(first, after)
        where = filter.to_model() if filter is not None else models.DemandFilter()
        demands = await loaders.demands_of_enterprises(info.context).load((self.uscc, where))
        items = [JobDemand.from_model(d) for d in demands[page.offset : page.offset + page.limit]]
        return connection_from_page(items, offset=page.offset, total_count=len(demands))


@strawberry.federation.type(keys=["code"], description="A development zone (开发区); owned by the registry subgraph.")
class Park:
    code: strawberry.ID

    @classmethod
    def resolve_reference(cls, code: str) -> Park:
        return cls(code=strawberry.ID(code))

    @described("Open job demand of the zone's enterprises (园区用工需求).")
    async def talent_demand(self, info: Info) -> TalentDemandTotals | None:
        return TalentDemandTotals.from_model(await loaders.park_totals(info.context).load(str(self.code)))


@strawberry.federation.type(
    keys=["code"], description="A prefecture-level city (地级市); owned by the registry subgraph."
)
class City:
    code: strawberry.ID

    @classmethod
    def resolve_reference(cls, code: str) -> City:
        return cls(code=strawberry.ID(code))

    @described("Open job demand of the city's enterprises (全市用工需求).")
    async def talent_demand(self, info: Info) -> TalentDemandTotals | None:
        return TalentDemandTotals.from_model(await loaders.city_totals(info.context).load(str(self.code)))
