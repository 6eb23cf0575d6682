"""The subgraph layer: one GraphQL request to one subgraph over pooled HTTP.

The executor sees this layer only as a :class:`SubgraphService`, an async
callable from :class:`SubgraphRequest` to :class:`SubgraphResponse`, so plugins
can wrap it (identity headers, retries, circuit breaking) and tests can replace
it.

Exception tree (every one carries its GraphQL code)::

    GatewayError                       (gateway.errors)
    └── SubgraphError                  a subgraph call failed as a whole
        ├── SubgraphUnavailable        SUBGRAPH_UNAVAILABLE: refused, reset, HTTP error status
        ├── SubgraphInvalidResponse    SUBGRAPH_INVALID_RESPONSE: HTML or bad JSON under a 2xx status
        └── UpstreamTimeout            UPSTREAM_TIMEOUT: no answer before the request's deadline

Transports raise only the built-in ``TimeoutError`` and ``ConnectionError``;
:class:`SubgraphClient` translates them into this tree.
"""

from __future__ import annotations

from gateway.subgraph.client import AiohttpTransport, RawResponse, SubgraphClient, Transport
from gateway.subgraph.types import (
    SubgraphError,
    SubgraphInvalidResponse,
    SubgraphRequest,
    SubgraphResponse,
    SubgraphService,
    SubgraphUnavailable,
    UpstreamTimeout,
)

__all__ = [
    "AiohttpTransport",
    "RawResponse",
    "SubgraphClient",
    "SubgraphError",
    "SubgraphInvalidResponse",
    "SubgraphRequest",
    "SubgraphResponse",
    "SubgraphService",
    "SubgraphUnavailable",
    "Transport",
    "UpstreamTimeout",
]
