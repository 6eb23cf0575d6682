"""The gateway's subscription endpoints: the WebSocket and SSE handlers over one hub, and their settings.

``GatewayApp`` hands WebSocket connections on ``/graphql`` to
:meth:`SubscriptionServer.websocket` and ``Accept: text/event-stream``
requests to :meth:`SubscriptionServer.sse`. :meth:`from_env` picks the
broker: Redis pub/sub when ``REDIS_URL`` is set (every replica must use the
same one and the same ``PARKGRAPH_REDIS_PREFIX``), in-process otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from gateway.pipeline import Pipeline
from gateway.subscriptions import protocol as p
from gateway.subscriptions.broker import Broker, InProcessBroker, RedisBroker
from gateway.subscriptions.gc_tuning import DEFAULT_YOUNG_THRESHOLD, raise_young_threshold
from gateway.subscriptions.hub import Hub, RetryPolicy
from gateway.subscriptions.service import SubscriptionService
from gateway.subscriptions.sse import serve_sse
from gateway.subscriptions.upstream import AiohttpConnector, Connector
from gateway.subscriptions.websocket import WebSocketSession


@dataclass(frozen=True, slots=True)
class SubscriptionSettings:
    init_timeout: float = 3.0  # seconds a WebSocket may take to send connection_init
    keep_alive: float = 12.0  # seconds between server pings (WebSocket) or comment lines (SSE)
    max_messages: int = 1024  # per client: events waiting to be written before it counts as slow
    max_bytes: int = 4 * 1024 * 1024  # per client, the same in bytes
    timeout: float = 30.0  # per event: the deadline of its entity fetches
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    lease_ttl: float = 10.0  # seconds a replica's hold on an upstream lasts without renewal
    young_gc_threshold: int | None = DEFAULT_YOUNG_THRESHOLD  # see gc_tuning; None leaves the process's setting


class SubscriptionServer:
    """WebSocket and SSE subscriptions for one gateway process."""

    def __init__(
        self,
        broker: Broker | None = None,
        *,
        connector: Connector | None = None,
        settings: SubscriptionSettings | None = None,
    ) -> None:
        self.settings = settings or SubscriptionSettings()
        self._connector = connector or AiohttpConnector()
        self.hub = Hub(
            broker or InProcessBroker(),
            self._connector,
            retry=self.settings.retry,
            lease_ttl=self.settings.lease_ttl,
        )
        self.service: SubscriptionService | None = None
        self.sessions: set[WebSocketSession] = set()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SubscriptionServer:
        env = os.environ if env is None else env
        url = env.get("REDIS_URL")
        if not url:
            return cls()
        prefix = env.get("PARKGRAPH_REDIS_PREFIX", "parkgraph:") + "subs:"
        return cls(RedisBroker.from_url(url, prefix=prefix))

    def bind(self, pipeline_of: Callable[[], Pipeline]) -> None:
        """Serves subscriptions against whatever pipeline ``pipeline_of`` returns at subscribe time."""
        self.service = SubscriptionService(pipeline_of, self.hub, timeout=self.settings.timeout)
        if self.settings.young_gc_threshold is not None:
            raise_young_threshold(self.settings.young_gc_threshold)

    async def websocket(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert self.service is not None, "bind() the server to a pipeline first"
        s = self.settings
        session = WebSocketSession(
            self.service,
            scope,
            receive,
            send,
            init_timeout=s.init_timeout,
            keep_alive=s.keep_alive,
            max_messages=s.max_messages,
            max_bytes=s.max_bytes,
            timeout=s.timeout,
        )
        self.sessions.add(session)
        try:
            await session.run()
        finally:
            self.sessions.discard(session)

    async def sse(self, scope: dict[str, Any], receive: Any, send: Any, headers: dict[str, str], body: bytes) -> None:
        assert self.service is not None, "bind() the server to a pipeline first"
        s = self.settings
        await serve_sse(
            self.service,
            scope,
            receive,
            send,
            headers,
            body,
            keep_alive=s.keep_alive,
            max_messages=s.max_messages,
            max_bytes=s.max_bytes,
            event_timeout=s.timeout,
        )

    async def close(self) -> None:
        """Shutdown: clients are told to go elsewhere (1001), upstreams and the broker are closed."""
        for session in list(self.sessions):
            session.close(p.GOING_AWAY)
        await asyncio.sleep(0)
        await self.hub.close()
        closer = getattr(self._connector, "close", None)
        if closer is not None:
            with contextlib.suppress(Exception):
                await closer()
