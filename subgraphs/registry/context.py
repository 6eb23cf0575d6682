"""The registry subgraph's request context and its DataLoaders (one batch call per ≤50 keys, per request)."""

from __future__ import annotations

from dataclasses import dataclass, field

from adapters.registry import BATCH_LIMIT, RegistryClient
from adapters.registry import models as legacy
from subgraphs.common import Loader, SubgraphContext, ordered

_ALL = "all"
MAX_PAGE = 100


@dataclass
class RegistryContext(SubgraphContext):
    client: RegistryClient = field(kw_only=True)


def enterprise_loader(context: RegistryContext) -> Loader[str, legacy.Enterprise | None]:
    """Enterprises by USCC through the registry's batch lookup (50 codes per call)."""
    return context.loaders.get(context.client.fetch_enterprises, max_batch_size=BATCH_LIMIT)


def park_loader(context: RegistryContext) -> Loader[str, legacy.Park | None]:
    """Parks by code through the registry's batch lookup (50 codes per call)."""
    return context.loaders.get(context.client.fetch_parks, max_batch_size=BATCH_LIMIT)


async def all_cities(context: RegistryContext) -> list[legacy.City]:
    """The province's cities, asked once per request (16 of them: cheaper than any lookup by code)."""
    client = context.client

    async def load(keys: list[str]) -> list[list[legacy.City]]:
        cities = await client.list_cities()
        return [cities for _ in keys]

    return await context.loaders.get(load, name="registry.cities").load(_ALL)


async def all_parks(context: RegistryContext) -> list[legacy.Park]:
    """Every development zone (about 40), asked once per request; a city's parks are picked from it."""
    client = context.client

    async def load(keys: list[str]) -> list[list[legacy.Park]]:
        parks: list[legacy.Park] = []
        while True:
            page = await client.list_parks(offset=len(parks), limit=MAX_PAGE)
            parks.extend(page.items)
            if not page.items or len(parks) >= page.total:
                return [parks for _ in keys]

    return await context.loaders.get(load, name="registry.parks").load(_ALL)


async def city_by_code(context: RegistryContext, code: str) -> legacy.City | None:
    return ordered([code], await all_cities(context), lambda city: city.code)[0]


async def province(context: RegistryContext) -> legacy.Province:
    client = context.client

    async def load(keys: list[str]) -> list[legacy.Province]:
        answer = await client.fetch_province()
        return [answer for _ in keys]

    return await context.loaders.get(load, name="registry.province").load(_ALL)
