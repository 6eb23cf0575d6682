"""Per-request CPU cost of the gateway's traffic plugins when enabled but idle (in process, no network).

Runs the bench ``small`` query through the assembled pipeline (router layer
down, a canned subgraph answer at the bottom) with and without the plugins
and prints the CPU microseconds per request of each. Usage::

    .venv/bin/python scripts/plugin_overhead.py [--requests 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path
from typing import Any

import orjson

from gateway.context import RequestContext
from gateway.pipeline import Plugin, RouterRequest, build_pipeline
from gateway.planner import QueryPlanner
from gateway.plugins import build_plugins
from gateway.plugins.settings import settings_from_dict
from gateway.state import MemoryStore
from gateway.subgraph.types import SubgraphRequest, SubgraphResponse
from gateway.supergraph import load_supergraph

ROOT = Path(__file__).resolve().parents[1]
SUPERGRAPH = ROOT / "tests/fixtures/supergraphs/bench/supergraph.graphql"
QUERY = (ROOT / "tests/fixtures/bench/queries/small.graphql").read_text(encoding="utf-8")
ANSWER: dict[str, Any] = {
    "topProducts": [{"upc": str(1001 + i), "name": f"P{i}", "price": 100, "weight": 5} for i in range(5)]
}
CONFIGURED: dict[str, Any] = {  # every plugin on, none with anything to do for this query
    "classes": {
        "anonymous": {"rate_limit": "1000000/s", "limits": {"max_cost": 100_000}},
        "default": {"rate_limit": "1000000/s"},
    },
    "clients": {"partner": {"safelist_only": True}},
    "cache": {"types": {"User": 60}, "invalidate": {"Mutation.none": ["User"]}},
}


async def subgraph(request: SubgraphRequest) -> SubgraphResponse:
    return SubgraphResponse(ANSWER, [])


async def cpu_per_request(plugins: list[Plugin], requests: int) -> float:
    supergraph = load_supergraph(SUPERGRAPH.read_text(encoding="utf-8"))
    pipeline = build_pipeline(supergraph, QueryPlanner(supergraph), subgraph, plugins=plugins)
    body = orjson.dumps({"query": QUERY})
    headers = {"content-type": "application/json", "accept": "application/json"}

    async def one() -> None:
        context = RequestContext.create(headers)
        context.client_address = "127.0.0.1"
        response = await pipeline.router(RouterRequest("POST", headers, "", body, context))
        assert response.status == 200, response.body

    for _ in range(500):  # warm the caches
        await one()
    started = time.process_time()
    for _ in range(requests):
        await one()
    return (time.process_time() - started) / requests * 1e6


async def main(requests: int) -> None:
    sdl = SUPERGRAPH.read_text(encoding="utf-8")
    supergraph = load_supergraph(sdl)
    variants = {
        "no plugins": [],
        "defaults (limits, batching, APQ)": build_plugins(settings_from_dict({}), MemoryStore(), supergraph),
        "all configured, idle": build_plugins(settings_from_dict(CONFIGURED), MemoryStore(), supergraph),
    }
    baseline = None
    for name, plugins in variants.items():
        best = min([await cpu_per_request(plugins, requests) for _ in range(3)])
        baseline = best if baseline is None else baseline
        print(f"{name:36s} {best:7.1f} µs/request  (+{best - baseline:5.1f})  [{', '.join(p.name for p in plugins)}]")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    asyncio.run(main(parser.parse_args().requests))
