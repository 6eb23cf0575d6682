"""The auth plugin: verifies bearer tokens, authorizes fields, and signs the identity each subgraph receives.

* router layer — ``Authorization: Bearer <JWT>`` is verified against the auth
  server's JWKS (:mod:`auth.verify`); an invalid token is answered at once
  with HTTP 401, ``WWW-Authenticate: Bearer error="invalid_token"`` and an
  ``UNAUTHENTICATED`` error whose ``extensions.reason`` says why
  (``token_expired``, ``wrong_audience``…). A valid token fills
  ``context.claims`` and ``context.tenant``; no token means anonymous.
* supergraph layer — fields the caller may not see are removed before
  planning and come back as null with an error at their path
  (:mod:`gateway.plugins.authorization`): ``@authenticated``,
  ``@requiresScopes``, ``@policy``, and public-only for anonymous callers.
* subgraph layer — every call carries ``x-parkgraph-identity``: who, client,
  tenant, scopes and the declared ``X-Purpose``, signed for that subgraph
  (:mod:`auth.identity`).

List it first among the plugins: the traffic plugins read the caller from the context it fills.
Configuration (:func:`auth_plugin_from_env`): ``PARKGRAPH_AUTH_URL`` (default
``http://127.0.0.1:9000``), ``PARKGRAPH_AUTH_ISSUER`` (default: the URL),
``PARKGRAPH_AUTH_AUDIENCE`` (default ``parkgraph``), ``PARKGRAPH_IDENTITY_KEY``.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping

import orjson

from auth.identity import (
    IDENTITY_HEADER,
    PURPOSE_HEADER,
    Identity,
    IdentitySigner,
    InvalidTenant,
    identity_key_from_env,
    parse_tenant,
)
from auth.verify import TokenError, TokenVerifier
from gateway.context import RequestContext
from gateway.errors import graphql_error
from gateway.pipeline.router import JSON, negotiate
from gateway.pipeline.types import (
    Plugin,
    RouterRequest,
    RouterResponse,
    RouterService,
    SupergraphRequest,
    SupergraphResponse,
    SupergraphService,
)
from gateway.plugins.authorization import DEFAULT_POLICIES, PUBLIC_FIELDS, Authorizer, Policy
from gateway.subgraph.types import SubgraphRequest, SubgraphResponse, SubgraphService
from gateway.supergraph.model import Supergraph

DEFAULT_AUTH_URL = "http://127.0.0.1:9000"
DEFAULT_AUDIENCE = "parkgraph"


class AuthPlugin(Plugin):
    name = "auth"

    def __init__(self, verifier: TokenVerifier, signer: IdentitySigner, authorizer: Authorizer) -> None:
        self.verifier = verifier
        self.signer = signer
        self.authorizer = authorizer

    @classmethod
    def for_supergraph(
        cls,
        supergraph: Supergraph,
        verifier: TokenVerifier,
        signer: IdentitySigner,
        *,
        public: Iterable[str] = PUBLIC_FIELDS,
        policies: Mapping[str, Policy] | None = None,
    ) -> AuthPlugin:
        authorizer = Authorizer(
            supergraph.api_schema,
            supergraph.auth,
            public=public,
            policies=DEFAULT_POLICIES if policies is None else policies,
        )
        return cls(verifier, signer, authorizer)

    def router_service(self, service: RouterService) -> RouterService:
        verifier = self.verifier

        async def authenticate(request: RouterRequest) -> RouterResponse:
            header = request.headers.get("authorization")
            if header is None:
                return await service(request)
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                return _unauthenticated(request, "invalid_request", "send the access token as 'Bearer <token>'")
            try:
                claims = await verifier.verify(token.strip())
            except TokenError as exc:
                return _unauthenticated(request, exc.reason, exc.message)
            context = request.context
            context.claims = claims
            tenant = claims.get("tenant")
            context.tenant = tenant if isinstance(tenant, str) else None
            return await service(request)

        return authenticate

    def supergraph_service(self, service: SupergraphService) -> SupergraphService:
        authorizer = self.authorizer

        async def authorize(request: SupergraphRequest) -> SupergraphResponse:
            caller = authorizer.caller(request.context.claims)
            decision = authorizer.decide(request.query, request.operation_name, caller)
            if decision is None:
                return await service(request)
            response = await service(dataclasses.replace(request, query=decision.query))
            if response.request_failed:
                return response
            errors = list(response.errors)
            data = authorizer.apply(decision, response.data, errors)
            return dataclasses.replace(response, data=data, errors=errors)

        return authorize

    def subgraph_service(self, name: str, service: SubgraphService) -> SubgraphService:
        signer = self.signer

        async def sign(request: SubgraphRequest) -> SubgraphResponse:
            request.headers[IDENTITY_HEADER] = signer.sign(identity_of(request.context), name)
            return await service(request)

        return sign


def identity_of(context: RequestContext) -> Identity:
    """The identity to vouch for: the verified claims, or anonymous; the purpose as the client declared it."""
    purpose = context.headers.get(PURPOSE_HEADER) or None
    claims = context.claims
    if claims is None:
        return Identity(None, None, None, purpose=purpose, request_id=context.request_id)
    try:
        tenant = parse_tenant(context.tenant) if context.tenant else None
    except InvalidTenant:
        tenant = None  # a token with a malformed tenant sees no tenant-scoped rows
    return Identity(
        subject=str(claims.get("sub")),
        client_id=claims.get("client_id"),
        tenant=tenant,
        scopes=frozenset(str(claims.get("scope") or "").split()),
        purpose=purpose,
        request_id=context.request_id,
    )


def _unauthenticated(request: RouterRequest, reason: str, message: str) -> RouterResponse:
    media_type = negotiate(request.headers.get("accept")) or JSON
    error = graphql_error(message, "UNAUTHENTICATED", reason=reason)
    challenge = f'Bearer realm="parkgraph", error="invalid_token", error_description="{reason}"'
    headers = {"content-type": f"{media_type}; charset=utf-8", "www-authenticate": challenge}
    return RouterResponse(401, orjson.dumps({"errors": [error]}), headers)


class AuthPlugins:
    """Auth plugins for each supergraph version a gateway serves, sharing one verifier and one signer.

    The verifier holds the JWKS cache and its HTTP client: built once, so a hot
    reload neither refetches the keys nor leaves a client open.
    """

    def __init__(self, verifier: TokenVerifier, signer: IdentitySigner) -> None:
        self.verifier = verifier
        self.signer = signer

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> AuthPlugins:
        """Configured from the environment (see the module docstring)."""
        env = os.environ if env is None else env
        url = env.get("PARKGRAPH_AUTH_URL", DEFAULT_AUTH_URL).rstrip("/")
        verifier = TokenVerifier(
            jwks_url=f"{url}/jwks.json",
            issuer=env.get("PARKGRAPH_AUTH_ISSUER", url),
            audience=env.get("PARKGRAPH_AUTH_AUDIENCE", DEFAULT_AUDIENCE),
        )
        return cls(verifier, IdentitySigner(identity_key_from_env()))

    def for_supergraph(self, supergraph: Supergraph) -> AuthPlugin:
        return AuthPlugin.for_supergraph(supergraph, self.verifier, self.signer)

    async def close(self) -> None:
        await self.verifier.aclose()


def auth_plugin_from_env(supergraph: Supergraph, env: Mapping[str, str] | None = None) -> AuthPlugin:
    """The plugin for a served gateway, configured from the environment (see the module docstring)."""
    return AuthPlugins.from_env(env).for_supergraph(supergraph)
