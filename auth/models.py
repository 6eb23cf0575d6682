"""authlib's view of our records: clients, authorization codes, refresh tokens and access tokens.

authlib's grants ask these objects questions (``check_redirect_uri``,
``get_scope``, ``is_expired``…); the records themselves stay plain tables in
:mod:`auth.db`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, ClientMixin, TokenMixin
from authlib.oauth2.rfc6749.util import scope_to_list

from auth.db import ClientRecord, CodeRecord, RefreshTokenRecord, UserRecord
from auth.passwords import check_secret


class Client(ClientMixin):  # type: ignore[misc]
    """An OAuth client; ``dev_mode`` decides whether a seeded demo client may authenticate."""

    def __init__(self, record: ClientRecord, *, dev_mode: bool) -> None:
        self.record = record
        self.dev_mode = dev_mode

    @property
    def client_id(self) -> str:
        return self.record.client_id

    @property
    def tenant(self) -> str | None:
        return self.record.tenant

    @property
    def scopes(self) -> set[str]:
        return set(self.record.scopes.split())

    @property
    def redirect_uris(self) -> list[str]:
        return self.record.redirect_uris.split()

    def get_client_id(self) -> str:
        return self.record.client_id

    def get_default_redirect_uri(self) -> str | None:
        uris = self.redirect_uris
        return uris[0] if uris else None

    def get_allowed_scope(self, scope: str | None) -> str:
        if not scope:
            return " ".join(sorted(self.scopes))
        return " ".join(s for s in scope_to_list(scope) if s in self.scopes)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        # Exact string match (RFC 9700 §4.1.3): no prefix or pattern matching.
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        if self.record.demo and not self.dev_mode:
            return False  # demo secrets are public knowledge: never outside dev mode
        return check_secret(client_secret, self.record.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if self.record.demo and not self.dev_mode:
            return False
        # A confidential client authenticates with its secret (basic or post); a public one with PKCE alone.
        if self.record.secret_hash is None:
            return method == "none"
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code" and "authorization_code" in self.record.grant_types.split()

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.record.grant_types.split()


class AuthorizationCode(AuthorizationCodeMixin):  # type: ignore[misc]
    def __init__(self, record: CodeRecord) -> None:
        self.record = record

    def get_redirect_uri(self) -> str:
        return self.record.redirect_uri

    def get_scope(self) -> str:
        return self.record.scope

    def get_nonce(self) -> str | None:
        return self.record.nonce

    def get_auth_time(self) -> int:
        return int(self.record.auth_time)

    def is_expired(self) -> bool:
        return self.record.expires_at < time.time()


class RefreshToken(TokenMixin):  # type: ignore[misc]
    def __init__(self, record: RefreshTokenRecord) -> None:
        self.record = record

    def check_client(self, client: Client) -> bool:
        return self.record.client_id == client.get_client_id()

    def get_scope(self) -> str:
        return self.record.scope

    def get_expires_in(self) -> int:
        return int(self.record.expires_at - self.record.issued_at)

    def is_expired(self) -> bool:
        return self.record.expires_at < time.time()

    def is_revoked(self) -> bool:
        return self.record.revoked_at is not None or self.record.rotated_at is not None


@dataclass
class AccessToken(TokenMixin):  # type: ignore[misc]
    """A JWT access token this server issued, from its verified claims."""

    claims: Mapping[str, Any]
    revoked: bool = False

    def check_client(self, client: Client) -> bool:
        return bool(self.claims.get("client_id") == client.get_client_id())

    def get_scope(self) -> str:
        return str(self.claims.get("scope", ""))

    def get_expires_in(self) -> int:
        return int(self.claims["exp"]) - int(self.claims["iat"])

    def is_expired(self) -> bool:
        return int(self.claims["exp"]) < time.time()

    def is_revoked(self) -> bool:
        return self.revoked


@dataclass(frozen=True)
class User:
    """The resource owner of a token: a person (code flow) or, for client credentials, nobody."""

    username: str
    tenant: str
    scopes: frozenset[str]

    @classmethod
    def from_record(cls, record: UserRecord) -> User:
        return cls(record.username, record.tenant, frozenset(record.scopes.split()))

    def get_user_id(self) -> str:
        return self.username
