"""The talent subgraph's request context: the shared database client and idempotency store."""

from __future__ import annotations

from dataclasses import dataclass, field

from adapters.talent import TalentClient
from subgraphs.common import IdempotencyStore, SubgraphContext


@dataclass
class TalentContext(SubgraphContext):
    """Per request; ``client`` and ``idempotency`` are the app's, shared by every request."""

    client: TalentClient | None = None
    idempotency: IdempotencyStore = field(default_factory=IdempotencyStore)

    @property
    def talent(self) -> TalentClient:
        if self.client is None:
            raise RuntimeError("TalentContext built without a TalentClient")
        return self.client
