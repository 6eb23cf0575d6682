"""Mutations are idempotent under retries; platform refusals and outages keep a code and name the domain."""

from __future__ import annotations

from mocks.data.province import SHOWCASE_USCC
from tests.subgraphs.approvals.conftest import Subgraph

SUBMIT = """mutation($input: SubmitApplicationInput!, $key: String!) {
  submitApplication(input: $input, idempotencyKey: $key) { id status itemName applicant { uscc } } }"""
CHANGE = """mutation($id: ID!, $status: ApprovalStatus!, $key: String!) {
  changeApprovalStatus(caseId: $id, status: $status, idempotencyKey: $key) { id status acceptedAt } }"""
INPUT = {"applicant": SHOWCASE_USCC, "itemCode": "000119017000", "contactName": "李娜", "contactPhone": "13800000000"}


async def test_submit_twice_with_one_key_files_one_case(subgraph: Subgraph) -> None:
    first = await subgraph.query(SUBMIT, {"input": INPUT, "key": "k1"})
    again = await subgraph.query(SUBMIT, {"input": INPUT, "key": "k1"})
    assert first == again and first["data"]["submitApplication"]["status"] == "SUBMITTED"
    assert [r.method for r in subgraph.legacy.requests] == ["POST"]  # the retry never reached the platform
    conflict = await subgraph.query(SUBMIT, {"input": {**INPUT, "itemCode": "000105001000"}, "key": "k1"})
    assert conflict["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_CONFLICT"


async def test_status_change_is_applied_once_and_workflow_refusals_keep_their_code(subgraph: Subgraph) -> None:
    case_id = (await subgraph.query(SUBMIT, {"input": INPUT, "key": "k2"}))["data"]["submitApplication"]["id"]
    accepted = await subgraph.query(CHANGE, {"id": case_id, "status": "ACCEPTED", "key": "c1"})
    assert accepted["data"]["changeApprovalStatus"]["status"] == "ACCEPTED"
    assert accepted == await subgraph.query(CHANGE, {"id": case_id, "status": "ACCEPTED", "key": "c1"})
    refused = await subgraph.query(CHANGE, {"id": case_id, "status": "APPROVED", "key": "c2"})
    error = refused["errors"][0]
    assert error["extensions"] == {
        "code": "LEGACY_REJECTED",
        "domain": "approvals",
        "legacySystem": "approvals",
        "legacyCode": "E3001",
    }
    assert refused["data"] is None


async def test_invalid_uscc_is_bad_user_input_before_any_legacy_call(subgraph: Subgraph) -> None:
    body = await subgraph.query(SUBMIT, {"input": {**INPUT, "applicant": SHOWCASE_USCC[:-1] + "0"}, "key": "k3"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert subgraph.legacy.requests == []


async def test_outage_costs_only_the_approvals_field(subgraph: Subgraph) -> None:
    subgraph.faults.outage = True
    query = """query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise {
      uscc approvalCases { totalCount } } } }"""
    body = await subgraph.query(query, {"r": [{"__typename": "Enterprise", "uscc": SHOWCASE_USCC}]})
    # The field is nullable, so the failure stays on it: the enterprise and its other domains' fields survive.
    assert body["data"]["_entities"] == [{"uscc": SHOWCASE_USCC, "approvalCases": None}]
    assert body["errors"][0]["extensions"]["code"] == "LEGACY_SYSTEM_UNAVAILABLE"
    assert body["errors"][0]["extensions"]["domain"] == "approvals"
    assert body["errors"][0]["path"] == ["_entities", 0, "approvalCases"]
