"""The utilities subgraph's request context: the adapter client and the clock that sets default periods."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from adapters.utilities import UtilitiesClient
from schema.scalars import CHINA_STANDARD_TIME
from subgraphs.common import SubgraphContext


def today_in_china() -> date:
    return datetime.now(CHINA_STANDARD_TIME).date()


@dataclass
class UtilitiesContext(SubgraphContext):
    """Per-request state of the utilities subgraph; ``client`` is shared by all requests of the app."""

    client: UtilitiesClient | None = None
    today: Callable[[], date] = field(default=today_in_china)
    live_load_interval: float = 15.0  # seconds between samples of a park's live load

    @property
    def utilities(self) -> UtilitiesClient:
        if self.client is None:
            raise RuntimeError("UtilitiesContext built without a client")
        return self.client
