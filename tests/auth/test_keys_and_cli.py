"""Key rotation (old keys published until their tokens expire) and the ``parkgraph auth`` commands."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from auth.db import Database
from auth.keys import SKEW_SECONDS, KeyStore
from parkgraph.cli import main
from tests.auth.conftest import start_auth_server


def test_rotation_keeps_the_old_key_until_its_tokens_expire(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = Database.connect(f"sqlite:///{tmp_path / 'auth.db'}")
    store = KeyStore(database, token_ttl=900)
    old = store.active().kid
    new = store.rotate()
    assert store.active().kid == new != old
    assert [k["kid"] for k in store.jwks()["keys"]] == [new, old]
    # once every token the old key signed has expired, it leaves the JWKS
    later = time.time() + 900 + SKEW_SECONDS + 1
    monkeypatch.setattr("auth.keys.time.time", lambda: later)
    assert [k["kid"] for k in store.jwks()["keys"]] == [new]
    database.dispose()


def test_rs256_keys_on_request(tmp_path: Path) -> None:
    database = Database.connect(f"sqlite:///{tmp_path / 'auth.db'}")
    store = KeyStore(database, algorithm="RS256")
    assert store.jwks()["keys"][0]["kty"] == "RSA" and store.active().alg == "RS256"
    database.dispose()


def test_create_client_and_rotate_keys_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    args = ["auth", "create-client", "--name", "芜湖市数据中心", "--scopes", "graph:read", "--tenant", "city:340200"]
    assert main([*args, "--data-dir", str(tmp_path)]) == 0
    created = json.loads(capsys.readouterr().out)
    assert created["client_id"].startswith("pg-") and len(created["client_secret"]) >= 40
    assert main(["auth", "rotate-keys", "--data-dir", str(tmp_path)]) == 0
    rotated = json.loads(capsys.readouterr().out)
    assert rotated["published_kids"][0] == rotated["active_kid"] and len(rotated["published_kids"]) == 2
    # a created client is no demo: it works outside dev mode, with the tenant it was given
    for server in start_auth_server(f"sqlite:///{tmp_path / 'auth.db'}", dev_mode=False):
        with httpx.Client(base_url=server.url) as http:
            response = http.post(
                "/token",
                data={"grant_type": "client_credentials", "scope": "graph:read"},
                auth=(created["client_id"], created["client_secret"]),
            )
            assert response.status_code == 200, response.text
            kid = json.loads(httpx.get(f"{server.url}/jwks.json").text)["keys"][0]["kid"]
            assert kid == rotated["active_kid"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scopes", "graph:read", "--tenant", "county:1"], "invalid tenant"),
        (["--scopes", "graph:root", "--tenant", "province"], "unknown scope"),
    ],
)
def test_create_client_refuses_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["auth", "create-client", "--name", "x", *args, "--data-dir", str(tmp_path)]) == 2
    assert message in capsys.readouterr().err
