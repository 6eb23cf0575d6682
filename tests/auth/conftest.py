"""The authorization server on a free port (in a thread), on SQLite and on the real PostgreSQL, plus OAuth helpers.

The server runs under uvicorn in its own thread and event loop, once per test
module and backend (seeding hashes ten demo secrets with scrypt: too slow to
repeat per test). PostgreSQL runs use a schema of their own, dropped after.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import create_engine, text

from auth.app import create_app
from auth.db import Database, engine_url
from auth.settings import AuthSettings

POSTGRES_URL = os.environ.get("PARKGRAPH_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIRECT_URI = "http://127.0.0.1:3000/callback"


@dataclass
class AuthServer:
    url: str
    settings: AuthSettings
    database: Database


def free_port_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def start_auth_server(database_url: str, *, schema: str | None = None, dev_mode: bool = True) -> Iterator[AuthServer]:
    """Serves the auth server until the generator is closed; the issuer is its real URL."""
    sock = free_port_socket()
    port = sock.getsockname()[1]
    settings = AuthSettings(
        issuer=f"http://127.0.0.1:{port}", database_url=database_url, dev_mode=dev_mode, database_schema=schema
    )
    database = Database.connect(database_url, schema=schema)
    app = create_app(settings, database=database)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield AuthServer(settings.issuer, settings, database)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        database.dispose()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def auth_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AuthServer]:
    if request.param == "sqlite":
        folder: Path = tmp_path_factory.mktemp("auth")
        yield from start_auth_server(f"sqlite:///{folder / 'auth.db'}")
        return
    schema = f"auth_test_{uuid.uuid4().hex[:12]}"
    try:
        yield from start_auth_server(POSTGRES_URL, schema=schema)
    finally:
        engine = create_engine(engine_url(POSTGRES_URL))
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def pkce_pair() -> tuple[str, str]:
    """A code verifier and its S256 challenge (RFC 7636 §4.1–4.2)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return verifier, challenge


def hidden_fields(html: str) -> dict[str, str]:
    return {
        unescape(name): unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', html)
    }


async def client_credentials(
    http: httpx.AsyncClient, client_id: str, scope: str | None = None, secret: str | None = None
) -> httpx.Response:
    data = {"grant_type": "client_credentials"}
    if scope is not None:
        data["scope"] = scope
    return await http.post("/token", data=data, auth=(client_id, secret or f"{client_id}-secret"))


async def login_for_code(
    http: httpx.AsyncClient,
    username: str,
    *,
    scope: str = "graph:read offline_access",
    challenge: str,
    state: str = "s-123",
) -> str:
    """Walks the login page like a browser: GET /authorize, POST the form, read the code off the redirect."""
    params = {
        "response_type": "code",
        "client_id": "demo-frontend",
        "redirect_uri": REDIRECT_URI,
        "scope": scope,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    page = await http.get("/authorize", params=params)
    assert page.status_code == 200 and "<form" in page.text
    form = {**hidden_fields(page.text), "username": username, "password": f"{username}-password"}
    redirect = await http.post("/authorize", data=form)
    assert redirect.status_code == 302, redirect.text
    location = httpx.URL(redirect.headers["location"])
    assert str(location).startswith(REDIRECT_URI) and location.params["state"] == state
    return location.params["code"]
