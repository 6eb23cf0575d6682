"""A small HTTP client of the registry API for ``parkgraph registry``: a bearer token, JSON in and out.

The token is given (``--token``) or fetched with OAuth client credentials from
the auth server's ``/token`` (scope ``registry:write``).
"""

from __future__ import annotations

from typing import Any

import httpx

from gateway.registry.errors import RegistryError, Unauthenticated
from gateway.registry.model import WRITE_SCOPE


def client_credentials_token(
    auth_url: str,
    client_id: str,
    client_secret: str,
    *,
    scope: str = WRITE_SCOPE,
    transport: httpx.BaseTransport | None = None,
) -> str:
    """An access token for the client from the auth server's token endpoint; raises Unauthenticated."""
    try:
        with httpx.Client(transport=transport, timeout=10) as http:
            response = http.post(
                f"{auth_url.rstrip('/')}/token",
                data={"grant_type": "client_credentials", "scope": scope},
                auth=(client_id, client_secret),
            )
    except httpx.HTTPError as exc:
        raise Unauthenticated(f"cannot reach the auth server at {auth_url}: {exc}") from exc
    body = _json(response)
    token = body.get("access_token")
    if response.status_code != 200 or not isinstance(token, str):
        raise Unauthenticated(f"the auth server refused the client credentials: {body.get('error', response.text)}")
    return token


class RegistryClient:
    """Calls the registry API; answers are the JSON bodies, errors become :class:`RegistryError`."""

    def __init__(self, url: str, token: str | None = None, *, transport: httpx.BaseTransport | None = None) -> None:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        self._http = httpx.Client(base_url=url.rstrip("/"), headers=headers, transport=transport, timeout=60)

    def close(self) -> None:
        self._http.close()

    def publish(
        self, name: str, url: str, sdl: str, *, owner: str | None = None, force: bool = False
    ) -> dict[str, Any]:
        body = {"url": url, "sdl": sdl, "owner": owner, "force": force}
        return self._call("PUT", f"/subgraphs/{name}", json=body, refused_ok=True)

    def check(self, name: str, url: str, sdl: str, *, owner: str | None = None) -> dict[str, Any]:
        return self._call("POST", f"/subgraphs/{name}/check", json={"url": url, "sdl": sdl, "owner": owner})

    def withdraw(self, name: str, *, force: bool = False, dry_run: bool = False) -> dict[str, Any]:
        params = {"force": str(force).lower(), "dryRun": str(dry_run).lower()}
        return self._call("DELETE", f"/subgraphs/{name}", params=params, refused_ok=True)

    def subgraphs(self) -> dict[str, Any]:
        return self._call("GET", "/subgraphs")

    def history(self, limit: int = 20) -> dict[str, Any]:
        return self._call("GET", "/history", params={"limit": str(limit)})

    def rollback(self, version: int) -> dict[str, Any]:
        return self._call("POST", "/rollback", json={"version": version})

    def _call(self, method: str, path: str, *, refused_ok: bool = False, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise RegistryError(f"cannot reach the registry: {exc}") from exc
        body = _json(response)
        if response.status_code == 200 or (refused_ok and response.status_code == 422):
            return body
        errors = body.get("errors") or [{}]
        error = RegistryError(str(errors[0].get("message", response.text)))
        error.code = str((errors[0].get("extensions") or {}).get("code", error.code))
        error.status = response.status_code
        raise error


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
