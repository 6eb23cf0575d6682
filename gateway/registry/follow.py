"""A gateway following the registry: first supergraph at start, every new version as soon as it is announced.

New versions arrive two ways: a nudge (on the Redis channel when
``redis_url`` is set, else by PostgreSQL LISTEN/NOTIFY when ``database_url``
is the registry's PostgreSQL database: :mod:`gateway.registry.listen`), and
polling ``GET /supergraph`` with the served version as ETag (always, as the
fallback for a missed nudge or neither). Either way the SDL comes from the
registry, never from the message.

When the registry is unreachable, or serves a supergraph this gateway cannot
load, the gateway keeps serving the last good one. With ``cache_path`` the
last good supergraph is also kept on disk, so a gateway restarted while the
registry is down starts on it.

Exception tree::

    FollowError            the first supergraph could not be had (registry down and no cache)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from pathlib import Path

import httpx

from gateway.errors import GatewayError
from gateway.http import GatewayApp
from gateway.registry.hotswap import SupergraphSwitch
from gateway.registry.listen import is_postgres, listen_postgres, listen_redis
from gateway.registry.notify import DEFAULT_CHANNEL

logger = logging.getLogger(__name__)


class FollowError(Exception):
    """No supergraph to start with: the registry cannot be reached or has none, and there is no cached one."""


class RegistryFollower:
    """Keeps a :class:`SupergraphSwitch` on the registry's current supergraph."""

    def __init__(
        self,
        registry_url: str,
        switch: SupergraphSwitch,
        *,
        redis_url: str | None = None,
        database_url: str | None = None,
        channel: str = DEFAULT_CHANNEL,
        poll_interval: float | None = None,
        cache_path: Path | None = None,
        http_transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 5.0,
    ) -> None:
        self.registry_url = registry_url.rstrip("/")
        self.switch = switch
        self.redis_url = redis_url
        # Redis wins when both are set: the registry announces on Redis whenever it has it.
        self.database_url = database_url if is_postgres(database_url) and not redis_url else None
        self.channel = channel
        # With notifications the poll is only a safety net; without them, the only way to learn of a change.
        listens = bool(redis_url or self.database_url)
        self.poll_interval = poll_interval if poll_interval is not None else (30.0 if listens else 5.0)
        self.cache_path = cache_path
        self.http_transport = http_transport
        self.timeout = timeout
        self.subscribed = asyncio.Event()  # set while the Redis or PostgreSQL subscription is live
        self.failures = 0  # refreshes that could not reach the registry or load its supergraph
        self._lock = asyncio.Lock()
        self._tasks: list[asyncio.Task[None]] = []

    async def fetch(self, known: int | None = None) -> tuple[int, str] | None:
        """The registry's current (version, SDL); None when it is still ``known``. Raises httpx/ValueError."""
        headers = {"if-none-match": f'"v{known}"'} if known is not None else {}
        async with httpx.AsyncClient(transport=self.http_transport, timeout=self.timeout) as client:
            response = await client.get(f"{self.registry_url}/supergraph", headers=headers)
        if response.status_code == 304:
            return None
        response.raise_for_status()
        body = response.json()
        version, sdl = body.get("version"), body.get("sdl")
        if not isinstance(version, int) or not isinstance(sdl, str):
            raise ValueError("the registry's /supergraph answer lacks version or sdl")
        return version, sdl

    async def start_app(self) -> GatewayApp:
        """The gateway app on the registry's current supergraph, or on the cached one if the registry is down."""
        version, sdl = await self.initial()
        app = self.switch.start(sdl, version)
        self.remember(version, sdl)
        return app

    async def initial(self) -> tuple[int, str]:
        """The supergraph to start on: the registry's current one, else the cached one; raises FollowError."""
        try:
            fetched = await self.fetch()
        except (httpx.HTTPError, ValueError) as exc:
            fetched = self._read_cache()
            if fetched is None:
                raise FollowError(f"no supergraph from {self.registry_url} and none cached: {exc}") from exc
            logger.warning("registry unreachable (%s); starting on cached supergraph version %s", exc, fetched[0])
        if fetched is None:
            raise FollowError(f"{self.registry_url} has no supergraph")
        return fetched

    def remember(self, version: int, sdl: str) -> None:
        """Keeps ``sdl`` on disk as the last good supergraph (when a cache path is set)."""
        self._write_cache(version, sdl)

    async def refresh(self) -> bool:
        """Installs the registry's current supergraph if it is not the one served; True when it swapped."""
        async with self._lock:
            try:
                fetched = await self.fetch(self.switch.version)
            except (httpx.HTTPError, ValueError) as exc:
                self.failures += 1
                logger.warning("registry unreachable, still serving version %s: %s", self.switch.version, exc)
                return False
            if fetched is None:
                return False
            version, sdl = fetched
            try:
                await self.switch.install(sdl, version)
            except GatewayError as exc:
                self.failures += 1
                logger.error("cannot serve supergraph version %s, keeping %s: %s", version, self.switch.version, exc)
                return False
            self._write_cache(version, sdl)
            return True

    async def start(self) -> None:
        """Starts polling, and listening on Redis or PostgreSQL when configured."""
        self._tasks.append(asyncio.create_task(self._poll(), name="registry-poll"))
        if self.redis_url:
            listening = listen_redis(self.redis_url, self.channel, self.refresh, self.subscribed)
            self._tasks.append(asyncio.create_task(listening, name="registry-listen"))
        elif self.database_url:
            listening = listen_postgres(self.database_url, self.channel, self.refresh, self.subscribed)
            self._tasks.append(asyncio.create_task(listening, name="registry-listen"))

    async def stop(self) -> None:
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.poll_interval)
            await self.refresh()

    def _read_cache(self) -> tuple[int, str] | None:
        if self.cache_path is None:
            return None
        try:
            data = json.loads(self.cache_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        version, sdl = data.get("version"), data.get("sdl")
        return (version, sdl) if isinstance(version, int) and isinstance(sdl, str) else None

    def _write_cache(self, version: int, sdl: str) -> None:
        if self.cache_path is None:
            return
        try:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.cache_path.with_suffix(self.cache_path.suffix + f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"version": version, "sdl": sdl}, ensure_ascii=False), encoding="utf-8")
            tmp.replace(self.cache_path)
        except OSError as exc:
            logger.warning("cannot write the supergraph cache %s: %s", self.cache_path, exc)
