"""The planner with its bounded LRU cache (federation-notes §4.7).

The key is (document hash, operation name, active override labels that the
supergraph uses). Variable values never enter it: ``@skip``/``@include``
become Condition nodes. A new supergraph means a new QueryPlanner, so the
cache is flushed with it.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import OrderedDict

from graphql import DocumentNode, print_ast

from gateway.planner.build import build_query_plan
from gateway.planner.operation import fragments_of, select_operation
from gateway.planner.plan import QueryPlan
from gateway.supergraph.model import Supergraph

PlanKey = tuple[str, str | None, frozenset[str]]
_PERCENT = re.compile(r"^percent\((\d+(?:\.\d+)?)\)$")


class QueryPlanner:
    """Plans operations against one supergraph, caching up to ``cache_size`` plans."""

    def __init__(self, supergraph: Supergraph, *, cache_size: int = 1024) -> None:
        if cache_size < 1:
            raise ValueError("cache_size must be at least 1")
        self.supergraph = supergraph
        self.cache_size = cache_size
        self._cache: OrderedDict[PlanKey, QueryPlan] = OrderedDict()
        self.hits = 0
        self.misses = 0
        self._percent_labels = {
            label: float(match[1]) for label in supergraph.override_labels if (match := _PERCENT.match(label))
        }
        self._random = random.Random()

    def active_labels(self, requested: frozenset[str]) -> frozenset[str]:
        """The override labels in force for one request: the requested ones plus a roll per ``percent(x)``."""
        rolled = {label for label, percent in self._percent_labels.items() if self._random.random() * 100 < percent}
        return (requested & self.supergraph.override_labels) | rolled

    def plan(
        self,
        document: DocumentNode,
        operation_name: str | None,
        *,
        override_labels: frozenset[str] = frozenset(),
        document_hash: str | None = None,
    ) -> QueryPlan:
        """The plan for one operation; ``document_hash`` (e.g. sha256 of the query text) saves re-printing.

        ``override_labels`` are the custom labels a plugin activated for this request; ``percent(x)`` labels
        are rolled here, so each request follows the progressive-override percentages.
        """
        labels = self.active_labels(override_labels)
        digest = document_hash or hashlib.sha256(print_ast(document).encode()).hexdigest()
        key = (digest, operation_name, labels)
        plan = self._cache.get(key)
        if plan is not None:
            self.hits += 1
            self._cache.move_to_end(key)
            return plan
        self.misses += 1
        operation = select_operation(document, operation_name)
        plan = build_query_plan(self.supergraph, operation, fragments_of(document), override_labels=labels)
        self._cache[key] = plan
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return plan

    def __len__(self) -> int:
        return len(self._cache)
