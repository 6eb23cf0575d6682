"""The approvals subgraph's request context: the shared adapter client and idempotency store."""

from __future__ import annotations

from dataclasses import dataclass, field

from adapters.approvals import ApprovalsClient
from subgraphs.common import IdempotencyStore, SubgraphContext


@dataclass
class ApprovalsContext(SubgraphContext):
    """Per request; ``client`` and ``idempotency`` are the app's, shared by every request."""

    client: ApprovalsClient | None = None
    idempotency: IdempotencyStore = field(default_factory=IdempotencyStore)

    @property
    def approvals(self) -> ApprovalsClient:
        if self.client is None:
            raise RuntimeError("ApprovalsContext built without an ApprovalsClient")
        return self.client
