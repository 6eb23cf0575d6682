"""The logistics platform's client: follows cursors, honours Retry-After, batches lookups.

Reads go through the platform's :class:`~adapters.resilience.LegacyGuard` and
are retried by the shared helper (:func:`adapters.resilience.retrying`) at
most ``max_retries`` times: after a 429 the client waits what ``Retry-After``
says (never longer than ``max_retry_wait``), after a 502/503/504 or a dropped
connection it backs off exponentially with jitter from ``backoff``, never past
the request's deadline. Bookings are never retried
here: the caller retries with the same client reference, which the platform
deduplicates. ``calls`` counts the HTTP requests per operation, retries
included, so tests can prove that N entities do not cost N legacy calls.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import httpx

from adapters.batching import chunks, gather
from adapters.errors import BadData, LegacyTimeout, LegacyUnavailable, NotFound, Rejected
from adapters.logistics import mapping
from adapters.logistics.mapping import SYSTEM
from adapters.logistics.models import (
    ANY_SHIPMENT,
    Booking,
    BookingResult,
    PartyRole,
    Shipment,
    ShipmentFilter,
    ZoneStats,
)
from adapters.resilience import LegacyGuard, RetryPolicy, last_good, legacy_http

# The platform's limits.
MAX_CODES_PER_LIST = 20
MAX_WAYBILLS_PER_QUERY = 50
MAX_ZONES_PER_QUERY = 20
PAGE_SIZE = 100
MAX_PAGES = 1000  # a guard against a platform that never stops answering cursors

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]


class LogisticsClient:
    """Client for the platform at ``base_url``; pass ``transport`` to test without a network."""

    system = SYSTEM

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
        max_retries: int = 3,
        max_retry_wait: float = 10.0,
        backoff: float = 0.2,
        concurrency: int = 4,
        page_size: int = PAGE_SIZE,
        sleep: Sleep = asyncio.sleep,
        guard: LegacyGuard | None = None,
    ) -> None:
        if not 1 <= page_size <= PAGE_SIZE:
            raise ValueError(f"page_size must be within 1..{PAGE_SIZE}")
        self._page_size = page_size
        self._http = legacy_http(base_url, transport, timeout)
        retry = RetryPolicy(retries=max_retries, base=backoff, max_backoff=60.0, max_retry_wait=max_retry_wait)
        self.guard = guard or LegacyGuard(SYSTEM, timeout=timeout, retry=retry, sleep=sleep)
        self._slots = asyncio.Semaphore(concurrency)
        self.calls: Counter[str] = Counter()

    async def __aenter__(self) -> LogisticsClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @last_good
    async def shipments_of(
        self, usccs: Sequence[str], criteria: ShipmentFilter = ANY_SHIPMENT
    ) -> dict[str, list[Shipment]]:
        """Every shipment of each enterprise matching ``criteria``, oldest first (20 codes per listing)."""
        wanted = list(dict.fromkeys(usccs))
        batches = chunks(wanted, MAX_CODES_PER_LIST)
        pages = await gather(self._list_all(chunk, criteria) for chunk in batches)
        result: dict[str, list[Shipment]] = {uscc: [] for uscc in wanted}
        for chunk, page in zip(batches, pages, strict=True):
            # A listing also answers waybills whose other party sits in another chunk: those are counted there.
            mine = set(chunk)
            for item in page:
                if criteria.role is not PartyRole.CONSIGNEE and item.consignor_uscc in mine:
                    result[item.consignor_uscc].append(item)
                if (
                    criteria.role is not PartyRole.CONSIGNOR
                    and item.consignee_uscc in mine
                    and item.consignee_uscc != item.consignor_uscc
                ):
                    result[item.consignee_uscc].append(item)
        return result

    @last_good
    async def shipments(self, waybill_nos: Sequence[str]) -> dict[str, Shipment]:
        """The shipments with these waybill numbers (50 per request); unknown numbers are left out."""
        wanted = list(dict.fromkeys(waybill_nos))
        answers = await gather(
            self._read("query", "POST", "/api/v2/waybills/query", json={"waybill_nos": chunk})
            for chunk in chunks(wanted, MAX_WAYBILLS_PER_QUERY)
        )
        found: dict[str, Shipment] = {}
        for data in answers:
            for record in _field(data, "records", list):
                item = mapping.shipment(record)
                found[item.waybill_no] = item
        return found

    @last_good
    async def shipment(self, waybill_no: str) -> Shipment:
        """One shipment; ``NotFound`` if the platform does not know it."""
        data = await self._read("get", "GET", f"/api/v2/waybills/{waybill_no}")
        return mapping.shipment(data)

    @last_good
    async def zone_stats(self, park_codes: Sequence[str]) -> dict[str, ZoneStats]:
        """Totals per development zone (20 zones per request)."""
        wanted = list(dict.fromkeys(park_codes))
        answers = await gather(
            self._read("zone_stats", "GET", "/api/v2/stats/zones", params={"zone_cds": ",".join(chunk)})
            for chunk in chunks(wanted, MAX_ZONES_PER_QUERY)
        )
        stats = [mapping.zone_stats(row) for data in answers for row in _ensure(data, list)]
        return {s.park_code: s for s in stats}

    async def book(self, booking: Booking, client_reference: str) -> BookingResult:
        """Books a shipment once per ``client_reference``; a repeat answers the first booking.

        Not retried: a failed attempt is retried by the caller with the same
        reference. A reference reused for other content is ``Rejected`` with
        ``legacy_code="40901"``.
        """
        body = mapping.booking_body(booking, client_reference)

        async def attempt(limit: float) -> BookingResult:
            response = await self._send("book", "POST", "/api/v2/waybills", json=body, timeout=limit)
            data = _payload(response)
            return BookingResult(mapping.shipment(data), bool(response.json().get("duplicate")))

        return await self.guard.write("book", attempt)

    async def _list_all(self, usccs: Sequence[str], criteria: ShipmentFilter) -> list[Shipment]:
        """One listing, following ``next_cursor`` to its end."""
        params = mapping.list_params(criteria)
        codes = ",".join(usccs)
        if criteria.role is not PartyRole.CONSIGNEE:
            params["consignor_codes"] = codes
        if criteria.role is not PartyRole.CONSIGNOR:
            params["consignee_codes"] = codes
        params["limit"] = str(self._page_size)
        items: list[Shipment] = []
        seen_cursors: set[str] = set()
        for _ in range(MAX_PAGES):
            data = await self._read("list", "GET", "/api/v2/waybills", params=params)
            items.extend(mapping.shipment(record) for record in _field(data, "records", list))
            cursor = data.get("next_cursor") if isinstance(data, dict) else None
            if not cursor:  # "" on the last page (older versions send null)
                return items
            if cursor in seen_cursors:
                raise BadData(SYSTEM, "the platform repeated a paging cursor")
            seen_cursors.add(cursor)
            params = {**params, "cursor": str(cursor)}
        raise BadData(SYSTEM, f"listing did not end after {MAX_PAGES} pages")

    async def _read(self, operation: str, method: str, path: str, **kwargs: Any) -> Any:
        """A read through the guard: retried on 429 (after Retry-After), 5xx and dropped connections."""

        async def attempt(limit: float) -> Any:
            return _payload(await self._send(operation, method, path, timeout=limit, **kwargs))

        return await self.guard.call(operation, attempt)

    async def _send(self, operation: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        async with self._slots:
            self.calls[operation] += 1
            try:
                return await self._http.request(method, path, **kwargs)
            except httpx.TimeoutException as exc:
                raise LegacyTimeout(SYSTEM, f"{operation}: no answer in time") from exc
            except httpx.TransportError as exc:
                raise LegacyUnavailable(SYSTEM, f"{operation}: {exc.__class__.__name__}") from exc


def _payload(response: httpx.Response) -> Any:
    """The ``data`` of an answer, or the adapter error its status and ``ret`` stand for."""
    try:
        envelope = response.json()
    except ValueError as exc:
        if response.status_code >= 500 or response.status_code == 429:
            retry_after = _retry_after(response.headers.get("retry-after")) if response.status_code == 429 else None
            raise LegacyUnavailable(SYSTEM, f"HTTP {response.status_code}", retry_after=retry_after) from exc
        raise BadData(SYSTEM, f"HTTP {response.status_code} with a body that is not JSON") from exc
    if not isinstance(envelope, dict) or "ret" not in envelope:
        raise BadData(SYSTEM, "answer without the platform's envelope")
    ret, message = str(envelope.get("ret")), str(envelope.get("msg") or "")
    status = response.status_code
    if status == 429:
        raise LegacyUnavailable(
            SYSTEM, f"rate limited: {message}", retry_after=_retry_after(response.headers.get("retry-after"))
        )
    if status >= 500:
        raise LegacyUnavailable(SYSTEM, f"HTTP {status} ({ret}): {message}")
    if status == 404 or ret == "40400":
        raise NotFound(SYSTEM, message or "not found")
    if status >= 400 or ret != "0":
        raise Rejected(SYSTEM, message or f"refused with {ret}", legacy_code=ret)
    return envelope.get("data")


def _retry_after(raw: str | None) -> float | None:
    """``Retry-After`` as seconds: an integer, or an HTTP date."""
    if not raw:
        return None
    raw = raw.strip()
    if raw.isdigit():
        return float(raw)
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, float(when.timestamp()) - time.time())


def _field(data: Any, name: str, kind: type[T]) -> T:
    value = data.get(name) if isinstance(data, dict) else None
    return _ensure(value, kind)


def _ensure(value: Any, kind: type[T]) -> T:
    if not isinstance(value, kind):
        raise BadData(SYSTEM, f"expected {kind.__name__}, got {type(value).__name__}")
    return value
