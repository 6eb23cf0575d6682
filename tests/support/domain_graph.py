"""The whole domain graph behind an in-process gateway: six mocks, six subgraphs, the stored supergraph.

Every mock with an HTTP API and every subgraph runs under uvicorn on a free
loopback port (:func:`tests.support.live_server.live_servers`); the talent
database is a SQLite file seeded by its mock, with the mock's engine-level
fault hook installed; the utilities drops go to a temporary folder. The
stored ``schema/supergraph.graphql`` is pointed at the subgraphs' ports and
served by ``gateway.http.create_app`` over httpx's ``ASGITransport``.

Legacy calls are counted on the legacy side, where no adapter can hide one:
HTTP requests as each mock receives them (the fault admin endpoint excluded)
and ``SELECT`` statements as the talent database executes them.

::

    async with domain_graph(tmp_path) as graph:
        body = await graph.execute(QUERY, {"uscc": SHOWCASE_USCC})
        await graph.set_faults("logistics", outage=True)
        graph.legacy_calls()   # {"registry": 2, "approvals": 1, ...}

Subgraphs verify the gateway's signed identity with a key made for the
graph (``graph.identity_key``): without ``auth`` the gateway signs the
province for every call (:class:`tests.support.trusted_caller.TrustedCaller`);
with ``auth`` (a :class:`auth.verify.TokenVerifier`) it runs the real auth
plugin, so bearer tokens decide tenant, scopes and masking.
Later issues (auth, limits, telemetry) pass their gateway options through
``gateway_options``. The fixture ``domain_graph_fixture`` (named ``domain``
in tests) gives one graph per test.
"""

from __future__ import annotations

import importlib
import secrets
from collections import Counter
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.identity import IDENTITY_HEADER, IdentitySigner, IdentityVerifier
from auth.verify import TokenVerifier
from mocks.approvals.app import create_app as approvals_mock
from mocks.data.province import Province, generate
from mocks.faults import ADMIN_PATH, Faults
from mocks.logistics.app import create_app as logistics_mock
from mocks.registry.app import create_app as registry_mock
from mocks.socialsecurity.app import create_app as socialsecurity_mock
from mocks.talent import faults as talent_faults
from mocks.talent.database import create_database, open_engine
from mocks.utilities.app import create_app as utilities_mock
from parkgraph import sdl as stored
from subgraphs.approvals.app import create_app as approvals_subgraph
from subgraphs.logistics.app import create_app as logistics_subgraph
from subgraphs.registry.app import create_app as registry_subgraph
from subgraphs.socialsecurity.app import create_app as socialsecurity_subgraph
from subgraphs.talent.app import create_app as talent_subgraph
from subgraphs.utilities.app import create_app as utilities_subgraph
from tests.support.federation import _with_state, asgi_lifespan, rewrite_subgraph_urls
from tests.support.live_server import live_servers
from tests.support.trusted_caller import PROVINCE_STAFF, TrustedCaller

# The domains this fixture runs, each with its mock and subgraph built below; a domain added to
# parkgraph/topology.py joins here with its own factories (until then the gateway routes to its default port).
DOMAINS: tuple[str, ...] = ("registry", "approvals", "talent", "logistics", "socialsecurity", "utilities")
PERSON_KEY = b"domain-graph-test-person-key"
CST = ZoneInfo("Asia/Shanghai")


class LegacyCallCounter:
    """ASGI middleware in front of a mock: counts the requests it receives, by ``METHOD path``."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.calls: Counter[str] = Counter()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] != ADMIN_PATH:
            self.calls[f"{scope['method']} {scope['path']}"] += 1
        await self.app(scope, receive, send)


@dataclass
class TalentDatabaseCalls:
    """Counts the ``SELECT`` statements an engine executes (the talent database's "requests")."""

    calls: Counter[str] = field(default_factory=Counter)

    def install(self, engine: AsyncEngine) -> None:
        def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if statement.lstrip().upper().startswith("SELECT"):
                self.calls["SELECT"] += 1

        event.listen(engine.sync_engine, "before_cursor_execute", count)


@dataclass
class DomainGraph:
    """The running graph: the gateway client, each legacy system's URL, faults and call counts."""

    province: Province
    today: date
    gateway: httpx.AsyncClient
    gateway_app: Any
    supergraph_sdl: str
    mock_urls: dict[str, str]
    subgraph_urls: dict[str, str]
    talent_faults: Faults
    counters: dict[str, Counter[str]]
    _admin: httpx.AsyncClient
    identity_key: bytes = b""  # what the gateway signs identities with and every subgraph verifies

    async def post(
        self, query: str, variables: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None
    ) -> httpx.Response:
        """POST a GraphQL request to the gateway's ``/graphql``."""
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = dict(variables)
        return await self.gateway.post("/graphql", json=body, headers=dict(headers or {}))

    async def execute(
        self, query: str, variables: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None
    ) -> Any:
        """POST and return the JSON body, whatever the status."""
        return (await self.post(query, variables, headers)).json()

    async def set_faults(self, domain: str, **changes: Any) -> dict[str, Any]:
        """Change a legacy system's faults: the admin endpoint of its mock, the engine hook for talent."""
        if domain == "talent":
            self.talent_faults.update(changes)
            return dict(vars(self.talent_faults))
        response = await self._admin.put(f"{self.mock_urls[domain]}{ADMIN_PATH}", json=changes)
        response.raise_for_status()
        answer: dict[str, Any] = response.json()
        return answer

    async def reset_faults(self) -> None:
        for domain in DOMAINS:
            await self.set_faults(domain, reset=True)

    def legacy_calls(self) -> dict[str, int]:
        """Requests each legacy system received since the last :meth:`reset_calls`."""
        return {domain: sum(counter.values()) for domain, counter in self.counters.items()}

    def legacy_calls_by_endpoint(self) -> dict[str, dict[str, int]]:
        return {domain: dict(counter) for domain, counter in self.counters.items()}

    def reset_calls(self) -> None:
        for counter in self.counters.values():
            counter.clear()


@asynccontextmanager
async def domain_graph(
    data_dir: Path,
    *,
    seed: int = 2026,
    scale: float = 0.1,
    drop_days: int = 7,
    today: date | None = None,
    gateway_options: Mapping[str, Any] | None = None,
    auth: TokenVerifier | None = None,
) -> AsyncIterator[DomainGraph]:
    """Start the whole graph with its state under ``data_dir``; everything stops when the block ends.

    ``scale`` 0.1 is a province of 200 enterprises (the showcase enterprise always among them);
    ``drop_days`` daily utilities drops up to the day before ``today`` (default: today in China) are
    written at start-up; the utilities subgraph takes the same ``today`` for its default periods.
    """
    province = generate(seed, scale)
    day = today or datetime.now(CST).date()
    drops = data_dir / "utilities-drops"
    key = secrets.token_urlsafe(32).encode()
    talent_url = f"sqlite:///{data_dir / 'talent.db'}"
    await create_database(talent_url, province)
    async with AsyncExitStack() as stack:
        mocks: dict[str, LegacyCallCounter] = {
            "registry": LegacyCallCounter(registry_mock(province)),
            "approvals": LegacyCallCounter(approvals_mock(province)),
            # No rate limit or random 503s: the tests break the platform on purpose, when they mean to.
            "logistics": LegacyCallCounter(logistics_mock(province, rate_per_second=10_000, burst=10_000)),
            "socialsecurity": LegacyCallCounter(socialsecurity_mock(province)),
            "utilities": LegacyCallCounter(utilities_mock(province, drop_dir=drops, days=drop_days, today=day)),
        }
        mock_urls = await stack.enter_async_context(live_servers(mocks))
        engine = open_engine(talent_url)
        stack.push_async_callback(engine.dispose)
        faults = talent_faults.install(engine)
        talent_calls = TalentDatabaseCalls()
        talent_calls.install(engine)
        subgraph_apps: dict[str, Any] = {
            "registry": registry_subgraph(legacy_url=mock_urls["registry"], identity=_verifier(key, "registry")),
            "approvals": approvals_subgraph(mock_urls["approvals"], identity=_verifier(key, "approvals")),
            "talent": talent_subgraph(engine, schema=None, identity=_verifier(key, "talent")),
            "logistics": logistics_subgraph(legacy_url=mock_urls["logistics"], identity=_verifier(key, "logistics")),
            "socialsecurity": socialsecurity_subgraph(
                legacy_url=mock_urls["socialsecurity"], person_key=PERSON_KEY, identity=_verifier(key, "socialsecurity")
            ),
            "utilities": utilities_subgraph(
                legacy_url=mock_urls["utilities"],
                drop_dir=drops,
                today=lambda: day,
                identity=_verifier(key, "utilities"),
            ),
        }
        for app in subgraph_apps.values():
            # live_servers skips lifespans; the subgraphs open and close their clients in theirs.
            await stack.enter_async_context(asgi_lifespan(app, {}))
        served = await stack.enter_async_context(live_servers(subgraph_apps))
        subgraph_urls = {name: f"{url}/graphql" for name, url in served.items()}
        sdl = rewrite_subgraph_urls(stored.SUPERGRAPH.read_text(encoding="utf-8"), subgraph_urls)
        # Imported late and untyped: the gateway's HTTP layer is written in parallel with these tests.
        http_layer: Any = importlib.import_module("gateway.http")
        options = dict(gateway_options or {})
        options["plugins"] = [_identity_plugin(sdl, key, auth), *options.get("plugins", ())]
        gateway_app = http_layer.create_app(sdl, **options)
        state: dict[str, Any] = {}
        await stack.enter_async_context(asgi_lifespan(gateway_app, state))
        gateway = await stack.enter_async_context(
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=_with_state(gateway_app, state)),
                base_url="http://gateway.test",
                timeout=30,
            )
        )
        admin = await stack.enter_async_context(httpx.AsyncClient(timeout=10))
        counters = {name: mock.calls for name, mock in mocks.items()}
        counters["talent"] = talent_calls.calls
        graph = DomainGraph(
            province=province,
            today=day,
            gateway=gateway,
            gateway_app=gateway_app,
            supergraph_sdl=sdl,
            mock_urls=mock_urls,
            subgraph_urls=subgraph_urls,
            talent_faults=faults,
            counters={name: counters[name] for name in DOMAINS},
            _admin=admin,
            identity_key=key,
        )
        await _warm_up(graph)
        yield graph


def _verifier(key: bytes, subgraph: str) -> IdentityVerifier:
    return IdentityVerifier(key, audience=subgraph)


def _identity_plugin(sdl: str, key: bytes, auth: TokenVerifier | None) -> Any:
    """The real auth plugin over ``auth``, or (no auth server) the province signed on every call."""
    if auth is None:
        return TrustedCaller(IdentitySigner(key))
    from gateway.plugins.auth import AuthPlugin
    from gateway.supergraph import load_supergraph

    return AuthPlugin.for_supergraph(load_supergraph(sdl), auth, IdentitySigner(key))


async def _warm_up(graph: DomainGraph) -> None:
    """Wait until the utilities subgraph has loaded its drops, then forget the calls that took.

    Asks the utilities subgraph alone (its drop report), so that no other legacy system has answered
    anything yet: a test that breaks one finds nothing it could have kept from an earlier answer.
    Straight to the subgraph, signed for the province: the gateway may be serving anonymous callers.
    """
    signed = IdentitySigner(graph.identity_key).sign(PROVINCE_STAFF, "utilities")
    response = await graph._admin.post(
        graph.subgraph_urls["utilities"],
        json={"query": "{ meterDropFiles(first: 1) { edges { node { name status } } } }"},
        headers={IDENTITY_HEADER: signed},
    )
    body = response.json()
    if body.get("errors") or not body["data"]["meterDropFiles"]["edges"]:
        raise RuntimeError(f"the utilities subgraph did not load its drops: {body}")
    graph.reset_calls()


# A fixed day, so that the utilities drops (and their occasional broken rows) are the same on every run.
TODAY = date(2026, 3, 2)


@pytest.fixture
async def domain(tmp_path: Path) -> AsyncIterator[DomainGraph]:
    """One whole domain graph for the test, on a province of 200 enterprises, on :data:`TODAY`."""
    async with domain_graph(tmp_path, today=TODAY) as graph:
        yield graph
