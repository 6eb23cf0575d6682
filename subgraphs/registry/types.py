"""The registry's GraphQL types: Province (省), City (市), Park (开发区) and Enterprise (企业).

Every type keeps the adapter's record in a private field and exposes English
fields; personal data goes through ``info.context.personal`` (masked by
default). Every ``resolve_reference`` and every reference to another entity
goes through the request's DataLoaders (``subgraphs/registry/context.py``).
"""

from __future__ import annotations

from dataclasses import replace
from enum import Enum
from typing import Annotated

import strawberry

from adapters.registry import EnterpriseFilter
from adapters.registry import models as legacy
from schema.errors import BadUserInput
from schema.identifiers import InvalidIdentifier, validate_uscc
from schema.scalars import USCC, Date, Money, money
from subgraphs.common import Connection, connection_from_page, page_request
from subgraphs.common.fields import described
from subgraphs.common.tenancy import list_scope, require_enterprise
from subgraphs.registry.context import (
    RegistryContext,
    all_cities,
    all_parks,
    city_by_code,
    enterprise_loader,
    park_loader,
    province,
)

Info = strawberry.Info[RegistryContext, None]


@strawberry.enum(description="Level of a development zone: national (国家级) or provincial (省级).")
class ParkLevel(Enum):
    NATIONAL = "NATIONAL"
    PROVINCIAL = "PROVINCIAL"


@strawberry.type(description="An industry section of GB/T 4754 (国民经济行业分类, 门类).")
class Industry:
    code: str = strawberry.field(description="Section letter, e.g. C (制造业).")
    name: str = strawberry.field(description="Section name in Chinese (行业名称).")


@strawberry.type(description="The province (省): the top of the province—city—park hierarchy.")
class Province:
    code: strawberry.ID = strawberry.field(description="GB/T 2260 division code (行政区划代码), e.g. 340000.")
    name: str = strawberry.field(description="Name (名称), e.g. 安徽省.")

    @described("Its prefecture-level cities (地级市).")
    async def cities(self, info: Info) -> list[City]:
        return [City.from_record(city) for city in await all_cities(info.context)]

    @classmethod
    def from_record(cls, record: legacy.Province) -> Province:
        return cls(code=strawberry.ID(record.code), name=record.name)


@strawberry.federation.type(keys=["code"], description="A prefecture-level city (地级市) of the province.")
class City:
    code: strawberry.ID = strawberry.field(description="GB/T 2260 division code (行政区划代码), e.g. 340100.")
    name: str = strawberry.field(description="Name (名称), e.g. 合肥市.")

    @described("The province the city belongs to (所属省).")
    async def province(self, info: Info) -> Province:
        return Province.from_record(await province(info.context))

    @described("The city's development zones (开发区).")
    async def parks(self, info: Info) -> list[Park]:
        return [Park.from_record(p) for p in await all_parks(info.context) if p.city_code == self.code]

    @classmethod
    async def resolve_reference(cls, info: Info, code: str) -> City | None:
        record = await city_by_code(info.context, code)
        return None if record is None else cls.from_record(record)

    @classmethod
    def from_record(cls, record: legacy.City) -> City:
        return cls(code=strawberry.ID(record.code), name=record.name)


@strawberry.federation.type(keys=["code"], description="A development zone (开发区) and its registered enterprises.")
class Park:
    code: strawberry.ID = strawberry.field(description="Zone code: the city's division code and the kind, 340100-HTZ.")
    name: str = strawberry.field(description="Name (开发区名称).")
    level: ParkLevel = strawberry.field(description="National (国家级) or provincial (省级).")
    approved_on: Date = strawberry.field(description="Date of approval (批准日期).")
    enterprise_count: int = strawberry.field(description="Registered enterprises in the zone (企业数量).")
    city_code: strawberry.Private[str]

    @described("The city the zone belongs to (所属地市).")
    async def city(self, info: Info) -> City | None:
        record = await city_by_code(info.context, self.city_code)
        return None if record is None else City.from_record(record)

    @described("Enterprises registered in the zone (园区企业), optionally of one industry.")
    async def enterprises(
        self,
        info: Info,
        first: int | None = 20,
        after: str | None = None,
        industry_code: Annotated[str | None, strawberry.argument(description="GB/T 4754 section letter.")] = None,
    ) -> Connection[Enterprise]:
        where = EnterpriseFilter(park_code=self.code, industry_code=industry_code)
        return await search_enterprises(info, where, first, after)

    @classmethod
    async def resolve_reference(cls, info: Info, code: str) -> Park | None:
        record = await park_loader(info.context).load(code)
        return None if record is None else cls.from_record(record)

    @classmethod
    def from_record(cls, record: legacy.Park) -> Park:
        return cls(
            code=strawberry.ID(record.code),
            name=record.name,
            level=ParkLevel(record.level.value),
            approved_on=record.approved,
            enterprise_count=record.enterprise_count,
            city_code=record.city_code,
        )


@strawberry.federation.type(
    keys=["uscc"], description="An enterprise (企业) as registered with market regulation (市场监管登记)."
)
class Enterprise:
    uscc: USCC = strawberry.field(description="Unified social credit code (统一社会信用代码).")
    # Shareable: the logistics subgraph @provides it under Shipment.consignee.
    name: str = strawberry.federation.field(shareable=True, description="Registered name (企业名称).")
    registered_capital: Money = strawberry.field(description="Registered capital in yuan (注册资本).")
    established_on: Date = strawberry.field(description="Date of establishment (成立日期).")
    industry: Industry = strawberry.field(description="Industry section (所属行业, GB/T 4754).")
    annual_output: Money | None = strawberry.field(description="Annual output value in yuan (年产值).")
    registration_status: str = strawberry.field(description="Registration status as registered (登记状态), e.g. 存续.")
    record: strawberry.Private[legacy.Enterprise]

    @described("Legal representative (法定代表人). Personal data: masked unless authorised.")
    def legal_representative(self, info: Info) -> str | None:
        return info.context.personal.name(self.record.legal_representative)

    @described("Contact phone (联系电话). Personal data: masked unless authorised.")
    def contact_phone(self, info: Info) -> str | None:
        return info.context.personal.phone(self.record.phone or None)

    @described("The development zone the enterprise is registered in (所在开发区).")
    async def park(self, info: Info) -> Park | None:
        if self.record.park_code is None:
            return None
        record = await park_loader(info.context).load(self.record.park_code)
        return None if record is None else Park.from_record(record)

    @described("The city of registration (所在地市).")
    async def city(self, info: Info) -> City | None:
        record = await city_by_code(info.context, self.record.city_code)
        return None if record is None else City.from_record(record)

    @classmethod
    async def resolve_reference(cls, info: Info, uscc: str) -> Enterprise | None:
        # Representations bypass scalar parsing: check the key here, before any legacy call.
        try:
            validate_uscc(uscc)
        except InvalidIdentifier as exc:
            raise BadUserInput(str(exc)) from exc
        record = await enterprise_loader(info.context).load(uscc)
        if record is None:
            return None
        # _entities straight from another tenant's query plan, or forged: the tenant still decides.
        require_enterprise(info.context.tenant, uscc, city_code=record.city_code, park_code=record.park_code)
        return cls.from_record(record)

    @classmethod
    def from_record(cls, record: legacy.Enterprise) -> Enterprise:
        return cls(
            uscc=USCC(record.uscc),
            name=record.name,
            registered_capital=money(record.registered_capital),
            established_on=record.established,
            industry=Industry(code=record.industry_code, name=record.industry_name),
            annual_output=None if record.annual_output is None else money(record.annual_output),
            registration_status=record.status,
            record=record,
        )


async def search_enterprises(
    info: Info, where: EnterpriseFilter, first: int | None, after: str | None
) -> Connection[Enterprise]:
    """One page of the registry's enterprise list as a connection (one or two legacy calls), within the tenant."""
    page = page_request(first, after)
    scope = list_scope(info.context.tenant, city_code=where.city_code, park_code=where.park_code)
    if scope.nothing:
        return connection_from_page([], offset=page.offset, total_count=0)
    where = replace(where, city_code=scope.city_code, park_code=scope.park_code)
    if scope.uscc is not None:  # an enterprise tenant: at most itself, if it matches the filter
        record = await enterprise_loader(info.context).load(scope.uscc)
        own = [record] if record is not None and _matches(record, where) else []
        nodes = [Enterprise.from_record(r) for r in own[page.offset : page.offset + page.limit]]
        return connection_from_page(nodes, offset=page.offset, total_count=len(own))
    result = await info.context.client.search_enterprises(where, offset=page.offset, limit=page.limit)
    nodes = [Enterprise.from_record(record) for record in result.items]
    return connection_from_page(nodes, offset=page.offset, total_count=result.total)


def _matches(record: legacy.Enterprise, where: EnterpriseFilter) -> bool:
    return (
        (where.park_code is None or record.park_code == where.park_code)
        and (where.city_code is None or record.city_code == where.city_code)
        and (where.industry_code is None or record.industry_code == where.industry_code)
        and (where.name_contains is None or where.name_contains in record.name)
    )
