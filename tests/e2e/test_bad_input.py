"""Invalid identifiers are refused with ``BAD_USER_INPUT`` and the reason, before any legacy system is asked.

Issue 9, "what it must show" 3: a USCC (GB 32100) or resident ID number
(GB 11643) with a bad length or a bad check character never reaches a legacy
system; the legacy calls are counted at the mocks.
"""

from __future__ import annotations

import pytest

from mocks.data.province import SHOWCASE_USCC
from tests.e2e.test_single_window import QUERY as SINGLE_WINDOW
from tests.support.domain_graph import DomainGraph

pytestmark = pytest.mark.e2e

A_RESIDENT_ID = "11010519491231002X"  # GB 11643's own example
INSURED_PERSON = "query Person($id: ResidentID!) { insuredPerson(residentId: $id) { id } }"


def _wrong_check_character(code: str) -> str:
    return code[:-1] + ("1" if code[-1] != "1" else "2")


@pytest.mark.parametrize(
    ("uscc", "reason"),
    [
        (SHOWCASE_USCC[:-1], "bad length"),  # the check character cut off
        (SHOWCASE_USCC + "0", "bad length"),  # one character too many
        (_wrong_check_character(SHOWCASE_USCC), "bad check character"),  # a typo the check character catches
    ],
)
async def test_an_invalid_uscc_is_refused_before_any_legacy_call(domain: DomainGraph, uscc: str, reason: str) -> None:
    body = await domain.execute(SINGLE_WINDOW, {"uscc": uscc})

    assert body.get("data") in (None, {"enterprise": None})
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert reason in error["message"]
    assert domain.legacy_calls() == dict.fromkeys(domain.counters, 0)


async def test_an_invalid_uscc_written_in_the_query_is_refused_too(domain: DomainGraph) -> None:
    literal = _wrong_check_character(SHOWCASE_USCC)

    body = await domain.execute(f'{{ enterprise(uscc: "{literal}") {{ name shipments {{ totalCount }} }} }}')

    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "bad check character" in error["message"]
    assert domain.legacy_calls() == dict.fromkeys(domain.counters, 0)


@pytest.mark.parametrize(
    ("resident_id", "reason"),
    [
        (A_RESIDENT_ID[:15], "bad length"),  # the old 15-digit numbers are not accepted
        (_wrong_check_character(A_RESIDENT_ID), "bad check character"),
    ],
)
async def test_an_invalid_resident_id_is_refused_before_any_legacy_call(
    domain: DomainGraph, resident_id: str, reason: str
) -> None:
    body = await domain.execute(INSURED_PERSON, {"id": resident_id})

    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert reason in error["message"]
    assert domain.legacy_calls() == dict.fromkeys(domain.counters, 0)


async def test_a_valid_resident_id_does_reach_the_social_insurance_system(domain: DomainGraph) -> None:
    # The other side of the tests above: the counters do see a call when one is made.
    body = await domain.execute(INSURED_PERSON, {"id": A_RESIDENT_ID})

    assert "errors" not in body, body
    assert domain.legacy_calls()["socialsecurity"] == 1
