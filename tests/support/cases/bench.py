"""The bench graph: the four ported bench subgraphs."""

from __future__ import annotations

from tests.support.bench_subgraphs import bench_subgraphs
from tests.support.subgraph_kit import SubgraphSpec


def subgraphs() -> list[SubgraphSpec]:
    return bench_subgraphs()
