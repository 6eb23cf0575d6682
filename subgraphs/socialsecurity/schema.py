"""The social security subgraph's schema: the entity extensions and a person lookup by resident ID."""

from __future__ import annotations

import strawberry

from schema.scalars import ResidentID
from subgraphs.common import create_federation_schema
from subgraphs.common.fields import federated
from subgraphs.common.schema import SubgraphSchema
from subgraphs.common.tenancy import require_enterprise_of
from subgraphs.socialsecurity import loaders
from subgraphs.socialsecurity.types import Enterprise, Info, Park, Person


@strawberry.type
class Query:
    @federated(
        "An insured person by resident ID number (参保人员查询); null if not insured. The number is checked "
        "(length, birth date, check digit) before the agency is asked.",
        authenticated=True,
    )
    async def insured_person(self, info: Info, resident_id: ResidentID) -> Person | None:
        found = await loaders.persons(info.context).load(str(resident_id))
        if not found:
            return None
        await require_enterprise_of(info.context, found.employer_uscc)  # a person is seen through the employer
        return Person.of(info, found)


def build_schema() -> SubgraphSchema:
    return create_federation_schema(
        domain="socialsecurity", query=Query, types=[Enterprise, Park, Person], park_of=loaders.park_of
    )
