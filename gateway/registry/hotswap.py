"""Swapping the supergraph a running gateway serves, without dropping or failing requests in flight.

Each supergraph gets a whole new generation: loaded supergraph, query
planner, plugins, pipeline. Installing it is one attribute assignment, the
``/graphql`` endpoint's router, so a request either started on the old
generation and finishes on it (it holds its own references to the old
planner and pipeline) or starts on the new one. Every generation shares one
pooled HTTP transport to the subgraphs, and the plugin factory shares what
does not depend on the supergraph (state store, token verifier: see
``gateway.plugins.setup.GatewayPlugins``); the old generation is garbage once
its last request is done. A plugin only the replaced generation had, with an
async ``close()``, is closed once no request can still be using it (after the
request timeout).

Loading and planning setup are CPU work and run in a worker thread, so
requests keep flowing while a new supergraph is prepared.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass

from gateway.http import GatewayApp, build_app
from gateway.http.endpoint import MAX_BODY_BYTES
from gateway.pipeline import Plugin, build_pipeline
from gateway.planner import QueryPlanner
from gateway.subgraph.client import AiohttpTransport, SubgraphClient, Transport
from gateway.supergraph import Supergraph, load_supergraph

logger = logging.getLogger(__name__)

# The plugins for one supergraph (traffic plugins read its schema: costs, cache hints).
PluginFactory = Callable[[Supergraph], Sequence[Plugin]]


@dataclass(frozen=True, slots=True)
class _Loaded:
    supergraph: Supergraph
    planner: QueryPlanner


class SupergraphSwitch:
    """Builds the gateway app for a first supergraph, then installs later ones in place."""

    def __init__(
        self,
        *,
        plugins_for: PluginFactory | None = None,
        transport: Transport | None = None,
        dev_mode: bool = False,
        introspection: bool = True,
        graphiql: bool | None = None,
        timeout: float = 30.0,
        max_body_bytes: int = MAX_BODY_BYTES,
        cache_size: int = 1024,
    ) -> None:
        self.plugins_for: PluginFactory = plugins_for or (lambda _supergraph: ())
        self.transport: Transport = transport if transport is not None else AiohttpTransport()
        self.dev_mode = dev_mode
        self.introspection = introspection
        self.graphiql = graphiql
        self.timeout = timeout
        self.max_body_bytes = max_body_bytes
        self.cache_size = cache_size
        self.app: GatewayApp | None = None
        self.version: int | None = None
        self.sdl: str | None = None
        self.plugins: tuple[Plugin, ...] = ()  # the served generation's
        self._retiring: dict[asyncio.Task[None], Sequence[Callable[[], Awaitable[None]]]] = {}

    def _load(self, sdl: str) -> _Loaded:
        supergraph = load_supergraph(sdl)
        return _Loaded(supergraph, QueryPlanner(supergraph, cache_size=self.cache_size))

    def start(self, sdl: str, version: int | None) -> GatewayApp:
        """The gateway app serving ``sdl``; raises SupergraphError if it cannot be served."""
        loaded = self._load(sdl)
        self.plugins = tuple(self.plugins_for(loaded.supergraph))
        self.app = build_app(
            loaded.supergraph,
            loaded.planner,
            dev_mode=self.dev_mode,
            introspection=self.introspection,
            graphiql=self.graphiql,
            plugins=self.plugins,
            transport=self.transport,
            timeout=self.timeout,
            max_body_bytes=self.max_body_bytes,
            cache_size=self.cache_size,
        )
        self.version, self.sdl = version, sdl
        return self.app

    async def install(self, sdl: str, version: int | None) -> None:
        """Serves ``sdl`` from the next request on; raises SupergraphError (and keeps the old one) if it cannot."""
        app = self.app
        if app is None:
            raise RuntimeError("install() before start()")
        loaded = await asyncio.to_thread(self._load, sdl)
        urls = {name: info.url for name, info in loaded.supergraph.subgraphs.items()}
        plugins = tuple(self.plugins_for(loaded.supergraph))
        pipeline = build_pipeline(
            loaded.supergraph,
            loaded.planner,
            SubgraphClient(urls, self.transport),
            plugins=plugins,
            introspection=self.introspection,
            cache_size=self.cache_size,
        )
        # The swap: requests already inside the old router keep it; the next one gets the new router.
        app.graphql.router = pipeline.router
        app.state.pipeline = pipeline
        app.state.supergraph = loaded.supergraph
        self.version, self.sdl = version, sdl
        replaced, self.plugins = self.plugins, plugins
        self._retire(plugin for plugin in replaced if all(plugin is not kept for kept in plugins))
        logger.info("now serving supergraph version %s (%d subgraphs)", version, len(urls))

    def _retire(self, plugins: Iterable[Plugin]) -> None:
        closers = [close for plugin in plugins if callable(close := getattr(plugin, "close", None))]
        if closers:
            task = asyncio.create_task(self._close_later(closers), name="retire-plugins")
            self._retiring[task] = closers

    async def _close_later(self, closers: Sequence[Callable[[], Awaitable[None]]]) -> None:
        # A request still on the replaced generation ends by its deadline at the latest.
        await asyncio.sleep(self.timeout)
        task = asyncio.current_task()
        if task is not None and self._retiring.pop(task, None) is not None:  # else close() took them over
            await _close_all(closers)

    async def close(self) -> None:
        """Closes at once the plugins of replaced generations still waiting to be closed (at shutdown)."""
        retiring, self._retiring = self._retiring, {}
        for task, closers in retiring.items():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await _close_all(closers)


async def _close_all(closers: Sequence[Callable[[], Awaitable[None]]]) -> None:
    for close in closers:
        try:
            await close()
        except Exception:  # one plugin failing to close must not keep the others open
            logger.exception("closing a replaced plugin failed")
