"""The authorization server's settings: issuer, database, dev mode, lifetimes, the scope catalogue.

Dev mode (the embedded default) seeds the demo clients and users and accepts
their well-known secrets; it is on with ``--dev``, with ``PARKGRAPH_AUTH_DEV=1``,
or when no ``DATABASE_URL`` is set (SQLite under the dev data dir), and off
otherwise, so a deployment on PostgreSQL never accepts ``demo-city-secret``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# Every scope a client may be granted, with what it allows (published as scopes_supported).
SCOPES: Mapping[str, str] = {
    "openid": "OpenID Connect sign-in (authorization code flow).",
    "offline_access": "A refresh token alongside the access token.",
    "graph:read": "Read the ParkGraph graph within the caller's tenant.",
    "graph:write": "Write access in general; each domain's mutations need that domain's own write scope below.",
    # The mutations' @requiresScopes, per domain (the gateway refuses a mutation without its scope: FORBIDDEN).
    "approvals:write": "Submit applications and move approval cases along (approvals mutations).",
    "talent:write": "Post job demands (talent mutations).",
    "logistics:write": "Book shipments (logistics mutations).",
    "alerts:write": "Acknowledge, dispatch and close safety and environment alerts (alert mutations).",
    "pii:read": "Read personal data unmasked, with a declared purpose (X-Purpose); every read is audited.",
    "registry:write": "Publish, check and withdraw subgraphs in the schema registry (a city: only its own).",
}

DEFAULT_AUDIENCE = "parkgraph"
DEFAULT_PORT = 9000


@dataclass(frozen=True, slots=True)
class AuthSettings:
    """What the authorization server needs to know at start."""

    issuer: str
    database_url: str
    dev_mode: bool
    audience: str = DEFAULT_AUDIENCE
    algorithm: str = "ES256"  # or RS256
    access_token_ttl: int = 900  # seconds
    refresh_token_ttl: int = 30 * 24 * 3600
    code_ttl: int = 300
    database_schema: str | None = None  # a PostgreSQL schema (tests use one per run)

    @classmethod
    def from_env(
        cls,
        *,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        dev: bool | None = None,
        data_dir: Path | None = None,
    ) -> AuthSettings:
        """Settings from ``PARKGRAPH_AUTH_ISSUER``, ``DATABASE_URL``, ``PARKGRAPH_AUTH_DEV``, ``PARKGRAPH_DATA_DIR``."""
        database_url = os.environ.get("DATABASE_URL")
        if dev is None:
            flag = os.environ.get("PARKGRAPH_AUTH_DEV")
            dev = flag.lower() in ("1", "true", "yes") if flag else database_url is None
        if database_url is None:
            folder = data_dir or Path(os.environ.get("PARKGRAPH_DATA_DIR", "var/dev"))
            database_url = f"sqlite:///{folder.resolve() / 'auth.db'}"
        issuer = os.environ.get("PARKGRAPH_AUTH_ISSUER") or f"http://{host}:{port}"
        return cls(
            issuer=issuer.rstrip("/"),
            database_url=database_url,
            dev_mode=dev,
            algorithm=os.environ.get("PARKGRAPH_AUTH_ALGORITHM", "ES256"),
        )
