"""The persisted-operation registry: operation texts by sha256, and which clients may run which.

Registered operations live in the state store (``op:<sha256>`` holds the text,
``safelist:<client>:<sha256>`` marks a client's permission) and, for the
embedded default, in a JSON manifest the gateway loads at startup::

    {"format": "parkgraph-operations", "version": 1,
     "operations": [{"id": "<sha256 of body>", "body": "query …", "clients": ["demo-third-party"]}]}

An operation's id is the sha256 of its text exactly as registered; clients
send that text (or, with the persisted-query extension, just its hash).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from graphql import GraphQLSyntaxError, parse

from gateway.errors import GatewayError
from gateway.state import StateStore

MANIFEST_FORMAT = "parkgraph-operations"


class OperationsError(GatewayError):
    """An operation file or manifest cannot be read or registered."""


@dataclass(frozen=True, slots=True)
class PersistedOperation:
    id: str  # sha256 hex of body
    body: str
    clients: tuple[str, ...]


def operation_id(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def operation_from_text(body: str, clients: Sequence[str], source: str = "<text>") -> PersistedOperation:
    """A persisted operation for ``body``, refused unless it is a GraphQL document with an operation."""
    try:
        document = parse(body, no_location=True)
    except GraphQLSyntaxError as exc:
        raise OperationsError(f"{source}: not valid GraphQL: {exc.message}") from exc
    if not any(d.kind == "operation_definition" for d in document.definitions):
        raise OperationsError(f"{source}: holds no operation")
    return PersistedOperation(operation_id(body), body, tuple(clients))


class OperationRegistry:
    """Registered operations in the state store, with a process-local memo of positive answers."""

    def __init__(self, store: StateStore) -> None:
        self.store = store
        self._allowed: set[tuple[str, str]] = set()  # (client, id) known to be registered
        self._bodies: dict[str, str] = {}
        self._pending: list[PersistedOperation] = []

    def preload(self, operations: Iterable[PersistedOperation]) -> None:
        """Operations to register before the first lookup (a manifest read at startup, outside the event loop)."""
        self._pending.extend(operations)

    async def _flush(self) -> None:
        if self._pending:
            pending, self._pending = self._pending, []
            await self.register(pending)

    async def register(self, operations: Iterable[PersistedOperation]) -> int:
        count = 0
        for operation in operations:
            await self.store.set(f"op:{operation.id}", operation.body.encode("utf-8"))
            for client in operation.clients:
                await self.store.set(f"safelist:{client}:{operation.id}", b"1")
            count += 1
        return count

    async def body(self, op_id: str) -> str | None:
        """The text of the registered operation ``op_id``, if any."""
        body = self._bodies.get(op_id)
        if body is None:
            await self._flush()
            raw = await self.store.get(f"op:{op_id}")
            if raw is None:
                return None
            body = raw.decode("utf-8")
            if len(self._bodies) < 10_000:
                self._bodies[op_id] = body
        return body

    async def allowed(self, client_id: str, op_id: str) -> bool:
        """Whether ``client_id`` may run the operation ``op_id`` (registrations are never memoized as absent)."""
        key = (client_id, op_id)
        if key in self._allowed:
            return True
        await self._flush()
        if await self.store.get(f"safelist:{client_id}:{op_id}") is None:
            return False
        if len(self._allowed) < 100_000:
            self._allowed.add(key)
        return True


def read_manifest(path: Path) -> list[PersistedOperation]:
    """The operations of a manifest file; a missing file is an empty manifest."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise OperationsError(f"cannot read the operations manifest {path}: {exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise OperationsError(f"the operations manifest {path} is not JSON: {exc}") from exc
    valid = isinstance(data, dict) and data.get("format") == MANIFEST_FORMAT
    if not valid or not isinstance(data.get("operations"), list):
        raise OperationsError(f"{path} is not a {MANIFEST_FORMAT} manifest")
    operations = []
    for item in data["operations"]:
        body, clients = item.get("body"), item.get("clients", [])
        if not isinstance(body, str) or not isinstance(clients, list):
            raise OperationsError(f"{path}: an operation lacks its body or clients")
        operations.append(PersistedOperation(operation_id(body), body, tuple(str(c) for c in clients)))
    return operations


def write_manifest(path: Path, operations: Iterable[PersistedOperation]) -> None:
    """Merge ``operations`` into the manifest at ``path`` (clients of one operation are united)."""
    merged: dict[str, PersistedOperation] = {op.id: op for op in read_manifest(path)}
    for op in operations:
        previous = merged.get(op.id)
        clients = tuple(sorted({*(previous.clients if previous else ()), *op.clients}))
        merged[op.id] = PersistedOperation(op.id, op.body, clients)
    data = {
        "format": MANIFEST_FORMAT,
        "version": 1,
        "operations": [{"id": op.id, "body": op.body, "clients": list(op.clients)} for op in merged.values()],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
