"""Revocation (RFC 7009) and introspection (RFC 7662) of refresh tokens and JWT access tokens.

Revoking a refresh token revokes its whole family; revoking an access token
records its ``jti`` until it expires, and introspection then reports it
inactive. (The gateway checks signatures, not this list: access tokens are
short-lived by design.) A client may revoke and introspect only the tokens
issued to it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from authlib.oauth2.rfc7009 import RevocationEndpoint as _RevocationEndpoint
from authlib.oauth2.rfc7662 import IntrospectionEndpoint as _IntrospectionEndpoint
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from auth.db import RevokedAccessToken
from auth.grants import find_refresh_token, revoke_family
from auth.keys import SUPPORTED_ALGORITHMS
from auth.models import AccessToken, Client, RefreshToken

if TYPE_CHECKING:
    from auth.server import AuthorizationServer

_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]


def find_token(server: AuthorizationServer, token: str, hint: str | None) -> AccessToken | RefreshToken | None:
    """The refresh token or our own (signature-checked) access token behind ``token``."""
    if hint != "access_token":
        refresh = find_refresh_token(server, token)
        if refresh is not None or hint == "refresh_token":
            return refresh
    try:
        keys = KeySet.import_key_set(server.keys.jwks())  # type: ignore[arg-type]
        decoded = jwt.decode(token, keys, algorithms=list(SUPPORTED_ALGORITHMS))
    except (JoseError, ValueError):
        return None
    claims = decoded.claims
    if claims.get("iss") != server.settings.issuer or "jti" not in claims:
        return None
    with server.database.session() as session:
        revoked = session.get(RevokedAccessToken, claims["jti"]) is not None
    return AccessToken(claims, revoked=revoked)


class RevocationEndpoint(_RevocationEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = _AUTH_METHODS
    server: AuthorizationServer

    def query_token(self, token_string: str, token_type_hint: str | None) -> AccessToken | RefreshToken | None:
        return find_token(self.server, token_string, token_type_hint)

    def revoke_token(self, token: AccessToken | RefreshToken, request: Any) -> None:
        if isinstance(token, RefreshToken):
            revoke_family(self.server, token.record.family_id)
            return
        with self.server.database.session() as session:
            if session.get(RevokedAccessToken, token.claims["jti"]) is None:
                session.add(RevokedAccessToken(jti=token.claims["jti"], expires_at=float(token.claims["exp"])))
            # Forget revocations of tokens that have expired anyway.
            session.query(RevokedAccessToken).filter(RevokedAccessToken.expires_at < time.time()).delete()


class IntrospectionEndpoint(_IntrospectionEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = _AUTH_METHODS
    server: AuthorizationServer

    def query_token(self, token_string: str, token_type_hint: str | None) -> AccessToken | RefreshToken | None:
        return find_token(self.server, token_string, token_type_hint)

    def check_permission(self, token: AccessToken | RefreshToken, client: Client, request: Any) -> bool:
        return bool(token.check_client(client))

    def introspect_token(self, token: AccessToken | RefreshToken) -> dict[str, Any]:
        if isinstance(token, RefreshToken):
            record = token.record
            return {
                "active": True,
                "token_type": "refresh_token",
                "client_id": record.client_id,
                "username": record.username,
                "sub": record.username,
                "scope": record.scope,
                "iat": int(record.issued_at),
                "exp": int(record.expires_at),
                "iss": self.server.settings.issuer,
            }
        claims = token.claims
        payload = {"active": True, "token_type": "Bearer"}
        for name in ("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope", "tenant"):
            if name in claims:
                payload[name] = claims[name]
        if claims.get("sub") != claims.get("client_id"):
            payload["username"] = claims.get("sub")
        return payload
