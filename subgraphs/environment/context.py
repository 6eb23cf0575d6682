"""The environment subgraph's request context: the platform client and the alert monitor."""

from __future__ import annotations

from dataclasses import dataclass

import strawberry

from adapters.environment import EnvironmentClient
from subgraphs.common.alerts.graph import MonitorContext


@dataclass
class EnvironmentContext(MonitorContext):
    client: EnvironmentClient | None = None

    @property
    def environment(self) -> EnvironmentClient:
        if self.client is None:
            raise RuntimeError("EnvironmentContext built without a client")
        return self.client


Info = strawberry.Info[EnvironmentContext, None]
