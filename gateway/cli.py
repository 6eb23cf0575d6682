"""``python -m gateway`` and ``parkgraph gateway``: serve a supergraph with uvicorn.

One worker on uvloop and httptools with the access log off, the fastest
uvicorn setup measured in performance-notes.md; scale out with more processes
behind a load balancer (gateways are stateless).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

DEFAULT_PORT = 4000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--supergraph", type=Path, required=True, help="Apollo supergraph SDL file")
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
    from gateway.http import create_app

    try:
        sdl = args.supergraph.read_text(encoding="utf-8")
    except OSError as exc:
        print(f"gateway: cannot read the supergraph: {exc}", file=sys.stderr)
        return 2
    from gateway.plugins import SettingsError
    from gateway.plugins.auth import auth_plugin_from_env
    from gateway.plugins.setup import traffic_plugins
    from gateway.resilience import ResilienceConfig, ResiliencePlugin
    from gateway.supergraph import load_supergraph
    from gateway.telemetry import TelemetryPlugin, configure_process

    configure_process()
    try:
        # Telemetry outermost (its spans and timings cover the rest), resilience innermost (retries in one fetch span).
        resilience = ResiliencePlugin(ResilienceConfig.from_env(os.environ))
        # Auth before the traffic plugins: they read the caller (client, tenant, scopes) it puts in the context.
        auth_env = {**os.environ, "PARKGRAPH_AUTH_URL": args.auth_url} if args.auth_url else None
        auth = [] if auth_env is None else [auth_plugin_from_env(load_supergraph(sdl), auth_env)]
        plugins = [TelemetryPlugin(), *auth, *traffic_plugins(sdl, args.config), resilience]
        app = create_app(
            sdl, dev_mode=args.dev, introspection=not args.no_introspection, timeout=args.timeout, plugins=plugins
        )
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))
