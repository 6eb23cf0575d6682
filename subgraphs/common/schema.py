"""The factory every subgraph builds its strawberry federation schema with.

:func:`create_federation_schema` fixes what all subgraphs share: Federation 2
(``@link`` to :data:`FEDERATION_VERSION`), the shared scalars of ``schema.scalars``, the error policy,
and the stale-data marks (``subgraphs/common/staleness.py``).
Pass extra strawberry types that are reachable only through ``_entities``
(entity stubs) in ``types``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from schema.scalars import SCALAR_MAP
from subgraphs.common.audit_reads import PersonalDataAudit
from subgraphs.common.errors import ErrorPolicy
from subgraphs.common.staleness import StalenessExtension
from subgraphs.common.tenancy_guard import ParkOf, TenancyGuard

FederationVersion = Literal["2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9"]
# One version for every subgraph, so the composer sees one @link: 2.7 has everything we use (@key, @shareable,
# @external, @requires, @provides, @override with labels, @authenticated/@requiresScopes/@policy).
FEDERATION_VERSION: FederationVersion = "2.7"


class SubgraphSchema(strawberry.federation.Schema):
    """A federation schema whose errors are logged by :class:`ErrorPolicy`, which knows expected from unexpected."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        # strawberry would log every error with its traceback, legacy outages included; the policy logs instead.
        return None


def create_federation_schema(
    *,
    domain: str,
    query: type,
    mutation: type | None = None,
    subscription: type | None = None,
    types: Sequence[type] = (),
    extensions: Iterable[Any] = (),
    federation_version: FederationVersion = FEDERATION_VERSION,
    park_of: ParkOf | None = None,
    tenancy_guard: bool = True,
) -> SubgraphSchema:
    """A Federation 2 schema for the subgraph ``domain`` with the shared scalars and error policy.

    The tenancy guard (:mod:`subgraphs.common.tenancy_guard`) checks every field added to ``Enterprise``,
    ``Park`` and ``City``; ``park_of(context, uscc)`` places an enterprise in its park for park tenants.
    The registry, which owns those entities (and whose places are public), checks its own and passes
    ``tenancy_guard=False``.
    """
    policy: Any = functools.partial(ErrorPolicy, domain=domain)
    audit: Any = functools.partial(PersonalDataAudit, domain=domain)
    guard: Any = functools.partial(TenancyGuard, park_of=park_of)
    extra: list[type[SchemaExtension] | Any] = [*extensions, *([guard] if tenancy_guard else []), audit]
    return SubgraphSchema(
        query=query,
        mutation=mutation,
        subscription=subscription,
        types=list(types),
        federation_version=federation_version,
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
        extensions=[*extra, StalenessExtension, policy],
    )
