"""The executor: runs a query plan against the subgraphs, then shapes the client's response.

``execute_plan`` walks the plan (:mod:`gateway.executor.run`), merging every
subgraph result into one response tree; :mod:`gateway.executor.shape` then
walks the client's operation over that tree. Neither raises because a subgraph
failed: failures are GraphQL errors with paths. The executor raises nothing of
its own; programming errors propagate as ordinary exceptions.
"""

from __future__ import annotations

from gateway.executor.run import Executed, TypeOracle, execute_plan

__all__ = ["Executed", "TypeOracle", "execute_plan"]
