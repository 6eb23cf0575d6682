"""The social security subgraph's request context: the SOAP client and the person directory."""

from __future__ import annotations

from dataclasses import dataclass

from adapters.socialsecurity.client import SocialSecurityClient
from subgraphs.common import SubgraphContext
from subgraphs.socialsecurity.persons import PersonDirectory


@dataclass
class SocialSecurityContext(SubgraphContext):
    """Per-request state; ``client`` and ``directory`` are shared by all requests of the app."""

    client: SocialSecurityClient | None = None
    directory: PersonDirectory | None = None

    @property
    def social_security(self) -> SocialSecurityClient:
        if self.client is None:
            raise RuntimeError("SocialSecurityContext built without a client")
        return self.client

    @property
    def persons(self) -> PersonDirectory:
        if self.directory is None:
            raise RuntimeError("SocialSecurityContext built without a person directory")
        return self.directory
