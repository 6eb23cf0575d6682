"""Our composer's supergraph runs on Apollo Gateway 2.14.4 and gives the same answers as our gateway.

Issue 3, "what it must show" 2, the part no fixture can show: the bench
subgraphs' SDL is fetched from the running Python bench subgraphs'
``_service { sdl }``, composed by us, and served by Apollo Gateway (Node,
``tests/support/apollo_gateway.mjs``) and by our gateway; every bench query
must give the bench's reference answer through both. The README's
single-window query does the same over the whole domain graph.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from auth.identity import IDENTITY_HEADER, IdentitySigner
from gateway.supergraph.compose import SubgraphSource, compose
from gateway.supergraph.compose.sources import fetch_sdl
from mocks.data.province import SHOWCASE_USCC
from parkgraph import sdl as stored
from tests.e2e import seeded
from tests.support.domain_graph import TODAY, domain_graph
from tests.support.federation import (
    BENCH_ANSWERS,
    FederationHarness,
    GatewayUnderTest,
    RunningCase,
    apollo_gateway,
    bench_answer,
    bench_query,
    run_case,
)
from tests.support.node_packages import ensure_apollo_packages
from tests.support.trusted_caller import PROVINCE_STAFF
from tests.test_dev_stack import readme_single_window_query

pytestmark = pytest.mark.node

BENCH_QUERIES = sorted(p.stem for p in (BENCH_ANSWERS / "queries").glob("*.graphql"))


def _composed(sources: list[SubgraphSource]) -> str:
    result = compose(sources)
    assert result.errors == (), [f"{e.code}: {e.message}" for e in result.errors]
    assert result.supergraph_sdl is not None
    return result.supergraph_sdl


async def _served_sources(urls: Mapping[str, str]) -> list[SubgraphSource]:
    """Each running subgraph's SDL as it serves it; fetched off the event loop the subgraphs run on."""
    sdls = [await asyncio.to_thread(fetch_sdl, name, url) for name, url in urls.items()]
    return [SubgraphSource(name, url, sdl) for (name, url), sdl in zip(urls.items(), sdls, strict=True)]


async def _apollo(stack: AsyncExitStack, case: RunningCase) -> GatewayUnderTest:
    url = await stack.enter_async_context(apollo_gateway(case.supergraph_sdl))
    client = await stack.enter_async_context(httpx.AsyncClient(base_url=url, timeout=30))
    return GatewayUnderTest(case, None, client)


async def test_bench_supergraph_we_compose_answers_every_bench_query_on_apollo_gateway_and_ours(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await ensure_apollo_packages("running Apollo Gateway")
    monkeypatch.delenv("PARKGRAPH_TEST_GATEWAY", raising=False)  # the harness's gateway must be ours here
    async with AsyncExitStack() as stack:
        running = await stack.enter_async_context(run_case("bench"))
        sources = await _served_sources(running.subgraphs.urls)
        case = RunningCase("bench (composed by us)", _composed(sources), running.subgraphs)
        apollo = await _apollo(stack, case)
        ours = await FederationHarness(stack).gateway(case)
        answers: dict[str, dict[str, Any]] = {}
        for query in BENCH_QUERIES:
            answers[query] = {
                "apollo": await apollo.execute(bench_query(query)),
                "ours": await ours.execute(bench_query(query)),
            }
    assert len(answers) >= 9  # every stored bench query ran
    differing = {
        query: got
        for query, got in answers.items()
        if got["apollo"] != bench_answer(query) or got["ours"] != bench_answer(query)
    }
    assert differing == {}
    # Apollo Gateway really planned across the subgraphs: the reviews' authors come from accounts.
    assert any(json.dumps(a["apollo"]).count("Ada Lovelace") for a in answers.values())


@pytest.mark.e2e
async def test_single_window_query_on_our_domain_supergraph_answers_alike_on_apollo_gateway(tmp_path: Path) -> None:
    await ensure_apollo_packages("running Apollo Gateway")
    query = readme_single_window_query()
    variables = {"uscc": SHOWCASE_USCC}
    async with domain_graph(tmp_path, today=TODAY) as graph:
        stored_urls: dict[str, str] = json.loads(stored.COMPOSE_CONFIG.read_text(encoding="utf-8"))
        # Subgraphs this fixture does not run keep their default URLs, as in the graph's own supergraph.
        urls = {**stored_urls, **graph.subgraph_urls}
        files = {name: stored.SUBGRAPH_SDL_DIR / f"{name}.graphql" for name in urls}
        sources = [SubgraphSource(name, url, files[name].read_text(encoding="utf-8")) for name, url in urls.items()]
        supergraph = _composed(sources)
        # Our gateway in the fixture already runs on exactly what our composer gives.
        assert supergraph == graph.supergraph_sdl
        ours = await graph.execute(query, variables)
        # Apollo Gateway cannot sign our identity: the test signs the province for each subgraph, as our
        # gateway's TrustedCaller does here, valid long enough for the test, and Apollo forwards it.
        signer = IdentitySigner(graph.identity_key, ttl=300)
        identities = {name: {IDENTITY_HEADER: signer.sign(PROVINCE_STAFF, name)} for name in graph.subgraph_urls}
        async with (
            apollo_gateway(supergraph, identities) as url,
            httpx.AsyncClient(base_url=url, timeout=60) as client,
        ):
            response = await client.post(
                "/", json={"query": query, "variables": variables}, headers={"apollo-require-preflight": "1"}
            )
            theirs = response.json()
    assert "errors" not in theirs, theirs["errors"]
    assert "errors" not in ours, ours["errors"]
    assert theirs["data"] == ours["data"]
    expected = seeded.single_window(graph.province, SHOWCASE_USCC, graph.today)
    assert theirs["data"]["enterprise"] == expected
