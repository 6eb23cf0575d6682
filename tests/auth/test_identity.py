"""The gateway identity: signed per subgraph, refused when missing, forged, expired or misaddressed; tenants."""

from __future__ import annotations

import pytest

from auth.identity import (
    Identity,
    IdentityError,
    IdentitySigner,
    IdentityVerifier,
    InvalidTenant,
    Tenant,
    parse_tenant,
)

KEY = b"k" * 32
CITY = Identity("city-staff", "demo-frontend", parse_tenant("city:340100"), frozenset({"graph:read"}), "tax-inspection")


def test_round_trip() -> None:
    token = IdentitySigner(KEY).sign(CITY, "registry")
    identity = IdentityVerifier(KEY, audience="registry").verify(token)
    assert identity.subject == "city-staff" and identity.tenant == Tenant("city", "340100")
    assert identity.scopes == {"graph:read"} and identity.purpose == "tax-inspection"


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (None, "missing x-parkgraph-identity"),
        ("", "missing x-parkgraph-identity"),
        (IdentitySigner(b"x" * 32).sign(CITY, "registry"), "invalid or forged"),  # another key
        (IdentitySigner(KEY).sign(CITY, "talent"), "addressed to 'talent', not 'registry'"),  # replayed elsewhere
        (IdentitySigner(KEY, ttl=-60).sign(CITY, "registry"), "expired"),
        ("not.a.jwt", "invalid or forged"),
    ],
    ids=["missing", "empty", "forged", "other subgraph", "expired", "garbage"],
)
def test_refusals(token: str | None, message: str) -> None:
    with pytest.raises(IdentityError, match=message) as caught:
        IdentityVerifier(KEY, audience="registry").verify(token)
    assert caught.value.code == "UNAUTHENTICATED"


def test_tenants_parse_and_cover() -> None:
    province, city = parse_tenant("province"), parse_tenant("city:340100")
    park, enterprise = parse_tenant("park:340100-HTZ"), parse_tenant("enterprise:91340100MA2NJ8U32D")
    assert str(park) == "park:340100-HTZ" and province.covers_enterprise("91340200MA2NJ8U32D")
    # a city sees its enterprises by the USCC's division code, not another city's
    assert city.covers_enterprise("91340100MA2NJ8U32D") and not city.covers_enterprise("91340200MA2NJ8U32D")
    assert city.covers_enterprise("91340104X", city_code="340100")
    assert city.covers_park("340100-HTZ") and not city.covers_park("340200-JKQ")
    # a park needs the registry's park code; an enterprise sees only itself
    assert not park.covers_enterprise("91340100MA2NJ8U32D")
    assert park.covers_enterprise("91340100MA2NJ8U32D", park_code="340100-HTZ")
    assert enterprise.covers_enterprise("91340100MA2NJ8U32D") and not enterprise.covers_enterprise("X")
    for bad in ("city:3401", "county:340100", "enterprise:short", "", "province:1"):
        with pytest.raises(InvalidTenant):
            parse_tenant(bad)


def test_pii_needs_scope_and_a_listed_purpose() -> None:
    purposes = ("tax-inspection",)
    with_scope = Identity("a", "c", parse_tenant("province"), frozenset({"pii:read"}), "tax-inspection")
    assert with_scope.may_read_personal_data(purposes)
    assert not Identity("a", "c", None, frozenset({"pii:read"}), "curiosity").may_read_personal_data(purposes)
    assert not Identity("a", "c", None, frozenset({"pii:read"}), None).may_read_personal_data(purposes)
    assert not CITY.may_read_personal_data(purposes)  # no pii:read
