"""One upstream subscription per key, shared by every client that needs it, on every replica.

A :class:`Topic` exists on a replica while it has clients for an
:class:`UpstreamKey` (subgraph, operation, variables, tenant, scopes,
purpose). Each topic listens on the key's broker channel and runs a leader
loop: whichever replica holds the key's lease subscribes to the subgraph and
publishes its events on the channel; the others keep trying the lease, so
when the holder goes away another replica takes the upstream over. Events
are resolved once per *audience* (clients with the same operation, variables
and permissions) and the result is handed to each client's :class:`Sink`,
which must not block: a sink that cannot keep up closes its client.

When the subgraph connection drops, the leader reconnects with exponential
backoff and jitter, up to :class:`RetryPolicy.attempts` consecutive
failures; then every client gets a ``SUBSCRIPTION_UPSTREAM_LOST`` error and
the subscription ends. A refusal from the subgraph ends it at once with the
subgraph's errors. Events raised while no upstream was connected are not
replayed.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import random
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson

from gateway.errors import graphql_error
from gateway.subscriptions.broker import Broker, BrokerUnavailable, Listener
from gateway.subscriptions.errors import UpstreamLost, UpstreamRejected
from gateway.subscriptions.upstream import Connector, subscribe_upstream

logger = logging.getLogger(__name__)

_NEXT, _ERROR, _COMPLETE = b"n", b"e", b"c"  # channel message kinds: one byte, then JSON

# Resolves one upstream event (raw JSON payload) for an audience: the client payload, or None (not theirs).
Resolver = Callable[[bytes], Awaitable[bytes | None]]


class Delivery:
    """One resolved result on its way to every sink of an audience: encoded once, framed once per transport.

    Sinks build their wire frame from it and keep it in :attr:`frames` under a key of their own (the
    WebSocket message prefix, the SSE event), so ten thousand clients of one audience share one string
    instead of each encoding and copying the payload.
    """

    __slots__ = ("_text", "frames", "payload")

    def __init__(self, payload: bytes) -> None:
        self.payload = payload
        self.frames: dict[Any, Any] = {}
        self._text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self.payload.decode()
        return self._text


class Sink(Protocol):
    """A client's end of a subscription; every method returns at once (buffers are the sink's business)."""

    def next(self, delivery: Delivery) -> None: ...

    def error(self, errors: list[dict[str, Any]]) -> None: ...

    def complete(self) -> None: ...


@dataclass(frozen=True, slots=True)
class UpstreamKey:
    """What makes two clients' upstream subscriptions the same one."""

    service: str
    url: str
    operation: str
    operation_name: str | None
    variables: str  # canonical JSON of the variables the subgraph operation uses
    tenant: str | None
    scopes: str  # sorted, space-separated
    purpose: str | None

    @property
    def channel(self) -> str:
        parts = (self.service, self.url, self.operation, self.operation_name, self.variables)
        raw = orjson.dumps([*parts, self.tenant, self.scopes, self.purpose])
        return "sub:" + hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Reconnecting to a subgraph: ``attempts`` consecutive failures, backoff doubling from ``base`` to ``cap``."""

    attempts: int = 5
    base: float = 0.5
    cap: float = 8.0

    def delay(self, failure: int) -> float:
        ceiling = min(self.cap, self.base * 2.0 ** (failure - 1))
        return ceiling / 2 + random.random() * ceiling / 2  # jitter: replicas do not reconnect in step


@dataclass(eq=False)
class _Audience:
    resolver: Resolver
    sinks: set[Sink] = field(default_factory=set)


@dataclass(eq=False)
class Membership:
    """One client's place in a topic; hand it back to :meth:`Hub.leave`."""

    topic: Topic
    audience_key: Any
    sink: Sink


class Topic:
    """The clients of one upstream key on this replica, the channel listener and the leader loop."""

    def __init__(self, hub: Hub, key: UpstreamKey, headers_for: Callable[[], Mapping[str, str]]) -> None:
        self.hub = hub
        self.key = key
        self.channel = key.channel
        self.headers_for = headers_for
        self.audiences: dict[Any, _Audience] = {}
        self.ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.upstream_connected = asyncio.Event()
        self.upstream_attempts = 0  # connections tried (tests read it)
        self._listener: Listener | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._ended = False

    async def start(self) -> None:
        try:
            self._listener = await self.hub.broker.listen(self.channel)
        except BaseException as exc:
            self.ready.set_exception(exc)
            self.ready.exception()  # retrieved: joiners see it through the future
            raise
        self._tasks = [asyncio.create_task(self._read()), asyncio.create_task(self._lead())]
        self.ready.set_result(None)

    def sinks(self) -> list[Sink]:
        return [sink for audience in self.audiences.values() for sink in audience.sinks]

    # -- delivery ------------------------------------------------------------------------------------

    async def _read(self) -> None:
        assert self._listener is not None
        async for message in self._listener:
            kind, body = message[:1], message[1:]
            if kind == _NEXT:
                await self._deliver(body)
            elif kind == _ERROR:
                errors = orjson.loads(body)
                for sink in self.sinks():
                    sink.error(errors)
                await self.stop()
                return
            elif kind == _COMPLETE:
                for sink in self.sinks():
                    sink.complete()
                await self.stop()
                return

    async def _deliver(self, raw: bytes) -> None:
        audiences = list(self.audiences.values())
        results = await asyncio.gather(*(a.resolver(raw) for a in audiences), return_exceptions=True)
        for audience, result in zip(audiences, results, strict=True):
            if isinstance(result, BaseException):
                logger.error("resolving a subscription event failed", exc_info=result)
                continue
            if result is not None:
                delivery = Delivery(result)
                for sink in list(audience.sinks):
                    sink.next(delivery)

    # -- the upstream --------------------------------------------------------------------------------

    async def _lead(self) -> None:
        broker, owner, ttl = self.hub.broker, self.hub.replica_id, self.hub.lease_ttl
        lease = self.channel
        while True:
            try:
                held = await broker.claim(lease, owner, ttl)
            except BrokerUnavailable:
                logger.warning("subscription lease for %s unavailable; retrying", self.key.service, exc_info=True)
                held = False
            if held:
                try:
                    if await self._hold(lease):
                        return
                finally:
                    with contextlib.suppress(BrokerUnavailable):
                        await broker.release(lease, owner)
            await asyncio.sleep(ttl / 3)

    async def _hold(self, lease: str) -> bool:
        """Runs the upstream while the lease is ours: True when the subscription ended, False if the lease went."""
        upstream = asyncio.create_task(self._upstream())
        try:
            while True:
                done, _ = await asyncio.wait({upstream}, timeout=self.hub.lease_ttl / 3)
                if done:
                    return True
                try:
                    still_ours = await self.hub.broker.claim(lease, self.hub.replica_id, self.hub.lease_ttl)
                except BrokerUnavailable:
                    still_ours = True  # cannot tell: keep serving rather than drop the clients of every replica
                if not still_ours:
                    return False
        finally:
            if not upstream.done():  # the lease went, or the topic stopped: close the subgraph connection
                upstream.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await upstream

    async def _upstream(self) -> None:
        """Subscribes to the subgraph, publishing its events; reconnects within the retry budget."""
        policy, key, broker = self.hub.retry, self.key, self.hub.broker
        body: dict[str, Any] = {"query": key.operation, "variables": orjson.loads(key.variables)}
        if key.operation_name:
            body["operationName"] = key.operation_name
        failures = 0
        while True:
            try:
                events = subscribe_upstream(self.hub.connector, key.url, self.headers_for(), body)
                self.upstream_attempts += 1
                async for payload in events:
                    failures = 0
                    self.upstream_connected.set()
                    await broker.publish(self.channel, _NEXT + orjson.dumps(payload))
                await broker.publish(self.channel, _COMPLETE)
                return
            except UpstreamRejected as exc:
                errors = exc.errors or [exc.to_graphql()]
                for error in errors:
                    if isinstance(error, dict):
                        error.setdefault("extensions", {}).setdefault("serviceName", key.service)
                await broker.publish(self.channel, _ERROR + orjson.dumps(errors))
                return
            except UpstreamLost as exc:
                self.upstream_connected.clear()
                failures += 1
                if failures > policy.attempts:
                    message = (
                        f"The subscription to '{key.service}' was lost and {policy.attempts} attempts to"
                        f" re-establish it failed ({exc.message}); subscribe again later."
                    )
                    error = graphql_error(message, "SUBSCRIPTION_UPSTREAM_LOST", serviceName=key.service)
                    await broker.publish(self.channel, _ERROR + orjson.dumps([error]))
                    return
                delay = policy.delay(failures)
                logger.warning("subscription to %s lost (%s); retry %d in %.1f s", key.service, exc, failures, delay)
                await asyncio.sleep(delay)

    async def stop(self) -> None:
        """Ends the topic on this replica (no clients left, or the subscription ended)."""
        if self._ended:
            return
        self._ended = True
        self.hub.topics.pop(self.channel, None)
        current = asyncio.current_task()
        for task in self._tasks:
            if task is not current:
                task.cancel()
        for task in self._tasks:
            if task is not current:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self._listener is not None:
            await self._listener.close()


class Hub:
    """The topics of one gateway process."""

    def __init__(
        self,
        broker: Broker,
        connector: Connector,
        *,
        retry: RetryPolicy | None = None,
        lease_ttl: float = 10.0,
        replica_id: str | None = None,
    ) -> None:
        self.broker = broker
        self.connector = connector
        self.retry = retry or RetryPolicy()
        self.lease_ttl = lease_ttl
        self.replica_id = replica_id or uuid.uuid4().hex
        self.topics: dict[str, Topic] = {}

    async def join(
        self,
        key: UpstreamKey,
        audience_key: Any,
        resolver: Callable[[], Resolver],
        sink: Sink,
        headers_for: Callable[[], Mapping[str, str]],
    ) -> Membership:
        """Adds ``sink`` to the topic of ``key`` (started if new); ``resolver`` is called for a new audience."""
        topic = self.topics.get(key.channel)
        if topic is None:
            topic = self.topics[key.channel] = Topic(self, key, headers_for)
            try:
                await topic.start()
            except BaseException:
                self.topics.pop(key.channel, None)
                raise
        else:
            await asyncio.shield(topic.ready)
        audience = topic.audiences.get(audience_key)
        if audience is None:
            audience = topic.audiences[audience_key] = _Audience(resolver())
        audience.sinks.add(sink)
        return Membership(topic, audience_key, sink)

    async def leave(self, membership: Membership) -> None:
        topic = membership.topic
        audience = topic.audiences.get(membership.audience_key)
        if audience is not None:
            audience.sinks.discard(membership.sink)
            if not audience.sinks:
                del topic.audiences[membership.audience_key]
        if not topic.audiences:
            await topic.stop()

    def subscribers(self) -> int:
        return sum(len(topic.sinks()) for topic in self.topics.values())

    async def close(self) -> None:
        for topic in list(self.topics.values()):
            await topic.stop()
        await self.broker.close()
