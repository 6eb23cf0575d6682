"""The registry's records: registered subgraphs, graph versions, callers, check reports, operation usage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

PROVINCE = "province"
WRITE_SCOPE = "registry:write"

Severity = Literal["error", "warning"]
Action = Literal["publish", "withdraw", "rollback", "seed"]  # seed: the first version, from a deployment's graph


@dataclass(frozen=True, slots=True)
class RegisteredSubgraph:
    """One subgraph as registered: its name, routing URL, SDL and owner (``province`` or ``city:<code>``)."""

    name: str
    url: str
    sdl: str
    owner: str

    def to_json(self, *, with_sdl: bool = True) -> dict[str, Any]:
        body: dict[str, Any] = {"name": self.name, "url": self.url, "owner": self.owner}
        if with_sdl:
            body["sdl"] = self.sdl
        return body


@dataclass(frozen=True, slots=True)
class GraphVersion:
    """One version of the graph: every subgraph as it then was, and the supergraph they composed to.

    Versions only grow; a rollback writes a new version holding an earlier one's subgraphs.
    """

    version: int
    created_at: float
    actor: str  # the client id that made the change
    action: Action
    subject: str  # the subgraph published or withdrawn, or ``v<N>`` for a rollback
    subgraphs: tuple[RegisteredSubgraph, ...]
    supergraph_sdl: str | None  # None once every subgraph is withdrawn

    def subgraph(self, name: str) -> RegisteredSubgraph | None:
        return next((s for s in self.subgraphs if s.name == name), None)

    def summary(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "createdAt": self.created_at,
            "actor": self.actor,
            "action": self.action,
            "subject": self.subject,
            "subgraphs": [s.to_json(with_sdl=False) for s in self.subgraphs],
        }


@dataclass(frozen=True, slots=True)
class Actor:
    """Who asks the registry: an OAuth client with its tenant and scopes (from a verified access token)."""

    client_id: str
    tenant: str | None
    scopes: frozenset[str]

    @property
    def is_province(self) -> bool:
        return self.tenant == PROVINCE

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> Actor:
        """The actor of RFC 9068 access-token claims (``client_id``, ``tenant``, space-separated ``scope``)."""
        client_id = claims.get("client_id") or claims.get("sub") or ""
        tenant = claims.get("tenant")
        scope = claims.get("scope")
        scopes = frozenset(scope.split()) if isinstance(scope, str) else frozenset()
        return cls(str(client_id), tenant if isinstance(tenant, str) else None, scopes)


@dataclass(frozen=True, slots=True)
class CheckIssue:
    """One finding of a check: which check, a stable code, what is wrong, and whether it blocks the change."""

    check: Literal["namespace", "composition", "breaking", "operations"]
    code: str
    message: str
    severity: Severity = "error"

    def to_json(self) -> dict[str, Any]:
        return {"check": self.check, "code": self.code, "message": self.message, "severity": self.severity}


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Everything the checks found for one proposed graph, and the supergraph it would compose to."""

    issues: tuple[CheckIssue, ...]
    supergraph_sdl: str | None
    hints: tuple[str, ...] = ()
    operations_checked: int = 0

    @property
    def errors(self) -> tuple[CheckIssue, ...]:
        return tuple(i for i in self.issues if i.severity == "error")

    @property
    def ok(self) -> bool:
        return not self.errors and self.supergraph_sdl is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "issues": [i.to_json() for i in self.issues],
            "hints": list(self.hints),
            "operationsChecked": self.operations_checked,
        }


@dataclass(frozen=True, slots=True)
class ChangeOutcome:
    """The answer to a publish, withdraw or check: the report, and the new version when one was written."""

    accepted: bool
    report: CheckReport
    version: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"accepted": self.accepted, "version": self.version, "report": self.report.to_json()}


@dataclass(frozen=True, slots=True)
class OperationUse:
    """One operation seen by a gateway, aggregated over a flush interval."""

    document: str
    operation_name: str | None
    client: str  # client id, "" for anonymous callers
    count: int
    seen_at: float


@dataclass(frozen=True, slots=True)
class RecordedOperation:
    """An operation some client ran in the usage window, with the clients that ran it."""

    op_hash: str
    document: str
    operation_name: str | None
    clients: tuple[str, ...] = field(default=())
    count: int = 0
