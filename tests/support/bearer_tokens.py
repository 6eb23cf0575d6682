"""Access tokens for gateway tests without an auth server: ES256 JWTs and a verifier whose JWKS is served in memory.

::

    tokens = TestTokens()
    async with domain_graph(tmp_path, auth=tokens.verifier()) as graph:
        await graph.execute(QUERY, None, tokens.bearer("city:340100", "graph:read"))
"""

from __future__ import annotations

import itertools
import time

import httpx
from joserfc import jwt
from joserfc.jwk import ECKey

from auth.verify import TokenVerifier

ISSUER = "http://auth.test"
AUDIENCE = "parkgraph"


class TestTokens:
    """One signing key; tokens as the auth server issues them (RFC 9068 claims, ParkGraph's tenant)."""

    __test__ = False  # not a test class, whatever pytest thinks of the name

    def __init__(self, kid: str = "tests", issuer: str = ISSUER) -> None:
        self.key = ECKey.generate_key("P-256", parameters={"kid": kid})
        self.kid = kid
        self.issuer = issuer
        self._serial = itertools.count()

    def token(self, tenant: str, scope: str = "graph:read", *, ttl: int = 600) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": f"staff-{tenant}", "aud": AUDIENCE, "iat": now, "exp": now + ttl}
        claims |= {"jti": f"j-{now}-{next(self._serial)}", "client_id": "tests", "scope": scope, "tenant": tenant}
        header = {"alg": "ES256", "typ": "at+jwt", "kid": self.kid}
        return jwt.encode(header, claims, self.key, algorithms=["ES256"])

    def bearer(self, tenant: str, scope: str = "graph:read") -> dict[str, str]:
        return {"authorization": f"Bearer {self.token(tenant, scope)}"}

    def verifier(self) -> TokenVerifier:
        """A verifier that fetches this key's JWKS through an in-memory transport (close it with ``aclose``)."""

        def jwks(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, json={"keys": [self.key.as_dict(private=False)]})

        return TokenVerifier(
            jwks_url=f"{self.issuer}/jwks.json",
            issuer=self.issuer,
            audience=AUDIENCE,
            transport=httpx.MockTransport(jwks),
        )
