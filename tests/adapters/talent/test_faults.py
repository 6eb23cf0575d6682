"""Engine-level faults of the talent database reach callers as the adapter error tree."""

from __future__ import annotations

import pytest

from adapters.errors import LegacyTimeout, LegacyUnavailable
from adapters.talent import TalentClient
from mocks.data.province import SHOWCASE_USCC
from tests.adapters.talent.conftest import TalentDatabase


async def test_outage_is_unavailable_and_recovery_needs_nothing(talent: TalentDatabase) -> None:
    talent.faults.outage = True
    with pytest.raises(LegacyUnavailable):
        await talent.client.demands_for_enterprises([SHOWCASE_USCC])
    talent.faults.outage = False
    assert len((await talent.client.demands_for_enterprises([SHOWCASE_USCC]))[SHOWCASE_USCC]) == 5


async def test_slow_database_is_a_timeout(talent: TalentDatabase) -> None:
    talent.faults.latency_ms = 1000
    slow = TalentClient(talent.engine, schema=talent.schema, timeout=0.1)
    with pytest.raises(LegacyTimeout):
        await slow.park_totals(["340100-HTZ"])
    talent.faults.latency_ms = 0
    assert (await slow.park_totals(["340100-HTZ"]))["340100-HTZ"].open_postings >= 0


async def test_unreachable_server_is_unavailable() -> None:
    async with TalentClient("postgresql://postgres@127.0.0.1:9/none", timeout=2.0) as client:
        with pytest.raises(LegacyUnavailable):
            await client.demands_by_id(["1"])
