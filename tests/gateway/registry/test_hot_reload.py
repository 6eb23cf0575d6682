"""Gateways following the registry: a city's publish served by the next query with requests in flight,
rollback on every replica over the real Redis, the last good supergraph kept when the registry is gone."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import httpx

from gateway.registry.follow import RegistryFollower
from gateway.registry.hotswap import SupergraphSwitch
from tests.gateway.registry.live import LiveRegistry, live_registry
from tests.gateway.registry.servers import USCC, subgraph_specs
from tests.support.live_server import live_server
from tests.support.redis import redis_url
from tests.support.subgraph_kit import SubgraphGroup, serve_subgraphs
from tests.support.waiting import eventually

SLOW_QUERY = "{ enterprises { uscc name } }"
CITY_QUERY = "{ enterprises { name c340100_projects { name investment } } c340100_projects { id } }"


async def _publish(http: httpx.AsyncClient, live: LiveRegistry, servers: SubgraphGroup, name: str, *who: str) -> int:
    server = servers[name]
    body = {"url": server.url, "sdl": server.spec.sdl}
    response = await http.put(f"{live.url}/subgraphs/{name}", json=body, headers=live.mint.headers(*who))
    assert response.status_code == 200, response.text
    version: int = response.json()["version"]
    return version


@asynccontextmanager
async def _replica(live: LiveRegistry, *, cache: Path | None = None) -> AsyncIterator[tuple[str, SupergraphSwitch]]:
    """A gateway following the registry over Redis (polling far too slow to be what delivers a change)."""
    switch = SupergraphSwitch()
    follower = RegistryFollower(
        live.url, switch, redis_url=redis_url(), channel=live.channel, poll_interval=60, cache_path=cache
    )
    app = await follower.start_app()
    await follower.start()
    try:
        await asyncio.wait_for(follower.subscribed.wait(), 5)
        async with live_server(app) as url:
            yield f"{url}/graphql", switch
    finally:
        await follower.stop()
        await switch.transport.close()  # type: ignore[attr-defined]


async def _query(http: httpx.AsyncClient, url: str, query: str) -> httpx.Response:
    return await http.post(url, json={"query": query}, headers={"accept": "application/json"})


async def test_a_city_publishes_and_the_next_query_uses_it_while_requests_in_flight_all_succeed(
    tmp_path: Path,
) -> None:
    async with (
        serve_subgraphs(subgraph_specs()) as servers,
        live_registry(tmp_path) as live,
        httpx.AsyncClient(timeout=10) as http,
    ):
        await _publish(http, live, servers, "registry", "province-ops", "province")
        async with _replica(live) as (gateway, switch):
            assert switch.version == 1
            before = await _query(http, gateway, CITY_QUERY)
            assert before.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"

            stop = asyncio.Event()
            answers: list[httpx.Response] = []

            async def keep_querying() -> None:
                while not stop.is_set():
                    answers.append(await _query(http, gateway, SLOW_QUERY))

            workers = [asyncio.create_task(keep_querying()) for _ in range(8)]
            await asyncio.sleep(0.1)  # every worker has a request in flight
            version = await _publish(http, live, servers, "city_340100_investment", "hefei-centre", "city:340100")
            await eventually(lambda: switch.version == version, within=3)
            after = await _query(http, gateway, CITY_QUERY)
            stop.set()
            await asyncio.gather(*workers)

            assert after.status_code == 200 and "errors" not in after.json(), after.text
            assert after.json()["data"] == {
                "enterprises": [
                    {
                        "name": "合肥智造有限公司",
                        "c340100_projects": [{"name": "新能源汽车零部件基地", "investment": 1.2e9}],
                    }
                ],
                "c340100_projects": [{"id": "P-1"}],
            }
            assert len(answers) >= 16  # in flight before, during and after the swap
            for answer in answers:
                assert answer.status_code == 200 and answer.json() == {
                    "data": {"enterprises": [{"uscc": USCC, "name": "合肥智造有限公司"}]}
                }


async def test_rollback_restores_the_previous_supergraph_on_every_replica(tmp_path: Path) -> None:
    async with (
        serve_subgraphs(subgraph_specs()) as servers,
        live_registry(tmp_path) as live,
        httpx.AsyncClient(timeout=10) as http,
        AsyncExitStack() as stack,
    ):
        first = await _publish(http, live, servers, "registry", "province-ops", "province")
        replicas = [await stack.enter_async_context(_replica(live)) for _ in range(2)]
        second = await _publish(http, live, servers, "city_340100_investment", "hefei-centre", "city:340100")
        await eventually(lambda: all(switch.version == second for _, switch in replicas), within=3)
        for gateway, _ in replicas:
            assert "errors" not in (await _query(http, gateway, CITY_QUERY)).json()

        refused = await http.post(
            f"{live.url}/rollback", json={"version": first}, headers=live.mint.headers("hefei-centre", "city:340100")
        )
        assert refused.status_code == 403
        rolled = await http.post(
            f"{live.url}/rollback", json={"version": first}, headers=live.mint.headers("province-ops", "province")
        )
        assert rolled.status_code == 200 and rolled.json() == {"version": 3, "rolledBackTo": first}
        await eventually(lambda: all(switch.version == 3 for _, switch in replicas), within=3)
        v1 = await live.store.version(first)
        assert v1 is not None
        for gateway, switch in replicas:
            assert switch.sdl == v1.supergraph_sdl
            gone = (await _query(http, gateway, CITY_QUERY)).json()
            assert gone["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
            kept = (await _query(http, gateway, "{ enterprises { name } }")).json()
            assert kept == {"data": {"enterprises": [{"name": "合肥智造有限公司"}]}}


async def test_the_last_good_supergraph_is_served_while_the_registry_is_unreachable(tmp_path: Path) -> None:
    cache = tmp_path / "gateway" / "supergraph.json"
    async with serve_subgraphs(subgraph_specs()) as servers, httpx.AsyncClient(timeout=10) as http:
        async with live_registry(tmp_path, redis=False) as live:
            await _publish(http, live, servers, "registry", "province-ops", "province")
            switch = SupergraphSwitch()
            follower = RegistryFollower(live.url, switch, poll_interval=0.05, cache_path=cache)
            app = await follower.start_app()
        # The registry is gone: refreshes fail, the gateway keeps serving version 1.
        await follower.start()
        try:
            await eventually(lambda: follower.failures >= 2, within=3)
            assert switch.version == 1
            async with live_server(app) as url:
                answer = await _query(http, f"{url}/graphql", "{ enterprises { name } }")
                assert answer.json() == {"data": {"enterprises": [{"name": "合肥智造有限公司"}]}}
        finally:
            await follower.stop()
            await switch.transport.close()  # type: ignore[attr-defined]
        # A gateway started while the registry is down starts on the cached supergraph.
        restarted = SupergraphSwitch()
        await RegistryFollower(live.url, restarted, cache_path=cache).start_app()
        assert restarted.version == 1 and restarted.sdl == switch.sdl
        await restarted.transport.close()  # type: ignore[attr-defined]
