"""The utilities subgraph's schema: the entity extensions and the drop report at the root."""

from __future__ import annotations

from collections.abc import AsyncIterator

import strawberry
from strawberry.federation.schema_directives import Authenticated

from subgraphs.common import Connection, connection_from_page, create_federation_schema, page_request
from subgraphs.common.fields import federated, subscribed
from subgraphs.common.schema import SubgraphSchema
from subgraphs.common.tenancy import require_province
from subgraphs.utilities import live, loaders
from subgraphs.utilities.entities import City, Enterprise, Park
from subgraphs.utilities.types import Info, MeterDropFile


@strawberry.type
class Query:
    @federated(
        "The metering platform's daily drop files, newest first, with the rows that could not be "
        "loaded (能耗数据落地报告): the data-quality view for operators.",
        authenticated=True,
    )
    async def meter_drop_files(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[MeterDropFile]:
        # The bad rows name every tenant's enterprises and meters: an operators' view for the province.
        require_province(info.context.tenant, "the drop report")
        page = page_request(first, after)
        files = await info.context.utilities.drop_files()
        items = [MeterDropFile.of(f) for f in files[page.offset : page.offset + page.limit]]
        return connection_from_page(items, offset=page.offset, total_count=len(files))


@strawberry.type
class Subscription:
    @subscribed(
        "A park's live electrical load (园区实时负荷): its electricity meters sampled from the metering "
        "platform's live feed at an interval, the total in kW and each meter's load. FORBIDDEN for a park "
        "outside the caller's tenant, NOT_FOUND for a park without meters.",
        directives=[Authenticated()],
    )
    async def park_live_load(self, info: Info, park_code: str) -> AsyncIterator[live.ParkLiveLoad]:
        return await live.park_live_load(info, park_code)


def build_schema() -> SubgraphSchema:
    return create_federation_schema(
        domain="utilities",
        query=Query,
        subscription=Subscription,
        types=[Enterprise, Park, City],
        park_of=loaders.park_of,
    )
