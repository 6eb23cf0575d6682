"""Access-token verification for the gateway: JWKS fetch and cache, signature, issuer, audience, expiry.

::

    verifier = TokenVerifier(jwks_url="http://127.0.0.1:9000/jwks.json",
                             issuer="http://127.0.0.1:9000", audience="parkgraph")
    claims = await verifier.verify(token)      # or raises a TokenError

The algorithm is checked against an allow-list (ES256, RS256) before any
cryptography, so ``alg: none`` and HS256 tokens signed with a public key never
reach a verifier. The JWKS is cached; an unknown ``kid`` triggers one refetch
(at most one every ``refetch_interval`` seconds, so garbage tokens cannot make
the gateway hammer the auth server).

Exception tree (each has a stable ``reason``; the gateway reports all of them
as ``UNAUTHENTICATED``)::

    TokenError
    ├── MalformedToken        malformed_token: not a compact JWS, bad JSON, missing claims
    ├── UnsupportedAlgorithm  unsupported_algorithm: alg none, HS256, anything not allow-listed
    ├── UnknownKey            unknown_kid: no key with this kid, even after refetching the JWKS
    ├── BadSignature          bad_signature: signature does not verify (tampered payload, wrong key)
    ├── TokenExpired          token_expired
    ├── TokenNotYetValid      token_not_yet_valid (nbf/iat in the future)
    ├── WrongIssuer           wrong_issuer
    ├── WrongAudience         wrong_audience
    ├── WrongTokenType        wrong_token_type: typ is not at+jwt (RFC 9068 §4)
    └── KeysUnavailable       jwks_unavailable: the auth server's JWKS cannot be fetched
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet, RSAKey

DEFAULT_ALGORITHMS = ("ES256", "RS256")
_KEY_TYPES = {"ES256": "EC", "RS256": "RSA"}
_REQUIRED_CLAIMS = ("iss", "sub", "aud", "exp", "iat")


class TokenError(Exception):
    reason = "invalid_token"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MalformedToken(TokenError):
    reason = "malformed_token"


class UnsupportedAlgorithm(TokenError):
    reason = "unsupported_algorithm"


class UnknownKey(TokenError):
    reason = "unknown_kid"


class BadSignature(TokenError):
    reason = "bad_signature"


class TokenExpired(TokenError):
    reason = "token_expired"


class TokenNotYetValid(TokenError):
    reason = "token_not_yet_valid"


class WrongIssuer(TokenError):
    reason = "wrong_issuer"


class WrongAudience(TokenError):
    reason = "wrong_audience"


class WrongTokenType(TokenError):
    reason = "wrong_token_type"


class KeysUnavailable(TokenError):
    reason = "jwks_unavailable"


def _b64json(segment: str) -> Any:
    try:
        return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, TypeError) as exc:
        raise MalformedToken("the token is not a JWT (a segment is not base64url JSON)") from exc


class JWKSCache:
    """The auth server's public keys by ``kid``; refetched when stale or when a ``kid`` is unknown."""

    def __init__(
        self,
        url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        max_age: float = 300.0,
        refetch_interval: float = 10.0,
        timeout: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.max_age = max_age
        self.refetch_interval = refetch_interval
        self._client = httpx.AsyncClient(transport=transport, timeout=timeout)
        self._clock = clock
        self._keys: dict[str, ECKey | RSAKey] = {}
        self._fetched_at: float | None = None
        self._refetched_at: float | None = None  # last refetch for an unknown kid
        self._lock = asyncio.Lock()
        self.fetches = 0

    async def key(self, kid: str) -> ECKey | RSAKey:
        stale = self._fetched_at is None or self._clock() - self._fetched_at > self.max_age
        if stale:
            await self._refresh(force=True)
        elif kid not in self._keys:
            await self._refresh(force=False)
        found = self._keys.get(kid)
        if found is None:
            raise UnknownKey(f"no signing key with kid {kid!r} in the auth server's JWKS")
        return found

    async def _refresh(self, *, force: bool) -> None:
        async with self._lock:
            now = self._clock()
            if not force:
                # An unknown kid: refetch, but not more often than refetch_interval.
                if self._refetched_at is not None and now - self._refetched_at < self.refetch_interval:
                    return
                self._refetched_at = now
            try:
                response = await self._client.get(self.url)
                response.raise_for_status()
                key_set = KeySet.import_key_set(response.json())
            except (httpx.HTTPError, ValueError, JoseError) as exc:
                if self._keys and not force:
                    return  # keep what we have; the unknown kid stays unknown
                raise KeysUnavailable(f"cannot fetch the JWKS from {self.url}: {exc}") from exc
            self._keys = {k.kid: k for k in key_set.keys if k.kid and isinstance(k, ECKey | RSAKey)}
            self._fetched_at = now
            self.fetches += 1

    async def aclose(self) -> None:
        await self._client.aclose()


class TokenVerifier:
    """Checks an access token and returns its claims, or raises a :class:`TokenError`."""

    def __init__(
        self,
        *,
        jwks_url: str,
        issuer: str,
        audience: str,
        algorithms: Sequence[str] = DEFAULT_ALGORITHMS,
        leeway: int = 30,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.issuer = issuer.rstrip("/")
        self.audience = audience
        self.algorithms = tuple(a for a in algorithms if a in _KEY_TYPES)
        self.leeway = leeway
        self.keys = JWKSCache(jwks_url, transport=transport)
        self._clock = clock

    async def verify(self, token: str) -> Mapping[str, Any]:
        parts = token.split(".")
        if len(parts) != 3 or not all(parts[:2]):
            raise MalformedToken("the token is not a compact JWS (three dot-separated parts)")
        header = _b64json(parts[0])
        if not isinstance(header, dict):
            raise MalformedToken("the token header is not a JSON object")
        alg = header.get("alg")
        if alg not in self.algorithms:
            raise UnsupportedAlgorithm(f"algorithm {alg!r} is not accepted; expected one of {list(self.algorithms)}")
        typ = str(header.get("typ", "")).lower()
        if typ not in ("at+jwt", "application/at+jwt"):
            raise WrongTokenType(f"token type {header.get('typ')!r} is not an access token (at+jwt)")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise UnknownKey("the token header names no kid")
        key = await self.keys.key(kid)
        if key.key_type != _KEY_TYPES[alg]:
            raise BadSignature(f"key {kid!r} is {key.key_type}, which cannot verify {alg}")
        try:
            verified = jws.deserialize_compact(token, key, algorithms=[alg])
        except (JoseError, ValueError) as exc:
            raise BadSignature("the token signature does not verify") from exc
        try:
            claims = json.loads(verified.payload)
        except ValueError as exc:
            raise MalformedToken("the token payload is not JSON") from exc
        if not isinstance(claims, dict):
            raise MalformedToken("the token payload is not a JSON object")
        self._check_claims(claims)
        return claims

    def _check_claims(self, claims: dict[str, Any]) -> None:
        missing = [name for name in _REQUIRED_CLAIMS if name not in claims]
        if missing:
            raise MalformedToken(f"the token lacks the claims {', '.join(missing)}")
        now = self._clock()
        exp, iat, nbf = claims["exp"], claims["iat"], claims.get("nbf", claims["iat"])
        if not all(isinstance(v, int | float) for v in (exp, iat, nbf)):
            raise MalformedToken("exp, iat and nbf must be numbers")
        if exp + self.leeway < now:
            raise TokenExpired("the token has expired")
        if nbf - self.leeway > now:
            raise TokenNotYetValid("the token is not valid yet")
        if str(claims["iss"]).rstrip("/") != self.issuer:
            raise WrongIssuer(f"the token was issued by {claims['iss']!r}, not {self.issuer!r}")
        audience = claims["aud"]
        audiences = audience if isinstance(audience, list) else [audience]
        if self.audience not in audiences:
            raise WrongAudience(f"the token is for {audience!r}, not {self.audience!r}")

    async def aclose(self) -> None:
        await self.keys.aclose()
