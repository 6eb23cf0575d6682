"""The traffic plugins of a served gateway, from its settings file and environment.

``REDIS_URL`` selects the shared Redis store (every replica must use the same
one, and the same ``PARKGRAPH_REDIS_PREFIX``); without it state stays in
process (the embedded default: one replica).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from gateway.pipeline.types import Plugin
from gateway.plugins import build_plugins
from gateway.plugins.settings import load_settings
from gateway.state import open_store
from gateway.supergraph import load_supergraph

DEFAULT_PREFIX = "parkgraph:"


def traffic_plugins(sdl: str, config: Path | None = None, env: Mapping[str, str] | None = None) -> list[Plugin]:
    """Plugins for the supergraph ``sdl``; raises ``SettingsError``/``SupergraphError`` on bad input."""
    env = os.environ if env is None else env
    settings = load_settings(config, env)
    if settings.operations_file is None and env.get("PARKGRAPH_OPERATIONS_FILE"):
        from dataclasses import replace

        settings = replace(settings, operations_file=Path(env["PARKGRAPH_OPERATIONS_FILE"]))
    store = open_store(env.get("REDIS_URL"), prefix=env.get("PARKGRAPH_REDIS_PREFIX", DEFAULT_PREFIX))
    return build_plugins(settings, store, load_supergraph(sdl))
