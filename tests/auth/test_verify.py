"""Token verification refusals, each with its reason: the JWKS is served by httpx.MockTransport."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from auth.verify import (
    BadSignature,
    KeysUnavailable,
    MalformedToken,
    TokenExpired,
    TokenVerifier,
    UnknownKey,
    UnsupportedAlgorithm,
    WrongAudience,
    WrongIssuer,
    WrongTokenType,
)

ISSUER = "http://auth.test"
KEY = ECKey.generate_key("P-256", parameters={"kid": "k1"})
OTHER = ECKey.generate_key("P-256", parameters={"kid": "k2"})


class JWKS:
    """A JWKS endpoint whose key list can change; counts fetches."""

    def __init__(self, *keys: ECKey | RSAKey) -> None:
        self.keys = list(keys)
        self.fetches = 0
        self.fail = False

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.fetches += 1
        if self.fail:
            return httpx.Response(503)
        return httpx.Response(200, json={"keys": [{**k.as_dict(private=False), "kid": k.kid} for k in self.keys]})

    def verifier(self, **options: Any) -> TokenVerifier:
        return TokenVerifier(
            jwks_url=f"{ISSUER}/jwks.json",
            issuer=ISSUER,
            audience="parkgraph",
            transport=httpx.MockTransport(self.handler),
            **options,
        )


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {
        "iss": ISSUER,
        "sub": "demo-city",
        "aud": "parkgraph",
        "iat": now,
        "exp": now + 600,
        "jti": "j",
        "client_id": "demo-city",
        "scope": "graph:read",
        "tenant": "city:340100",
    }
    base.update(overrides)
    return base


def sign(payload: dict[str, Any], key: ECKey | RSAKey = KEY, alg: str = "ES256", **header: Any) -> str:
    return jwt.encode({"alg": alg, "typ": "at+jwt", "kid": key.kid, **header}, payload, key, algorithms=[alg])


def b64(data: Any) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


async def test_a_valid_token_gives_its_claims() -> None:
    verifier = JWKS(KEY).verifier()
    assert (await verifier.verify(sign(claims())))["tenant"] == "city:340100"


# Each refusal, with the exception and its stable reason.
REFUSALS = [
    ("expired", lambda: sign(claims(exp=int(time.time()) - 120, iat=int(time.time()) - 900)), TokenExpired),
    ("wrong issuer", lambda: sign(claims(iss="http://evil.test")), WrongIssuer),
    ("wrong audience", lambda: sign(claims(aud="another-api")), WrongAudience),
    (
        "alg none",
        lambda: f"{b64({'alg': 'none', 'typ': 'at+jwt', 'kid': 'k1'})}.{b64(claims())}.",
        UnsupportedAlgorithm,
    ),
    ("not an access token", lambda: sign(claims(), typ="JWT"), WrongTokenType),
    ("not a JWT", lambda: "abc.def", MalformedToken),
]


@pytest.mark.parametrize(("case", "make", "error"), REFUSALS, ids=[r[0] for r in REFUSALS])
async def test_refusals(case: str, make: Any, error: type[Exception]) -> None:
    verifier = JWKS(KEY).verifier()
    with pytest.raises(error):
        await verifier.verify(make())


async def test_hs256_signed_with_the_public_key_is_refused_before_any_hmac() -> None:
    # The classic confusion attack: the public key's bytes used as an HMAC secret.
    public_pem = KEY.as_pem(private=False)
    signing_input = f"{b64({'alg': 'HS256', 'typ': 'at+jwt', 'kid': 'k1'})}.{b64(claims())}"
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    token = f"{signing_input}.{b64(mac)}"
    with pytest.raises(UnsupportedAlgorithm) as caught:
        await JWKS(KEY).verifier().verify(token)
    assert caught.value.reason == "unsupported_algorithm"


async def test_tampered_payload_fails_the_signature() -> None:
    header, _payload, signature = sign(claims()).split(".")
    forged = f"{header}.{b64(claims(tenant='province', scope='graph:read pii:read'))}.{signature}"
    with pytest.raises(BadSignature) as caught:
        await JWKS(KEY).verifier().verify(forged)
    assert caught.value.reason == "bad_signature"


async def test_a_token_signed_by_another_key_under_a_known_kid_fails() -> None:
    impostor = ECKey.generate_key("P-256", parameters={"kid": "k1"})
    with pytest.raises(BadSignature):
        await JWKS(KEY).verifier().verify(sign(claims(), key=impostor))


async def test_unknown_kid_refetches_once_then_refuses() -> None:
    jwks = JWKS(KEY)
    verifier = jwks.verifier()
    await verifier.verify(sign(claims()))
    assert jwks.fetches == 1
    with pytest.raises(UnknownKey) as caught:
        await verifier.verify(sign(claims(), key=OTHER))
    assert caught.value.reason == "unknown_kid" and jwks.fetches == 2
    # within the refetch interval a second unknown kid does not hit the auth server again
    with pytest.raises(UnknownKey):
        await verifier.verify(sign(claims(), key=OTHER))
    assert jwks.fetches == 2


async def test_unknown_kid_after_rotation_is_found_by_refetching() -> None:
    jwks = JWKS(KEY)
    verifier = jwks.verifier()
    verifier.keys.refetch_interval = 0
    await verifier.verify(sign(claims()))
    jwks.keys.append(OTHER)  # the auth server rotated
    assert (await verifier.verify(sign(claims(), key=OTHER)))["sub"] == "demo-city"
    assert jwks.fetches == 2
    # the cached keys answer both from now on
    await verifier.verify(sign(claims()))
    assert jwks.fetches == 2


async def test_rs256_key_under_an_es256_header_is_refused() -> None:
    rsa = RSAKey.generate_key(2048, parameters={"kid": "r1"})
    token = jwt.encode({"alg": "ES256", "typ": "at+jwt", "kid": "r1"}, claims(), KEY, algorithms=["ES256"])
    with pytest.raises(BadSignature):
        await JWKS(rsa).verifier().verify(token)


async def test_jwks_unavailable() -> None:
    jwks = JWKS(KEY)
    jwks.fail = True
    with pytest.raises(KeysUnavailable) as caught:
        await jwks.verifier().verify(sign(claims()))
    assert caught.value.reason == "jwks_unavailable"
