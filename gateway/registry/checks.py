"""The checks a change must pass: namespace, composition, breaking changes, and the operations clients run.

:func:`run_checks` takes the graph as it is and as it would be after the
change, and returns a :class:`~gateway.registry.model.CheckReport`; nothing
raises. Breaking changes are found by comparing the two API schemas
(graphql-core's ``find_breaking_changes``: removed or retyped fields and
arguments, arguments and input fields made required, enum values and union
members removed, ...). What blocks a change follows the policy:

* ``usage`` (the default, as in Apollo's schema checks): a breaking change
  blocks only when an operation recorded in the usage window stops
  validating against the new API schema; other breaking changes are warnings;
* ``strict``: every breaking change blocks.

Namespace and composition errors always block.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Literal

from graphql import GraphQLError, GraphQLSchema, parse, validate
from graphql.utilities import find_breaking_changes

from gateway.errors import GatewayError
from gateway.registry.model import CheckIssue, CheckReport, GraphVersion, RecordedOperation, RegisteredSubgraph
from gateway.registry.namespace import namespace_issues
from gateway.supergraph import load_supergraph
from gateway.supergraph.compose import SubgraphSource, compose

BreakingPolicy = Literal["usage", "strict"]


@functools.lru_cache(maxsize=8)
def api_schema(supergraph_sdl: str) -> GraphQLSchema:
    """The API schema of a supergraph (cached: the current graph is compared against on every check)."""
    return load_supergraph(supergraph_sdl).api_schema


def run_checks(
    *,
    current: GraphVersion | None,
    proposed: Sequence[RegisteredSubgraph],
    changed: RegisteredSubgraph | None,
    operations: Sequence[RecordedOperation] = (),
    policy: BreakingPolicy = "usage",
    satisfiability: bool = True,
) -> CheckReport:
    """The report for replacing ``current``'s subgraphs by ``proposed`` (``changed`` is the one published)."""
    issues: list[CheckIssue] = []
    old_api = api_schema(current.supergraph_sdl) if current is not None and current.supergraph_sdl else None
    if changed is not None:
        issues.extend(_namespace(changed, old_api))
    result = compose([SubgraphSource(s.name, s.url, s.sdl) for s in proposed], satisfiability=satisfiability)
    hints = tuple(f"[{h.code}] {h.message}" for h in result.hints)
    issues.extend(CheckIssue("composition", e.code, e.message) for e in result.errors)
    if not result.ok or result.supergraph_sdl is None:
        return CheckReport(tuple(issues), None, hints)
    try:
        new_api = api_schema(result.supergraph_sdl)
    except GatewayError as exc:
        issues.append(CheckIssue("composition", exc.code, f"the gateway cannot serve the supergraph: {exc.message}"))
        return CheckReport(tuple(issues), None, hints)
    if old_api is not None:
        severity: Literal["error", "warning"] = "error" if policy == "strict" else "warning"
        for change in find_breaking_changes(old_api, new_api):
            issues.append(CheckIssue("breaking", change.type.name, change.description, severity))
    checked = 0
    for operation in operations:
        broken = _breaks(operation, old_api, new_api)
        if broken is None:
            continue
        checked += 1
        if broken:
            issues.append(CheckIssue("operations", "OPERATION_BROKEN", _describe(operation, broken)))
    return CheckReport(tuple(issues), result.supergraph_sdl, hints, checked)


def _namespace(changed: RegisteredSubgraph, old_api: GraphQLSchema | None) -> list[CheckIssue]:
    try:
        document = parse(changed.sdl, no_location=True)
    except GraphQLError:
        return []  # composition reports the syntax error with its code
    return namespace_issues(changed.owner, document, old_api)


def _breaks(operation: RecordedOperation, old_api: GraphQLSchema | None, new_api: GraphQLSchema) -> list[str] | None:
    """The validation errors the operation would get; None if it is not worth checking (it never validated)."""
    try:
        document = parse(operation.document, no_location=True)
    except GraphQLError:
        return None
    if old_api is not None and validate(old_api, document, max_errors=1):
        return None  # already failing today: not this change's doing
    return [error.message for error in validate(new_api, document, max_errors=5)]


def _describe(operation: RecordedOperation, errors: Sequence[str]) -> str:
    name = operation.operation_name or "(anonymous)"
    clients = ", ".join(c or "anonymous" for c in operation.clients) or "unknown clients"
    return (
        f'Operation "{name}" ({operation.op_hash[:12]}, run {operation.count} time(s) by {clients}) '
        f"would break: {'; '.join(errors)}"
    )
