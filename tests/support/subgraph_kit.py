"""A small Apollo Federation v2 subgraph server for tests, on graphql-core and aiohttp.

A :class:`SubgraphSpec` is a subgraph SDL (Fed 2 with its ``@link``, or Fed 1)
plus Python resolvers. :class:`SubgraphServer` serves it as GraphQL over HTTP
(``POST /graphql``, JSON) on a free loopback port inside the test's event
loop, answering ``_entities`` and ``_service`` per federation-notes §1:

* representations are answered in order, one result each, duplicates included;
* a reference resolver returning ``None`` gives ``null`` at that index;
* a reference resolver raising at index *i* gives ``null`` there plus an error
  at ``["_entities", i]`` (field errors below it get ``["_entities", i, …]``);
* an unknown ``__typename`` gives Apollo's "tried to load an entity" error;
* ``_service.sdl`` is the SDL exactly as written (or, with
  ``service_sdl="full"``, with the auto-added definitions appended).

Every server counts its requests and keeps their bodies, so tests can assert
fetch counts and the representations a gateway sent. :class:`Fault` switches
a server into a failure mode (down, slow, HTML, invalid JSON, wrong
``_entities`` length, HTTP 500, connection reset).

Resolvers use graphql-core's signature ``(source, info, **args)``; objects are
plain dicts and the default resolver reads ``source[field_name]``. Abstract
types are resolved from a dict's ``__typename``.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import socket
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web
from graphql import (
    ExecutionResult,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
    graphql,
)

from tests.support.federation_schema import BuiltSubgraph, build_subgraph_schema

Resolver = Callable[..., Any]
# Receives the representation (a dict with ``__typename``); returns the entity, None, or an awaitable of either.
ReferenceResolver = Callable[[dict[str, Any]], Any]

FaultKind = Literal["down", "reset", "slow", "html", "invalid_json", "wrong_entities_length", "http_500"]


@dataclass(frozen=True, slots=True)
class Fault:
    """A failure mode for a subgraph server.

    ``down`` closes the listening socket (connection refused) and drops requests
    on connections opened before (a pooled client's keep-alive); ``reset`` drops
    each connection without an answer; ``slow`` waits ``delay`` seconds and then
    answers normally; ``wrong_entities_length`` answers with ``entities_delta``
    more (or fewer) ``_entities`` items than asked for.
    """

    kind: FaultKind
    delay: float = 0.0
    entities_delta: int = -1


@dataclass
class SubgraphSpec:
    """One subgraph: its name, SDL as written and Python resolvers.

    ``resolvers`` maps type name → field name → resolver; ``references`` maps
    an entity (or entity interface) type name → reference resolver. A type
    without a reference resolver answers with the representation itself, as
    ``@apollo/subgraph`` does.
    """

    name: str
    sdl: str
    resolvers: Mapping[str, Mapping[str, Resolver]] = field(default_factory=dict)
    references: Mapping[str, ReferenceResolver] = field(default_factory=dict)
    service_sdl: Literal["as_written", "full"] = "as_written"


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One POST a subgraph received: the parsed JSON body and the request headers."""

    body: Any
    headers: Mapping[str, str]

    @property
    def query(self) -> str:
        return str(self.body.get("query", "")) if isinstance(self.body, dict) else ""

    @property
    def variables(self) -> dict[str, Any]:
        value = self.body.get("variables") if isinstance(self.body, dict) else None
        return value if isinstance(value, dict) else {}

    @property
    def representations(self) -> list[Any]:
        value = self.variables.get("representations")
        return value if isinstance(value, list) else []


class SubgraphExecutor:
    """Executes GraphQL requests against one federated subgraph schema (no HTTP)."""

    def __init__(self, spec: SubgraphSpec) -> None:
        self.spec = spec
        self.built: BuiltSubgraph = build_subgraph_schema(spec.sdl)
        self._install_resolvers()

    @property
    def service_sdl(self) -> str:
        if self.spec.service_sdl == "full":
            return self.spec.sdl.rstrip() + "\n\n" + self.built.definitions_sdl + "\n"
        return self.spec.sdl

    async def execute(
        self, query: str, variables: Mapping[str, Any] | None = None, operation_name: str | None = None
    ) -> ExecutionResult:
        return await graphql(
            self.built.schema,
            query,
            variable_values=dict(variables) if variables is not None else None,
            operation_name=operation_name,
        )

    def _install_resolvers(self) -> None:
        schema = self.built.schema
        for type_name, fields in self.spec.resolvers.items():
            gql_type = schema.get_type(type_name)
            if not isinstance(gql_type, GraphQLObjectType | GraphQLInterfaceType):
                raise ValueError(f"{self.spec.name}: no object type {type_name} for resolvers")
            for field_name, resolver in fields.items():
                if field_name not in gql_type.fields:
                    raise ValueError(f"{self.spec.name}: no field {type_name}.{field_name}")
                gql_type.fields[field_name].resolve = resolver
        for named in schema.type_map.values():
            if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
                named.resolve_type = _typename_of
        query = schema.query_type
        assert query is not None
        query.fields["_service"].resolve = lambda _src, _info: {"sdl": self.service_sdl}
        if "_entities" in query.fields:
            query.fields["_entities"].resolve = self._resolve_entities

    def _resolve_entities(self, _source: Any, info: Any, representations: list[Any]) -> list[Any]:
        # One awaitable per representation: graphql-core completes each on its own,
        # so an exception at index i becomes null at i plus an error at ["_entities", i].
        return [self._resolve_one(info, rep) for rep in representations]

    async def _resolve_one(self, info: Any, representation: Any) -> Any:
        if not isinstance(representation, dict) or not isinstance(representation.get("__typename"), str):
            raise GraphQLError("Representation must be an object with a __typename string")
        typename = representation["__typename"]
        gql_type = info.schema.get_type(typename)
        if not isinstance(gql_type, GraphQLObjectType | GraphQLInterfaceType):
            raise GraphQLError(
                f'The _entities resolver tried to load an entity for type "{typename}", '
                "but no object or interface type of that name was found in the schema"
            )
        resolver = self.spec.references.get(typename)
        entity = resolver(dict(representation)) if resolver is not None else dict(representation)
        if inspect.isawaitable(entity):
            entity = await entity
        if isinstance(entity, dict) and "__typename" not in entity:
            # Copy: the resolver may hand out shared data rows.
            entity = {**entity, "__typename": typename}
        return entity


def _typename_of(value: Any, _info: Any, _abstract: Any) -> str | None:
    if isinstance(value, dict):
        typename = value.get("__typename")
        return typename if isinstance(typename, str) else None
    return getattr(value, "__typename", None)


class SubgraphServer:
    """Serves one subgraph over HTTP on 127.0.0.1 and a free port; counts what it receives."""

    def __init__(self, spec: SubgraphSpec) -> None:
        self.spec = spec
        self.executor = SubgraphExecutor(spec)
        self.requests: list[RecordedRequest] = []
        self.fault: Fault | None = None
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._site: web.SockSite | None = None

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"

    @property
    def request_count(self) -> int:
        return len(self.requests)

    def reset_counters(self) -> None:
        self.requests.clear()

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/graphql", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await self._listen()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            self._site = None

    async def set_fault(self, fault: Fault | None) -> None:
        """Switch to ``fault`` (None: healthy). ``down`` closes the port; leaving it reopens the same port."""
        was_down = self.fault is not None and self.fault.kind == "down"
        self.fault = fault
        if fault is not None and fault.kind == "down" and not was_down and self._site is not None:
            await self._site.stop()
            self._site = None
        elif was_down and (fault is None or fault.kind != "down"):
            await self._listen()

    async def _listen(self) -> None:
        assert self._runner is not None
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        self._site = web.SockSite(self._runner, sock)
        await self._site.start()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        try:
            body: Any = json.loads(raw)
        except ValueError:
            body = None
        self.requests.append(RecordedRequest(body, dict(request.headers)))
        fault = self.fault
        if fault is not None:
            early = await self._fault_response(fault, request)
            if early is not None:
                return early
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            return web.json_response({"errors": [{"message": "body must be JSON with a query string"}]}, status=400)
        result = await self.executor.execute(body["query"], body.get("variables"), body.get("operationName"))
        status = 400 if result.data is None and result.errors and not _executed(result) else 200
        payload: dict[str, Any] = dict(result.formatted)
        if fault is not None and fault.kind == "wrong_entities_length":
            _resize_entities(payload, fault.entities_delta)
        return web.json_response(payload, status=status)

    async def _fault_response(self, fault: Fault, request: web.Request) -> web.StreamResponse | None:
        if fault.kind == "slow":
            await asyncio.sleep(fault.delay)
            return None
        if fault.kind in ("reset", "down"):
            # "down" also reaches here over connections a client opened before the port closed.
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=500)
        if fault.kind == "html":
            return web.Response(text="<html><body><h1>502 Bad Gateway</h1></body></html>", content_type="text/html")
        if fault.kind == "invalid_json":
            return web.Response(text='{"data": {"_entities": [', content_type="application/json")
        if fault.kind == "http_500":
            return web.json_response({"errors": [{"message": "Internal Server Error"}]}, status=500)
        return None


def _executed(result: ExecutionResult) -> bool:
    """Whether execution ran (errors carry paths) rather than failing in parse/validate."""
    return any(error.path is not None for error in result.errors or ())


def _resize_entities(payload: dict[str, Any], delta: int) -> None:
    data = payload.get("data")
    if isinstance(data, dict) and isinstance(data.get("_entities"), list):
        items: list[Any] = data["_entities"]
        data["_entities"] = items[: len(items) + delta] if delta < 0 else items + [None] * delta


class SubgraphGroup(Mapping[str, SubgraphServer]):
    """The running subgraphs of one test, by name."""

    def __init__(self, servers: Iterable[SubgraphServer]) -> None:
        self._servers = {server.name: server for server in servers}

    def __getitem__(self, name: str) -> SubgraphServer:
        return self._servers[name]

    def __iter__(self) -> Any:
        return iter(self._servers)

    def __len__(self) -> int:
        return len(self._servers)

    @property
    def urls(self) -> dict[str, str]:
        return {name: server.url for name, server in self._servers.items()}

    def counts(self) -> dict[str, int]:
        """Requests per subgraph since the last reset (every subgraph listed, zeros included)."""
        return {name: server.request_count for name, server in self._servers.items()}

    def reset_counters(self) -> None:
        for server in self._servers.values():
            server.reset_counters()


@asynccontextmanager
async def serve_subgraphs(specs: Iterable[SubgraphSpec]) -> AsyncIterator[SubgraphGroup]:
    """Start one server per spec on free ports; stop them all on exit."""
    async with AsyncExitStack() as stack:
        servers: list[SubgraphServer] = []
        for spec in specs:
            server = SubgraphServer(spec)
            await server.start()
            stack.push_async_callback(server.stop)
            servers.append(server)
        yield SubgraphGroup(servers)
