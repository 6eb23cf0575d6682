"""New job demands are written once per idempotency key, also under concurrent retries."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from adapters.errors import Rejected
from adapters.talent import EducationLevel, NewJobDemand
from adapters.talent.tables import demands
from mocks.data.province import SHOWCASE_USCC
from tests.adapters.talent.conftest import TalentDatabase

POSTING = NewJobDemand(
    employer_uscc=SHOWCASE_USCC,
    title="数控车工",
    headcount=6,
    occupation_code="6-18-01-01",
    education=EducationLevel.SECONDARY_VOCATIONAL,
    salary_min=Decimal("6000"),
    salary_max=Decimal("9000"),
    valid_until=date(2030, 12, 31),
    contact_name="王经理",
    contact_phone="0551-62000000",
)


async def _rows(talent: TalentDatabase) -> int:
    async with talent.client._connection() as conn:
        return int(await conn.scalar(select(func.count()).select_from(demands)) or 0)


async def test_the_same_key_writes_one_row(talent: TalentDatabase) -> None:
    before = await _rows(talent)
    first = await talent.client.post_demand(POSTING, "post-1")
    again = await talent.client.post_demand(POSTING, "post-1")
    assert again == first
    assert await _rows(talent) == before + 1
    assert first.education is EducationLevel.SECONDARY_VOCATIONAL and first.education_label == "中等专科"
    assert (first.salary_min, first.salary_max) == (Decimal("6000"), Decimal("9000"))
    assert first.occupation.name == "车工" and first.park_code == "340100-HTZ"
    other = await talent.client.post_demand(POSTING, "post-2")
    assert other.id != first.id


async def test_concurrent_retries_with_one_key_still_write_once(talent: TalentDatabase) -> None:
    before = await _rows(talent)
    results = await asyncio.gather(*(talent.client.post_demand(POSTING, "post-race") for _ in range(4)))
    assert len({r.id for r in results}) == 1
    assert await _rows(talent) == before + 1


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"occupation_code": "9-99-99-99"}, "occupation"),  # not in the code table
        ({"occupation_code": "6"}, "occupation"),  # a major group, not an occupation
        ({"employer_uscc": "91340100MA0000000X"}, "not registered"),  # unknown to this database
        ({"headcount": 0}, "headcount"),
    ],
)
async def test_what_the_database_would_not_allow_is_rejected(
    talent: TalentDatabase, change: dict[str, object], reason: str
) -> None:
    from dataclasses import replace

    with pytest.raises(Rejected, match=reason):
        await talent.client.post_demand(replace(POSTING, **change), f"bad-{reason}")  # type: ignore[arg-type]
