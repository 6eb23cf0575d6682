"""Personal data is masked by default and revealed only per kind."""

from __future__ import annotations

from decimal import Decimal

from schema.personal import MASK_ALL, REVEAL_ALL, Disclosure, PersonalKind, mask_name, mask_phone, mask_resident_id


def test_masks() -> None:
    assert mask_resident_id("340102199001011234") == "3401**********1234"
    assert mask_phone("13905510001") == "139****0001"
    assert mask_name("王伟") == "王*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("王") == "王*"


def test_default_masks_everything_and_hides_wages() -> None:
    assert MASK_ALL.resident_id("11010519491231002X") == "1101**********002X"
    assert MASK_ALL.phone("13905510001") == "139****0001"
    assert MASK_ALL.name("王伟") == "王*"
    assert MASK_ALL.wage(Decimal("8500")) is None
    assert MASK_ALL.resident_id(None) is None


def test_disclosure_reveals_only_the_kinds_granted() -> None:
    phones_only = Disclosure(frozenset({PersonalKind.PHONE}))
    assert phones_only.phone("13905510001") == "13905510001"
    assert phones_only.name("王伟") == "王*"
    assert REVEAL_ALL.wage(8500) == 8500
