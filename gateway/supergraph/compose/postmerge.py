"""Step 4: checks on the merged supergraph (placeholder, filled in below)."""

from __future__ import annotations

from gateway.supergraph.compose.codes import CompositionError
from gateway.supergraph.compose.merged import Merged


def post_merge_checks(merged: Merged) -> list[CompositionError]:
    return []
