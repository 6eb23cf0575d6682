"""Maps the platform's pinyin records and code tables to :mod:`adapters.approvals.models`.

Every legacy field name of the platform appears here or in the client, nowhere
else. Malformed records raise :class:`adapters.errors.BadData`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from adapters.approvals.models import ApprovalCase, ApprovalStatus
from adapters.errors import BadData

SYSTEM = "approvals"
CST = timezone(timedelta(hours=8))
_TIME_FORMAT = "%Y%m%d%H%M%S"

# The platform's 办理状态 code table.
STATUS_CODES: Mapping[str, ApprovalStatus] = {
    "01": ApprovalStatus.SUBMITTED,
    "02": ApprovalStatus.ACCEPTED,
    "03": ApprovalStatus.UNDER_REVIEW,
    "04": ApprovalStatus.SUPPLEMENT_REQUIRED,
    "05": ApprovalStatus.APPROVED,
    "06": ApprovalStatus.DENIED,
    "07": ApprovalStatus.WITHDRAWN,
}
CODE_OF_STATUS: Mapping[ApprovalStatus, str] = {status: code for code, status in STATUS_CODES.items()}


def parse_time(value: Any, name: str) -> datetime | None:
    """``yyyyMMddHHmmss`` in China Standard Time → an aware datetime; ``""`` (the platform's null) → None."""
    if value in ("", None):
        return None
    if not isinstance(value, str):
        raise BadData(SYSTEM, f"{name} is not a timestamp string: {value!r}")
    try:
        return datetime.strptime(value, _TIME_FORMAT).replace(tzinfo=CST)
    except ValueError as exc:
        raise BadData(SYSTEM, f"{name} is not yyyyMMddHHmmss: {value!r}") from exc


def status_of(code: Any) -> ApprovalStatus:
    try:
        return STATUS_CODES[code]
    except (KeyError, TypeError) as exc:
        raise BadData(SYSTEM, f"unknown status code {code!r}") from exc


def to_case(record: Any) -> ApprovalCase:
    """One pinyin record of the platform as an :class:`ApprovalCase`."""
    if not isinstance(record, dict):
        raise BadData(SYSTEM, f"a case record is not an object: {record!r:.80}")
    try:
        submitted = parse_time(record["sqsj"], "sqsj")
        if submitted is None:
            raise BadData(SYSTEM, f"case {record.get('sblsh')!r} has no submission time")
        return ApprovalCase(
            id=_text(record, "sblsh"),
            item_code=_text(record, "sxbm"),
            item_name=_text(record, "sxmc"),
            authority=_text(record, "sljg"),
            applicant_uscc=_text(record, "tyshxydm"),
            applicant_name=_text(record, "sqr"),
            park_code=_text(record, "yqbm"),
            city_code=_text(record, "xzqhdm"),
            contact_name=_text(record, "lxr"),
            contact_phone=_text(record, "lxdh"),
            description=_text(record, "sqsm"),
            status=status_of(record["blzt"]),
            status_label=_text(record, "blztmc"),
            submitted_at=submitted,
            accepted_at=parse_time(record["slsj"], "slsj"),
            completed_at=parse_time(record["bjsj"], "bjsj"),
        )
    except KeyError as exc:
        raise BadData(SYSTEM, f"case record lacks field {exc.args[0]!r}") from exc


def to_count(value: Any) -> int:
    """The platform sends counts and totals as strings."""
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise BadData(SYSTEM, f"not a count: {value!r}") from exc


def _text(record: dict[str, Any], name: str) -> str:
    value = record[name]
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadData(SYSTEM, f"{name} is not a string: {value!r}")
    return value.strip()
