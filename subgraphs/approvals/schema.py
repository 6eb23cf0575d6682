"""The approvals subgraph's root fields and its federation schema.

Mutations are idempotent twice over: the subgraph's :class:`IdempotencyStore`
answers a retry from memory, and the platform itself deduplicates on the
``Idempotency-Key`` header, so a retry that reaches another replica (or
follows a lost answer) still files one case. The platform's key is derived
from the client's key, the mutation and its arguments, so two clients that
happen to pick the same key never receive each other's case.
"""

from __future__ import annotations

import strawberry

from adapters.approvals import NewApplication
from schema.errors import Forbidden
from schema.scalars import USCC
from subgraphs.approvals import loaders
from subgraphs.approvals.types import ApprovalCase, ApprovalStatus, Enterprise, Info, Park
from subgraphs.common import create_federation_schema
from subgraphs.common.fields import federated
from subgraphs.common.idempotency import legacy_key
from subgraphs.common.schema import SubgraphSchema
from subgraphs.common.tenancy import require_enterprise_of, sees_everything

# The OAuth scope every mutation needs (@requiresScopes, enforced by the gateway before anything is filed).
WRITE_SCOPE = "approvals:write"


@strawberry.type
class Query:
    @federated("One approval case (办件) by its case number (申办流水号).", authenticated=True)
    async def approval_case(self, info: Info, id: strawberry.ID) -> ApprovalCase | None:
        return await ApprovalCase.resolve_reference(info, id)  # the same tenancy check as _entities


@strawberry.input(description="A new application (网上申报) for one approval item.")
class SubmitApplicationInput:
    applicant: USCC = strawberry.field(description="The applying enterprise (申请人).")
    item_code: str = strawberry.field(description="Approval item code (事项编码).")
    contact_name: str = strawberry.field(description="Contact person (联系人) (personal data).")
    contact_phone: str = strawberry.field(description="Contact phone number (联系电话) (personal data).")
    description: str = strawberry.field(default="", description="What is applied for (申请说明).")


@strawberry.type
class Mutation:
    @federated(
        "Submit an application (网上申报); the same idempotencyKey returns the same case.",
        requires_scopes=[[WRITE_SCOPE]],
    )
    async def submit_application(self, info: Info, input: SubmitApplicationInput, idempotency_key: str) -> ApprovalCase:
        context = info.context
        await require_enterprise_of(context, input.applicant)  # a city applies only for its own enterprises
        application = NewApplication(
            applicant_uscc=input.applicant,
            item_code=input.item_code,
            contact_name=input.contact_name,
            contact_phone=input.contact_phone,
            description=input.description,
        )
        payload = {
            "applicant": application.applicant_uscc,
            "itemCode": application.item_code,
            "contactName": application.contact_name,
            "contactPhone": application.contact_phone,
            "description": application.description,
        }
        platform_key = legacy_key("submitApplication", idempotency_key, payload)
        case = await context.idempotency.run(
            "submitApplication",
            idempotency_key,
            payload=payload,
            operation=lambda: context.approvals.submit_application(application, platform_key),
        )
        return ApprovalCase.from_model(case)

    @federated(
        "Move a case along the workflow (变更办理状态); the same idempotencyKey changes it once.",
        requires_scopes=[[WRITE_SCOPE]],
    )
    async def change_approval_status(
        self, info: Info, case_id: strawberry.ID, status: ApprovalStatus, idempotency_key: str, comment: str = ""
    ) -> ApprovalCase:
        context = info.context
        if not sees_everything(context.tenant):
            case = await loaders.cases_by_id(context).load(str(case_id))
            if case is None:
                raise Forbidden(f"approval case {case_id} is not visible to your tenant")
            loaders.require_case(context, case)
        payload = {"caseId": str(case_id), "status": status.value, "comment": comment}
        platform_key = legacy_key("changeApprovalStatus", idempotency_key, payload)
        case = await context.idempotency.run(
            "changeApprovalStatus",
            idempotency_key,
            payload=payload,
            operation=lambda: context.approvals.change_status(str(case_id), status, platform_key, comment),
        )
        return ApprovalCase.from_model(case)


def build_schema() -> SubgraphSchema:
    """The approvals subgraph's federation schema (a fresh one per call)."""
    return create_federation_schema(
        domain="approvals",
        query=Query,
        mutation=Mutation,
        types=[Enterprise, Park, ApprovalCase],
        park_of=loaders.park_of,
    )


SCHEMA = build_schema()
