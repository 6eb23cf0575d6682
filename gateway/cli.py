"""``python -m gateway`` and ``parkgraph gateway``: serve a supergraph with uvicorn.

One worker on uvloop and httptools with the access log off, the fastest
uvicorn setup measured in performance-notes.md; scale out with more processes
behind a load balancer (gateways are stateless).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from gateway.http import GatewayApp
    from gateway.plugins.setup import GatewayPlugins
    from gateway.registry.usage import OperationUsagePlugin

DEFAULT_PORT = 4000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--supergraph", type=Path, help="Apollo supergraph SDL file (or --registry)")
    parser.add_argument(
        "--registry",
        default=os.environ.get("PARKGRAPH_REGISTRY_URL"),
        help="follow the schema registry at this URL instead of a file (env PARKGRAPH_REGISTRY_URL): new "
        "versions are swapped in live, announced over REDIS_URL or found by polling",
    )
    parser.add_argument(
        "--registry-cache",
        type=Path,
        default=os.environ.get("PARKGRAPH_REGISTRY_CACHE"),
        help="file keeping the last good supergraph from the registry, to start on when it is unreachable",
    )
    parser.add_argument("--registry-poll", type=float, default=None, help="seconds between registry polls")
    parser.add_argument(
        "--registry-database",
        default=os.environ.get("PARKGRAPH_REGISTRY_DATABASE_URL"),
        help="the registry's PostgreSQL database (env PARKGRAPH_REGISTRY_DATABASE_URL; default --usage-database): "
        "without REDIS_URL, new versions are announced there by LISTEN/NOTIFY",
    )
    parser.add_argument(
        "--usage-database",
        default=os.environ.get("PARKGRAPH_USAGE_DATABASE_URL"),
        help="record operation usage (for the registry's checks) in the registry's database at this URL",
    )
    parser.add_argument("--host", default=os.environ.get("PARKGRAPH_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PARKGRAPH_GATEWAY_PORT", str(DEFAULT_PORT))))
    parser.add_argument("--dev", action="store_true", help="dev mode: the x-parkgraph-plan header returns the plan")
    parser.add_argument("--no-introspection", action="store_true", help="refuse __schema/__type and hide GraphiQL")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds a request may spend on subgraphs")
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help="traffic settings (YAML/JSON: client classes, rate and operation limits, caching); "
        "default PARKGRAPH_GATEWAY_CONFIG; REDIS_URL shares state between replicas",
    )
    parser.add_argument(
        "--auth-url",
        default=os.environ.get("PARKGRAPH_AUTH_URL"),
        help="the auth server (env PARKGRAPH_AUTH_URL): verify tokens against its JWKS, enforce field auth, "
        "sign the identity subgraphs verify; without it none of this runs (subgraphs that have "
        "PARKGRAPH_IDENTITY_KEY set then refuse the calls)",
    )
    parser.add_argument("--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"])


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds ``parkgraph gateway``."""
    parser = commands.add_parser("gateway", help="serve the federation gateway for a supergraph")
    add_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from gateway.errors import SupergraphError
    from gateway.registry.follow import FollowError

    if (args.supergraph is None) == (args.registry is None):
        print("gateway: give either --supergraph FILE or --registry URL", file=sys.stderr)
        return 2
    sdl = ""
    if args.supergraph is not None:
        try:
            sdl = args.supergraph.read_text(encoding="utf-8")
        except OSError as exc:
            print(f"gateway: cannot read the supergraph: {exc}", file=sys.stderr)
            return 2
    from gateway.plugins import SettingsError
    from gateway.plugins.auth import AuthPlugins
    from gateway.plugins.setup import GatewayPlugins, open_traffic
    from gateway.resilience import ResilienceConfig, ResiliencePlugin
    from gateway.telemetry import TelemetryPlugin, configure_process

    configure_process()
    try:
        # Built once and shared by every supergraph version served (see gateway.plugins.setup).
        # Telemetry outermost (its spans and timings cover the rest), resilience innermost (retries in one fetch span).
        usage = _usage_plugins(args.usage_database)
        plugins = GatewayPlugins(
            open_traffic(args.config),
            auth=None
            if args.auth_url is None
            else AuthPlugins.from_env({**os.environ, "PARKGRAPH_AUTH_URL": args.auth_url}),
            outer=[TelemetryPlugin()],
            inner=[*usage, ResiliencePlugin(ResilienceConfig.from_env(os.environ))],
            on_close=[plugin.close for plugin in usage],
        )

        if args.registry is not None:
            from gateway.registry.serve import follow_registry

            app = follow_registry(
                args.registry,
                plugins_for=plugins,
                env=os.environ,
                cache_path=args.registry_cache,
                poll_interval=args.registry_poll,
                dev_mode=args.dev,
                introspection=not args.no_introspection,
                timeout=args.timeout,
                database_url=args.registry_database or args.usage_database,
                on_shutdown=[plugins.close],
            )
        else:
            app = _serve_file(sdl, plugins, args)
    except FollowError as exc:
        print(f"gateway: {exc}", file=sys.stderr)
        return 2
    except SupergraphError as exc:
        print(f"gateway: the supergraph cannot be served [{exc.code}]: {exc.message}", file=sys.stderr)
        return 2
    except SettingsError as exc:
        print(f"gateway: invalid traffic settings: {exc.message}", file=sys.stderr)
        return 2
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        loop="uvloop",
        http="httptools",
        lifespan="on",
        access_log=False,
        log_level=args.log_level,
    )
    return 0


def _serve_file(sdl: str, plugins: GatewayPlugins, args: argparse.Namespace) -> GatewayApp:
    """The gateway app on one supergraph file; the plugins' shared state is closed at shutdown."""
    from gateway.http import build_app
    from gateway.planner import QueryPlanner
    from gateway.supergraph import load_supergraph

    supergraph = load_supergraph(sdl)
    app = build_app(
        supergraph,
        QueryPlanner(supergraph),
        dev_mode=args.dev,
        introspection=not args.no_introspection,
        timeout=args.timeout,
        plugins=plugins(supergraph),
    )
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(served: Starlette) -> AsyncIterator[Any]:
        async with inner(served) as state:
            try:
                yield state
            finally:
                await plugins.close()

    app.router.lifespan_context = lifespan
    return app


def _usage_plugins(database_url: str | None) -> list[OperationUsagePlugin]:
    if not database_url:
        return []
    from gateway.registry.usage import OperationUsagePlugin, StoreSink

    return [OperationUsagePlugin(StoreSink(database_url))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))
