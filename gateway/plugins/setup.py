"""The plugins of a served gateway, from its settings file and environment, for every supergraph it serves.

``REDIS_URL`` selects the shared Redis store (every replica must use the same
one, and the same ``PARKGRAPH_REDIS_PREFIX``); without it state stays in
process (the embedded default: one replica).

A gateway that follows the registry serves one supergraph after another.
:class:`GatewayPlugins` builds what outlives a version (state store, token
verifier, telemetry, usage recording) once, and only the schema-reading
plugins per version; :meth:`GatewayPlugins.close` closes the shared pieces at
shutdown.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from gateway.pipeline.types import Plugin
from gateway.plugins import TrafficPlugins
from gateway.plugins.auth import AuthPlugins
from gateway.plugins.settings import load_settings
from gateway.state import open_store
from gateway.supergraph import load_supergraph
from gateway.supergraph.model import Supergraph

DEFAULT_PREFIX = "parkgraph:"


def open_traffic(config: Path | None = None, env: Mapping[str, str] | None = None) -> TrafficPlugins:
    """The traffic plugins' shared state (one store); raises ``SettingsError`` on bad settings."""
    env = os.environ if env is None else env
    settings = load_settings(config, env)
    if settings.operations_file is None and env.get("PARKGRAPH_OPERATIONS_FILE"):
        settings = replace(settings, operations_file=Path(env["PARKGRAPH_OPERATIONS_FILE"]))
    store = open_store(env.get("REDIS_URL"), prefix=env.get("PARKGRAPH_REDIS_PREFIX", DEFAULT_PREFIX))
    return TrafficPlugins(settings, store)


def traffic_plugins(sdl: str, config: Path | None = None, env: Mapping[str, str] | None = None) -> list[Plugin]:
    """Plugins for the supergraph ``sdl`` with a store of their own; raises ``SettingsError``/``SupergraphError``."""
    return open_traffic(config, env).for_supergraph(load_supergraph(sdl))


class GatewayPlugins:
    """Every plugin of a served gateway, in order: ``outer``, auth, traffic, ``inner``.

    Call it with each supergraph version to get that version's plugin list; the
    pieces that do not depend on the supergraph are the same objects in every list.
    """

    def __init__(
        self,
        traffic: TrafficPlugins,
        *,
        auth: AuthPlugins | None = None,
        outer: Sequence[Plugin] = (),
        inner: Sequence[Plugin] = (),
        on_close: Sequence[Callable[[], Awaitable[None]]] = (),
    ) -> None:
        self.traffic = traffic
        self.auth = auth
        self.outer = tuple(outer)
        self.inner = tuple(inner)
        self.on_close = tuple(on_close)

    def __call__(self, supergraph: Supergraph) -> list[Plugin]:
        # Auth before the traffic plugins: they read the caller (client, tenant, scopes) it puts in the context.
        auth = [] if self.auth is None else [self.auth.for_supergraph(supergraph)]
        return [*self.outer, *auth, *self.traffic.for_supergraph(supergraph), *self.inner]

    async def close(self) -> None:
        """Closes the shared pieces (Redis connections, the JWKS client, then ``on_close``); once, at shutdown."""
        await self.traffic.close()
        if self.auth is not None:
            await self.auth.close()
        for close in self.on_close:
            await close()
