"""The three grants: client credentials, authorization code with PKCE (S256 only), refresh with rotation.

Every grant refuses a scope the client was not granted (``invalid_scope``,
naming the scope) instead of silently narrowing it. Refresh tokens rotate on
every use; presenting one that was already rotated is taken as theft: the
whole family (every token descended from the same login) is revoked.
"""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING, Any, ClassVar

from authlib.oauth2.rfc6749 import InvalidGrantError, InvalidRequestError, InvalidScopeError, grants
from authlib.oauth2.rfc6749.util import scope_to_list
from authlib.oauth2.rfc7636 import CodeChallenge
from sqlalchemy import select, update

from auth.db import CodeRecord, RefreshTokenRecord, UserRecord
from auth.models import AuthorizationCode, RefreshToken, User
from auth.passwords import token_hash

if TYPE_CHECKING:
    from auth.server import AuthorizationServer


class ScopeCheck:
    """Refuses scopes outside the client's grant (and, with a user, outside the user's)."""

    request: Any
    server: AuthorizationServer

    def validate_requested_scope(self) -> None:
        requested = set(scope_to_list(self.request.payload.scope) or [])
        client = self.request.client
        unknown = sorted(requested - set(self.server.scopes_supported or ()))
        if unknown:
            raise InvalidScopeError(f"unknown scope {' '.join(unknown)}")
        not_granted = sorted(requested - client.scopes)
        if not_granted:
            raise InvalidScopeError(f"scope {' '.join(not_granted)} is not granted to client {client.client_id}")


class ClientCredentialsGrant(ScopeCheck, grants.ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic", "client_secret_post"]


class S256Challenge(CodeChallenge):  # type: ignore[misc]
    """PKCE required on every authorization request, with S256 only (no ``plain``)."""

    SUPPORTED_CODE_CHALLENGE_METHOD: ClassVar[list[str]] = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send code_challenge with code_challenge_method=S256")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("code_challenge_method must be S256")
        super().validate_code_challenge(grant, redirect_uri)

    def get_authorization_code_challenge(self, authorization_code: AuthorizationCode) -> str | None:
        return authorization_code.record.code_challenge

    def get_authorization_code_challenge_method(self, authorization_code: AuthorizationCode) -> str | None:
        return authorization_code.record.code_challenge_method


class AuthorizationCodeGrant(ScopeCheck, grants.AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic", "client_secret_post", "none"]

    def save_authorization_code(self, code: str, request: Any) -> None:
        user: User = request.user
        data = request.payload.data
        now = time.time()
        with self.server.database.session() as session:
            session.add(
                CodeRecord(
                    code_hash=token_hash(code),
                    client_id=request.client.get_client_id(),
                    username=user.username,
                    redirect_uri=request.payload.redirect_uri or "",
                    # A user grants at most the scopes they hold themselves.
                    scope=" ".join(s for s in (request.scope or "").split() if s in user.scopes),
                    nonce=data.get("nonce"),
                    code_challenge=data.get("code_challenge"),
                    code_challenge_method=data.get("code_challenge_method"),
                    auth_time=now,
                    expires_at=now + self.server.settings.code_ttl,
                )
            )

    def query_authorization_code(self, code: str, client: Any) -> AuthorizationCode | None:
        with self.server.database.session() as session:
            record = session.get(CodeRecord, token_hash(code))
        if record is None or record.client_id != client.get_client_id():
            return None
        found = AuthorizationCode(record)
        return None if found.is_expired() else found

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        with self.server.database.session() as session:
            record = session.get(CodeRecord, authorization_code.record.code_hash)
            if record is not None:
                session.delete(record)

    def authenticate_user(self, authorization_code: AuthorizationCode) -> User | None:
        with self.server.database.session() as session:
            record = session.get(UserRecord, authorization_code.record.username)
        return None if record is None else User.from_record(record)


class RefreshTokenGrant(grants.RefreshTokenGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = ["client_secret_basic", "client_secret_post", "none"]
    INCLUDE_NEW_REFRESH_TOKEN = True  # rotation: every refresh returns a new refresh token

    server: AuthorizationServer

    def authenticate_refresh_token(self, refresh_token: str) -> RefreshToken | None:
        now = time.time()
        refusal: str | None = None
        with self.server.database.session() as session:
            record = session.get(RefreshTokenRecord, token_hash(refresh_token))
            if record is None:
                return None
            if record.rotated_at is not None:
                # A rotated token came back: whoever holds the family, one of them stole it. Revoke all
                # (committed before the refusal is raised).
                session.execute(
                    update(RefreshTokenRecord)
                    .where(RefreshTokenRecord.family_id == record.family_id, RefreshTokenRecord.revoked_at.is_(None))
                    .values(revoked_at=now)
                )
                refusal = "refresh token reuse detected: every token of this grant is now revoked"
            elif record.revoked_at is not None:
                refusal = "refresh token has been revoked"
            elif record.expires_at < now:
                refusal = "refresh token has expired"
        if refusal is not None:
            raise InvalidGrantError(refusal)
        return RefreshToken(record)

    def authenticate_user(self, refresh_token: RefreshToken) -> User | None:
        with self.server.database.session() as session:
            record = session.get(UserRecord, refresh_token.record.username)
        return None if record is None else User.from_record(record)

    def revoke_old_credential(self, refresh_token: RefreshToken) -> None:
        with self.server.database.session() as session:
            session.execute(
                update(RefreshTokenRecord)
                .where(RefreshTokenRecord.token_hash == refresh_token.record.token_hash)
                .values(rotated_at=time.time())
            )


def store_refresh_token(server: AuthorizationServer, token: dict[str, Any], request: Any) -> None:
    """``save_token``: keeps the refresh token (hashed), in the family of the one it replaces."""
    refresh = token.get("refresh_token")
    if not refresh or request.user is None:
        return
    previous: RefreshToken | None = request.refresh_token
    family = previous.record.family_id if previous is not None else uuid.uuid4().hex
    now = time.time()
    with server.database.session() as session:
        session.add(
            RefreshTokenRecord(
                token_hash=token_hash(refresh),
                family_id=family,
                client_id=request.client.get_client_id(),
                username=request.user.username,
                scope=token.get("scope", ""),
                issued_at=now,
                expires_at=now + server.settings.refresh_token_ttl,
            )
        )


def revoke_family(server: AuthorizationServer, family_id: str) -> None:
    with server.database.session() as session:
        session.execute(
            update(RefreshTokenRecord)
            .where(RefreshTokenRecord.family_id == family_id, RefreshTokenRecord.revoked_at.is_(None))
            .values(revoked_at=time.time())
        )


def find_refresh_token(server: AuthorizationServer, token: str) -> RefreshToken | None:
    with server.database.session() as session:
        record = session.scalars(select(RefreshTokenRecord).where(RefreshTokenRecord.token_hash == token_hash(token)))
        found = record.first()
    return None if found is None else RefreshToken(found)
