"""The approvals subgraph's GraphQL types: ``ApprovalCase`` and the fields it adds to ``Enterprise`` and ``Park``.

``Enterprise`` and ``Park`` are owned by the registry subgraph; here they are
stubs that declare only their key and this domain's fields. Personal data
(contact person and phone) is masked through ``info.context.personal``, the
one place where a disclosure policy applies.
"""

from __future__ import annotations

import strawberry

from adapters.approvals import models
from schema.scalars import USCC, DateTime
from subgraphs.approvals import loaders
from subgraphs.approvals.context import ApprovalsContext
from subgraphs.common import Connection, connection_from_page, page_request
from subgraphs.common.fields import described

Info = strawberry.Info[ApprovalsContext, None]

strawberry.enum(
    models.ApprovalStatus,
    name="ApprovalStatus",
    description="Handling status of an approval case (办理状态): SUBMITTED 已申请, ACCEPTED 已受理, UNDER_REVIEW "
    "审查中, SUPPLEMENT_REQUIRED 补正材料, APPROVED 准予许可, DENIED 不予许可, WITHDRAWN 已撤回.",
)
ApprovalStatus = models.ApprovalStatus
FINAL_STATUSES = frozenset({ApprovalStatus.APPROVED, ApprovalStatus.DENIED, ApprovalStatus.WITHDRAWN})


@strawberry.federation.type(keys=["uscc"], description="An enterprise (企业); owned by the registry subgraph.")
class Enterprise:
    uscc: USCC

    @classmethod
    def resolve_reference(cls, uscc: str) -> Enterprise:
        # A stub: this subgraph adds fields to enterprises the registry vouches for; it needs no legacy call.
        return cls(uscc=USCC(uscc))

    @described("The enterprise's approval cases (办件), newest first, optionally of one status.")
    async def approval_cases(
        self,
        info: Info,
        status: ApprovalStatus | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ApprovalCase] | None:
        # Nullable on purpose: when the platform is down, only this field is lost, not the enterprise.
        page = page_request(first, after)
        cases = await loaders.cases_of_applicants(info.context).load((self.uscc, status))
        items = [ApprovalCase.from_model(case) for case in cases[page.offset : page.offset + page.limit]]
        return connection_from_page(items, offset=page.offset, total_count=len(cases))


@strawberry.type(description="The number of approval cases in one status.")
class ApprovalStatusCount:
    status: ApprovalStatus
    count: int


@strawberry.type(description="Approval case counts of a development zone (开发区办件统计).")
class ApprovalStats:
    total: int = strawberry.field(description="All cases filed in the zone.")
    in_progress: int = strawberry.field(description="Cases not yet finished (未办结).")
    by_status: list[ApprovalStatusCount] = strawberry.field(description="One entry per status, zeros included.")


@strawberry.federation.type(keys=["code"], description="A development zone (开发区); owned by the registry subgraph.")
class Park:
    code: strawberry.ID

    @classmethod
    def resolve_reference(cls, code: str) -> Park:
        return cls(code=strawberry.ID(code))

    @described("Approval case counts of the zone by status (办件统计).")
    async def approval_stats(self, info: Info) -> ApprovalStats | None:
        stats = await loaders.park_statistics(info.context).load(str(self.code))
        counts = [ApprovalStatusCount(status=s, count=stats.counts.get(s, 0)) for s in ApprovalStatus]
        open_count = sum(c.count for c in counts if c.status not in FINAL_STATUSES)
        return ApprovalStats(total=stats.total, in_progress=open_count, by_status=counts)


@strawberry.federation.type(keys=["id"], description="An approval case (办件): one application for one approval item.")
class ApprovalCase:
    id: strawberry.ID = strawberry.field(description="Case number (申办流水号).")
    item_code: str = strawberry.field(description="Approval item code (事项编码).")
    item_name: str = strawberry.field(description="Approval item name (事项名称).")
    authority: str = strawberry.field(description="Accepting authority (受理机关).")
    applicant_name: str = strawberry.field(description="Applicant's name as filed (申请人).")
    description: str = strawberry.field(description="What is applied for (申请说明).")
    status: ApprovalStatus = strawberry.field(description="Handling status (办理状态).")
    status_label: str = strawberry.field(description="The platform's Chinese label of the status (办理状态名称).")
    submitted_at: DateTime = strawberry.field(description="Submitted at (申请时间), +08:00.")
    accepted_at: DateTime | None = strawberry.field(description="Accepted at (受理时间), +08:00.")
    completed_at: DateTime | None = strawberry.field(description="Completed at (办结时间), +08:00.")
    model: strawberry.Private[models.ApprovalCase]

    @classmethod
    def from_model(cls, case: models.ApprovalCase) -> ApprovalCase:
        return cls(
            id=strawberry.ID(case.id),
            item_code=case.item_code,
            item_name=case.item_name,
            authority=case.authority,
            applicant_name=case.applicant_name,
            description=case.description,
            status=case.status,
            status_label=case.status_label,
            submitted_at=case.submitted_at,
            accepted_at=case.accepted_at,
            completed_at=case.completed_at,
            model=case,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> ApprovalCase | None:
        case = await loaders.cases_by_id(info.context).load(str(id))
        if case is None:
            return None
        loaders.require_case(info.context, case)  # _entities straight to the subgraph: the tenant still decides
        return cls.from_model(case)

    @described("The applicant enterprise (申请人).")
    def applicant(self) -> Enterprise:
        return Enterprise(uscc=USCC(self.model.applicant_uscc))

    @described("The development zone the case was filed in (所属园区).")
    def park(self) -> Park:
        return Park(code=strawberry.ID(self.model.park_code))

    @described("Contact person (联系人) (personal data).")
    def contact_name(self, info: Info) -> str | None:
        return info.context.personal.name(self.model.contact_name)

    @described("Contact phone number (联系电话) (personal data).")
    def contact_phone(self, info: Info) -> str | None:
        return info.context.personal.phone(self.model.contact_phone)
