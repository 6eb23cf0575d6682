"""``socialSecurity`` asks the agency for the unit and the contributions its summaries need at the same time."""

from __future__ import annotations

from typing import Any

import httpx

from adapters.socialsecurity.client import SocialSecurityClient
from mocks.data.province import SHOWCASE_USCC, generate
from mocks.faults import Faults
from mocks.socialsecurity.app import create_app as create_service
from subgraphs.socialsecurity.app import create_app
from tests.support.live_server import live_server

PROVINCE = generate(2026, 0.1)
SUMMARY = """query($r: [_Any!]!, $period: String!) { _entities(representations: $r) { ... on Enterprise {
  socialSecurity { insuredHeadcount ...Summary } } } }
fragment Summary on SocialSecurityAccount { contributionSummary(period: $period) { monthsContributed total } }"""


class InFlight:
    """ASGI middleware: the most requests the agency was answering at once, and how many it got."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.now = 0
        self.most = 0
        self.total = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.now += 1
        self.total += 1
        self.most = max(self.most, self.now)
        try:
            await self.app(scope, receive, send)
        finally:
            self.now -= 1


async def _summary(period: str) -> tuple[InFlight, dict[str, Any]]:
    # With latency on every answer, two requests are in flight together only if they were sent together.
    service = InFlight(create_service(PROVINCE, faults=Faults(latency_ms=150)))
    async with live_server(service) as url, SocialSecurityClient(url) as client:
        app = create_app(legacy_url=url, person_key=b"test-person-key-0123456789", client=client)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://si") as http:
            representations = [{"__typename": "Enterprise", "uscc": SHOWCASE_USCC}]
            response = await http.post(
                "/graphql", json={"query": SUMMARY, "variables": {"r": representations, "period": period}}
            )
    body: dict[str, Any] = response.json()
    return service, body


async def test_the_unit_and_its_contributions_are_asked_for_together() -> None:
    service, body = await _summary("2025")

    assert "errors" not in body, body
    assert body["data"]["_entities"][0]["socialSecurity"]["contributionSummary"]["monthsContributed"] == 12
    assert service.total == 2  # the summary found the rows loaded ahead: no second contributions call
    assert service.most == 2


async def test_a_bad_period_is_reported_by_the_summary_not_by_the_look_ahead() -> None:
    service, body = await _summary("2025-13")

    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["path"][-1] == "contributionSummary"
    assert service.total == 1  # the unit only: the look-ahead skipped the period it could not read
