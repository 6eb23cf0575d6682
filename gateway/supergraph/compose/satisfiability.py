"""Step 5: satisfiability (placeholder)."""

from __future__ import annotations

from gateway.supergraph.compose.codes import CompositionError
from gateway.supergraph.compose.merged import Merged


def check_satisfiability(merged: Merged) -> list[CompositionError]:
    return []
