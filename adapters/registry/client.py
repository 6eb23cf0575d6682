"""Client of the market-regulation registry: envelopes, batch limits, page numbers, error translation.

Errors (the tree of ``adapters/errors.py``, ``system="registry"``):

* envelope code ``1004``/``1005``/``1006`` (no such enterprise, park, division) → ``NotFound``;
* envelope code ``9999`` (系统繁忙) → ``LegacyUnavailable``; any other code → ``Rejected`` with ``legacy_code``;
* HTTP 5xx or 429, refused or reset connections → ``LegacyUnavailable``; other HTTP errors → ``Rejected``;
* no answer within ``timeout`` → ``LegacyTimeout``;
* an answer that is not the envelope, or records that cannot be mapped → ``BadData``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from decimal import InvalidOperation
from types import TracebackType
from typing import Any, TypeVar

import httpx

from adapters.errors import BadData, LegacyTimeout, LegacyUnavailable, NotFound, Rejected
from adapters.registry import mapping
from adapters.registry.models import City, Enterprise, EnterpriseFilter, Page, Park, Province
from adapters.resilience import LegacyGuard, last_good, legacy_http

T = TypeVar("T")

SYSTEM = "registry"
BASE = "/scjg/api/v1"
BATCH_LIMIT = 50  # codes per batch lookup: the registry answers 1010 above it
MAX_PAGE_SIZE = 100
_NOT_FOUND_CODES = {"1004", "1005", "1006"}
_BUSY_CODE = "9999"
_MAPPING_ERRORS = (KeyError, ValueError, TypeError, InvalidOperation)


class RegistryClient:
    """Async client of the registry; use as ``async with RegistryClient(url) as client``."""

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 5.0,
        max_concurrency: int = 8,
        guard: LegacyGuard | None = None,
    ) -> None:
        self._http = legacy_http(base_url.rstrip("/"), transport, timeout)
        self.guard = guard if guard is not None else LegacyGuard(SYSTEM, timeout=timeout)
        # Chunks of a large batch go out in parallel, but never more than this many at once.
        self._slots = asyncio.Semaphore(max_concurrency)

    async def __aenter__(self) -> RegistryClient:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # Enterprises

    @last_good
    async def fetch_enterprise(self, uscc: str) -> Enterprise:
        """One enterprise; ``NotFound`` if the registry does not know it."""
        return _map(mapping.enterprise, await self._call("GET", f"{BASE}/qy/{uscc}"))

    @last_good
    async def fetch_enterprises(self, usccs: Sequence[str]) -> list[Enterprise | None]:
        """Enterprises for ``usccs`` in the same order (``None`` where unknown), ``BATCH_LIMIT`` codes per call."""
        found = await self._batch(f"{BASE}/qy/plcx", "tyshxydmList", usccs, mapping.enterprise)
        by_code = {e.uscc: e for e in found}
        return [by_code.get(code) for code in usccs]

    @last_good
    async def search_enterprises(
        self, where: EnterpriseFilter | None = None, *, offset: int = 0, limit: int = 20
    ) -> Page[Enterprise]:
        """The enterprises matching ``where`` from ``offset`` on, at most ``limit`` of them."""
        where = where or EnterpriseFilter()
        params = {
            "kfqdm": where.park_code,
            "xzqhdm": where.city_code,
            "sshy": where.industry_code,
            "qymc": where.name_contains,
        }
        return await self._window(f"{BASE}/qy", params, offset, limit, mapping.enterprise)

    # Parks, cities, province

    @last_good
    async def fetch_parks(self, codes: Sequence[str]) -> list[Park | None]:
        """Parks for ``codes`` in the same order (``None`` where unknown), ``BATCH_LIMIT`` codes per call."""
        found = await self._batch(f"{BASE}/kfq/plcx", "kfqdmList", codes, mapping.park)
        by_code = {p.code: p for p in found}
        return [by_code.get(code) for code in codes]

    @last_good
    async def list_parks(self, city_code: str | None = None, *, offset: int = 0, limit: int = 20) -> Page[Park]:
        """Development zones, all or one city's; ``NotFound`` for an unknown city."""
        return await self._window(f"{BASE}/kfq", {"xzqhdm": city_code}, offset, limit, mapping.park)

    @last_good
    async def list_cities(self) -> list[City]:
        """Every prefecture-level city of the province (a bounded list: one or two pages)."""
        cities: list[City] = []
        while True:
            page = await self._window(f"{BASE}/xzqh/ds", {}, len(cities), MAX_PAGE_SIZE, mapping.city)
            cities.extend(page.items)
            if not page.items or len(cities) >= page.total:
                return cities

    @last_good
    async def fetch_province(self) -> Province:
        return _map(mapping.province, await self._call("GET", f"{BASE}/xzqh/sheng"))

    # Plumbing

    async def _batch(
        self, path: str, field: str, codes: Sequence[str], convert: Callable[[dict[str, Any]], T]
    ) -> list[T]:
        unique = list(dict.fromkeys(codes))
        chunks = [unique[i : i + BATCH_LIMIT] for i in range(0, len(unique), BATCH_LIMIT)]
        answers = await asyncio.gather(*(self._call("POST", path, json={field: chunk}) for chunk in chunks))
        records: list[T] = []
        for data in answers:
            if not isinstance(data, list):
                raise BadData(SYSTEM, f"batch answer is not a list: {type(data).__name__}")
            records.extend(_map(convert, record) for record in data)
        return records

    async def _window(
        self,
        path: str,
        filters: dict[str, str | None],
        offset: int,
        limit: int,
        convert: Callable[[dict[str, Any]], T],
    ) -> Page[T]:
        """Items ``offset .. offset+limit`` of a page-numbered list: one page, or two when the window straddles."""
        if offset < 0 or not 0 <= limit <= MAX_PAGE_SIZE:
            raise ValueError(f"bad window offset={offset} limit={limit}")
        params = {k: v for k, v in filters.items() if v}
        size = max(limit, 1)
        first_page = offset // size + 1
        pages = [first_page] if offset % size == 0 else [first_page, first_page + 1]
        answers = await asyncio.gather(
            *(self._call("GET", path, params={**params, "pageNo": n, "pageSize": size}) for n in pages)
        )
        items: list[T] = []
        total = 0
        for data in answers:
            try:
                total = int(data["total"])
                records = data["list"]
            except (*_MAPPING_ERRORS, AttributeError) as exc:
                raise BadData(SYSTEM, f"page without total/list: {exc!r}") from exc
            items.extend(_map(convert, record) for record in records)
        start = offset - (first_page - 1) * size
        return Page(tuple(items[start : start + limit]), total)

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        """One HTTP call through the guard (deadline, breaker, retries for reads), its envelope unwrapped."""
        return await self.guard.call(f"{method} {path}", lambda limit: self._once(method, path, limit, **kwargs))

    async def _once(self, method: str, path: str, limit: float, **kwargs: Any) -> Any:
        """One HTTP call, its envelope unwrapped; every failure translated to the adapter error tree."""
        async with self._slots:
            try:
                response = await self._http.request(method, path, timeout=limit, **kwargs)
            except httpx.TimeoutException as exc:
                raise LegacyTimeout(SYSTEM, f"no answer to {method} {path} in time") from exc
            except httpx.TransportError as exc:
                raise LegacyUnavailable(SYSTEM, f"{method} {path} failed: {exc!r}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise LegacyUnavailable(SYSTEM, f"HTTP {response.status_code} for {method} {path}")
        if response.status_code != 200:
            raise Rejected(SYSTEM, f"HTTP {response.status_code} for {method} {path}", f"HTTP {response.status_code}")
        try:
            envelope = response.json()
            code, msg = envelope["code"], envelope.get("msg", "")
        except (ValueError, KeyError, TypeError) as exc:
            raise BadData(SYSTEM, f"{method} {path} answered without the envelope: {response.text[:80]!r}") from exc
        if code == "0000":
            return envelope.get("data")
        if code in _NOT_FOUND_CODES:
            raise NotFound(SYSTEM, f"{msg} ({code})")
        if code == _BUSY_CODE:
            raise LegacyUnavailable(SYSTEM, f"{msg} ({code})")
        raise Rejected(SYSTEM, f"{msg} ({code})", str(code))


def _map(convert: Callable[[dict[str, Any]], T], record: Any) -> T:
    if not isinstance(record, dict):
        raise BadData(SYSTEM, f"record is not an object: {type(record).__name__}")
    try:
        return convert(record)
    except _MAPPING_ERRORS as exc:
        raise BadData(SYSTEM, f"cannot read record: {exc!r}") from exc
