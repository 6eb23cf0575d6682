"""The social insurance service's client: every lookup is a batch of at most 20, as the service allows.

Batches that exceed the limit are split and sent concurrently (bounded by a
semaphore); contribution ranges longer than the service's 36 months are split
into windows. ``calls`` counts SOAP requests per operation, so tests can prove
that N enterprises cost ``ceil(N / 20)`` calls, not N.
"""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TypeVar

import httpx

from adapters.batching import chunks, gather
from adapters.errors import LegacyTimeout, LegacyUnavailable
from adapters.resilience import LegacyGuard, last_good, legacy_http
from adapters.socialsecurity import mapping, soap
from adapters.socialsecurity.models import (
    InsuranceType,
    InsuredPerson,
    InsuredUnit,
    MonthlyContribution,
    ParkInsurance,
    PersonPage,
)
from adapters.socialsecurity.soap import SYSTEM

SERVICE_PATH = "/sbws/services/SiQueryService"
MAX_BATCH = 20
MAX_MONTHS = 36
MAX_PAGE_SIZE = 100

T = TypeVar("T")


class SocialSecurityClient:
    """Client for the SOAP service at ``base_url``; pass ``transport`` to test without a network."""

    system = SYSTEM

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
        concurrency: int = 4,
        service_path: str = SERVICE_PATH,
        guard: LegacyGuard | None = None,
    ) -> None:
        self._http = legacy_http(base_url, transport, timeout)
        self.guard = guard or LegacyGuard(SYSTEM, timeout=timeout)
        self._path = service_path
        self._slots = asyncio.Semaphore(concurrency)
        self.calls: Counter[str] = Counter()

    async def __aenter__(self) -> SocialSecurityClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @last_good
    async def units(self, usccs: Sequence[str]) -> dict[str, InsuredUnit]:
        """The insured units among ``usccs``; enterprises the service does not know are left out."""
        answers = await gather(
            self._call("queryUnits", [("aab998", u) for u in chunk]) for chunk in _batches(usccs, MAX_BATCH)
        )
        units = [mapping.unit(node) for answer in answers for node in answer.findall("unit")]
        return {u.uscc: u for u in units}

    @last_good
    async def contributions(
        self,
        usccs: Sequence[str],
        first: date,
        last: date,
        insurance_type: InsuranceType | None = None,
    ) -> dict[str, list[MonthlyContribution]]:
        """Each unit's monthly contributions from ``first`` to ``last`` (months, inclusive), oldest first."""
        if (first.year, first.month) > (last.year, last.month):
            return {u: [] for u in usccs}
        calls = []
        for window_first, window_last in _windows(first, last):
            for chunk in _batches(usccs, MAX_BATCH):
                fields = [("aab998", u) for u in chunk]
                fields += [("qsny", mapping.period(window_first)), ("zzny", mapping.period(window_last))]
                if insurance_type is not None:
                    fields.append(("aae140", mapping.INSURANCE_CODE_OF[insurance_type]))
                calls.append(self._call("queryUnitContributions", fields))
        answers = await gather(calls)
        result: dict[str, list[MonthlyContribution]] = {u: [] for u in usccs}
        for answer in answers:
            for node in answer.findall("jfmx"):
                row = mapping.contribution(node)
                if row.uscc in result:
                    result[row.uscc].append(row)
        for rows in result.values():
            rows.sort(key=lambda r: (r.month, mapping.INSURANCE_CODE_OF[r.insurance_type]))
        return result

    @last_good
    async def persons(self, resident_ids: Sequence[str]) -> dict[str, InsuredPerson]:
        """Insured persons by resident ID; unknown IDs are left out."""
        answers = await gather(
            self._call("queryPersons", [("aac002", r) for r in chunk]) for chunk in _batches(resident_ids, MAX_BATCH)
        )
        persons = [mapping.person(node) for answer in answers for node in answer.findall("person")]
        return {p.resident_id: p for p in persons}

    @last_good
    async def unit_persons(self, uscc: str, page: int = 1, page_size: int = MAX_PAGE_SIZE) -> PersonPage:
        """One page (from 1) of a unit's insured persons, in the service's order."""
        answer = await self._call(
            "queryUnitPersons", [("aab998", uscc), ("pageNo", str(page)), ("pageSize", str(page_size))]
        )
        persons = tuple(mapping.person(node) for node in answer.findall("person"))
        try:
            total = int(answer.findtext("total") or "")
        except ValueError:
            total = len(persons)
        return PersonPage(total, persons)

    @last_good
    async def park_insurance(self, park_codes: Sequence[str]) -> dict[str, ParkInsurance]:
        """Insured units and persons per development zone."""
        answers = await gather(
            self._call("queryParkStatistics", [("yqbm", c) for c in chunk]) for chunk in _batches(park_codes, MAX_BATCH)
        )
        parks = [mapping.park(node) for answer in answers for node in answer.findall("yq")]
        return {p.park_code: p for p in parks}

    async def _call(self, operation: str, fields: Iterable[tuple[str, str]]) -> ET.Element:
        body = soap.envelope(operation, fields)
        return await self.guard.call(operation, lambda limit: self._once(operation, body, limit))

    async def _once(self, operation: str, body: bytes, limit: float) -> ET.Element:
        async with self._slots:
            self.calls[operation] += 1
            try:
                response = await self._http.post(
                    self._path, content=body, headers=soap.headers(operation), timeout=limit
                )
            except httpx.TimeoutException as exc:
                raise LegacyTimeout(SYSTEM, f"{operation}: no answer in time") from exc
            except httpx.TransportError as exc:
                raise LegacyUnavailable(SYSTEM, f"{operation}: {exc.__class__.__name__}") from exc
        return soap.answer(response, operation)


def _batches(items: Sequence[str], size: int) -> list[list[str]]:
    """``items`` without repeats in runs of ``size``: the service answers a code once whatever it is asked."""
    return chunks(list(dict.fromkeys(items)), size)


def _windows(first: date, last: date) -> list[tuple[date, date]]:
    """``first..last`` in windows of at most :data:`MAX_MONTHS` months."""
    start = first.year * 12 + first.month - 1
    end = last.year * 12 + last.month - 1
    windows = []
    while start <= end:
        stop = min(end, start + MAX_MONTHS - 1)
        windows.append((date(start // 12, start % 12 + 1, 1), date(stop // 12, stop % 12 + 1, 1)))
        start = stop + 1
    return windows
