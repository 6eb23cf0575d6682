"""Running the registry service, and a gateway that follows it, as processes (``parkgraph registry serve``,
``parkgraph gateway --registry URL``)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette

from gateway.http import GatewayApp
from gateway.registry.follow import RegistryFollower
from gateway.registry.hotswap import PluginFactory, SupergraphSwitch
from gateway.registry.notify import DEFAULT_CHANNEL, Notifier, NullNotifier, PostgresNotifier, RedisNotifier


def follow_registry(
    registry_url: str,
    *,
    plugins_for: PluginFactory,
    env: Mapping[str, str],
    cache_path: Path | None = None,
    poll_interval: float | None = None,
    dev_mode: bool = False,
    introspection: bool = True,
    timeout: float = 30.0,
    database_url: str | None = None,
    on_shutdown: Sequence[Callable[[], Awaitable[None]]] = (),
) -> GatewayApp:
    """A gateway app on the registry's current supergraph that follows every new version while it runs.

    ``REDIS_URL`` in ``env`` turns on pub/sub notifications (channel ``PARKGRAPH_REGISTRY_CHANNEL``); without it, a
    PostgreSQL ``database_url`` (the registry's database) turns on LISTEN/NOTIFY on the same channel;
    raises ``FollowError`` when there is no supergraph to start with, ``SupergraphError`` if it cannot be served.
    """
    switch = SupergraphSwitch(plugins_for=plugins_for, dev_mode=dev_mode, introspection=introspection, timeout=timeout)
    follower = RegistryFollower(
        registry_url,
        switch,
        redis_url=env.get("REDIS_URL") or None,
        database_url=database_url,
        channel=env.get("PARKGRAPH_REGISTRY_CHANNEL", DEFAULT_CHANNEL),
        poll_interval=poll_interval,
        cache_path=cache_path,
    )
    # Fetched before the server's loop exists; the app is built outside any loop, as with --supergraph.
    version, sdl = asyncio.run(follower.initial())
    app = switch.start(sdl, version)
    follower.remember(version, sdl)
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(served: Starlette) -> AsyncIterator[Any]:
        async with inner(served) as state:
            await follower.start()
            try:
                yield state
            finally:
                await follower.stop()
                await switch.close()
                for close in on_shutdown:
                    await close()

    app.router.lifespan_context = lifespan
    return app


def registry_app_from_env(env: Mapping[str, str] | None = None) -> Starlette:
    """The registry API configured from the environment (``parkgraph registry serve``).

    ``PARKGRAPH_REGISTRY_DATABASE_URL`` (or ``DATABASE_URL``; default SQLite under ``PARKGRAPH_DATA_DIR``),
    ``REDIS_URL`` and ``PARKGRAPH_REGISTRY_CHANNEL`` for notifications (PostgreSQL NOTIFY when there is no
    ``REDIS_URL`` and the database is PostgreSQL), ``PARKGRAPH_AUTH_URL`` /
    ``PARKGRAPH_AUTH_ISSUER`` / ``PARKGRAPH_AUTH_AUDIENCE`` for token verification,
    ``PARKGRAPH_REGISTRY_POLICY`` (usage|strict) and ``PARKGRAPH_REGISTRY_USAGE_DAYS``;
    ``PARKGRAPH_REGISTRY_SEED``: a seed file (:mod:`gateway.registry.seed`) written as version 1 when the registry
    is empty. Raises ``BadChange`` for an unreadable seed file.
    """
    from auth.verify import TokenVerifier
    from gateway.registry.api import create_registry_app
    from gateway.registry.seed import SEED_ACTOR, read_seed
    from gateway.registry.service import RegistrySettings, SchemaRegistry
    from gateway.registry.store import RegistryStore

    env = os.environ if env is None else env
    database_url = env.get("PARKGRAPH_REGISTRY_DATABASE_URL") or env.get("DATABASE_URL") or default_database(env)
    auth_url = env.get("PARKGRAPH_AUTH_URL", "http://127.0.0.1:9000").rstrip("/")
    verifier = TokenVerifier(
        jwks_url=f"{auth_url}/jwks.json",
        issuer=env.get("PARKGRAPH_AUTH_ISSUER", auth_url),
        audience=env.get("PARKGRAPH_AUTH_AUDIENCE", "parkgraph"),
    )
    redis_url = env.get("REDIS_URL")
    channel = env.get("PARKGRAPH_REGISTRY_CHANNEL", DEFAULT_CHANNEL)
    store = RegistryStore.connect(database_url)  # tables are created at startup, in the server's loop
    notifier: Notifier = NullNotifier()
    if redis_url:
        notifier = RedisNotifier(redis_url, channel)
    elif store.engine.dialect.name == "postgresql":
        notifier = PostgresNotifier(store.engine, channel)
    policy = env.get("PARKGRAPH_REGISTRY_POLICY", "usage")
    settings = RegistrySettings(
        usage_window_days=float(env.get("PARKGRAPH_REGISTRY_USAGE_DAYS", "7")),
        policy="strict" if policy == "strict" else "usage",
    )
    registry = SchemaRegistry(store, notifier, settings)
    seed = read_seed(Path(env["PARKGRAPH_REGISTRY_SEED"])) if env.get("PARKGRAPH_REGISTRY_SEED") else None

    async def start() -> None:
        await store.prepare()
        if seed is not None:
            await registry.seed(*seed, actor=SEED_ACTOR)

    async def close() -> None:
        await verifier.aclose()
        await notifier.close()
        await store.close()

    return create_registry_app(
        registry, verifier, read_scope=env.get("PARKGRAPH_REGISTRY_READ_SCOPE"), on_startup=start, on_shutdown=close
    )


def default_database(env: Mapping[str, str]) -> str:
    folder = Path(env.get("PARKGRAPH_DATA_DIR", "var/dev")).resolve()
    return f"sqlite:///{folder / 'registry.db'}"
