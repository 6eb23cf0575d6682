"""authlib's authorization server bound to our database, keys and Starlette requests.

authlib is synchronous; :class:`FormRequest` carries an already read HTTP
request (method, URL, headers, form and query parameters) so that the
Starlette handlers can read the body asynchronously and then run the grant in
a worker thread. Responses come back as Starlette responses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from authlib.oauth2 import AuthorizationServer as _AuthorizationServer
from authlib.oauth2.rfc6749 import OAuth2Payload, OAuth2Request
from starlette.responses import JSONResponse, Response

from auth.db import ClientRecord, Database
from auth.endpoints import IntrospectionEndpoint, RevocationEndpoint
from auth.grants import (
    AuthorizationCodeGrant,
    ClientCredentialsGrant,
    RefreshTokenGrant,
    S256Challenge,
    store_refresh_token,
)
from auth.keys import KeyStore
from auth.models import Client
from auth.settings import SCOPES, AuthSettings
from auth.tokens import TokenIssuer


class _Payload(OAuth2Payload):  # type: ignore[misc]
    def __init__(self, values: list[tuple[str, str]]) -> None:
        self._data: dict[str, str] = {}
        self._datalist: defaultdict[str, list[str]] = defaultdict(list)
        for name, value in values:
            self._data.setdefault(name, value)
            self._datalist[name].append(value)

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._datalist


class FormRequest(OAuth2Request):  # type: ignore[misc]
    """An HTTP request already read: query parameters and (for POST) the urlencoded form."""

    def __init__(
        self,
        method: str,
        uri: str,
        headers: Mapping[str, str],
        query: list[tuple[str, str]],
        form: list[tuple[str, str]],
    ) -> None:
        super().__init__(method=method, uri=uri, headers=headers)
        self._args = dict(query)
        self._form = dict(form)
        self.payload = _Payload(query + form if method == "GET" else form or query)

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class AuthorizationServer(_AuthorizationServer):  # type: ignore[misc]
    """The OAuth 2 server: grants, revocation and introspection over one database and key store."""

    def __init__(self, settings: AuthSettings, database: Database) -> None:
        super().__init__(scopes_supported=list(SCOPES))
        self.settings = settings
        self.database = database
        self.keys = KeyStore(database, algorithm=settings.algorithm, token_ttl=settings.access_token_ttl)
        self.issuer = TokenIssuer(
            self.keys,
            issuer=settings.issuer,
            audience=settings.audience,
            access_ttl=settings.access_token_ttl,
        )
        self.register_token_generator("default", self.issuer)
        self.register_grant(ClientCredentialsGrant)
        self.register_grant(AuthorizationCodeGrant, [S256Challenge(required=True)])
        self.register_grant(RefreshTokenGrant)
        self.register_endpoint(RevocationEndpoint)
        self.register_endpoint(IntrospectionEndpoint)

    def query_client(self, client_id: str) -> Client | None:
        with self.database.session() as session:
            record = session.get(ClientRecord, client_id)
        return None if record is None else Client(record, dev_mode=self.settings.dev_mode)

    def save_token(self, token: dict[str, Any], request: Any) -> None:
        store_refresh_token(self, token, request)

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None  # no listeners: authlib's hook for framework signals

    def create_oauth2_request(self, request: Any) -> OAuth2Request:
        if isinstance(request, OAuth2Request):
            return request
        raise TypeError("pass a FormRequest")

    def create_json_request(self, request: Any) -> Any:
        raise NotImplementedError("no JSON endpoints")

    def handle_response(self, status: int, body: Any, headers: Any) -> Response:
        header_map = dict(headers or [])
        if isinstance(body, dict):
            header_map.pop("Content-Type", None)
            return JSONResponse(body, status_code=status, headers=header_map)
        return Response(body or b"", status_code=status, headers=header_map)
