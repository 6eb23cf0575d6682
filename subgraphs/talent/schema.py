"""The talent subgraph's root fields and its federation schema.

``postJobDemand`` is idempotent twice over: the subgraph's
:class:`IdempotencyStore` answers a retry from memory, and the database row
carries a key derived from the client's key in its unique external request
number, so a retry after a lost answer (or on another replica) finds the
first row instead of writing a second one.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from adapters.talent import NewJobDemand
from schema.scalars import USCC, Date, Money
from subgraphs.common import create_federation_schema
from subgraphs.common.fields import federated
from subgraphs.common.idempotency import legacy_key
from subgraphs.common.schema import SubgraphSchema
from subgraphs.common.tenancy import require_enterprise_of
from subgraphs.talent import loaders
from subgraphs.talent.types import City, EducationLevel, Enterprise, Info, JobDemand, Park

# The OAuth scope every mutation needs (@requiresScopes, enforced by the gateway before anything is written).
WRITE_SCOPE = "talent:write"


@strawberry.type
class Query:
    @federated("One job demand (用工需求) by its number.", authenticated=True)
    async def job_demand(self, info: Info, id: strawberry.ID) -> JobDemand | None:
        return await JobDemand.resolve_reference(info, id)  # the same tenancy check as _entities


@strawberry.input(description="A new job demand (发布用工需求).")
class PostJobDemandInput:
    employer: USCC = strawberry.field(description="The employing enterprise (用人单位).")
    title: str = strawberry.field(description="Job title (岗位名称).")
    headcount: int = strawberry.field(description="Workers wanted (需求人数), at least 1.")
    occupation_code: str = strawberry.field(description="Occupation code (职业代码, GB/T 6565), e.g. 6-18-01-01.")
    contact_name: str = strawberry.field(description="Contact person (联系人) (personal data).")
    contact_phone: str = strawberry.field(description="Contact phone number (联系电话) (personal data).")
    education: EducationLevel = strawberry.field(default=EducationLevel.NONE, description="Required education.")
    salary_min: Money | None = strawberry.field(default=None, description="Monthly salary from, yuan.")
    salary_max: Money | None = strawberry.field(default=None, description="Monthly salary up to, yuan.")
    valid_until: Date | None = strawberry.field(default=None, description="Valid until (有效期至).")


@strawberry.type
class Mutation:
    @federated(
        "Post a job demand (发布用工需求); the same idempotencyKey returns the same demand.",
        requires_scopes=[[WRITE_SCOPE]],
    )
    async def post_job_demand(self, info: Info, input: PostJobDemandInput, idempotency_key: str) -> JobDemand:
        context = info.context
        await require_enterprise_of(context, input.employer)  # a city posts only for its own enterprises
        demand = NewJobDemand(
            employer_uscc=input.employer,
            title=input.title,
            headcount=input.headcount,
            occupation_code=input.occupation_code,
            education=input.education,
            salary_min=_decimal(input.salary_min),
            salary_max=_decimal(input.salary_max),
            valid_until=input.valid_until,
            contact_name=input.contact_name,
            contact_phone=input.contact_phone,
        )
        payload = {
            "employer": demand.employer_uscc,
            "title": demand.title,
            "headcount": demand.headcount,
            "occupationCode": demand.occupation_code,
            "education": demand.education.value,
            "salaryMin": _text(demand.salary_min),
            "salaryMax": _text(demand.salary_max),
            "validUntil": _text(demand.valid_until),
            "contactName": demand.contact_name,
            "contactPhone": demand.contact_phone,
        }
        row_key = legacy_key("postJobDemand", idempotency_key, payload)
        written = await context.idempotency.run(
            "postJobDemand",
            idempotency_key,
            payload=payload,
            operation=lambda: context.talent.post_demand(demand, row_key),
        )
        return JobDemand.from_model(written)


def _decimal(value: Money | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _text(value: Decimal | date | None) -> str | None:
    return str(value) if value is not None else None


def build_schema() -> SubgraphSchema:
    """The talent subgraph's federation schema (a fresh one per call)."""
    return create_federation_schema(
        domain="talent",
        query=Query,
        mutation=Mutation,
        types=[Enterprise, Park, City, JobDemand],
        park_of=loaders.park_of,
    )


SCHEMA = build_schema()
