"""Root fields of the registry subgraph: the single window, lists, places; legacy calls counted."""

from __future__ import annotations

from mocks.data.province import SHOWCASE_USCC
from tests.subgraphs.registry.conftest import Subgraph

SINGLE_WINDOW = """query($uscc: USCC!) { enterprise(uscc: $uscc) {
  uscc name legalRepresentative contactPhone registeredCapital establishedOn annualOutput registrationStatus
  industry { code name }
  park { code name level approvedOn city { code name } }
  city { code name province { code name } } } }"""


async def test_single_window_enterprise(subgraph: Subgraph) -> None:
    response = await subgraph.execute(SINGLE_WINDOW, {"uscc": SHOWCASE_USCC})
    assert "errors" not in response
    enterprise = response["data"]["enterprise"]
    assert enterprise["name"] == "合肥智园科技有限公司"
    assert enterprise["registeredCapital"] == "50000000.00" and enterprise["annualOutput"] == "860000000.00"
    assert enterprise["establishedOn"] == "2016-03-18"
    assert enterprise["industry"] == {"code": "I", "name": "信息传输、软件和信息技术服务业"}
    assert enterprise["park"]["code"] == "340100-HTZ" and enterprise["park"]["level"] == "NATIONAL"
    assert enterprise["park"]["city"] == {"code": "340100", "name": "合肥市"}
    assert enterprise["city"]["province"] == {"code": "340000", "name": "安徽省"}
    # personal data is masked by default
    assert enterprise["legalRepresentative"] == "王*"
    assert enterprise["contactPhone"] == "139****0001"
    # enterprise batch, park batch, city list (shared by park.city and city), province
    assert sorted(subgraph.transport.paths()) == ["/kfq/plcx", "/qy/plcx", "/xzqh/ds", "/xzqh/sheng"]


async def test_unknown_enterprise_is_null_without_error(subgraph: Subgraph) -> None:
    response = await subgraph.execute('{ enterprise(uscc: "91110000802100433B") { name } }')
    assert response == {"data": {"enterprise": None}}


async def test_invalid_uscc_is_bad_user_input_before_any_legacy_call(subgraph: Subgraph) -> None:
    literal = await subgraph.execute('{ enterprise(uscc: "91350100M000100Y4X") { name } }')
    variable = await subgraph.execute(SINGLE_WINDOW, {"uscc": "91350100M000100Y4"})
    assert literal["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "bad check character: expected '3', got 'X'" in literal["errors"][0]["message"]
    assert variable["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "bad length: 17 characters, expected 18" in variable["errors"][0]["message"]
    assert subgraph.transport.requests == []


async def test_enterprise_list_pages_and_resolves_parks_in_one_batch(subgraph: Subgraph) -> None:
    query = """query($after: String) { enterprises(first: 100, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { uscc park { code } } } } }"""
    response = await subgraph.execute(query)
    connection = response["data"]["enterprises"]
    assert len(connection["edges"]) == 100 and connection["totalCount"] == len(subgraph.province.enterprises)
    assert all(edge["node"]["park"]["code"] for edge in connection["edges"])
    # 100 enterprises: one list page and one park batch (about 40 distinct parks ≤ 50), not 101 calls
    assert subgraph.transport.paths() == ["/qy", "/kfq/plcx"]
    following = await subgraph.execute(query, {"after": connection["pageInfo"]["endCursor"]})
    first_of_next = following["data"]["enterprises"]["edges"][0]["node"]["uscc"]
    assert first_of_next == subgraph.province.enterprises[100].uscc


async def test_enterprise_filter(subgraph: Subgraph) -> None:
    response = await subgraph.execute(
        '{ enterprises(filter: {cityCode: "340200", industryCode: "C"}, first: 5) { totalCount edges { node {'
        " city { code } industry { code } } } } }"
    )
    edges = response["data"]["enterprises"]["edges"]
    assert edges and all(e["node"] == {"city": {"code": "340200"}, "industry": {"code": "C"}} for e in edges)


async def test_first_over_100_is_bad_user_input(subgraph: Subgraph) -> None:
    response = await subgraph.execute("{ enterprises(first: 500) { totalCount } }")
    assert response["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "domain": "registry"}
    assert subgraph.transport.requests == []


async def test_places(subgraph: Subgraph) -> None:
    response = await subgraph.execute(
        """{ province { name cities { code } }
             city(code: "340100") { name parks { code } }
             park(code: "340100-HTZ") {
               name enterpriseCount enterprises(first: 3) { totalCount edges { node { uscc } } } }
             parks(cityCode: "340200") { totalCount edges { node { code } } }
             cities { code } }"""
    )
    assert "errors" not in response
    data = response["data"]
    assert data["province"]["name"] == "安徽省" and len(data["province"]["cities"]) == 16
    assert {p["code"] for p in data["city"]["parks"]} == {"340100-ETDZ", "340100-HTZ", "340100-PROV"}
    in_park = subgraph.province.enterprises_in_park("340100-HTZ")
    assert data["park"]["enterpriseCount"] == len(in_park) == data["park"]["enterprises"]["totalCount"]
    assert data["parks"]["totalCount"] == 3
    assert len(data["cities"]) == 16
    # the city list is asked once for province.cities, city(code:) and cities
    assert subgraph.transport.paths().count("/xzqh/ds") == 1


async def test_unknown_city_in_parks_is_not_found(subgraph: Subgraph) -> None:
    response = await subgraph.execute('{ parks(cityCode: "999900") { totalCount } }')
    error = response["errors"][0]
    assert error["extensions"]["code"] == "NOT_FOUND" and error["extensions"]["domain"] == "registry"


async def test_legacy_outage_names_the_domain(subgraph: Subgraph) -> None:
    subgraph.faults.update({"outage": True})
    response = await subgraph.execute(SINGLE_WINDOW, {"uscc": SHOWCASE_USCC})
    assert response["data"] == {"enterprise": None}
    error = response["errors"][0]
    assert error["extensions"]["code"] == "LEGACY_SYSTEM_UNAVAILABLE"
    assert error["extensions"]["domain"] == "registry"
    assert "legacy system 'registry' is unavailable" in error["message"]
    assert error["path"] == ["enterprise"]
