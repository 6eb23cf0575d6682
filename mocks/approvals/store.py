"""The approval platform's in-memory case store: queries, workflow rules and idempotent writes.

Kept apart from the HTTP layer so that the workflow (which status may follow
which, who may apply for what) reads in one place. Errors are
:class:`PlatformError` with the platform's own error codes; the HTTP layer
puts them into its envelope.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from mocks.data.approvals import (
    FINAL_STATUSES,
    ITEMS_BY_CODE,
    STATUSES,
    TIME_FORMAT,
    TRANSITIONS,
    ApprovalRecord,
    authority_for,
    case_number,
    generate_cases,
)
from mocks.data.province import Province

_CST = timezone(timedelta(hours=8))


class PlatformError(Exception):
    """A business error the platform reports inside an HTTP 200 envelope."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class CaseStore:
    """All cases of the province plus the ones submitted since start-up."""

    def __init__(self, province: Province) -> None:
        self.province = province
        self._cases: dict[str, ApprovalRecord] = {r.case_no: r for r in generate_cases(province)}
        self._by_uscc: dict[str, list[str]] = {}
        for record in self._cases.values():
            self._by_uscc.setdefault(record.uscc, []).append(record.case_no)
        self._serial = itertools.count(len(self._cases) + 1)
        # (operation, idempotency key) → the first answer, replayed as it was.
        self._idempotent: dict[tuple[str, str], ApprovalRecord] = {}

    def get(self, case_no: str) -> ApprovalRecord | None:
        return self._cases.get(case_no)

    def search(self, usccs: Iterable[str], status: str | None, park_codes: Iterable[str]) -> list[ApprovalRecord]:
        """Cases of the given applicants (or parks), newest submission first, as the platform lists them."""
        wanted_parks = set(park_codes)
        if wanted_parks:
            records = [r for r in self._cases.values() if r.park_code in wanted_parks]
        else:
            records = [self._cases[n] for uscc in usccs for n in self._by_uscc.get(uscc, [])]
        if status:
            records = [r for r in records if r.status == status]
        records.sort(key=lambda r: (r.submitted_at, r.case_no), reverse=True)
        return records

    def park_counts(self, park_codes: Iterable[str]) -> list[tuple[str, str, int]]:
        wanted = set(park_codes)
        counts: dict[tuple[str, str], int] = {}
        for record in self._cases.values():
            if record.park_code in wanted:
                counts[(record.park_code, record.status)] = counts.get((record.park_code, record.status), 0) + 1
        return [(park, status, n) for (park, status), n in sorted(counts.items())]

    def submit(
        self, key: str, item_code: str, uscc: str, contact_name: str, contact_phone: str, description: str
    ) -> ApprovalRecord:
        """A new case; a repeated key returns the first case, whatever the body says (as the platform does)."""
        if (first := self._idempotent.get(("submit", key))) is not None:
            return first
        item = ITEMS_BY_CODE.get(item_code)
        if item is None:
            raise PlatformError("E4001", f"事项编码不存在: {item_code}")
        enterprise = self.province.enterprise(uscc)
        if enterprise is None:
            raise PlatformError("E4002", f"申请人统一社会信用代码未登记: {uscc}")
        if not contact_name or not contact_phone:
            raise PlatformError("E1001", "联系人和联系电话不能为空")
        now = datetime.now(_CST).replace(tzinfo=None, microsecond=0)
        record = ApprovalRecord(
            case_no=case_number(enterprise.city_code, now, next(self._serial)),
            item_code=item.code,
            item_name=item.name,
            authority=authority_for(item, self.province, enterprise.park_code),
            uscc=uscc,
            applicant_name=enterprise.name,
            park_code=enterprise.park_code,
            city_code=enterprise.city_code,
            contact_name=contact_name,
            contact_phone=contact_phone,
            description=description,
            status="01",
            submitted_at=now.strftime(TIME_FORMAT),
            accepted_at=None,
            completed_at=None,
        )
        self._cases[record.case_no] = record
        self._by_uscc.setdefault(uscc, []).append(record.case_no)
        self._idempotent[("submit", key)] = record
        return record

    def change_status(self, key: str, case_no: str, status: str) -> ApprovalRecord:
        """Moves a case along its workflow; a repeated key replays the first answer, without a second change."""
        if (first := self._idempotent.get((f"status:{case_no}", key))) is not None:
            return first
        record = self._cases.get(case_no)
        if record is None:
            raise PlatformError("E2001", f"办件不存在: {case_no}")
        if status not in STATUSES:
            raise PlatformError("E1001", f"办理状态代码无效: {status}")
        if status not in TRANSITIONS[record.status]:
            raise PlatformError("E3001", f"办理状态不能从{STATUSES[record.status]}变更为{STATUSES[status]}")
        now = datetime.now(_CST).strftime(TIME_FORMAT)
        record = replace(
            record,
            status=status,
            accepted_at=record.accepted_at or (now if status == "02" else None),
            completed_at=now if status in FINAL_STATUSES else None,
        )
        self._cases[case_no] = record
        self._idempotent[(f"status:{case_no}", key)] = record
        return record
