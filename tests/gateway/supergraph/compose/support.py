"""Helpers for composition tests: read a fixture case's subgraphs, compare supergraphs structurally."""

from __future__ import annotations

from pathlib import Path

from gateway.supergraph.compose import CompositionResult, SubgraphSource, compose
from gateway.supergraph.compose.compare import structure
from gateway.supergraph.compose.sources import load_folder

# A case's subgraphs with the URLs Apollo's fixture was composed with (see tests/fixtures/compose.mjs).
case_sources = load_folder

ROOT = Path(__file__).resolve().parents[4]
FIXTURES = ROOT / "tests" / "fixtures" / "supergraphs"


def compose_sdl(sdls: dict[str, str]) -> CompositionResult:
    """Composes inline subgraphs named by their keys."""
    return compose([SubgraphSource(name, f"http://{name}.test/graphql", sdl) for name, sdl in sdls.items()])


__all__ = ["FIXTURES", "ROOT", "case_sources", "compose_sdl", "structure"]
