"""The schema registry: subgraphs registered by the province and the city data centres, checked and versioned.

Modules, one job each:

* :mod:`.model` — records (subgraphs, graph versions, actors, check reports, operation usage);
* :mod:`.db`, :mod:`.store` — the SQL state (SQLite by default, PostgreSQL in production);
* :mod:`.namespace` — the city namespace convention and its check;
* :mod:`.checks` — namespace, composition, breaking-change and operation checks;
* :mod:`.service` — check / publish / withdraw / rollback and who may do them;
* :mod:`.notify` — announcing new versions to gateway replicas (Redis pub/sub);
* :mod:`.api` — the HTTP API for city data centres (Starlette, OAuth bearer tokens);
* :mod:`.usage` — the gateway plugin that records which operations clients run;
* :mod:`.follow`, :mod:`.hotswap` — the gateway side: follow the registry, swap supergraphs in place;
* :mod:`.client`, :mod:`.cli` — ``parkgraph registry …``.

Exception tree (each carries the ``extensions.code`` and the HTTP status the API answers with)::

    RegistryError            INTERNAL_SERVER_ERROR
    ├── Unauthenticated      UNAUTHENTICATED (401): no token, or one that does not verify
    ├── Forbidden            FORBIDDEN (403): scope, ownership or namespace
    ├── NotFound             NOT_FOUND (404)
    ├── BadChange            BAD_REQUEST (400): malformed change
    ├── VersionConflict      VERSION_CONFLICT (409): another change won the race
    └── StoreUnavailable     REGISTRY_UNAVAILABLE (503): the database failed (SQLAlchemy errors translated)

A change that fails its checks is not an exception: it is a
:class:`~gateway.registry.model.ChangeOutcome` with ``accepted`` false and the report.
"""

from __future__ import annotations

from gateway.registry.errors import (
    BadChange,
    Forbidden,
    NotFound,
    RegistryError,
    StoreUnavailable,
    Unauthenticated,
    VersionConflict,
)
from gateway.registry.model import Actor, ChangeOutcome, CheckIssue, CheckReport, GraphVersion, RegisteredSubgraph
from gateway.registry.service import RegistrySettings, SchemaRegistry
from gateway.registry.store import RegistryStore

__all__ = [
    "Actor",
    "BadChange",
    "ChangeOutcome",
    "CheckIssue",
    "CheckReport",
    "Forbidden",
    "GraphVersion",
    "NotFound",
    "RegisteredSubgraph",
    "RegistryError",
    "RegistrySettings",
    "RegistryStore",
    "SchemaRegistry",
    "StoreUnavailable",
    "Unauthenticated",
    "VersionConflict",
]
