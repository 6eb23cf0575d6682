"""The logistics subgraph's request context: the platform client and the app's idempotency store."""

from __future__ import annotations

from dataclasses import dataclass, field

from adapters.logistics.client import LogisticsClient
from subgraphs.common import IdempotencyStore, SubgraphContext


@dataclass
class LogisticsContext(SubgraphContext):
    """Per-request state; ``client`` and ``bookings`` are shared by all requests of the app."""

    client: LogisticsClient | None = None
    bookings: IdempotencyStore = field(default_factory=IdempotencyStore)

    @property
    def logistics(self) -> LogisticsClient:
        if self.client is None:
            raise RuntimeError("LogisticsContext built without a client")
        return self.client
