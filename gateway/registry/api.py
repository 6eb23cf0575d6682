"""The registry's HTTP API for city data centres, the province and gateways (Starlette, OAuth bearer tokens).

::

    GET    /supergraph                 current supergraph {version, sdl}; ETag "v<N>", If-None-Match → 304
    GET    /subgraphs                  registered subgraphs (name, url, owner)
    GET    /subgraphs/{name}           one subgraph with its SDL
    GET    /history?limit=50           versions, newest first
    GET    /versions/{n}               one version with its supergraph
    PUT    /subgraphs/{name}           publish {url, sdl, owner?, force?}: 200 accepted, 422 refused with the report
    POST   /subgraphs/{name}/check     the same checks, nothing written (200; report.ok says whether it passes)
    DELETE /subgraphs/{name}?force=&dryRun=   withdraw: 200 accepted, 422 refused
    POST   /rollback                   {version}: the province rolls the graph back (a new version)
    GET    /health

Writes need a bearer access token (client credentials) with ``registry:write``;
the tenant claim decides what the caller may touch (:mod:`.service`). Reads
are open unless ``read_scope`` is set. Errors are ``{"errors": [{message,
extensions: {code}}]}`` with the status of the :mod:`.errors` class.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any, Protocol

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from auth.verify import TokenError
from gateway.registry.errors import BadChange, Forbidden, NotFound, RegistryError, Unauthenticated
from gateway.registry.model import Actor, ChangeOutcome, GraphVersion
from gateway.registry.service import SchemaRegistry

logger = logging.getLogger(__name__)

Handler = Callable[[Request], Awaitable[Response]]


class ClaimsVerifier(Protocol):
    """Verifies an access token and returns its claims (``auth.verify.TokenVerifier``); raises TokenError."""

    async def verify(self, token: str) -> Mapping[str, Any]: ...


def create_registry_app(
    registry: SchemaRegistry,
    verifier: ClaimsVerifier,
    *,
    read_scope: str | None = None,
    on_startup: Callable[[], Awaitable[None]] | None = None,
    on_shutdown: Callable[[], Awaitable[None]] | None = None,
) -> Starlette:
    """The registry API around a :class:`SchemaRegistry`."""
    api = _Api(registry, verifier, read_scope)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        if on_startup is not None:
            await on_startup()
        try:
            yield
        finally:
            if on_shutdown is not None:
                await on_shutdown()

    routes = [
        Route("/health", api.health, methods=["GET"]),
        Route("/supergraph", _guard(api.supergraph), methods=["GET"]),
        Route("/subgraphs", _guard(api.subgraphs), methods=["GET"]),
        Route("/subgraphs/{name}", _guard(api.subgraph), methods=["GET"]),
        Route("/subgraphs/{name}", _guard(api.publish), methods=["PUT"]),
        Route("/subgraphs/{name}", _guard(api.withdraw), methods=["DELETE"]),
        Route("/subgraphs/{name}/check", _guard(api.check), methods=["POST"]),
        Route("/history", _guard(api.history), methods=["GET"]),
        Route("/versions/{number:int}", _guard(api.version), methods=["GET"]),
        Route("/rollback", _guard(api.rollback), methods=["POST"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def _guard(handler: Handler) -> Handler:
    """Answers a RegistryError with its status and code, and any bug with a 500 (never a traceback)."""

    async def guarded(request: Request) -> Response:
        try:
            return await handler(request)
        except RegistryError as exc:
            return _error(exc)
        except Exception:
            logger.exception("registry API failure on %s %s", request.method, request.url.path)
            return _error(RegistryError("Internal error; details are in the registry's logs"))

    return guarded


def _error(exc: RegistryError) -> JSONResponse:
    headers = {"www-authenticate": 'Bearer realm="parkgraph-registry"'} if exc.status == 401 else None
    return JSONResponse({"errors": [exc.to_json()]}, status_code=exc.status, headers=headers)


class _Api:
    def __init__(self, registry: SchemaRegistry, verifier: ClaimsVerifier, read_scope: str | None) -> None:
        self.registry = registry
        self.verifier = verifier
        self.read_scope = read_scope

    async def actor(self, request: Request) -> Actor:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("A bearer access token is required (OAuth client credentials)")
        try:
            claims = await self.verifier.verify(token.strip())
        except TokenError as exc:
            raise Unauthenticated(f"The access token was refused: {exc.message}", reason=exc.reason) from exc
        return Actor.from_claims(claims)

    async def reader(self, request: Request) -> None:
        if self.read_scope is not None and self.read_scope not in (await self.actor(request)).scopes:
            raise Forbidden(f"Reading the registry needs the {self.read_scope} scope")

    async def health(self, _request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def supergraph(self, request: Request) -> Response:
        await self.reader(request)
        current = await self.registry.current()
        if current is None or current.supergraph_sdl is None:
            raise NotFound("No supergraph has been published yet")
        etag = f'"v{current.version}"'
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"etag": etag})
        body = {"version": current.version, "createdAt": current.created_at, "sdl": current.supergraph_sdl}
        return JSONResponse(body, headers={"etag": etag})

    async def subgraphs(self, request: Request) -> Response:
        await self.reader(request)
        current = await self.registry.current()
        subgraphs = [s.to_json(with_sdl=False) for s in current.subgraphs] if current is not None else []
        return JSONResponse({"version": current.version if current else None, "subgraphs": subgraphs})

    async def subgraph(self, request: Request) -> Response:
        await self.reader(request)
        name = request.path_params["name"]
        current = await self.registry.current()
        found = current.subgraph(name) if current is not None else None
        if found is None:
            raise NotFound(f'No subgraph "{name}" is registered')
        return JSONResponse(found.to_json())

    async def history(self, request: Request) -> Response:
        await self.reader(request)
        try:
            limit = max(1, min(500, int(request.query_params.get("limit", "50"))))
        except ValueError as exc:
            raise BadChange("limit must be a number") from exc
        versions = await self.registry.store.history(limit)
        return JSONResponse({"versions": [v.summary() for v in versions]})

    async def version(self, request: Request) -> Response:
        await self.reader(request)
        number: int = request.path_params["number"]
        found = await self.registry.store.version(number)
        if found is None:
            raise NotFound(f"No version {number}")
        return JSONResponse({**found.summary(), "supergraph": found.supergraph_sdl})

    async def publish(self, request: Request) -> Response:
        actor = await self.actor(request)
        url, sdl, owner, force = await _change(request)
        outcome = await self.registry.publish(actor, request.path_params["name"], url, sdl, owner, force=force)
        return _outcome(outcome)

    async def check(self, request: Request) -> Response:
        actor = await self.actor(request)
        url, sdl, owner, _force = await _change(request)
        outcome = await self.registry.check(actor, request.path_params["name"], url, sdl, owner)
        return JSONResponse(outcome.to_json())

    async def withdraw(self, request: Request) -> Response:
        actor = await self.actor(request)
        force = _flag(request.query_params.get("force"))
        dry_run = _flag(request.query_params.get("dryRun"))
        outcome = await self.registry.withdraw(actor, request.path_params["name"], force=force, dry_run=dry_run)
        return JSONResponse(outcome.to_json()) if dry_run else _outcome(outcome)

    async def rollback(self, request: Request) -> Response:
        actor = await self.actor(request)
        body = await _json(request)
        version = body.get("version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise BadChange("version must be a version number")
        written: GraphVersion = await self.registry.rollback(actor, version)
        return JSONResponse({"version": written.version, "rolledBackTo": version})


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError as exc:
        raise BadChange("The request body is not JSON") from exc
    if not isinstance(body, dict):
        raise BadChange("The request body must be a JSON object")
    return body


async def _change(request: Request) -> tuple[str, str, str | None, bool]:
    body = await _json(request)
    url, sdl, owner, force = body.get("url"), body.get("sdl"), body.get("owner"), body.get("force", False)
    if not isinstance(url, str) or not isinstance(sdl, str):
        raise BadChange("A change needs url and sdl (strings)")
    if owner is not None and not isinstance(owner, str):
        raise BadChange("owner must be a string")
    return url, sdl, owner, bool(force)


def _flag(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true", "yes")


def _outcome(outcome: ChangeOutcome) -> Response:
    return JSONResponse(outcome.to_json(), status_code=200 if outcome.accepted else 422)
