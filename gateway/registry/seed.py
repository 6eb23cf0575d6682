"""A registry's first graph: the subgraphs and supergraph a deployment already serves, from a seed file.

``parkgraph dev`` (and a deployment moving from a static supergraph file to the
registry) writes the province's domain subgraphs and their composed supergraph
to a JSON file; ``parkgraph registry serve`` with ``PARKGRAPH_REGISTRY_SEED``
writes them as version 1 on its first start, so the graph the gateways follow
is the one they served before. Every later start finds a graph and leaves it.

The file: ``{"supergraph": SDL, "subgraphs": [{"name", "url", "sdl", "owner"?}, …]}``
(owner ``province`` when left out).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from gateway.registry.errors import BadChange
from gateway.registry.model import PROVINCE, RegisteredSubgraph

SEED_ACTOR = "seed"


def write_seed(path: Path, subgraphs: Sequence[RegisteredSubgraph], supergraph_sdl: str) -> None:
    entries = [{"name": s.name, "url": s.url, "sdl": s.sdl, "owner": s.owner} for s in subgraphs]
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"supergraph": supergraph_sdl, "subgraphs": entries}, ensure_ascii=False, indent=1)
    path.write_text(text, encoding="utf-8")


def read_seed(path: Path) -> tuple[list[RegisteredSubgraph], str]:
    """The seed's subgraphs and supergraph; raises BadChange when the file is missing or malformed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        supergraph = data["supergraph"]
        subgraphs = [
            RegisteredSubgraph(str(e["name"]), str(e["url"]), str(e["sdl"]), str(e.get("owner") or PROVINCE))
            for e in data["subgraphs"]
        ]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BadChange(f"cannot read the registry seed {path}: {exc}") from exc
    if not isinstance(supergraph, str) or not subgraphs:
        raise BadChange(f"the registry seed {path} has no supergraph or no subgraphs")
    return subgraphs, supergraph
