"""Python resolvers for the federation cases in ``tests/fixtures/supergraphs/<case>/``.

Each module has ``subgraphs() -> list[SubgraphSpec]``, building fresh specs (and fresh state,
where a case keeps any) on every call. The SDL is read from the case's ``subgraphs/`` folder, so
the served SDL is exactly what Apollo's composition composed.
"""

from __future__ import annotations

from pathlib import Path

SUPERGRAPHS = Path(__file__).resolve().parents[2] / "fixtures" / "supergraphs"


def case_sdl(case: str, subgraph: str) -> str:
    """The SDL of ``subgraph`` in ``case``, as composed."""
    return (SUPERGRAPHS / case / "subgraphs" / f"{subgraph}.graphql").read_text(encoding="utf-8")
