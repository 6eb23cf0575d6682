"""The authorization server's Starlette app: token, authorize (login page), revoke, introspect, metadata, JWKS.

Routes::

    POST /token                                   RFC 6749 §3.2: client credentials, authorization code, refresh
    GET  /authorize   POST /authorize             the login page, then a redirect with the code (PKCE S256)
    POST /revoke                                  RFC 7009
    POST /introspect                              RFC 7662
    GET  /.well-known/oauth-authorization-server  RFC 8414
    GET  /.well-known/openid-configuration        OpenID Connect discovery (the same document)
    GET  /jwks.json                               RFC 7517: the keys that verify access tokens
    GET  /health

authlib is synchronous, so each protocol step runs in a worker thread after
the body has been read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qsl

from authlib.oauth2.rfc6749 import OAuth2Error
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from auth.db import Database, UserRecord
from auth.login import error_page, login_page
from auth.models import User
from auth.passwords import check_secret
from auth.seed import seed_demo
from auth.server import AuthorizationServer, FormRequest
from auth.settings import SCOPES, AuthSettings

_FORM = "application/x-www-form-urlencoded"


async def read_request(request: Request) -> FormRequest:
    """Query parameters and the urlencoded form body, read before the synchronous protocol code runs."""
    query = parse_qsl(request.url.query, keep_blank_values=True)
    form: list[tuple[str, str]] = []
    if request.method == "POST":
        content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        body = await request.body()
        if content_type == _FORM:
            form = parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return FormRequest(request.method, str(request.url), request.headers, query, form)


def metadata(settings: AuthSettings) -> dict[str, Any]:
    """RFC 8414 authorization-server metadata (also served as the OpenID discovery document)."""
    issuer = settings.issuer
    auth_methods = ["client_secret_basic", "client_secret_post", "none"]
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/authorize",
        "token_endpoint": f"{issuer}/token",
        "jwks_uri": f"{issuer}/jwks.json",
        "revocation_endpoint": f"{issuer}/revoke",
        "introspection_endpoint": f"{issuer}/introspect",
        "scopes_supported": list(SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "client_credentials", "refresh_token"],
        "token_endpoint_auth_methods_supported": auth_methods,
        "revocation_endpoint_auth_methods_supported": auth_methods,
        "introspection_endpoint_auth_methods_supported": auth_methods,
        "code_challenge_methods_supported": ["S256"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [settings.algorithm],
        "access_token_signing_alg_values_supported": [settings.algorithm],
        "claims_supported": ["iss", "sub", "aud", "exp", "iat", "jti", "client_id", "scope", "tenant"],
    }


def create_app(settings: AuthSettings, *, database: Database | None = None) -> Starlette:
    """The authorization server over ``settings.database_url`` (or an open ``database``)."""
    owned = database is None
    db = database or Database.connect(settings.database_url, schema=settings.database_schema)
    if settings.dev_mode:
        seed_demo(db)
    server = AuthorizationServer(settings, db)
    server.keys.active()  # the first key exists before the first JWKS request

    async def run(step: Callable[[], Response]) -> Response:
        return await run_in_threadpool(step)

    async def token(request: Request) -> Response:
        oauth_request = await read_request(request)
        return await run(lambda: server.create_token_response(oauth_request))

    async def revoke(request: Request) -> Response:
        oauth_request = await read_request(request)
        return await run(lambda: server.create_endpoint_response("revocation", oauth_request))

    async def introspect(request: Request) -> Response:
        oauth_request = await read_request(request)
        return await run(lambda: server.create_endpoint_response("introspection", oauth_request))

    async def authorize(request: Request) -> Response:
        oauth_request = await read_request(request)
        return await run(lambda: _authorize(server, oauth_request))

    async def jwks(_request: Request) -> Response:
        keys = await run_in_threadpool(server.keys.jwks)
        return JSONResponse(keys, headers={"cache-control": "public, max-age=60"})

    async def discovery(_request: Request) -> Response:
        return JSONResponse(metadata(settings))

    async def health(_request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        if owned:
            db.dispose()

    routes = [
        Route("/token", token, methods=["POST"]),
        Route("/authorize", authorize, methods=["GET", "POST"]),
        Route("/revoke", revoke, methods=["POST"]),
        Route("/introspect", introspect, methods=["POST"]),
        Route("/jwks.json", jwks, methods=["GET"]),
        Route("/.well-known/oauth-authorization-server", discovery, methods=["GET"]),
        Route("/.well-known/openid-configuration", discovery, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.server = server
    app.state.database = db
    return app


def _authorize(server: AuthorizationServer, request: FormRequest) -> Response:
    """GET shows the login page for a valid request; POST checks the password and redirects with a code."""
    try:
        grant = server.get_consent_grant(request, end_user=None)
    except OAuth2Error as error:
        if error.redirect_uri:  # the redirect URI was checked: the client may hear about the error
            response: Response = server.handle_error_response(request, error)
            return response
        # Unknown client or unregistered redirect URI: never redirect (RFC 6749 §4.1.2.1).
        return HTMLResponse(error_page(error.error, error.get_error_description()), status_code=400)
    params = request.payload.data
    client_name = grant.client.record.name
    if request.method == "GET":
        return HTMLResponse(login_page(client_name, request.payload.scope or "", params))
    user = _login(server, request.form.get("username", ""), request.form.get("password", ""))
    if user is None:
        page = login_page(client_name, request.payload.scope or "", params, error="Wrong username or password.")
        return HTMLResponse(page, status_code=401)
    result: Response = server.create_authorization_response(request, grant_user=user, grant=grant)
    return result


def _login(server: AuthorizationServer, username: str, password: str) -> User | None:
    with server.database.session() as session:
        record = session.scalars(select(UserRecord).where(UserRecord.username == username)).first()
    if record is None or (record.demo and not server.settings.dev_mode):
        return None
    if not check_secret(password, record.password_hash):
        return None
    return User.from_record(record)
