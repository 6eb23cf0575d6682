"""Client of the one-stop online approval platform (行政审批) REST API.

Owns the platform's quirks: the ``{"code", "success", "msg", "data"}``
envelope with business errors inside HTTP 200, page-number paging whose page
size the platform may cut, counts sent as strings, and its batch limits
(20 applicants per list query, 50 case numbers per lookup, 10 parks per
statistics query). Requests over a limit are chunked and run with bounded
concurrency. Writes carry an ``Idempotency-Key`` header; the platform replays
its first answer for a repeated key, which is what makes retrying a write safe:
the adapter never retries a write itself (the outcome of a write that timed
out is unknown); the client retries with the same key. Reads go through the
system's :class:`~adapters.resilience.LegacyGuard` (deadline, breaker,
``retries`` jittered retries, last good data when the platform is down).

Raises only :mod:`adapters.errors`: ``E2xxx`` codes → :class:`NotFound`, other
business codes → :class:`Rejected`, HTTP 5xx/429 and connection failures →
:class:`LegacyUnavailable` (reads after ``retries`` retries), time-outs →
:class:`LegacyTimeout`, anything unreadable → :class:`BadData`.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Iterable, Sequence
from typing import Any, TypeVar

import httpx

from adapters.approvals.mapping import CODE_OF_STATUS, SYSTEM, status_of, to_case, to_count
from adapters.approvals.models import ApprovalCase, ApprovalStatus, NewApplication, ParkApprovalStats
from adapters.errors import BadData, LegacyTimeout, LegacyUnavailable, NotFound, Rejected
from adapters.resilience import LegacyGuard, RetryPolicy, last_good, legacy_http

MAX_APPLICANTS = 20
MAX_CASE_NUMBERS = 50
MAX_PARKS = 10
PAGE_SIZE = 100
_BASE = "/zwfw/api/v1"
_T = TypeVar("_T")


class ApprovalsClient:
    """Reads and writes approval cases; one instance per process, shared by requests."""

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 5.0,
        max_concurrency: int = 8,
        retries: int = 1,
        guard: LegacyGuard | None = None,
    ) -> None:
        self._http = legacy_http(base_url, transport, timeout)
        self._limit = asyncio.Semaphore(max_concurrency)
        self.guard = guard or LegacyGuard(SYSTEM, timeout=timeout, retry=RetryPolicy(retries=retries))

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> ApprovalsClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    @last_good
    async def cases_for_applicants(
        self, usccs: Iterable[str], status: ApprovalStatus | None = None
    ) -> dict[str, list[ApprovalCase]]:
        """Every case of each applicant (newest first), optionally only those in ``status``."""
        wanted = list(dict.fromkeys(usccs))
        result: dict[str, list[ApprovalCase]] = {uscc: [] for uscc in wanted}
        chunks = [wanted[i : i + MAX_APPLICANTS] for i in range(0, len(wanted), MAX_APPLICANTS)]
        for cases in await self._gather(self._all_pages({"tyshxydm": ",".join(chunk)}, status) for chunk in chunks):
            for case in cases:
                if case.applicant_uscc in result:
                    result[case.applicant_uscc].append(case)
        return result

    @last_good
    async def cases_by_id(self, case_ids: Iterable[str]) -> dict[str, ApprovalCase]:
        """The cases that exist among ``case_ids`` (the platform silently leaves out unknown numbers)."""
        wanted = list(dict.fromkeys(case_ids))
        chunks = [wanted[i : i + MAX_CASE_NUMBERS] for i in range(0, len(wanted), MAX_CASE_NUMBERS)]

        async def lookup(chunk: list[str]) -> list[ApprovalCase]:
            data = await self._call("POST", f"{_BASE}/bjxx/plcx", json={"sblsh": chunk})
            return [to_case(record) for record in _field(data, "list", list)]

        return {case.id: case for cases in await self._gather(lookup(c) for c in chunks) for case in cases}

    @last_good
    async def park_statistics(self, park_codes: Iterable[str]) -> dict[str, ParkApprovalStats]:
        """Case counts by status for each park (parks without cases get empty counts)."""
        wanted = list(dict.fromkeys(park_codes))
        chunks = [wanted[i : i + MAX_PARKS] for i in range(0, len(wanted), MAX_PARKS)]

        async def statistics(chunk: list[str]) -> list[Any]:
            data = await self._call("GET", f"{_BASE}/tj/yqbjl", params={"yqbm": ",".join(chunk)})
            if not isinstance(data, list):
                raise BadData(SYSTEM, "statistics answer is not a list")
            return data

        counts: dict[str, dict[ApprovalStatus, int]] = {code: {} for code in wanted}
        for rows in await self._gather(statistics(c) for c in chunks):
            for row in rows:
                if not isinstance(row, dict) or row.get("yqbm") not in counts:
                    raise BadData(SYSTEM, f"unexpected statistics row {row!r:.80}")
                status = status_of(row.get("blzt"))
                park = counts[row["yqbm"]]
                park[status] = park.get(status, 0) + to_count(row.get("sl"))
        return {code: ParkApprovalStats(code, by_status) for code, by_status in counts.items()}

    async def submit_application(self, application: NewApplication, idempotency_key: str) -> ApprovalCase:
        """Files a new case; the same key always returns the case the first call created."""
        body = {
            "sxbm": application.item_code,
            "tyshxydm": application.applicant_uscc,
            "lxr": application.contact_name,
            "lxdh": application.contact_phone,
            "sqsm": application.description,
        }
        data = await self._write("POST", f"{_BASE}/bjxx", json=body, headers={"Idempotency-Key": idempotency_key})
        return to_case(data)

    async def change_status(
        self, case_id: str, status: ApprovalStatus, idempotency_key: str, comment: str = ""
    ) -> ApprovalCase:
        """Moves a case along the workflow; the same key replays the first answer without a second change."""
        data = await self._write(
            "POST",
            f"{_BASE}/bjxx/{case_id}/blzt",
            json={"blzt": CODE_OF_STATUS[status], "clyj": comment},
            headers={"Idempotency-Key": idempotency_key},
        )
        return to_case(data)

    async def _all_pages(self, params: dict[str, str], status: ApprovalStatus | None) -> list[ApprovalCase]:
        """Every record of a list query: page 1 tells the total and the page size the platform really uses."""
        query = {**params, "pageSize": str(PAGE_SIZE)}
        if status is not None:
            query["blzt"] = CODE_OF_STATUS[status]

        async def page(number: int) -> tuple[int, int, list[ApprovalCase]]:
            data = await self._call("GET", f"{_BASE}/bjxx", params={**query, "pageNo": str(number)})
            total = to_count(_field(data, "total", object))
            size = to_count(_field(data, "pageSize", object))
            if size < 1:
                raise BadData(SYSTEM, f"page size {size}")
            return total, size, [to_case(record) for record in _field(data, "list", list)]

        total, size, first = await page(1)
        rest = await self._gather(page(n) for n in range(2, math.ceil(total / size) + 1))
        # A case submitted while we page shifts the pages by one: drop the duplicate it causes.
        seen: dict[str, ApprovalCase] = {}
        for case in [*first, *(case for _t, _s, cases in rest for case in cases)]:
            seen.setdefault(case.id, case)
        return list(seen.values())

    async def _gather(self, calls: Iterable[Awaitable[_T]]) -> Sequence[_T]:
        async def bounded(call: Awaitable[_T]) -> _T:
            async with self._limit:
                return await call

        return await asyncio.gather(*(bounded(c) for c in calls))

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        """One read through the guard: deadline, breaker, jittered retries."""
        return await self.guard.call(f"{method} {path}", lambda limit: self._once(method, path, limit, **kwargs))

    async def _write(self, method: str, path: str, **kwargs: Any) -> Any:
        """One write through the guard, never retried: a lost answer is the client's to retry with its key."""
        return await self.guard.write(f"{method} {path}", lambda limit: self._once(method, path, limit, **kwargs))

    async def _once(self, method: str, path: str, limit: float, **kwargs: Any) -> Any:
        try:
            response = await self._http.request(method, path, timeout=limit, **kwargs)
        except httpx.TimeoutException as exc:
            raise LegacyTimeout(SYSTEM, f"{method} {path} timed out") from exc
        except httpx.TransportError as exc:
            raise LegacyUnavailable(SYSTEM, f"{method} {path}: {exc.__class__.__name__}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise LegacyUnavailable(SYSTEM, f"{method} {path}: HTTP {response.status_code}")
        if response.status_code != 200:
            raise Rejected(SYSTEM, f"{method} {path}: HTTP {response.status_code}")
        try:
            envelope = response.json()
        except ValueError as exc:
            raise BadData(SYSTEM, f"{method} {path}: answer is not JSON") from exc
        if not isinstance(envelope, dict) or "code" not in envelope:
            raise BadData(SYSTEM, f"{method} {path}: answer has no envelope")
        code = str(envelope["code"])
        if code == "200":
            return envelope.get("data")
        message = str(envelope.get("msg", ""))
        if code.startswith("E2"):
            raise NotFound(SYSTEM, message)
        if code.startswith("E"):
            raise Rejected(SYSTEM, message, legacy_code=code)
        raise LegacyUnavailable(SYSTEM, f"platform error {code}: {message}")


def _field(data: Any, name: str, kind: type[_T]) -> _T:
    if not isinstance(data, dict) or not isinstance(data.get(name), kind):
        raise BadData(SYSTEM, f"answer lacks {name!r}")
    value: _T = data[name]
    return value
