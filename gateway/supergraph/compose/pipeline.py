"""The composition pipeline: parse → federation-validate → merge → post-merge checks → satisfiability → print.

Each step returns errors (and hints) instead of raising; a step runs only
when the ones before it succeeded, as in Apollo's ``compose()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from gateway.supergraph.compose.codes import CompositionError, Hint
from gateway.supergraph.compose.merge import merge
from gateway.supergraph.compose.model import Subgraph
from gateway.supergraph.compose.parse import parse_subgraph
from gateway.supergraph.compose.postmerge import post_merge_checks
from gateway.supergraph.compose.printer import print_supergraph
from gateway.supergraph.compose.satisfiability import check_satisfiability
from gateway.supergraph.compose.upgrade import upgrade_fed1
from gateway.supergraph.compose.validate import validate_subgraph


@dataclass(frozen=True, slots=True)
class SubgraphSource:
    """A subgraph to compose: its name, routing URL and SDL."""

    name: str
    url: str
    sdl: str


@dataclass(frozen=True, slots=True)
class CompositionResult:
    """Either a supergraph SDL or errors, plus hints in both cases."""

    supergraph_sdl: str | None
    errors: tuple[CompositionError, ...] = ()
    hints: tuple[Hint, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.errors and self.supergraph_sdl is not None


def compose(sources: Sequence[SubgraphSource], *, satisfiability: bool = True) -> CompositionResult:
    errors: list[CompositionError] = []
    if not sources:
        return CompositionResult(None, (CompositionError("NO_QUERIES", "No subgraphs to compose"),))
    names = [s.name for s in sources]
    for name in {n for n in names if names.count(n) > 1}:
        errors.append(CompositionError("INVALID_SUBGRAPH_NAME", f'A subgraph named "{name}" is given more than once'))
    subgraphs: list[Subgraph] = []
    for source in sources:
        subgraph, parse_errors = parse_subgraph(source.name, source.url, source.sdl)
        errors.extend(parse_errors)
        if subgraph is not None:
            subgraphs.append(subgraph)
    if errors:
        return CompositionResult(None, tuple(errors))
    upgrade_fed1(subgraphs)
    for subgraph in subgraphs:
        errors.extend(validate_subgraph(subgraph))
    if errors:
        return CompositionResult(None, tuple(errors))
    merged, merge_errors, hints = merge(subgraphs)
    errors.extend(merge_errors)
    if not errors:
        errors.extend(post_merge_checks(merged))
    if not errors and satisfiability:
        errors.extend(check_satisfiability(merged))
    if errors:
        return CompositionResult(None, tuple(errors), tuple(hints))
    return CompositionResult(print_supergraph(merged), (), tuple(hints))
