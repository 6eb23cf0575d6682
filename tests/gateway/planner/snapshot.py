"""Printed-plan snapshots: ``PARKGRAPH_UPDATE_SNAPSHOTS=1`` rewrites them, otherwise they must match."""

from __future__ import annotations

import os
from pathlib import Path

SNAPSHOTS = Path(__file__).parent / "snapshots"


def assert_snapshot(name: str, printed: str) -> None:
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("PARKGRAPH_UPDATE_SNAPSHOTS") == "1" or not path.exists():
        if os.environ.get("CI"):
            raise AssertionError(f"snapshot {path.name} is missing; generate it locally and review it")
        path.write_text(printed + "\n", encoding="utf-8")
    assert printed + "\n" == path.read_text(encoding="utf-8"), f"plan differs from snapshot {path.name}"
