"""Who is calling: client id, client class, address and cache scope, from the request context.

The auth plugin fills ``context.claims`` (RFC 9068 access-token claims:
``client_id``, ``scope``, ``sub``) and ``context.tenant``; without claims the
caller is anonymous and known by its address only.
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.context import RequestContext
from gateway.plugins.settings import ANONYMOUS, DEFAULT, ClientPolicy, GatewaySettings

_NO_POLICY = ClientPolicy("")
PII_SCOPE = "pii:read"
PURPOSE_HEADER = "x-purpose"


@dataclass(frozen=True, slots=True)
class Caller:
    """The client behind one request, as the traffic plugins see it."""

    client_id: str | None
    client_class: str
    address: str | None
    policy: ClientPolicy

    @property
    def anonymous(self) -> bool:
        return self.client_id is None

    @property
    def bucket(self) -> str:
        """The rate-limit bucket: per client id, per address for anonymous callers."""
        return f"client:{self.client_id}" if self.client_id is not None else f"addr:{self.address or 'unknown'}"


def identify(context: RequestContext, settings: GatewaySettings) -> Caller:
    """The caller of the request ``context`` belongs to."""
    claims = context.claims
    address = context.client_address
    if settings.trust_forwarded_for:
        forwarded = context.headers.get("x-forwarded-for")
        if forwarded:
            address = forwarded.split(",", 1)[0].strip() or address
    if not claims:
        return Caller(None, ANONYMOUS, address, _NO_POLICY)
    raw_id = claims.get("client_id") or claims.get("azp") or claims.get("sub")
    client_id = str(raw_id) if raw_id is not None else ""
    policy = settings.clients.get(client_id)
    if policy is None:
        claimed = claims.get("client_class")
        client_class = str(claimed) if isinstance(claimed, str) and claimed in settings.classes else DEFAULT
        return Caller(client_id, client_class, address, _NO_POLICY)
    return Caller(client_id, policy.client_class, address, policy)


def scopes_of(context: RequestContext) -> frozenset[str]:
    """The scopes granted to the request's token (``scope`` space-separated, or ``scp`` as a list)."""
    claims = context.claims
    if not claims:
        return frozenset()
    scope = claims.get("scope")
    if isinstance(scope, str):
        return frozenset(scope.split())
    scp = claims.get("scp")
    if isinstance(scp, list | tuple):
        return frozenset(str(s) for s in scp)
    return frozenset()


def masking_level(context: RequestContext) -> str:
    """``unmasked:<purpose>`` when the caller may read personal data unmasked for a declared purpose, else ``masked``.

    Mirrors the auth design (issue 4): unmasking needs the ``pii:read`` scope and an ``X-Purpose`` header.
    """
    purpose = context.headers.get(PURPOSE_HEADER)
    if purpose and PII_SCOPE in scopes_of(context):
        return f"unmasked:{purpose}"
    return "masked"
