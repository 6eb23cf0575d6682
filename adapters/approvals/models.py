"""What the approval platform knows, in English and with proper types (no pinyin past this module's package)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


class ApprovalStatus(enum.Enum):
    """办理状态: where a case stands in the platform's workflow."""

    SUBMITTED = "SUBMITTED"  # 已申请
    ACCEPTED = "ACCEPTED"  # 已受理
    UNDER_REVIEW = "UNDER_REVIEW"  # 审查中
    SUPPLEMENT_REQUIRED = "SUPPLEMENT_REQUIRED"  # 补正材料
    APPROVED = "APPROVED"  # 准予许可
    DENIED = "DENIED"  # 不予许可
    WITHDRAWN = "WITHDRAWN"  # 已撤回


@dataclass(frozen=True, slots=True)
class ApprovalCase:
    """One case (办件): an application for one approval item by one enterprise."""

    id: str  # 申办流水号
    item_code: str  # 事项编码
    item_name: str  # 事项名称
    authority: str  # 受理机关
    applicant_uscc: str
    applicant_name: str
    park_code: str
    city_code: str
    contact_name: str  # personal data
    contact_phone: str  # personal data
    description: str
    status: ApprovalStatus
    status_label: str  # the platform's Chinese label
    submitted_at: datetime  # aware, +08:00
    accepted_at: datetime | None
    completed_at: datetime | None


@dataclass(frozen=True, slots=True)
class NewApplication:
    """What an applicant submits."""

    applicant_uscc: str
    item_code: str
    contact_name: str
    contact_phone: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class ParkApprovalStats:
    """Case counts of one development zone by status."""

    park_code: str
    counts: Mapping[ApprovalStatus, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())
