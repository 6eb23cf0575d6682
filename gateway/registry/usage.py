"""The gateway plugin that records which operations clients run, for the registry's operation checks.

On the hot path it only counts: one dict increment per executed operation,
keyed by (document, operation name, client). A background task flushes the
counts to the registry's SQL store every ``flush_interval`` seconds (sooner
when ``max_pending`` distinct operations are waiting), in one transaction.
Operations that never ran (parse or validation failures) are not recorded.
A failed flush is logged and dropped: usage is a statistic, never worth
failing or slowing a request for.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from graphql import GraphQLError, OperationDefinitionNode, parse

from gateway.context import RequestContext
from gateway.pipeline.types import Plugin, SupergraphRequest, SupergraphResponse, SupergraphService
from gateway.registry.errors import RegistryError
from gateway.registry.model import OperationUse
from gateway.registry.store import RegistryStore

logger = logging.getLogger(__name__)

_Key = tuple[str, str | None, str]


class UsageSink(Protocol):
    async def record_usage(self, uses: Sequence[OperationUse]) -> None: ...


class StoreSink:
    """The registry's store at ``url``, opened on the first flush (inside the server's event loop)."""

    def __init__(self, url: str, *, schema: str | None = None) -> None:
        self.url = url
        self.schema = schema
        self._store: RegistryStore | None = None

    async def record_usage(self, uses: Sequence[OperationUse]) -> None:
        if self._store is None:
            self._store = await RegistryStore.open(self.url, schema=self.schema)
        await self._store.record_usage(uses)

    async def close(self) -> None:
        if self._store is not None:
            await self._store.close()


class OperationUsagePlugin(Plugin):
    """Counts executed operations per client and flushes the counts in batches."""

    name = "operation_usage"

    def __init__(
        self,
        sink: UsageSink,
        *,
        flush_interval: float = 5.0,
        max_pending: int = 2000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.sink = sink
        self.flush_interval = flush_interval
        self.max_pending = max_pending
        self._clock = clock
        self._pending: dict[_Key, int] = {}
        self._task: asyncio.Task[None] | None = None
        self._urgent = asyncio.Event()

    def supergraph_service(self, service: SupergraphService) -> SupergraphService:
        return _Recording(service, self)

    def note(self, query: str, operation_name: str | None, context: RequestContext) -> None:
        key = (query, operation_name, _client(context))
        pending = self._pending
        pending[key] = pending.get(key, 0) + 1
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="operation-usage-flush")
        if len(pending) >= self.max_pending:
            self._urgent.set()

    async def flush(self) -> int:
        """Writes what is pending now; returns how many distinct operations were written."""
        pending, self._pending = self._pending, {}
        if not pending:
            return 0
        now = self._clock()
        uses = [OperationUse(q, name or _named(q), client, count, now) for (q, name, client), count in pending.items()]
        try:
            await self.sink.record_usage(uses)
        except (RegistryError, OSError) as exc:
            logger.warning("dropped usage of %d operations: %s", len(uses), exc)
            return 0
        return len(uses)

    async def close(self) -> None:
        """Stops the flusher after a last flush."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.flush()

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._urgent.wait(), self.flush_interval)
            self._urgent.clear()
            await self.flush()


class _Recording:
    def __init__(self, inner: SupergraphService, plugin: OperationUsagePlugin) -> None:
        self.inner = inner
        self.plugin = plugin

    async def __call__(self, request: SupergraphRequest) -> SupergraphResponse:
        response = await self.inner(request)
        if not response.request_failed:
            self.plugin.note(request.query, request.operation_name, request.context)
        return response


def _named(document: str) -> str | None:
    """The name of a document's only operation (clients often send the name only inside the document)."""
    try:
        parsed = parse(document, no_location=True)
    except GraphQLError:
        return None
    names = [d.name.value for d in parsed.definitions if isinstance(d, OperationDefinitionNode) and d.name]
    return names[0] if len(names) == 1 else None


def _client(context: RequestContext) -> str:
    claims = context.claims
    if not claims:
        return ""
    client = claims.get("client_id") or claims.get("azp") or claims.get("sub")
    return str(client) if client is not None else ""
