"""``python -m parkgraph.routing``: the checked-in supergraph with each subgraph's routing URL for a deployment.

``schema/supergraph.graphql`` routes every subgraph to its default local port
(``http://127.0.0.1:4101/graphql`` …, see :mod:`parkgraph.topology`). A
deployment sets ``PARKGRAPH_<DOMAIN>_ROUTING_URL`` for the subgraphs that
live elsewhere (docker-compose: ``http://subgraph-registry:4101/graphql``)
and runs this once before the gateways start; subgraphs without a variable
keep their default URL. ``--seed-out`` also writes the schema registry's seed
(:mod:`gateway.registry.seed`): every domain subgraph's stored SDL at its
routing URL, and this supergraph, so gateways following the registry start on it.
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
    parser.add_argument("--seed-out", type=Path, help="also write the schema registry's seed file here")
    args = parser.parse_args(argv)
    try:
        sdl = args.source.read_text(encoding="utf-8")
    except OSError as exc:
        print(f"cannot read the supergraph {args.source}: {exc.strerror}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    routed = route(sdl, os.environ)
    args.out.write_text(routed, encoding="utf-8")
    if args.seed_out is not None:
        write_registry_seed(args.seed_out, routed, os.environ)
    return 0


def write_registry_seed(path: Path, supergraph_sdl: str, environ: Mapping[str, str]) -> None:
    """The registry's first graph: the domain subgraphs (stored SDL, routing URL) and their supergraph."""
    from gateway.registry.model import PROVINCE, RegisteredSubgraph
    from gateway.registry.seed import write_seed

    subgraphs = [
        RegisteredSubgraph(
            domain.name,
            environ.get(env_name(domain)) or default_url(domain),
            (REPO / "schema" / "subgraphs" / f"{domain.name}.graphql").read_text(encoding="utf-8"),
            PROVINCE,
        )
        for domain in topology.DOMAINS
    ]
    write_seed(path, subgraphs, supergraph_sdl)


if __name__ == "__main__":
    sys.exit(main())
