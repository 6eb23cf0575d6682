"""The registry's HTTP API: bearer tokens verified for real, ownership, refusals with reasons, reads."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.gateway.registry.graphs import (
    HEFEI_NOT_COMPOSING,
    HEFEI_SDL,
    HEFEI_URL,
    REGISTRY_SDL,
    REGISTRY_URL,
)
from tests.gateway.registry.live import LiveRegistry, live_registry


async def _publish(
    http: httpx.AsyncClient, live: LiveRegistry, name: str, sdl: str, url: str, *who: str
) -> httpx.Response:
    return await http.put(
        f"{live.url}/subgraphs/{name}", json={"url": url, "sdl": sdl}, headers=live.mint.headers(*who)
    )


async def test_writes_need_a_valid_token_with_the_write_scope(tmp_path: Path) -> None:
    async with live_registry(tmp_path, redis=False) as live, httpx.AsyncClient() as http:
        body = {"url": REGISTRY_URL, "sdl": REGISTRY_SDL}
        anonymous = await http.put(f"{live.url}/subgraphs/registry", json=body)
        assert anonymous.status_code == 401 and anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        forged = await http.put(f"{live.url}/subgraphs/registry", json=body, headers={"authorization": "Bearer a.b.c"})
        assert forged.status_code == 401
        read_only = await _publish(http, live, "registry", REGISTRY_SDL, REGISTRY_URL, "dash", "province", "graph:read")
        assert read_only.status_code == 403 and "registry:write" in read_only.json()["errors"][0]["message"]
        assert (await http.get(f"{live.url}/supergraph")).status_code == 404  # nothing was written


async def test_a_city_client_cannot_publish_over_the_provinces_or_another_citys_subgraph(tmp_path: Path) -> None:
    async with live_registry(tmp_path, redis=False) as live, httpx.AsyncClient() as http:
        assert (
            await _publish(http, live, "registry", REGISTRY_SDL, REGISTRY_URL, "ops", "province")
        ).status_code == 200
        hefei = await _publish(http, live, "city_340100_investment", HEFEI_SDL, HEFEI_URL, "hefei", "city:340100")
        assert hefei.status_code == 200 and hefei.json()["version"] == 2
        over_province = await _publish(http, live, "registry", REGISTRY_SDL, HEFEI_URL, "hefei", "city:340100")
        assert over_province.status_code == 403
        assert over_province.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert "belongs to province" in over_province.json()["errors"][0]["message"]
        over_hefei = await _publish(http, live, "city_340100_investment", HEFEI_SDL, HEFEI_URL, "nj", "city:320100")
        assert over_hefei.status_code == 403 and "belongs to city:340100" in over_hefei.json()["errors"][0]["message"]
        withdraw = await http.delete(
            f"{live.url}/subgraphs/city_340100_investment", headers=live.mint.headers("nj", "city:320100")
        )
        assert withdraw.status_code == 403
        listing = (await http.get(f"{live.url}/subgraphs")).json()
        assert listing["version"] == 2
        assert {(s["name"], s["owner"], s["url"]) for s in listing["subgraphs"]} == {
            ("registry", "province", REGISTRY_URL),
            ("city_340100_investment", "city:340100", HEFEI_URL),
        }


async def test_an_invalid_composition_is_refused_with_the_reasons_and_the_graph_unchanged(tmp_path: Path) -> None:
    async with live_registry(tmp_path, redis=False) as live, httpx.AsyncClient() as http:
        await _publish(http, live, "registry", REGISTRY_SDL, REGISTRY_URL, "ops", "province")
        before = (await http.get(f"{live.url}/supergraph")).json()
        refused = await _publish(
            http, live, "city_340100_investment", HEFEI_NOT_COMPOSING, HEFEI_URL, "h", "city:340100"
        )
        assert refused.status_code == 422
        body = refused.json()
        assert body["accepted"] is False and body["version"] is None and body["report"]["ok"] is False
        mismatch = [i for i in body["report"]["issues"] if i["code"] == "FIELD_TYPE_MISMATCH"]
        assert mismatch and "uscc" in mismatch[0]["message"] and mismatch[0]["check"] == "composition"
        assert (await http.get(f"{live.url}/supergraph")).json() == before
        assert [v["version"] for v in (await http.get(f"{live.url}/history")).json()["versions"]] == [1]


async def test_check_writes_nothing_and_supergraph_reads_honour_the_etag(tmp_path: Path) -> None:
    async with live_registry(tmp_path, redis=False) as live, httpx.AsyncClient() as http:
        await _publish(http, live, "registry", REGISTRY_SDL, REGISTRY_URL, "ops", "province")
        checked = await http.post(
            f"{live.url}/subgraphs/city_340100_investment/check",
            json={"url": HEFEI_URL, "sdl": HEFEI_SDL},
            headers=live.mint.headers("hefei", "city:340100"),
        )
        assert checked.status_code == 200 and checked.json()["report"]["ok"] is True
        assert checked.json()["accepted"] is False
        current = await http.get(f"{live.url}/supergraph")
        assert current.json()["version"] == 1 and "c340100" not in current.json()["sdl"]
        assert current.headers["etag"] == '"v1"'
        assert (await http.get(f"{live.url}/supergraph", headers={"if-none-match": '"v1"'})).status_code == 304
        assert (await http.get(f"{live.url}/subgraphs/registry")).json()["sdl"] == REGISTRY_SDL
        assert (await http.get(f"{live.url}/versions/1")).json()["supergraph"] == current.json()["sdl"]
        assert (await http.get(f"{live.url}/versions/7")).status_code == 404
