"""The federation cases are consistent: served SDL = composed SDL, subgraphs = join__Graph, URLs rewritten."""

from __future__ import annotations

import re
from pathlib import Path

import aiohttp
import pytest

from tests.support.bench_subgraphs import bench_subgraphs
from tests.support.federation import SUPERGRAPHS, run_case, supergraph_sdl

CASES = sorted(p.parent.name for p in SUPERGRAPHS.glob("*/subgraphs"))
SHARED_BENCH = Path("/work/shared/bench/supergraph.graphql")


def test_every_case_directory_is_listed() -> None:
    assert len(CASES) >= 15
    for case in CASES:
        assert (SUPERGRAPHS / case / "supergraph.graphql").is_file(), case


@pytest.mark.parametrize("case", CASES)
async def test_case_serves_what_was_composed_at_the_rewritten_urls(case: str) -> None:
    composed_graphs = re.findall(r'@join__graph\(name: "([^"]+)"', supergraph_sdl(case))
    async with run_case(case) as running, aiohttp.ClientSession() as http:
        assert sorted(running.subgraphs) == sorted(composed_graphs)
        for name, server in running.subgraphs.items():
            assert f'@join__graph(name: "{name}", url: "{server.url}")' in running.supergraph_sdl
            async with http.post(server.url, json={"query": "{ _service { sdl } }"}) as response:
                body = await response.json()
            written = (SUPERGRAPHS / case / "subgraphs" / f"{name}.graphql").read_text(encoding="utf-8")
            assert body == {"data": {"_service": {"sdl": written}}}


def test_bench_ports_match_the_composed_bench_files() -> None:
    for spec in bench_subgraphs():
        assert spec.sdl == (SUPERGRAPHS / "bench" / "subgraphs" / f"{spec.name}.graphql").read_text(encoding="utf-8")


@pytest.mark.skipif(not SHARED_BENCH.exists(), reason="shared bench not on this machine")
def test_bench_supergraph_is_the_benchs_own() -> None:
    assert supergraph_sdl("bench") == SHARED_BENCH.read_text(encoding="utf-8")
