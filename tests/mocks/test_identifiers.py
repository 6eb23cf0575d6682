"""The mocks issue identifiers with valid check characters (domain-facts.md)."""

from __future__ import annotations

import pytest

from mocks.data.identifiers import make_resident_id, make_uscc, org_code_check, resident_id_check, uscc_check
from mocks.data.province import SHOWCASE_USCC, generate


@pytest.mark.parametrize("uscc", ["91350100M000100Y43", "91110000802100433B", "914403001922038216"])
def test_published_codes_have_the_check_characters_we_compute(uscc: str) -> None:
    assert uscc_check(uscc[:17]) == uscc[17]
    assert org_code_check(uscc[8:16]) == uscc[16]


def test_published_resident_id_check_digit() -> None:
    assert resident_id_check("11010519491231002") == "X"


def test_generated_identifiers_are_valid_and_deterministic() -> None:
    province = generate(seed=7, scale=0.05)
    again = generate(seed=7, scale=0.05)
    assert [e.uscc for e in province.enterprises] == [e.uscc for e in again.enterprises]
    for enterprise in province.enterprises:
        assert uscc_check(enterprise.uscc[:17]) == enterprise.uscc[17]
        assert enterprise.uscc[2:8] == enterprise.city_code
    for person in province.persons:
        assert resident_id_check(person.resident_id[:17]) == person.resident_id[17]
    assert make_uscc("340100", "MA2NJ8U3") == SHOWCASE_USCC
    assert make_resident_id("110105", "19491231", 2) == "11010519491231002X"


def test_every_seed_has_the_showcase_enterprise_and_about_forty_parks() -> None:
    for seed in (1, 2026):
        province = generate(seed=seed, scale=0.05)
        assert province.enterprise(SHOWCASE_USCC) is not None
        assert 35 <= len(province.parks) <= 45
        assert {p.city_code for p in province.parks} == {c.code for c in province.cities}
