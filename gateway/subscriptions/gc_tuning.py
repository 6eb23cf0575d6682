"""The collector's young-generation threshold for a process that fans events out to many clients.

Measured with ``scripts/bench-subscriptions -n 10000``: with ten thousand
connections alive, CPython's young collections cost tens of milliseconds each
(not the microseconds their few hundred young objects suggest), and a fan-out
of one event allocates enough to run a hundred of them; at the default
threshold of 700 the collector took about 40 % of the gateway's CPU and most
of the delivery latency. A threshold of 20,000 runs it about thirty times
less often for the same garbage, freed a little later (cycles only: reference
counting frees everything else at once), so memory stays flat.
"""

from __future__ import annotations

import gc

DEFAULT_YOUNG_THRESHOLD = 20_000


def raise_young_threshold(threshold: int = DEFAULT_YOUNG_THRESHOLD) -> None:
    """Sets generation 0's threshold to at least ``threshold`` (never lowers one set higher elsewhere)."""
    young, middle, old = gc.get_threshold()
    if young != 0 and young < threshold:  # 0: automatic collection is off; leave it so
        gc.set_threshold(threshold, middle, old)
