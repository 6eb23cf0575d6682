"""``parkgraph registry``: publish, check, list, history, rollback, withdraw, and serve the registry.

Every command but ``serve`` talks to the registry API at ``--registry``
(``PARKGRAPH_REGISTRY_URL``, default http://127.0.0.1:4010) with a bearer token:
``--token`` (``PARKGRAPH_REGISTRY_TOKEN``), or one fetched with OAuth client
credentials (``--client-id``/``--client-secret``, ``PARKGRAPH_CLIENT_ID``/
``PARKGRAPH_CLIENT_SECRET``) from ``--auth-url`` (``PARKGRAPH_AUTH_URL``).
Exit codes: 0 done (a check that passes), 1 refused by the checks, 2 an error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

DEFAULT_PORT = 4010
DEFAULT_URL = f"http://127.0.0.1:{DEFAULT_PORT}"


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds ``parkgraph registry``."""
    parser = commands.add_parser("registry", help="the schema registry: publish and check subgraphs, roll back")
    actions = parser.add_subparsers(dest="action", required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=help_text)
        sub.add_argument("--registry", default=os.environ.get("PARKGRAPH_REGISTRY_URL", DEFAULT_URL))
        sub.add_argument("--token", default=os.environ.get("PARKGRAPH_REGISTRY_TOKEN"))
        sub.add_argument("--client-id", default=os.environ.get("PARKGRAPH_CLIENT_ID"))
        sub.add_argument("--client-secret", default=os.environ.get("PARKGRAPH_CLIENT_SECRET"))
        sub.add_argument("--auth-url", default=os.environ.get("PARKGRAPH_AUTH_URL", "http://127.0.0.1:9000"))
        sub.add_argument("--json", action="store_true", help="print the API's JSON answer")
        sub.set_defaults(run=run)
        return sub

    for name, help_text in (("publish", "publish or update a subgraph"), ("check", "run the checks only")):
        sub = action(name, help_text)
        sub.add_argument("--name", required=True, help="subgraph name (a city's: city_<code>_<name>)")
        sub.add_argument("--url", required=True, help="the subgraph's routing URL")
        sub.add_argument("--schema", type=Path, help="the subgraph's SDL file")
        sub.add_argument("--schema-url", help="fetch the SDL from a running subgraph (_service { sdl })")
        sub.add_argument("--owner", help="the province only: the owning tenant (province or city:<code>)")
        if name == "publish":
            sub.add_argument("--force", action="store_true", help="the province only: past breaking changes")
    withdraw = action("withdraw", "withdraw a subgraph")
    withdraw.add_argument("--name", required=True)
    withdraw.add_argument("--force", action="store_true")
    withdraw.add_argument("--dry-run", action="store_true", help="only report what withdrawing would break")
    action("list", "the registered subgraphs")
    history = action("history", "versions of the graph, newest first")
    history.add_argument("--limit", type=int, default=20)
    rollback = action("rollback", "make an earlier version current again (the province only)")
    rollback.add_argument("--version", type=int, required=True)

    serve = actions.add_parser("serve", help="serve the registry API (settings from the environment)")
    serve.add_argument("--host", default=os.environ.get("PARKGRAPH_HOST", "127.0.0.1"))
    serve.add_argument(
        "--port", type=int, default=int(os.environ.get("PARKGRAPH_SCHEMA_REGISTRY_PORT", str(DEFAULT_PORT)))
    )
    serve.add_argument("--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"])
    serve.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from gateway.registry.errors import RegistryError
    from gateway.registry.serve import registry_app_from_env

    try:
        app = registry_app_from_env()
    except RegistryError as exc:
        print(f"registry: [{exc.code}] {exc.message}", file=sys.stderr)
        return 2
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False)
    return 0


def run(args: argparse.Namespace) -> int:
    from gateway.registry.client import RegistryClient, client_credentials_token
    from gateway.registry.errors import RegistryError

    try:
        token = args.token
        if token is None and args.client_id and args.client_secret:
            token = client_credentials_token(args.auth_url, args.client_id, args.client_secret)
        client = RegistryClient(args.registry, token)
        try:
            answer = _dispatch(client, args)
        finally:
            client.close()
    except RegistryError as exc:
        print(f"registry: [{exc.code}] {exc.message}", file=sys.stderr)
        return 2
    except _InputError as exc:
        print(f"registry: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(answer, ensure_ascii=False, indent=2))
    else:
        _print(args.action, answer)
    if args.action in ("publish", "withdraw"):
        return 0 if answer.get("accepted") else 1
    if args.action == "check":
        return 0 if answer.get("report", {}).get("ok") else 1
    return 0


class _InputError(Exception):
    pass


def _sdl(args: argparse.Namespace) -> str:
    if args.schema is not None:
        try:
            text: str = args.schema.read_text(encoding="utf-8")
        except OSError as exc:
            raise _InputError(f"cannot read {args.schema}: {exc}") from exc
        return text
    if args.schema_url:
        from gateway.supergraph.compose.sources import ComposeInputError, fetch_sdl

        try:
            return fetch_sdl(args.name, args.schema_url, headers=_signed_identity(args.name))
        except ComposeInputError as exc:
            raise _InputError(str(exc)) from exc
    raise _InputError("give --schema FILE or --schema-url URL")


def _signed_identity(subgraph: str) -> dict[str, str]:
    """An identity signed for ``subgraph`` with ``PARKGRAPH_IDENTITY_KEY`` (the key a city gets at onboarding):
    subgraphs answer only signed calls, ``_service`` included; none without the key (a dev subgraph)."""
    key = os.environ.get("PARKGRAPH_IDENTITY_KEY")
    if not key:
        return {}
    from auth.identity import IDENTITY_HEADER, Identity, IdentitySigner

    identity = Identity(subject="parkgraph-registry-cli", client_id=None, tenant=None)
    return {IDENTITY_HEADER: IdentitySigner(key.encode()).sign(identity, subgraph)}


def _dispatch(client: Any, args: argparse.Namespace) -> dict[str, Any]:
    if args.action == "publish":
        return dict(client.publish(args.name, args.url, _sdl(args), owner=args.owner, force=args.force))
    if args.action == "check":
        return dict(client.check(args.name, args.url, _sdl(args), owner=args.owner))
    if args.action == "withdraw":
        return dict(client.withdraw(args.name, force=args.force, dry_run=args.dry_run))
    if args.action == "list":
        return dict(client.subgraphs())
    if args.action == "history":
        return dict(client.history(args.limit))
    return dict(client.rollback(args.version))


def _print(action: str, answer: dict[str, Any]) -> None:
    if action in ("publish", "check", "withdraw"):
        report = answer.get("report", {})
        for issue in report.get("issues", []):
            print(f"{issue['severity']}[{issue['check']}/{issue['code']}]: {issue['message']}")
        if action == "check":
            verdict = "passes" if report.get("ok") else "fails"
            print(f"check {verdict} ({report.get('operationsChecked', 0)} recorded operation(s) checked)")
        elif answer.get("accepted"):
            print(f"accepted: the graph is now version {answer.get('version')}")
        else:
            print("refused: the graph is unchanged")
    elif action == "list":
        print(f"version {answer.get('version')}")
        for subgraph in answer.get("subgraphs", []):
            print(f"  {subgraph['name']:<32} {subgraph['owner']:<14} {subgraph['url']}")
    elif action == "history":
        for version in answer.get("versions", []):
            print(f"v{version['version']:<5} {version['action']:<9} {version['subject']:<32} by {version['actor']}")
    else:
        print(f"rolled back to version {answer.get('rolledBackTo')}: the graph is now version {answer.get('version')}")
