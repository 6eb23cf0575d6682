"""Command-line options shared by every subgraph's ``__main__``: each falls back to ``PARKGRAPH_<DOMAIN>_<OPTION>``.

::

    args = parse_args("registry", "Serve the registry subgraph.", {"legacy-url": "base URL of the registry"})
    uvicorn.run(create_app(legacy_url=args.legacy_url), host=args.host, port=args.port)

``--host`` and ``--port`` are always there (``PARKGRAPH_REGISTRY_HOST``,
``PARKGRAPH_REGISTRY_PORT``); each extra option is required unless given
through its environment variable or a default. Being the start of every
subgraph process, it also installs the process's telemetry
(:func:`subgraphs.common.telemetry.configure_process`: metrics, OTLP traces
when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set, JSON logs).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence

from auth.identity import INSECURE_DEV_VARIABLE, insecure_dev_identity_from_env
from subgraphs.common.telemetry import configure_process


def env_name(domain: str, option: str) -> str:
    """``("registry", "legacy-url")`` → ``PARKGRAPH_REGISTRY_LEGACY_URL``."""
    return f"PARKGRAPH_{domain}_{option}".upper().replace("-", "_")


def parse_args(
    domain: str,
    description: str,
    options: Mapping[str, str],
    argv: Sequence[str] | None = None,
    *,
    default_port: int | None = None,
    defaults: Mapping[str, str] | None = None,
) -> argparse.Namespace:
    """Parse ``--host``, ``--port`` and ``options`` (name → help), each defaulting to its environment variable.

    An option named in ``defaults`` falls back to that value when neither the flag nor the variable is given.
    """
    parser = argparse.ArgumentParser(prog=f"python -m subgraphs.{domain}", description=description)
    parser.add_argument("--host", default=os.environ.get(env_name(domain, "host"), "127.0.0.1"))
    port = os.environ.get(env_name(domain, "port"))
    default = int(port) if port else default_port
    parser.add_argument("--port", type=int, default=default, required=default is None)
    parser.add_argument(
        "--insecure-dev-identity",
        action="store_true",
        help=f"run without PARKGRAPH_IDENTITY_KEY, trusting unsigned calls as the province (env {INSECURE_DEV_VARIABLE}"
        "=1); for local experiments only",
    )
    for option, help_text in options.items():
        value = os.environ.get(env_name(domain, option), (defaults or {}).get(option))
        parser.add_argument(
            f"--{option}", default=value, required=value is None, help=f"{help_text} (env {env_name(domain, option)})"
        )
    args = parser.parse_args(argv)
    if args.insecure_dev_identity:
        os.environ[INSECURE_DEV_VARIABLE] = "1"  # read by IdentityGate.from_env when the app is built
    elif not os.environ.get("PARKGRAPH_IDENTITY_KEY") and not insecure_dev_identity_from_env():
        parser.error(
            "PARKGRAPH_IDENTITY_KEY is not set: give the gateway and this subgraph the same secret (32+ bytes), "
            "or run with --insecure-dev-identity for a local experiment"
        )
    configure_process(f"parkgraph-{domain}")
    return args
