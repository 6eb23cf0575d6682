"""Operation usage recorded by the gateway plugin, and a change that would break a recorded operation refused."""

from __future__ import annotations

from pathlib import Path

import httpx

from gateway.registry.follow import RegistryFollower
from gateway.registry.hotswap import SupergraphSwitch
from gateway.registry.usage import OperationUsagePlugin
from tests.gateway.registry.graphs import REGISTRY_SDL, REGISTRY_WITHOUT_STATUS
from tests.gateway.registry.live import live_registry
from tests.gateway.registry.servers import subgraph_specs
from tests.support.live_server import live_server
from tests.support.subgraph_kit import serve_subgraphs

STATUS_QUERY = "query EnterpriseStatus { enterprises { name status } }"


async def test_removing_a_field_a_recorded_operation_uses_is_refused_and_the_graph_unchanged(tmp_path: Path) -> None:
    async with (
        serve_subgraphs(subgraph_specs()) as servers,
        live_registry(tmp_path, redis=False) as live,
        httpx.AsyncClient(timeout=10) as http,
    ):
        province = live.mint.headers("province-ops", "province")
        url = servers["registry"].url
        published = await http.put(
            f"{live.url}/subgraphs/registry", json={"url": url, "sdl": REGISTRY_SDL}, headers=province
        )
        assert published.status_code == 200
        plugin = OperationUsagePlugin(live.store, flush_interval=60)
        switch = SupergraphSwitch(plugins_for=lambda _sdl: [plugin])
        app = await RegistryFollower(live.url, switch).start_app()
        try:
            async with live_server(app) as gateway:
                for query in (STATUS_QUERY, STATUS_QUERY, "{ enterprises { nope } }"):
                    await http.post(f"{gateway}/graphql", json={"query": query, "operationName": None})
                assert await plugin.flush() == 1  # the invalid query never ran and is not recorded
        finally:
            await plugin.close()
            await switch.transport.close()  # type: ignore[attr-defined]
        [recorded] = await live.store.operations_since(0)
        assert (recorded.document, recorded.operation_name, recorded.count) == (STATUS_QUERY, "EnterpriseStatus", 2)

        before = (await http.get(f"{live.url}/supergraph")).json()
        refused = await http.put(
            f"{live.url}/subgraphs/registry", json={"url": url, "sdl": REGISTRY_WITHOUT_STATUS}, headers=province
        )
        assert refused.status_code == 422
        issues = refused.json()["report"]["issues"]
        broken = [i for i in issues if i["code"] == "OPERATION_BROKEN"]
        assert len(broken) == 1 and broken[0]["severity"] == "error"
        assert '"EnterpriseStatus"' in broken[0]["message"]
        assert "Cannot query field 'status' on type 'Enterprise'" in broken[0]["message"]
        assert any(i["code"] == "FIELD_REMOVED" and "Enterprise.status" in i["message"] for i in issues)
        assert (await http.get(f"{live.url}/supergraph")).json() == before
