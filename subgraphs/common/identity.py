"""The subgraph's gate: only calls the gateway signed get through, and who they are decides tenant and masking.

:class:`IdentityGate` wraps the ``/graphql`` ASGI app: it verifies the
``x-parkgraph-identity`` header (:mod:`auth.identity`) before strawberry sees
the request — ``_entities`` and ``_service`` included — and answers a missing,
forged, expired or misaddressed identity with HTTP 401 and an
``UNAUTHENTICATED`` GraphQL error.

Modes: ``required`` (a key is configured: ``PARKGRAPH_IDENTITY_KEY`` or an
explicit verifier) refuses unsigned calls; without a key the subgraph refuses
to start (:class:`auth.identity.MissingIdentityKey`) unless
``PARKGRAPH_INSECURE_DEV_IDENTITY=1`` (``--insecure-dev-identity``) asks for
``insecure-dev``, logged loudly at start: it still refuses forged identities
(checked with the public dev key) but trusts unsigned callers as the
province. Nothing in the product turns that on; the test suite does, for
subgraphs it calls in-process without a gateway (``tests/conftest.py``).

:func:`disclosure_for` turns an identity into the request's personal-data
policy: unmasked only with ``pii:read`` and a purpose from the configured list,
and only when an audit log is there to record it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal

import orjson

from auth.identity import (
    DEV_IDENTITY_KEY,
    IDENTITY_HEADER,
    INSECURE_DEV_VARIABLE,
    Identity,
    IdentityError,
    IdentityVerifier,
    identity_key_from_env,
    insecure_dev_identity_from_env,
)
from schema.personal import MASK_ALL, REVEAL_ALL, Disclosure, PersonalKind

logger = logging.getLogger("subgraphs.identity")

SCOPE_KEY = "parkgraph.identity"  # where the verified identity travels in the ASGI scope
GateMode = Literal["required", "insecure-dev"]

# The entity whose field is being resolved (set by the audit extension around each resolver).
CURRENT_ENTITY: ContextVar[str | None] = ContextVar("parkgraph_current_entity", default=None)


class IdentityGate:
    """ASGI wrapper: verifies the gateway identity, then passes the request on with it in the scope."""

    def __init__(self, app: Any, verifier: IdentityVerifier, *, mode: GateMode = "required") -> None:
        self.app = app
        self.verifier = verifier
        self.mode = mode

    @classmethod
    def from_env(cls, app: Any, subgraph: str) -> IdentityGate:
        """``PARKGRAPH_IDENTITY_KEY`` required; :class:`MissingIdentityKey` unless insecure dev mode is asked for."""
        if os.environ.get("PARKGRAPH_IDENTITY_KEY") or not insecure_dev_identity_from_env():
            return cls(app, IdentityVerifier(identity_key_from_env(), audience=subgraph))
        logger.warning(
            "%s: INSECURE DEV MODE (%s): no PARKGRAPH_IDENTITY_KEY, unsigned calls are trusted as the province. "
            "Never run a deployment like this.",
            subgraph,
            INSECURE_DEV_VARIABLE,
        )
        return cls(app, IdentityVerifier(DEV_IDENTITY_KEY.encode(), audience=subgraph), mode="insecure-dev")

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        token = _header(scope, IDENTITY_HEADER.encode())
        if token is None and self.mode == "insecure-dev":
            await self.app(scope, receive, send)
            return
        try:
            identity = self.verifier.verify(token)
        except IdentityError as exc:
            if scope["type"] == "websocket":
                await receive()  # websocket.connect
                await send({"type": "websocket.close", "code": 4401, "reason": "unauthenticated"})
            else:
                await _refuse(send, exc.message)
            return
        scope[SCOPE_KEY] = identity
        await self.app(scope, receive, send)


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


async def _refuse(send: Any, message: str) -> None:
    body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]})
    headers = [
        (b"content-type", b"application/graphql-response+json; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"www-authenticate", b'Bearer realm="parkgraph-subgraph"'),
    ]
    await send({"type": "http.response.start", "status": 401, "headers": headers})
    await send({"type": "http.response.body", "body": body})


@dataclass(frozen=True, slots=True)
class AuditedDisclosure(Disclosure):
    """Reveals personal data and remembers each read (kind, entity) for the audit log."""

    reads: list[tuple[PersonalKind, str | None]] = field(default_factory=list)
    operation: dict[str, str] = field(default_factory=dict)  # the operation's text, for its hash

    def reveals(self, kind: PersonalKind) -> bool:
        if kind not in self.revealed:
            return False
        self.reads.append((kind, CURRENT_ENTITY.get()))
        return True


def disclosure_for(identity: Identity | None, purposes: Iterable[str], *, audited: bool) -> Disclosure:
    """The personal-data policy of a request: masked unless scope, purpose and an audit log are all there."""
    if identity is None or not audited or not identity.may_read_personal_data(purposes):
        return MASK_ALL
    return AuditedDisclosure(REVEAL_ALL.revealed)
