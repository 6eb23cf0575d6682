"""``python -m auth`` and ``parkgraph auth serve|create-client|rotate-keys``.

``create-client`` prints ``{"client_id": …, "client_secret": …}`` as JSON (the
secret is shown once and stored hashed); ``rotate-keys`` makes a new signing
key active and keeps the old one in the JWKS until its tokens have expired.
Both act on the database the server uses (``DATABASE_URL`` or the SQLite file
under ``--data-dir``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from auth.identity import InvalidTenant, parse_tenant
from auth.settings import DEFAULT_PORT, SCOPES, AuthSettings


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, default=None, help="where the SQLite file lives (embedded default)")


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=os.environ.get("PARKGRAPH_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PARKGRAPH_AUTH_PORT", str(DEFAULT_PORT))))
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--dev", dest="dev", action="store_true", default=None, help="seed and accept demo clients")
    mode.add_argument("--no-dev", dest="dev", action="store_false", help="refuse demo clients even on SQLite")
    parser.add_argument("--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"])
    _common(parser)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds ``parkgraph auth`` with its subcommands."""
    parser = commands.add_parser("auth", help="the OAuth2 authorization server and its administration")
    sub = parser.add_subparsers(dest="auth_command", required=True)
    serve = sub.add_parser("serve", help="serve the authorization server")
    add_serve_arguments(serve)
    serve.set_defaults(run=run_serve)
    create = sub.add_parser("create-client", help="register a client-credentials client; prints id and secret")
    create.add_argument("--name", required=True)
    create.add_argument("--scopes", required=True, help=f"space-separated, from: {' '.join(SCOPES)}")
    create.add_argument("--tenant", required=True, help="province, city:<code>, park:<code> or enterprise:<uscc>")
    _common(create)
    create.set_defaults(run=run_create_client)
    rotate = sub.add_parser("rotate-keys", help="make a new signing key active (old keys stay until tokens expire)")
    rotate.add_argument("--algorithm", choices=["ES256", "RS256"], default=None)
    _common(rotate)
    rotate.set_defaults(run=run_rotate_keys)


def _settings(args: argparse.Namespace, *, dev: bool | None = None) -> AuthSettings:
    host = getattr(args, "host", "127.0.0.1")
    port = getattr(args, "port", DEFAULT_PORT)
    return AuthSettings.from_env(host=host, port=port, dev=dev, data_dir=args.data_dir)


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from auth.app import create_app

    app = create_app(_settings(args, dev=args.dev))
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False)
    return 0


def run_create_client(args: argparse.Namespace) -> int:
    from auth.db import Database
    from auth.seed import create_client

    try:
        parse_tenant(args.tenant)
    except InvalidTenant as exc:
        print(f"auth: {exc}", file=sys.stderr)
        return 2
    unknown = sorted(set(args.scopes.split()) - set(SCOPES))
    if unknown:
        print(f"auth: unknown scope(s) {' '.join(unknown)}; known: {' '.join(SCOPES)}", file=sys.stderr)
        return 2
    settings = _settings(args)
    database = Database.connect(settings.database_url, schema=settings.database_schema)
    try:
        client_id, secret = create_client(database, name=args.name, scopes=args.scopes, tenant=args.tenant)
    finally:
        database.dispose()
    print(json.dumps({"client_id": client_id, "client_secret": secret, "tenant": args.tenant, "scope": args.scopes}))
    return 0


def run_rotate_keys(args: argparse.Namespace) -> int:
    from auth.db import Database
    from auth.keys import KeyStore

    settings = _settings(args)
    database = Database.connect(settings.database_url, schema=settings.database_schema)
    try:
        store = KeyStore(database, algorithm=args.algorithm or settings.algorithm, token_ttl=settings.access_token_ttl)
        store.active()  # a first key, so that rotation retires something
        kid = store.rotate(algorithm=args.algorithm)
        published = [key["kid"] for key in store.jwks()["keys"]]
    finally:
        database.dispose()
    print(json.dumps({"active_kid": kid, "published_kids": published}))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m auth", description="Serve the ParkGraph authorization server.")
    add_serve_arguments(parser)
    return run_serve(parser.parse_args(argv))
