"""``parkgraph operations register FILE.graphql... --client ID``: add operations to a client's safelist.

Each file is one operation document (with its fragments), registered as
written: clients send exactly that text, or its sha256 as a persisted query.
With ``REDIS_URL`` (or ``--redis-url``) the operations go to the shared Redis
every gateway replica reads; otherwise into the JSON manifest the embedded
gateway loads at startup (``--manifest``, default ``PARKGRAPH_OPERATIONS_FILE``
or ``var/persisted-operations.json``). Prints one JSON line per operation.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gateway.plugins.operations import PersistedOperation

DEFAULT_MANIFEST = Path("var/persisted-operations.json")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds ``parkgraph operations``."""
    parser = commands.add_parser("operations", help="persisted operations and client safelists")
    actions = parser.add_subparsers(dest="action", required=True)
    add = actions.add_parser("register", help="register .graphql operations for a client")
    add.add_argument("files", nargs="+", type=Path, help="operation documents (.graphql)")
    add.add_argument("--client", action="append", required=True, help="client id allowed to run them (repeatable)")
    add.add_argument("--redis-url", default=os.environ.get("REDIS_URL"), help="shared Redis (default REDIS_URL)")
    add.add_argument("--redis-prefix", default=os.environ.get("PARKGRAPH_REDIS_PREFIX", "parkgraph:"))
    add.add_argument(
        "--manifest",
        type=Path,
        default=Path(os.environ.get("PARKGRAPH_OPERATIONS_FILE", str(DEFAULT_MANIFEST))),
        help="manifest for the embedded gateway, used without Redis",
    )
    add.set_defaults(run=run_register)


def run_register(args: argparse.Namespace) -> int:
    from gateway.plugins.operations import OperationsError, operation_from_text, write_manifest
    from gateway.state import StateUnavailable

    operations: list[PersistedOperation] = []
    try:
        for path in args.files:
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise OperationsError(f"cannot read {path}: {exc}") from exc
            operations.append(operation_from_text(text, args.client, str(path)))
        if args.redis_url:
            asyncio.run(_register_in_redis(args.redis_url, args.redis_prefix, operations))
            target = "redis"
        else:
            write_manifest(args.manifest, operations)
            target = str(args.manifest)
    except (OperationsError, StateUnavailable) as exc:
        print(f"operations: {exc.message}", file=sys.stderr)
        return 1
    for path, operation in zip(args.files, operations, strict=True):
        print(json.dumps({"file": str(path), "id": operation.id, "clients": list(operation.clients), "to": target}))
    return 0


async def _register_in_redis(url: str, prefix: str, operations: list[PersistedOperation]) -> None:
    from gateway.plugins.operations import OperationRegistry
    from gateway.state import open_store

    store = open_store(url, prefix=prefix)
    try:
        await OperationRegistry(store).register(operations)
    finally:
        await store.close()
