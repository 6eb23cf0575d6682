"""The talent adapter reads the legacy tables with joins to the code tables, batched per 500 enterprises."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from adapters.talent import DemandFilter, DemandStatus, EducationLevel
from mocks.data.province import SHOWCASE_USCC
from mocks.data.talent import generate_demands
from tests.adapters.talent.conftest import TalentDatabase

TODAY = date(2025, 6, 1)


async def test_showcase_demands_are_joined_with_code_tables(talent: TalentDatabase) -> None:
    demands = (await talent.client.demands_for_enterprises([SHOWCASE_USCC]))[SHOWCASE_USCC]
    seeded = [d for d in generate_demands(talent.province) if d.uscc == SHOWCASE_USCC]
    assert len(demands) == len(seeded) == 5
    assert [d.posted_on for d in demands] == sorted((d.posted_on for d in demands), reverse=True)
    for demand in demands:
        assert demand.employer_name == "合肥智园科技有限公司"
        assert demand.park_code == "340100-HTZ"
        assert demand.occupation.name and demand.occupation.major_group_code == demand.occupation.code[0]
        assert demand.education_label  # 不限 or the code table's label
        if demand.salary_min is not None and demand.salary_max is not None:
            assert demand.salary_min < demand.salary_max
    first = next(d for d in seeded if d.title == demands[-1].title and d.posted_on == f"{demands[-1].posted_on:%Y%m%d}")
    assert demands[-1].headcount == first.headcount


async def test_null_and_empty_education_both_mean_no_requirement(talent: TalentDatabase) -> None:
    usccs = [e.uscc for e in talent.province.enterprises]
    none = await talent.client.demands_for_enterprises(usccs, DemandFilter(education=EducationLevel.NONE))
    expected = sum(not d.education_code for d in generate_demands(talent.province))
    assert sum(len(v) for v in none.values()) == expected
    assert {d.education_label for v in none.values() for d in v} == {"不限"}
    # Both spellings are in the seed, so this filter really covers the quirk.
    assert {d.education_code for d in generate_demands(talent.province) if not d.education_code} == {None, ""}


async def test_six_hundred_enterprises_cost_two_statements(talent: TalentDatabase) -> None:
    usccs = [e.uscc for e in talent.province.enterprises]
    assert len(usccs) == 600
    result = await talent.client.demands_for_enterprises(usccs)
    assert len(talent.statements) == 2
    seeded = generate_demands(talent.province)
    assert sum(len(v) for v in result.values()) == len(seeded)
    assert all(d.employer_uscc == uscc for uscc, ds in result.items() for d in ds)


async def test_filters_narrow_in_sql(talent: TalentDatabase) -> None:
    usccs = [e.uscc for e in talent.province.enterprises]
    seeded = generate_demands(talent.province)
    where = DemandFilter(occupation_code="6", open_only=True, posted_since=date(2025, 1, 1))
    result = await talent.client.demands_for_enterprises(usccs, where, today=TODAY)
    found = [d for ds in result.values() for d in ds]
    expected = [
        d
        for d in seeded
        if d.occupation_code.startswith("6-")
        and d.status == "1"
        and (d.valid_until or "9") >= "20250601"  # None: 长期有效
        and d.posted_on >= "20250101"
    ]
    assert len(found) == len(expected) > 0
    assert all(d.status is DemandStatus.OPEN and d.occupation.major_group_name == "生产制造及有关人员" for d in found)
    bachelor = await talent.client.demands_for_enterprises(usccs, DemandFilter(education=EducationLevel.BACHELOR))
    assert {d.education_label for ds in bachelor.values() for d in ds} == {"大学本科"}


async def test_negotiable_salary_has_no_bounds(talent: TalentDatabase) -> None:
    seeded = generate_demands(talent.province)
    index = next(i for i, d in enumerate(seeded) if d.salary_text == "面议")
    demand = (await talent.client.demands_by_id([str(index + 1)]))[str(index + 1)]
    assert demand.salary_min is None and demand.salary_max is None
    ranged = next(i for i, d in enumerate(seeded) if d.salary_text != "面议")
    low, high = seeded[ranged].salary_text.split("-")
    other = await talent.client.demands_by_id([str(ranged + 1), "nonsense", "999999"])
    assert list(other) == [str(ranged + 1)]
    assert (other[str(ranged + 1)].salary_min, other[str(ranged + 1)].salary_max) == (Decimal(low), Decimal(high))


async def test_park_and_city_totals_count_open_demand(talent: TalentDatabase) -> None:
    parks = [p.code for p in talent.province.parks]
    totals = await talent.client.park_totals(parks, today=TODAY)
    assert len(talent.statements) == 1
    by_uscc = {e.uscc: e for e in talent.province.enterprises}
    seeded = generate_demands(talent.province)
    open_rows = [d for d in seeded if d.status == "1" and (d.valid_until or "9") >= "20250601"]
    for code in parks:
        rows = [d for d in open_rows if by_uscc[d.uscc].park_code == code]
        assert totals[code].open_postings == len(rows)
        assert totals[code].open_positions == sum(d.headcount for d in rows)
        assert sum(totals[code].positions_by_education.values()) == totals[code].open_positions
    city = await talent.client.city_totals(["340100"], today=TODAY)
    assert city["340100"].open_positions == sum(totals[p].open_positions for p in parks if p.startswith("340100-"))
