"""Writes to the approval platform are idempotent under retries; its workflow rules come back as Rejected."""

from __future__ import annotations

import pytest

from adapters.approvals import ApprovalStatus, NewApplication
from adapters.errors import LegacyUnavailable, NotFound, Rejected
from mocks.data.province import SHOWCASE_USCC
from tests.adapters.approvals.conftest import Platform

APPLICATION = NewApplication(SHOWCASE_USCC, "000105001000", "张敏", "13900000000", "新建厂房项目备案")


async def test_a_repeated_key_returns_the_first_case_and_files_nothing_new(platform: Platform) -> None:
    before = len((await platform.client.cases_for_applicants([SHOWCASE_USCC]))[SHOWCASE_USCC])
    first = await platform.client.submit_application(APPLICATION, "key-1")
    again = await platform.client.submit_application(APPLICATION, "key-1")
    other = await platform.client.submit_application(APPLICATION, "key-2")
    assert again == first
    assert other.id != first.id
    assert first.status is ApprovalStatus.SUBMITTED and first.item_name == "企业投资项目备案"
    after = (await platform.client.cases_for_applicants([SHOWCASE_USCC]))[SHOWCASE_USCC]
    assert len(after) == before + 2
    assert platform.transport.requests[1].headers["idempotency-key"] == "key-1"


async def test_a_failed_write_is_not_retried_by_the_adapter_but_is_safe_to_retry_with_its_key(
    platform: Platform,
) -> None:
    # The adapter never retries a write (its outcome may be unknown); the caller retries with the same key.
    platform.transport.fail_first = 1
    with pytest.raises(LegacyUnavailable):
        await platform.client.submit_application(APPLICATION, "key-retry")
    assert len(platform.transport.requests) == 1
    case = await platform.client.submit_application(APPLICATION, "key-retry")
    again = await platform.client.submit_application(APPLICATION, "key-retry")
    assert [r.headers["idempotency-key"] for r in platform.transport.requests] == ["key-retry"] * 3
    assert case.applicant_uscc == SHOWCASE_USCC and again == case


async def test_unknown_item_is_rejected_with_the_platform_code(platform: Platform) -> None:
    bad = NewApplication(SHOWCASE_USCC, "999999999999", "张敏", "13900000000")
    with pytest.raises(Rejected) as info:
        await platform.client.submit_application(bad, "key-bad")
    assert info.value.legacy_code == "E4001"
    assert info.value.system == "approvals"


async def test_status_changes_follow_the_workflow_and_replay_under_the_same_key(platform: Platform) -> None:
    case = await platform.client.submit_application(APPLICATION, "key-wf")
    accepted = await platform.client.change_status(case.id, ApprovalStatus.ACCEPTED, "wf-1")
    assert accepted.status is ApprovalStatus.ACCEPTED and accepted.accepted_at is not None
    replayed = await platform.client.change_status(case.id, ApprovalStatus.ACCEPTED, "wf-1")
    assert replayed == accepted
    with pytest.raises(Rejected) as info:  # ACCEPTED → APPROVED skips the review
        await platform.client.change_status(case.id, ApprovalStatus.APPROVED, "wf-2")
    assert info.value.legacy_code == "E3001"
    with pytest.raises(NotFound):
        await platform.client.change_status("34010020990101999999", ApprovalStatus.ACCEPTED, "wf-3")
