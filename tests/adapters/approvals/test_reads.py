"""The approvals adapter reads the platform over real HTTP: pinyin records, paging, batch limits."""

from __future__ import annotations

import math
from datetime import timedelta

from adapters.approvals import ApprovalStatus
from mocks.data.approvals import generate_cases
from mocks.data.province import SHOWCASE_USCC
from tests.adapters.approvals.conftest import Platform


async def test_showcase_cases_are_typed_with_cst_timestamps(platform: Platform) -> None:
    cases = (await platform.client.cases_for_applicants([SHOWCASE_USCC]))[SHOWCASE_USCC]
    assert len(cases) == 7
    assert {c.status for c in cases} == set(ApprovalStatus)  # one case in every status
    for case in cases:
        assert case.applicant_uscc == SHOWCASE_USCC
        assert case.submitted_at.utcoffset() == timedelta(hours=8)
        assert case.status_label  # the platform's Chinese label survives
    open_case = next(c for c in cases if c.status is ApprovalStatus.SUBMITTED)
    assert open_case.accepted_at is None and open_case.completed_at is None  # "" on the wire
    approved = next(c for c in cases if c.status is ApprovalStatus.APPROVED)
    assert approved.completed_at is not None and approved.completed_at > approved.submitted_at
    assert [c.submitted_at for c in cases] == sorted((c.submitted_at for c in cases), reverse=True)


async def test_status_filter_is_applied_by_the_platform(platform: Platform) -> None:
    cases = await platform.client.cases_for_applicants([SHOWCASE_USCC], ApprovalStatus.UNDER_REVIEW)
    assert [c.status for c in cases[SHOWCASE_USCC]] == [ApprovalStatus.UNDER_REVIEW]
    assert "blzt=03" in str(platform.transport.requests[0].url)


async def test_many_applicants_cost_one_call_per_chunk_of_twenty_and_page_of_hundred(platform: Platform) -> None:
    usccs = [e.uscc for e in platform.province.enterprises[:45]]
    result = await platform.client.cases_for_applicants(usccs)
    records = generate_cases(platform.province)
    expected_calls = 0
    for start in range(0, 45, 20):
        chunk = set(usccs[start : start + 20])
        expected_calls += max(1, math.ceil(sum(r.uscc in chunk for r in records) / 100))
    assert len(platform.transport.requests) == expected_calls
    for uscc in usccs:
        assert sorted(c.id for c in result[uscc]) == sorted(r.case_no for r in records if r.uscc == uscc)


async def test_paging_walks_every_page_when_a_chunk_has_more_than_a_hundred_cases(platform: Platform) -> None:
    records = generate_cases(platform.province)
    # The twenty busiest applicants together have more cases than one page holds.
    counts: dict[str, int] = {}
    for record in records:
        counts[record.uscc] = counts.get(record.uscc, 0) + 1
    busiest = sorted(counts, key=lambda u: -counts[u])[:20]
    total = sum(counts[u] for u in busiest)
    assert total > 100
    result = await platform.client.cases_for_applicants(busiest)
    assert sum(len(cases) for cases in result.values()) == total
    assert len(platform.transport.requests) == math.ceil(total / 100)


async def test_lookup_by_case_number_chunks_by_fifty_and_skips_unknown_numbers(platform: Platform) -> None:
    numbers = [r.case_no for r in generate_cases(platform.province)[:110]] + ["34010020990101999999"]
    found = await platform.client.cases_by_id(numbers)
    assert len(found) == 110 and "34010020990101999999" not in found
    assert platform.transport.paths().count("/zwfw/api/v1/bjxx/plcx") == 3


async def test_park_statistics_count_by_status_ten_parks_per_call(platform: Platform) -> None:
    parks = [p.code for p in platform.province.parks[:12]]
    stats = await platform.client.park_statistics(parks)
    assert len(platform.transport.requests) == 2
    records = generate_cases(platform.province)
    for code in parks:
        assert stats[code].total == sum(r.park_code == code for r in records)
    approved = sum(r.park_code == parks[0] and r.status == "05" for r in records)
    assert stats[parks[0]].counts.get(ApprovalStatus.APPROVED, 0) == approved
