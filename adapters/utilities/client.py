"""One client for the metering platform: the drop ledger and the live feed behind batch methods.

Every method takes a batch of keys and answers a dict keyed by them, which is
what the subgraph's DataLoaders need; ``calls`` counts the batch calls, so
tests can prove that N entities do not cost N legacy calls.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import httpx
from opentelemetry.trace import SpanKind

from adapters.resilience import telemetry
from adapters.utilities.feed import BATCH_LIMIT, RealtimeFeed
from adapters.utilities.ledger import DropLedger
from adapters.utilities.models import AnnualisedUse, DailyUse, DropFile, EnergyKind, LiveReading, Meter, UsageSummary


class UtilitiesClient:
    """Reads meters and use from the drop folder and live readings from the feed at ``feed_url``."""

    system = "utilities"

    def __init__(
        self,
        *,
        drop_dir: Path,
        feed_url: str,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 5.0,
        rescan_interval: float = 30.0,
        feed_batch_limit: int = BATCH_LIMIT,
    ) -> None:
        self.ledger = DropLedger(drop_dir, rescan_interval=rescan_interval)
        self.feed = RealtimeFeed(feed_url, transport=transport, timeout=timeout, batch_limit=feed_batch_limit)
        self.calls: Counter[str] = Counter()

    async def meters_of(self, usccs: Sequence[str]) -> dict[str, list[Meter]]:
        """Each enterprise's meters (electricity first), from the drops."""
        await self._drops("meters_of")
        return self.ledger.meters_of(usccs)

    async def usage_of(
        self, owner: str, keys: Sequence[str], start: date, end: date, kind: EnergyKind | None = None
    ) -> dict[str, UsageSummary]:
        """Use totals over ``start..end`` per enterprise (``owner="uscc"``), ``"park"`` or ``"city"``."""
        if owner not in ("uscc", "park", "city"):
            raise ValueError(f"unknown owner {owner!r}")
        await self._drops(f"usage_of:{owner}")
        return self.ledger.usage(owner, keys, start, end, kind)

    async def annualised_use(self, usccs: Sequence[str]) -> dict[str, AnnualisedUse | None]:
        """Each enterprise's tce over the last 365 days of drops, scaled to a year."""
        await self._drops("annualised_use")
        return self.ledger.annualised(usccs)

    async def daily_use(self, meter_numbers: Sequence[str], start: date, end: date) -> dict[str, list[DailyUse]]:
        await self._drops("daily_use")
        return self.ledger.daily_use(meter_numbers, start, end)

    async def meters_in_park(self, park_code: str) -> list[Meter]:
        """The park's meters, as the drops place them (electricity first)."""
        await self._drops("meters_in_park")
        return self.ledger.meters_in("park", park_code)

    async def latest_readings(self, meter_numbers: Sequence[str]) -> dict[str, LiveReading]:
        """Live register readings (one feed request per 100 meters)."""
        self.calls["latest_readings"] += 1
        return await self.feed.latest(meter_numbers)

    async def drop_files(self) -> list[DropFile]:
        """The load report of every drop file, newest first (bad rows included)."""
        await self._drops("drop_files")
        return self.ledger.files()

    async def aclose(self) -> None:
        await self.feed.aclose()

    async def _drops(self, method: str) -> None:
        self.calls[method] += 1
        # The drop folder is the metering platform's batch interface, so reading it is this domain's legacy hop,
        # traced like the other systems' calls; most reads find the ledger current and parse no file.
        with telemetry.tracer.start_as_current_span(
            f"legacy {self.system}",
            kind=SpanKind.CLIENT,
            attributes={"legacy.system": self.system, "legacy.operation": f"drops.{method}"},
        ) as span:
            parsed = self.ledger.files_parsed
            await self.ledger.refresh()
            span.set_attribute("legacy.drops.files_parsed", self.ledger.files_parsed - parsed)
