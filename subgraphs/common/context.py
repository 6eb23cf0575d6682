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

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from starlette.requests import Request

from auth.identity import PROVINCE, Identity, Tenant
from schema.personal import MASK_ALL, Disclosure
from subgraphs.common.audit import AuditLog
from subgraphs.common.loaders import LoaderRegistry


@dataclass
class SubgraphContext:
    """Per-request state: the HTTP request, the DataLoaders, and the personal-data disclosure policy."""

    request: Request | None = None
    loaders: LoaderRegistry = field(default_factory=LoaderRegistry)
    # Masks every kind of personal data; the app sets it from the caller's scope and purpose.
    personal: Disclosure = MASK_ALL
    # Who is calling, as the gateway signed it (None: an unsigned in-process or dev caller, trusted).
    identity: Identity | None = None
    # Whose rows the caller may see (subgraphs.common.tenancy); None is anonymous. A context built without
    # the app (tests, scripts) is trusted with the province; the app sets the verified tenant.
    tenant: Tenant | None = PROVINCE
    # Where unmasked reads are recorded (set by the app; no log, no unmasked reads).
    audit: AuditLog | None = None
    # The park an enterprise sits in, as this subgraph's legacy records say (set by the tenancy guard from the
    # schema's ``park_of``); a park tenant sees only enterprises it places in its park.
    park_of: Callable[[str], Awaitable[str | None]] | None = None
