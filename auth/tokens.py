"""Access tokens as JWTs in the RFC 9068 profile, and opaque refresh tokens.

An access token's header is ``{"typ": "at+jwt", "alg": "ES256", "kid": …}``;
its claims are ``iss``, ``sub`` (the user, or the client for client
credentials), ``aud``, ``exp``, ``iat``, ``jti``, ``client_id``, ``scope``
and ParkGraph's ``tenant`` (``province``, ``city:<code>``, ``park:<code>``
or ``enterprise:<uscc>``). The gateway verifies them with :mod:`auth.verify`.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from authlib.common.security import generate_token
from joserfc import jwt

from auth.keys import KeyStore
from auth.models import Client, User

REFRESH_TOKEN_LENGTH = 48


class TokenIssuer:
    """authlib's token generator (``server.register_token_generator("default", issuer)``)."""

    def __init__(self, keys: KeyStore, *, issuer: str, audience: str, access_ttl: int) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.access_ttl = access_ttl

    def __call__(
        self,
        grant_type: str,
        client: Client,
        user: User | None = None,
        scope: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        ttl = expires_in or self.access_ttl
        token: dict[str, Any] = {
            "token_type": "Bearer",
            "access_token": self.access_token(client, user, scope or "", ttl),
            "expires_in": ttl,
            "scope": scope or "",
        }
        if include_refresh_token and user is not None:
            token["refresh_token"] = generate_token(REFRESH_TOKEN_LENGTH)
        return token

    def access_token(self, client: Client, user: User | None, scope: str, ttl: int) -> str:
        now = int(time.time())
        tenant = user.tenant if user is not None else client.tenant
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": user.username if user is not None else client.get_client_id(),
            "aud": self.audience,
            "iat": now,
            "nbf": now,
            "exp": now + ttl,
            "jti": uuid.uuid4().hex,
            "client_id": client.get_client_id(),
            "scope": scope,
        }
        if tenant is not None:
            claims["tenant"] = tenant
        key = self.keys.active()
        header = {"typ": "at+jwt", "alg": key.alg, "kid": key.kid}
        return jwt.encode(header, claims, key.key, algorithms=[key.alg])
