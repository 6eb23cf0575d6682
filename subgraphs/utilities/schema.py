"""The utilities subgraph's schema: the entity extensions and the drop report at the root."""

from __future__ import annotations

import strawberry

from subgraphs.common import Connection, connection_from_page, create_federation_schema, page_request
from subgraphs.common.fields import federated
from subgraphs.common.schema import SubgraphSchema
from subgraphs.common.tenancy import require_province
from subgraphs.utilities import loaders
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


def build_schema() -> SubgraphSchema:
    return create_federation_schema(
        domain="utilities", query=Query, types=[Enterprise, Park, City], park_of=loaders.park_of
    )
