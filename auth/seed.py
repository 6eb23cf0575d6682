"""Demo clients and users for every tenancy level, seeded in dev mode, and ``create_client`` for the CLI.

Client credentials clients (secret ``<client id>-secret``, dev mode only):
``demo-province``, ``demo-city`` (tenant ``city:340100``), ``demo-park``
(``park:340100-HTZ``), ``demo-enterprise`` (``enterprise:91340100MA2NJ8U32D``,
the showcase) and ``demo-third-party``. A public front-end client
``demo-frontend`` uses the authorization code flow with PKCE; its users log
in on the login page with the password ``<username>-password``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from sqlalchemy.orm import Session

from auth.db import ClientRecord, Database, UserRecord
from auth.passwords import hash_secret

SHOWCASE_USCC = "91340100MA2NJ8U32D"
FRONTEND_REDIRECT_URIS = ("http://127.0.0.1:3000/callback", "http://localhost:3000/callback")
# What the mutations of the domain subgraphs require (@requiresScopes): staff who run a park or the province write.
DOMAIN_WRITE = "approvals:write talent:write logistics:write alerts:write"


@dataclass(frozen=True, slots=True)
class DemoClient:
    client_id: str
    name: str
    tenant: str
    scopes: str


DEMO_CLIENTS: tuple[DemoClient, ...] = (
    DemoClient(
        "demo-province",
        "省数据中心 (province data centre)",
        "province",
        f"graph:read graph:write {DOMAIN_WRITE} pii:read registry:write",
    ),
    DemoClient(
        "demo-city", "合肥市数据中心 (Hefei city data centre)", "city:340100", "graph:read pii:read registry:write"
    ),
    DemoClient(
        "demo-park", "合肥高新区 (Hefei high-tech zone)", "park:340100-HTZ", f"graph:read graph:write {DOMAIN_WRITE}"
    ),
    DemoClient(
        "demo-enterprise", "合肥智园科技 (the showcase enterprise)", f"enterprise:{SHOWCASE_USCC}", "graph:read"
    ),
    DemoClient("demo-third-party", "第三方系统 (a third-party system)", "province", "graph:read"),
)


@dataclass(frozen=True, slots=True)
class DemoUser:
    username: str
    display_name: str
    tenant: str
    scopes: str


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "province-staff",
        "省发改委工作人员",
        "province",
        f"graph:read graph:write {DOMAIN_WRITE} pii:read offline_access",
    ),
    DemoUser("city-staff", "合肥市工作人员", "city:340100", "graph:read pii:read offline_access"),
    DemoUser(
        "park-staff", "高新区管委会工作人员", "park:340100-HTZ", f"graph:read graph:write {DOMAIN_WRITE} offline_access"
    ),
    DemoUser("enterprise-staff", "合肥智园科技员工", f"enterprise:{SHOWCASE_USCC}", "graph:read offline_access"),
)

FRONTEND_CLIENT_ID = "demo-frontend"


def seed_demo(database: Database) -> None:
    """Insert the demo clients and users that are missing, and bring the scopes of existing ones up to date.

    Idempotent. A data folder seeded by an older version gets today's demo scopes (e.g. a new domain's write
    scope), so its demo clients can still run what the README shows; non-demo records are never touched.
    """
    frontend_scopes = f"graph:read graph:write {DOMAIN_WRITE} pii:read offline_access"
    with database.session() as session:
        for client in DEMO_CLIENTS:
            _seed(session, ClientRecord, client.client_id, client.scopes, partial(_client_record, client))
        _seed(session, ClientRecord, FRONTEND_CLIENT_ID, frontend_scopes, partial(_frontend_record, frontend_scopes))
        for user in DEMO_USERS:
            _seed(session, UserRecord, user.username, user.scopes, partial(_user_record, user))


DemoRecord = TypeVar("DemoRecord", ClientRecord, UserRecord)


def _seed(session: Session, model: type[DemoRecord], key: str, scopes: str, build: Callable[[], DemoRecord]) -> None:
    """Adds ``build()`` when no record has ``key``; a demo record gets today's ``scopes``, any other is left alone."""
    existing = session.get(model, key)
    if existing is None:
        session.add(build())  # built only when missing: hashing a demo secret is slow on purpose
    elif existing.demo:
        existing.scopes = scopes


def _client_record(client: DemoClient) -> ClientRecord:
    return ClientRecord(
        client_id=client.client_id,
        secret_hash=hash_secret(f"{client.client_id}-secret"),
        name=client.name,
        scopes=client.scopes,
        tenant=client.tenant,
        grant_types="client_credentials",
        redirect_uris="",
        token_endpoint_auth_method="client_secret_basic",
        demo=True,
    )


def _frontend_record(scopes: str) -> ClientRecord:
    return ClientRecord(
        client_id=FRONTEND_CLIENT_ID,
        secret_hash=None,
        name="ParkGraph 前端 (demo front end)",
        scopes=scopes,
        tenant=None,
        grant_types="authorization_code refresh_token",
        redirect_uris=" ".join(FRONTEND_REDIRECT_URIS),
        token_endpoint_auth_method="none",
        demo=True,
    )


def _user_record(user: DemoUser) -> UserRecord:
    return UserRecord(
        username=user.username,
        password_hash=hash_secret(f"{user.username}-password"),
        display_name=user.display_name,
        tenant=user.tenant,
        scopes=user.scopes,
        demo=True,
    )


def create_client(
    database: Database,
    *,
    name: str,
    scopes: str,
    tenant: str,
    grant_types: str = "client_credentials",
    redirect_uris: str = "",
) -> tuple[str, str]:
    """A new confidential client; returns its id and secret (the secret is shown once, stored hashed)."""
    client_id = "pg-" + secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    with database.session() as session:
        session.add(
            ClientRecord(
                client_id=client_id,
                secret_hash=hash_secret(secret),
                name=name,
                scopes=" ".join(scopes.split()),
                tenant=tenant,
                grant_types=grant_types,
                redirect_uris=redirect_uris,
                token_endpoint_auth_method="client_secret_basic",
                demo=False,
            )
        )
    return client_id, secret
