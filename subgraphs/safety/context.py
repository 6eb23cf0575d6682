"""The safety subgraph's request context: the platform client and the alert monitor."""

from __future__ import annotations

from dataclasses import dataclass

import strawberry

from adapters.safety import SafetyClient
from subgraphs.common.alerts.graph import MonitorContext


@dataclass
class SafetyContext(MonitorContext):
    client: SafetyClient | None = None

    @property
    def safety(self) -> SafetyClient:
        if self.client is None:
            raise RuntimeError("SafetyContext built without a client")
        return self.client


Info = strawberry.Info[SafetyContext, None]
