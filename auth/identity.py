"""The identity the gateway signs and forwards to subgraphs, tenants, and the purposes for unmasked reads.

Subgraphs trust no client header: the gateway verifies the caller's access
token, then sends each subgraph a short-lived JWT (HS256 with a key shared by
the gateway and the subgraphs, audience = the subgraph's name) in
``x-parkgraph-identity``. Every subgraph verifies it with
:class:`IdentityVerifier` and refuses calls without it (``_entities`` and
``_service`` too). This module and :mod:`auth.verify` are the only parts of
``auth`` that the gateway and the subgraphs import.

The key comes from ``PARKGRAPH_IDENTITY_KEY`` (at least 32 bytes) and is
mandatory: without it the gateway's auth plugin and every subgraph refuse to
start (:class:`MissingIdentityKey`). ``parkgraph dev`` generates one per data
folder. The only way around it is ``PARKGRAPH_INSECURE_DEV_IDENTITY=1`` (a
subgraph's ``--insecure-dev-identity``): unsigned calls are then trusted as
the province, with a warning at start; nothing in the product sets it.

Exception tree::

    IdentityError       UNAUTHENTICATED: missing, malformed, forged, expired or misaddressed identity
    InvalidTenant       a tenant string that is not province / city:<code> / park:<code> / enterprise:<uscc>
    MissingIdentityKey  configuration: no PARKGRAPH_IDENTITY_KEY (or one shorter than 32 bytes)
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

IDENTITY_HEADER = "x-parkgraph-identity"
PURPOSE_HEADER = "x-purpose"
IDENTITY_ISSUER = "parkgraph-gateway"
IDENTITY_TTL_SECONDS = 60
# Only in the explicit insecure dev mode, to verify identities that are sent anyway.
DEV_IDENTITY_KEY = "parkgraph-development-identity-key-do-not-deploy"
INSECURE_DEV_VARIABLE = "PARKGRAPH_INSECURE_DEV_IDENTITY"
PII_SCOPE = "pii:read"
# Declared purposes under which personal data may be read unmasked (X-Purpose); PARKGRAPH_PII_PURPOSES overrides.
DEFAULT_PURPOSES: tuple[str, ...] = (
    "social-insurance-audit",  # 社保稽核
    "labour-inspection",  # 劳动保障监察
    "tax-inspection",  # 税务稽查
    "law-enforcement",  # 执法办案
    "talent-service",  # 人才服务 (the person's own application)
)

TenantKind = Literal["province", "city", "park", "enterprise"]
_TENANT = re.compile(r"^(?:province|city:\d{6}|park:\d{6}-[A-Z0-9]{2,10}|enterprise:[0-9A-HJ-NPQRTUWXY]{18})$")


class IdentityError(Exception):
    """The call carries no valid gateway identity; subgraphs answer 401 with ``UNAUTHENTICATED``."""

    code = "UNAUTHENTICATED"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidTenant(ValueError):
    """A tenant string outside the four forms."""


class MissingIdentityKey(RuntimeError):
    """``PARKGRAPH_IDENTITY_KEY`` is not set (or too short): the process must not start."""


@dataclass(frozen=True, slots=True)
class Tenant:
    """Whose data a caller may see: the province, one city, one park (开发区) or one enterprise."""

    kind: TenantKind
    code: str | None = None  # city division code, park code or USCC

    def __str__(self) -> str:
        return self.kind if self.code is None else f"{self.kind}:{self.code}"

    def covers_city(self, city_code: str) -> bool:
        if self.kind == "province":
            return True
        return self.kind == "city" and self.code == city_code

    def covers_park(self, park_code: str) -> bool:
        """A park belongs to the city whose division code starts its code (``340100-HTZ`` → ``340100``)."""
        if self.kind == "province":
            return True
        if self.kind == "city":
            return park_code.split("-", 1)[0] == self.code
        return self.kind == "park" and self.code == park_code

    def covers_enterprise(self, uscc: str, *, city_code: str | None = None, park_code: str | None = None) -> bool:
        """Whether the enterprise is the caller's to see; without ``city_code`` the USCC's division code decides.

        A park tenant needs ``park_code`` (the registry knows it): without it the answer is no.
        """
        if self.kind == "province":
            return True
        if self.kind == "enterprise":
            return self.code == uscc
        if self.kind == "city":
            return (city_code or uscc_city(uscc)) == self.code
        return park_code is not None and park_code == self.code


PROVINCE = Tenant("province")


def parse_tenant(text: str) -> Tenant:
    """``"city:340100"`` → ``Tenant("city", "340100")``; :class:`InvalidTenant` for anything else."""
    if not _TENANT.match(text):
        raise InvalidTenant(
            f"invalid tenant {text!r}: expected province, city:<6 digits>, park:<city>-<kind> or enterprise:<USCC>"
        )
    kind, _, code = text.partition(":")
    return Tenant(kind, code or None)  # type: ignore[arg-type]


def uscc_city(uscc: str) -> str:
    """The city (地级市) of a USCC's registration authority: characters 3–8 are its division code."""
    return uscc[2:6] + "00"


@dataclass(frozen=True, slots=True)
class Identity:
    """Who is calling, as the gateway vouches for it."""

    subject: str | None  # the user, or the client for client credentials; None when anonymous
    client_id: str | None
    tenant: Tenant | None  # None: anonymous
    scopes: frozenset[str] = frozenset()
    purpose: str | None = None  # X-Purpose as the client declared it
    request_id: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def anonymous(self) -> bool:
        return self.subject is None

    def may_read_personal_data(self, purposes: Iterable[str]) -> bool:
        """``pii:read`` plus a purpose from the configured list."""
        return PII_SCOPE in self.scopes and self.purpose is not None and self.purpose in set(purposes)


ANONYMOUS = Identity(subject=None, client_id=None, tenant=None)


def identity_key_from_env() -> bytes:
    """``PARKGRAPH_IDENTITY_KEY``; :class:`MissingIdentityKey` when it is not set or shorter than 32 bytes."""
    key = os.environ.get("PARKGRAPH_IDENTITY_KEY")
    if not key:
        raise MissingIdentityKey(
            "PARKGRAPH_IDENTITY_KEY is not set: the gateway and every subgraph need the same secret (32+ bytes) "
            "to sign and verify the caller's identity"
        )
    if len(key.encode()) < 32:
        raise MissingIdentityKey("PARKGRAPH_IDENTITY_KEY must be at least 32 bytes")
    return key.encode()


def insecure_dev_identity_from_env() -> bool:
    """Whether ``PARKGRAPH_INSECURE_DEV_IDENTITY`` asks for the insecure dev mode (unsigned calls trusted)."""
    return os.environ.get(INSECURE_DEV_VARIABLE, "").lower() in ("1", "true", "yes")


def purposes_from_env() -> tuple[str, ...]:
    """``PARKGRAPH_PII_PURPOSES`` (comma-separated) or :data:`DEFAULT_PURPOSES`."""
    configured = os.environ.get("PARKGRAPH_PII_PURPOSES")
    if not configured:
        return DEFAULT_PURPOSES
    return tuple(p.strip() for p in configured.split(",") if p.strip())


class IdentitySigner:
    """The gateway's side: one signed identity per subgraph call."""

    def __init__(self, key: bytes, *, ttl: int = IDENTITY_TTL_SECONDS) -> None:
        self._key = OctKey.import_key(key)
        self.ttl = ttl

    def sign(self, identity: Identity, audience: str) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": IDENTITY_ISSUER,
            "aud": audience,
            "iat": now,
            "exp": now + self.ttl,
            "jti": uuid.uuid4().hex,
            "sub": identity.subject,
            "client_id": identity.client_id,
            "tenant": None if identity.tenant is None else str(identity.tenant),
            "scope": " ".join(sorted(identity.scopes)),
        }
        if identity.purpose is not None:
            claims["purpose"] = identity.purpose
        if identity.request_id is not None:
            claims["rid"] = identity.request_id
        return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, self._key, algorithms=["HS256"])


class IdentityVerifier:
    """The subgraph's side: checks signature, issuer, audience and expiry of the forwarded identity."""

    def __init__(self, key: bytes, *, audience: str, leeway: int = 5) -> None:
        self._key = OctKey.import_key(key)
        self.audience = audience
        self.leeway = leeway

    @classmethod
    def from_env(cls, audience: str) -> IdentityVerifier:
        return cls(identity_key_from_env(), audience=audience)

    def verify(self, token: str | None) -> Identity:
        if not token:
            raise IdentityError(f"missing {IDENTITY_HEADER}: subgraphs answer only calls signed by the gateway")
        try:
            decoded = jwt.decode(token, self._key, algorithms=["HS256"])
        except (JoseError, ValueError) as exc:
            raise IdentityError(f"the gateway identity is invalid or forged: {exc}") from exc
        claims = decoded.claims
        now = time.time()
        if claims.get("iss") != IDENTITY_ISSUER:
            raise IdentityError("the gateway identity has the wrong issuer")
        if claims.get("aud") != self.audience:
            raise IdentityError(f"the gateway identity is addressed to {claims.get('aud')!r}, not {self.audience!r}")
        exp = claims.get("exp")
        if not isinstance(exp, int) or exp + self.leeway < now:
            raise IdentityError("the gateway identity has expired")
        tenant_text = claims.get("tenant")
        try:
            tenant = parse_tenant(tenant_text) if isinstance(tenant_text, str) else None
        except InvalidTenant as exc:
            raise IdentityError(str(exc)) from exc
        return Identity(
            subject=claims.get("sub"),
            client_id=claims.get("client_id"),
            tenant=tenant,
            scopes=frozenset(str(claims.get("scope") or "").split()),
            purpose=claims.get("purpose"),
            request_id=claims.get("rid"),
        )
