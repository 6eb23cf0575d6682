"""``python -m parkgraph.compose``: writes each in-repo subgraph's served SDL and the compose config for Apollo.

The first half of ``scripts/compose-supergraph``; the second half is ``node tests/fixtures/compose.mjs --dir schema``,
which composes ``schema/subgraphs/*.graphql`` in the order and with the routing URLs of ``schema/urls.json``.
Entries of ``schema/urls.json`` that are not in-repo domains (a subgraph run elsewhere) are kept as they are.
"""

from __future__ import annotations

import json
import sys

from parkgraph import sdl, topology


def main() -> int:
    sdl.SUBGRAPH_SDL_DIR.mkdir(parents=True, exist_ok=True)
    urls: dict[str, str] = {domain.name: sdl.routing_url(domain) for domain in topology.DOMAINS}
    if sdl.COMPOSE_CONFIG.exists():
        for name, url in json.loads(sdl.COMPOSE_CONFIG.read_text(encoding="utf-8")).items():
            urls.setdefault(name, url)
    for domain in topology.DOMAINS:
        sdl.stored_sdl_path(domain.name).write_text(sdl.served_sdl(domain.name), encoding="utf-8")
        print(f"wrote {sdl.stored_sdl_path(domain.name).relative_to(sdl.REPO)}")
    sdl.COMPOSE_CONFIG.write_text(json.dumps(urls, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
