"""Pytest fixtures that start a federation case's subgraphs and a gateway in front of them.

A *case* is a directory ``tests/fixtures/supergraphs/<case>/`` holding the
Apollo-composed ``supergraph.graphql`` (and the subgraph SDLs it came from);
its Python resolvers live in ``tests/support/cases/<case>.py``, a module with
``subgraphs() -> list[SubgraphSpec]``. :func:`run_case` starts those subgraphs
on free ports and rewrites each ``@join__graph(url:)`` to the real port.

Fixtures (import them into a ``conftest.py``):

* ``federation``: a :class:`FederationHarness`; ``await federation.start(case)``
  gives a :class:`RunningCase` (supergraph SDL + subgraph servers with counters),
  ``await federation.gateway(case, **create_app_options)`` gives a
  :class:`GatewayUnderTest`, an in-process gateway (``gateway.http.create_app``)
  reached through httpx's ``ASGITransport``, with the case's subgraphs running.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import re
import tempfile
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import (
    DirectiveDefinitionNode,
    DirectiveNode,
    EnumValueNode,
    ScalarTypeDefinitionNode,
    parse,
    print_ast,
)
from graphql.language import REMOVE, Visitor, visit

from tests.support.subgraph_kit import SubgraphGroup, SubgraphSpec, serve_subgraphs

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SUPERGRAPHS = FIXTURES / "supergraphs"
BENCH_ANSWERS = FIXTURES / "bench"

_JOIN_GRAPH = re.compile(r'@join__graph\(name:\s*"(?P<name>[^"]+)",\s*url:\s*"(?P<url>[^"]*)"\)')


def supergraph_sdl(case: str) -> str:
    """The checked-in supergraph of ``case``, with its placeholder URLs."""
    return (SUPERGRAPHS / case / "supergraph.graphql").read_text(encoding="utf-8")


def case_subgraphs(case: str) -> list[SubgraphSpec]:
    """The case's subgraph specs from ``tests/support/cases/<case>.py``."""
    module = importlib.import_module(f"tests.support.cases.{case}")
    specs: list[SubgraphSpec] = module.subgraphs()
    return specs


def rewrite_subgraph_urls(sdl: str, urls: Mapping[str, str]) -> str:
    """Point every ``@join__graph(name:, url:)`` whose name is in ``urls`` at that URL."""

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        url = urls.get(name, match.group("url"))
        return f'@join__graph(name: "{name}", url: {json.dumps(url)})'

    return _JOIN_GRAPH.sub(replace, sdl)


def bench_answer(query: str) -> Any:
    """The bench reference answer for ``queries/<query>.graphql`` (``tests/fixtures/bench/<query>.json``)."""
    return json.loads((BENCH_ANSWERS / f"{query}.json").read_text(encoding="utf-8"))


def bench_query(query: str) -> str:
    return (BENCH_ANSWERS / "queries" / f"{query}.graphql").read_text(encoding="utf-8")


@dataclass(frozen=True, slots=True)
class RunningCase:
    """A case whose subgraphs are up: the supergraph pointing at them, and the servers."""

    name: str
    supergraph_sdl: str
    subgraphs: SubgraphGroup


@asynccontextmanager
async def run_case(case: str, specs: list[SubgraphSpec] | None = None) -> AsyncIterator[RunningCase]:
    """Start the subgraphs of ``case`` (or ``specs``) on free ports and yield the rewritten supergraph."""
    async with serve_subgraphs(specs if specs is not None else case_subgraphs(case)) as group:
        sdl = rewrite_subgraph_urls(supergraph_sdl(case), group.urls)
        yield RunningCase(case, sdl, group)


@dataclass
class GatewayUnderTest:
    """An in-process gateway in front of a running case."""

    case: RunningCase
    app: Any
    client: httpx.AsyncClient

    @property
    def subgraphs(self) -> SubgraphGroup:
        return self.case.subgraphs

    @property
    def is_apollo(self) -> bool:
        """Whether this is Apollo Gateway (reference runs), not ours."""
        return self.app is None

    async def post(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        operation_name: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """POST a GraphQL request as JSON to ``/graphql``."""
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = dict(variables)
        if operation_name is not None:
            body["operationName"] = operation_name
        path = "/" if self.is_apollo else "/graphql"
        return await self.client.post(path, json=body, headers={"apollo-require-preflight": "1", **(headers or {})})

    async def execute(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        operation_name: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """POST and return the JSON body (any status)."""
        response = await self.post(query, variables, operation_name, headers)
        return response.json()


class FederationHarness:
    """Starts cases and gateways for one test; everything stops when the test ends."""

    def __init__(self, stack: AsyncExitStack) -> None:
        self._stack = stack

    async def start(self, case: str, specs: list[SubgraphSpec] | None = None) -> RunningCase:
        return await self._stack.enter_async_context(run_case(case, specs))

    async def gateway(self, case: str | RunningCase, *, dev_mode: bool = True, **options: Any) -> GatewayUnderTest:
        """A gateway on ``case``'s supergraph (started here unless already running).

        With ``PARKGRAPH_TEST_GATEWAY=apollo`` this is Apollo Gateway in a Node process instead
        (``options`` are ignored), to check expected answers against the reference implementation.
        """
        running = case if isinstance(case, RunningCase) else await self.start(case)
        if os.environ.get("PARKGRAPH_TEST_GATEWAY") == "apollo":
            url = await self._stack.enter_async_context(apollo_gateway(running.supergraph_sdl))
            client = await self._stack.enter_async_context(httpx.AsyncClient(base_url=url, timeout=30))
            return GatewayUnderTest(running, None, client)
        # Imported late and untyped: the gateway's HTTP layer is written in parallel with these tests.
        http_layer: Any = importlib.import_module("gateway.http")
        app = http_layer.create_app(running.supergraph_sdl, dev_mode=dev_mode, **options)
        state: dict[str, Any] = {}
        await self._stack.enter_async_context(asgi_lifespan(app, state))
        transport = httpx.ASGITransport(app=_with_state(app, state))
        client = await self._stack.enter_async_context(
            httpx.AsyncClient(transport=transport, base_url="http://gateway.test", timeout=30)
        )
        return GatewayUnderTest(running, app, client)


@pytest.fixture
async def federation() -> AsyncIterator[FederationHarness]:
    async with AsyncExitStack() as stack:
        yield FederationHarness(stack)


@asynccontextmanager
async def apollo_gateway(
    supergraph: str, subgraph_headers: Mapping[str, Mapping[str, str]] | None = None
) -> AsyncIterator[str]:
    """Run Apollo Gateway (``apollo_gateway.mjs``) on ``supergraph``; yield its URL.

    ``subgraph_headers`` (subgraph name → headers) are set on every call Apollo Gateway makes to that
    subgraph: our subgraphs answer only calls that carry a signed ``x-parkgraph-identity``. Apollo Gateway
    refuses a supergraph that links a feature ``for: SECURITY`` (only Apollo Router enforces
    ``@authenticated``/``@requiresScopes``/``@policy``), so it gets the supergraph without them
    (:func:`without_security_features`): it answers as for a caller who may see everything.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".graphql", delete=False) as file:
        file.write(without_security_features(supergraph))
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as headers_file:
        json.dump({name: dict(headers) for name, headers in (subgraph_headers or {}).items()}, headers_file)
    process = await asyncio.create_subprocess_exec(
        "node",
        str(Path(__file__).with_name("apollo_gateway.mjs")),
        file.name,
        headers_file.name,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
        if not line:
            raise RuntimeError("Apollo Gateway did not start (are the npm packages installed? see tests/fixtures)")
        yield str(json.loads(line)["url"]).rstrip("/")
    finally:
        if process.returncode is None:
            process.terminate()
            await process.wait()
        os.unlink(file.name)
        os.unlink(headers_file.name)


SECURITY_DIRECTIVES = frozenset({"authenticated", "requiresScopes", "policy"})


def without_security_features(supergraph: str) -> str:
    """The supergraph without its ``for: SECURITY`` links, their directives and scalars; unchanged if it has none."""
    document = parse(supergraph)
    if not any(
        isinstance(node, DirectiveDefinitionNode) and node.name.value in SECURITY_DIRECTIVES
        for node in document.definitions
    ):
        return supergraph

    class Remover(Visitor):
        def enter_directive(self, node: DirectiveNode, *_args: Any) -> Any:
            if node.name.value in SECURITY_DIRECTIVES:
                return REMOVE
            purpose = next((a.value for a in node.arguments or () if a.name.value == "for"), None)
            if node.name.value == "link" and isinstance(purpose, EnumValueNode) and purpose.value == "SECURITY":
                return REMOVE
            return None

        def enter_directive_definition(self, node: DirectiveDefinitionNode, *_args: Any) -> Any:
            return REMOVE if node.name.value in SECURITY_DIRECTIVES else None

        def enter_scalar_type_definition(self, node: ScalarTypeDefinitionNode, *_args: Any) -> Any:
            return REMOVE if node.name.value.split("__")[0] in SECURITY_DIRECTIVES else None

    return print_ast(visit(document, Remover()))


def _with_state(app: Any, state: dict[str, Any]) -> Any:
    """Give each request the lifespan state, as uvicorn does (ASGITransport does not)."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            scope = {**scope, "state": dict(state)}
        await app(scope, receive, send)

    return wrapped


@asynccontextmanager
async def asgi_lifespan(app: Any, state: dict[str, Any]) -> AsyncIterator[None]:
    """Run an ASGI app's lifespan startup and shutdown (httpx's ASGITransport skips them)."""
    to_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    from_app: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def receive() -> dict[str, Any]:
        return await to_app.get()

    async def send(message: dict[str, Any]) -> None:
        await from_app.put(message)

    scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": state}
    task = asyncio.create_task(app(scope, receive, send))
    await to_app.put({"type": "lifespan.startup"})
    message = await _next_message(from_app, task)
    if message is None:  # the app does not speak lifespan
        yield
        return
    if message["type"] == "lifespan.startup.failed":
        raise RuntimeError(f"gateway startup failed: {message.get('message', '')}")
    try:
        yield
    finally:
        await to_app.put({"type": "lifespan.shutdown"})
        await _next_message(from_app, task)
        await asyncio.wait_for(task, timeout=10)


async def _next_message(queue: asyncio.Queue[dict[str, Any]], task: asyncio.Task[Any]) -> dict[str, Any] | None:
    getter = asyncio.ensure_future(queue.get())
    done, _ = await asyncio.wait({getter, task}, return_when=asyncio.FIRST_COMPLETED, timeout=30)
    if getter in done:
        return getter.result()
    getter.cancel()
    if task in done:
        task.exception()  # retrieved: an app without lifespan support raises on the lifespan scope
        return None
    raise TimeoutError("the ASGI app did not answer the lifespan message")
