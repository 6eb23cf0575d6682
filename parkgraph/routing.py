"""``python -m parkgraph.routing``: the checked-in supergraph with each subgraph's routing URL for a deployment.

``schema/supergraph.graphql`` routes every subgraph to its default local port
(``http://127.0.0.1:4101/graphql`` …, see :mod:`parkgraph.topology`). A
deployment sets ``PARKGRAPH_<DOMAIN>_ROUTING_URL`` for the subgraphs that
live elsewhere (docker-compose: ``http://subgraph-registry:4101/graphql``)
and runs this once before the gateways start; subgraphs without a variable
keep their default URL.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from parkgraph import topology

REPO = Path(__file__).resolve().parents[1]


def default_url(domain: topology.Domain) -> str:
    return f"http://127.0.0.1:{domain.subgraph_port}/graphql"


def env_name(domain: topology.Domain) -> str:
    return f"PARKGRAPH_{domain.name.upper()}_ROUTING_URL"


def route(sdl: str, environ: Mapping[str, str]) -> str:
    """``sdl`` with the default URL of each subgraph replaced by its ``PARKGRAPH_<DOMAIN>_ROUTING_URL``."""
    for domain in topology.DOMAINS:
        url = environ.get(env_name(domain))
        if url:
            sdl = sdl.replace(f'url: "{default_url(domain)}"', f'url: "{url}"')
    return sdl


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parkgraph.routing", description=__doc__)
    parser.add_argument("--source", type=Path, default=REPO / "schema" / "supergraph.graphql")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        sdl = args.source.read_text(encoding="utf-8")
    except OSError as exc:
        print(f"cannot read the supergraph {args.source}: {exc.strerror}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(route(sdl, os.environ), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
