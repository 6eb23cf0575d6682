"""The request context every subgraph resolver receives as ``info.context``.

Subclass :class:`SubgraphContext` to add what your domain's resolvers need
(usually the adapter client), and build it in the ``context_factory`` passed
to ``create_subgraph_app``::

    @dataclass
    class RegistryContext(SubgraphContext):
        client: RegistryClient | None = None

    app = create_subgraph_app(schema, name="registry",
                              context_factory=lambda request: RegistryContext(request=request, client=client))

The context is created per request, so its :class:`LoaderRegistry` (and the
DataLoader caches in it) never outlive the request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request

from schema.personal import MASK_ALL, Disclosure
from subgraphs.common.loaders import LoaderRegistry


@dataclass
class SubgraphContext:
    """Per-request state: the HTTP request, the DataLoaders, and the personal-data disclosure policy."""

    request: Request | None = None
    loaders: LoaderRegistry = field(default_factory=LoaderRegistry)
    # Masks every kind of personal data; the auth issue sets it from the caller's scopes in the factory.
    personal: Disclosure = MASK_ALL
