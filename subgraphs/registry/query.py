"""The registry's root fields, the single-window entry point ``enterprise(uscc:)`` among them."""

from __future__ import annotations

from typing import Annotated

import strawberry

from adapters.registry import EnterpriseFilter
from schema.scalars import USCC
from subgraphs.common import Connection, connection_from_page, page_request
from subgraphs.common.fields import described, federated
from subgraphs.common.tenancy import require_enterprise
from subgraphs.registry.context import all_cities, city_by_code, enterprise_loader, park_loader, province
from subgraphs.registry.types import City, Enterprise, Info, Park, Province, search_enterprises


@strawberry.input(description="Which enterprises to list (企业查询条件); all conditions must hold.")
class EnterpriseFilterInput:
    park_code: strawberry.ID | None = strawberry.field(default=None, description="Development zone code.")
    city_code: strawberry.ID | None = strawberry.field(default=None, description="City division code.")
    industry_code: str | None = strawberry.field(default=None, description="GB/T 4754 section letter.")
    name_contains: str | None = strawberry.field(default=None, description="Part of the name (企业名称模糊查询).")


@strawberry.type
class Query:
    @federated("One enterprise by its USCC: the single window (一网通办) entry point.", authenticated=True)
    async def enterprise(self, info: Info, uscc: USCC) -> Enterprise | None:
        record = await enterprise_loader(info.context).load(uscc)
        if record is None:
            return None
        require_enterprise(info.context.tenant, uscc, city_code=record.city_code, park_code=record.park_code)
        return Enterprise.from_record(record)

    @federated("Registered enterprises (企业列表), filtered, as a Relay connection.", authenticated=True)
    async def enterprises(
        self,
        info: Info,
        filter: EnterpriseFilterInput | None = None,
        first: Annotated[int | None, strawberry.argument(description="Page size, at most 100.")] = 20,
        after: str | None = None,
    ) -> Connection[Enterprise]:
        where = EnterpriseFilter()
        if filter is not None:
            where = EnterpriseFilter(
                park_code=filter.park_code,
                city_code=filter.city_code,
                industry_code=filter.industry_code,
                name_contains=filter.name_contains,
            )
        return await search_enterprises(info, where, first, after)

    @described("One development zone (开发区) by code, e.g. 340100-HTZ.")
    async def park(self, info: Info, code: strawberry.ID) -> Park | None:
        record = await park_loader(info.context).load(code)
        return None if record is None else Park.from_record(record)

    @described("Development zones (开发区列表), all or one city's, as a Relay connection.")
    async def parks(
        self, info: Info, city_code: strawberry.ID | None = None, first: int | None = 20, after: str | None = None
    ) -> Connection[Park]:
        page = page_request(first, after)
        result = await info.context.client.list_parks(city_code, offset=page.offset, limit=page.limit)
        return connection_from_page(
            [Park.from_record(p) for p in result.items], offset=page.offset, total_count=result.total
        )

    @described("One prefecture-level city (地级市) by GB/T 2260 code, e.g. 340100.")
    async def city(self, info: Info, code: strawberry.ID) -> City | None:
        record = await city_by_code(info.context, code)
        return None if record is None else City.from_record(record)

    @described("The province's prefecture-level cities (地级市).")
    async def cities(self, info: Info) -> list[City]:
        return [City.from_record(city) for city in await all_cities(info.context)]

    @described("The province (省).", name="province")
    async def province_(self, info: Info) -> Province:
        return Province.from_record(await province(info.context))
