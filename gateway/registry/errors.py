"""The schema registry's exceptions; each carries the ``extensions.code`` and HTTP status its API answers with."""

from __future__ import annotations

from typing import Any


class RegistryError(Exception):
    """Something the registry refuses or cannot do."""

    code = "INTERNAL_SERVER_ERROR"
    status = 500

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = extensions

    def to_json(self) -> dict[str, Any]:
        """The error as a GraphQL-style error object (the registry API's error body)."""
        return {"message": self.message, "extensions": {"code": self.code, **self.extensions}}


class Unauthenticated(RegistryError):
    """No access token, or one that does not verify."""

    code = "UNAUTHENTICATED"
    status = 401


class Forbidden(RegistryError):
    """The caller lacks the scope, or the subgraph or namespace belongs to another tenant."""

    code = "FORBIDDEN"
    status = 403


class NotFound(RegistryError):
    """No such subgraph or version."""

    code = "NOT_FOUND"
    status = 404


class BadChange(RegistryError):
    """The change itself is malformed (no URL, empty SDL, a bad subgraph name)."""

    code = "BAD_REQUEST"
    status = 400


class VersionConflict(RegistryError):
    """Another change was accepted between reading the current graph and writing the new version."""

    code = "VERSION_CONFLICT"
    status = 409


class StoreUnavailable(RegistryError):
    """The registry's database could not answer (SQLAlchemy errors are translated to this)."""

    code = "REGISTRY_UNAVAILABLE"
    status = 503
