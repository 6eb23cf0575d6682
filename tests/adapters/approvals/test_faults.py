"""Failures of the approval platform reach callers as the adapter error tree."""

from __future__ import annotations

import pytest

from adapters.approvals import ApprovalsClient
from adapters.errors import BadData, LegacyTimeout, LegacyUnavailable
from mocks.data.province import SHOWCASE_USCC
from tests.adapters.approvals.conftest import CountingTransport, Platform


async def test_outage_is_unavailable_after_one_retry(platform: Platform) -> None:
    platform.faults.outage = True
    with pytest.raises(LegacyUnavailable):
        await platform.client.cases_for_applicants([SHOWCASE_USCC])
    assert len(platform.transport.requests) == 2


async def test_garbled_answer_is_bad_data(platform: Platform) -> None:
    platform.faults.malformed_rate = 1.0
    with pytest.raises(BadData):
        await platform.client.park_statistics(["340100-HTZ"])


async def test_slow_platform_is_a_timeout(platform: Platform) -> None:
    platform.faults.latency_ms = 500
    async with ApprovalsClient(platform.url, transport=CountingTransport(), timeout=0.1) as client:
        with pytest.raises(LegacyTimeout):
            await client.cases_by_id(["x"])


async def test_unreachable_platform_is_unavailable() -> None:
    async with ApprovalsClient("http://127.0.0.1:9", retries=0) as client:
        with pytest.raises(LegacyUnavailable):
            await client.cases_for_applicants([SHOWCASE_USCC])
