"""What every subgraph shares: app factory, schema factory, context, DataLoaders, errors, connections, idempotency.

Read in this order to write a subgraph:

* :mod:`subgraphs.common.schema` — ``create_federation_schema(domain=..., query=...)``: Federation 2, the shared
  scalars (``schema.scalars``), the error policy;
* :mod:`subgraphs.common.context` — ``SubgraphContext`` (subclass it to carry your adapter client);
* :mod:`subgraphs.common.loaders` — ``context.loaders.get(batch_fn, max_batch_size=...)`` in every
  ``resolve_reference`` and list field;
* :mod:`subgraphs.common.errors` — how ``AdapterError`` and ``schema.errors.SubgraphError`` reach the client;
* :mod:`subgraphs.common.connections` — ``Connection[T]``, ``page_request``, ``connection_from_page``;
* :mod:`subgraphs.common.idempotency` — ``IdempotencyStore.run`` for mutations;
* :mod:`subgraphs.common.app` — ``create_subgraph_app(schema, name=..., context_factory=...)``;
* :mod:`subgraphs.common.cli` — ``parse_args`` for ``__main__`` with ``PARKGRAPH_<DOMAIN>_<OPTION>`` fallbacks.
"""

from __future__ import annotations

from subgraphs.common.app import create_subgraph_app
from subgraphs.common.connections import Connection, Edge, PageInfo, connection_from_page, page_request
from subgraphs.common.context import SubgraphContext
from subgraphs.common.idempotency import IdempotencyStore
from subgraphs.common.loaders import Loader, LoaderRegistry, ordered
from subgraphs.common.schema import create_federation_schema

__all__ = [
    "Connection",
    "Edge",
    "IdempotencyStore",
    "Loader",
    "LoaderRegistry",
    "PageInfo",
    "SubgraphContext",
    "connection_from_page",
    "create_federation_schema",
    "create_subgraph_app",
    "ordered",
    "page_request",
]
