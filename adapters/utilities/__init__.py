"""The energy-metering platform (能源计量) adapter: daily CSV drops plus the live meter feed.

:class:`~adapters.utilities.client.UtilitiesClient` is the one entry point; it
combines :class:`~adapters.utilities.ledger.DropLedger` (incremental loading of
the drop folder into an in-memory index) and
:class:`~adapters.utilities.feed.RealtimeFeed` (the live register readings,
batched by the platform's limit of 100 meters per call). Everything leaves as
the frozen dataclasses of :mod:`adapters.utilities.models`, errors as the tree
of :mod:`adapters.errors`.
"""

from __future__ import annotations

from adapters.utilities.client import UtilitiesClient

SYSTEM = "utilities"

__all__ = ["SYSTEM", "UtilitiesClient"]
