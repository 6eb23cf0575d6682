"""Stale-but-marked data: which fields of a response were answered from a legacy system's last good copy.

An adapter that serves its last good answer because the legacy system is
down notes it (:func:`adapters.resilience.record_stale`) in the current
*stale sink*. :class:`StalenessExtension` gives every field resolver a sink
of its own and, after it, turns the notes into the response's extensions::

    "extensions": {"staleness": [
        {"path": ["_entities", 0, "approvalCases"], "stale": true,
         "system": "approvals", "fetchedAt": "2026-03-01T08:00:00+00:00"}]}

A marked path covers everything under it. Reads batched by a DataLoader run
in a task of their own; :class:`~subgraphs.common.loaders.Loader` hands their
notes to every field that loaded from the batch. The gateway re-paths these
entries into the client's response (``gateway/executor``).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable
from typing import Any

from graphql import GraphQLResolveInfo
from strawberry.extensions import SchemaExtension

from adapters.resilience import Staleness, stale_sink

EXTENSION_KEY = "staleness"


class StalenessExtension(SchemaExtension):
    """Collects the stale notes of each field; one instance per request (strawberry builds it per execution)."""

    def __init__(self, *, execution_context: Any = None) -> None:
        super().__init__()
        self.marked: list[dict[str, Any]] = []

    def resolve(self, _next: Any, root: Any, info: GraphQLResolveInfo[Any], *args: Any, **kwargs: Any) -> Any:
        result = _next(root, info, *args, **kwargs)
        if inspect.isawaitable(result):
            return self._watch(result, info)
        return result  # a synchronous resolver calls no adapter

    async def _watch(self, result: Awaitable[Any], info: GraphQLResolveInfo[Any]) -> Any:
        notes: list[Staleness] = []
        token = stale_sink.set(notes)
        try:
            return await result
        finally:
            stale_sink.reset(token)
            if notes:
                self._mark(info.path.as_list(), notes)

    def _mark(self, path: list[str | int], notes: list[Staleness]) -> None:
        seen: set[tuple[str, str]] = set()
        for note in notes:
            entry = note.to_json()
            identity = (entry["system"], entry["fetchedAt"])
            if identity not in seen:
                seen.add(identity)
                self.marked.append({"path": path, **entry})

    def get_results(self) -> dict[str, Any]:
        return {EXTENSION_KEY: self.marked} if self.marked else {}
