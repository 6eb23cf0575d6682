"""Hefei's own subgraph, over its mock investment-promotion system, registered at run time by Hefei's client."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

from gateway.registry.follow import RegistryFollower
from gateway.registry.hotswap import SupergraphSwitch
from gateway.supergraph.compose.sources import fetch_sdl
from mocks.hefei_investment import create_app as create_mock
from subgraphs.city_hefei import SUBGRAPH_NAME, create_app
from tests.gateway.registry.live import live_registry
from tests.support.live_server import live_server, live_servers
from tests.support.redis import redis_url
from tests.support.subgraph_kit import SubgraphSpec, serve_subgraphs
from tests.support.waiting import eventually

PROVINCE_SDL = """
extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
scalar USCC
scalar Money
scalar Date
type Enterprise @key(fields: "uscc") { uscc: USCC! name: String! registeredCapital: Money establishedOn: Date }
type Query { enterprises: [Enterprise!]! }
"""
ENTERPRISES: list[dict[str, Any]] = [
    {
        "uscc": "91340100MA2N0XYZ1A",
        "name": "合肥智造有限公司",
        "registeredCapital": "5000.00",
        "establishedOn": "2019-01-01",
    },
    {
        "uscc": "91340100MA2N7QWE3B",
        "name": "合肥光能科技",
        "registeredCapital": "800.00",
        "establishedOn": "2021-06-30",
    },
]
QUERY = """{
  enterprises { name c340100_projects { code name investment stage signedOn } }
  c340100_projects(stage: SIGNED) { code enterprise { name } }
}"""


async def test_hefei_registers_its_subgraph_and_the_gateway_serves_it(tmp_path: Path) -> None:
    mock = create_mock()
    province = SubgraphSpec(
        "registry",
        PROVINCE_SDL,
        resolvers={"Query": {"enterprises": lambda _s, _i: ENTERPRISES}},
        references={"Enterprise": lambda rep: next(e for e in ENTERPRISES if e["uscc"] == rep["uscc"])},
    )
    async with (
        live_servers({"mock": mock}) as legacy,
        serve_subgraphs([province]) as servers,
        live_registry(tmp_path) as live,
        httpx.AsyncClient(timeout=10) as http,
        live_server(create_app(legacy_url=legacy["mock"])) as hefei,
    ):
        body = {"url": servers["registry"].url, "sdl": PROVINCE_SDL}
        headers = live.mint.headers("province-ops", "province")
        assert (await http.put(f"{live.url}/subgraphs/registry", json=body, headers=headers)).status_code == 200

        switch = SupergraphSwitch()
        follower = RegistryFollower(live.url, switch, redis_url=redis_url(), channel=live.channel, poll_interval=60)
        app = await follower.start_app()
        await follower.start()
        try:
            await asyncio.wait_for(follower.subscribed.wait(), 5)
            async with live_server(app) as gateway:
                # Hefei's data centre publishes what its running subgraph serves, with its own client.
                sdl = await asyncio.to_thread(fetch_sdl, SUBGRAPH_NAME, f"{hefei}/graphql")
                published = await http.put(
                    f"{live.url}/subgraphs/{SUBGRAPH_NAME}",
                    json={"url": f"{hefei}/graphql", "sdl": sdl},
                    headers=live.mint.headers("demo-city", "city:340100"),
                )
                assert published.status_code == 200, published.text
                await eventually(lambda: switch.version == 2, within=3)
                mock.state.calls = 0
                answer = await http.post(f"{gateway}/graphql", json={"query": QUERY})
        finally:
            await follower.stop()
            await switch.transport.close()  # type: ignore[attr-defined]
    result = answer.json()
    assert "errors" not in result, result
    assert result["data"]["enterprises"] == [
        {
            "name": "合肥智造有限公司",
            "c340100_projects": [
                {
                    "code": "HF2024-0012",
                    "name": "新能源汽车零部件生产基地",
                    "investment": "1250000000.00",
                    "stage": "UNDER_CONSTRUCTION",
                    "signedOn": "2024-03-15",
                },
                {
                    "code": "HF2024-0047",
                    "name": "智能语音研发中心",
                    "investment": "320000000.00",
                    "stage": "SIGNED",
                    "signedOn": "2024-09-02",
                },
            ],
        },
        {
            "name": "合肥光能科技",
            "c340100_projects": [
                {
                    "code": "HF2025-0003",
                    "name": "光伏组件扩产项目",
                    "investment": "800000000.00",
                    "stage": "NEGOTIATING",
                    "signedOn": None,
                }
            ],
        },
    ]
    assert result["data"]["c340100_projects"] == [{"code": "HF2024-0047", "enterprise": {"name": "合肥智造有限公司"}}]
    assert mock.state.calls == 2  # one batched call for both enterprises' projects, one for the stage list
