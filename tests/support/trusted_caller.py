"""A gateway plugin for test graphs without an auth server: signs one fixed identity on every subgraph call.

Subgraphs accept only calls the gateway signed (``auth.identity``). A test graph that runs no auth server
still has to sign: :class:`TrustedCaller` vouches for the same identity (the province, by default) on every
call, as the auth plugin would for a verified token. Tests of tenancy use the real auth plugin instead.
"""

from __future__ import annotations

from auth.identity import IDENTITY_HEADER, PROVINCE, Identity, IdentitySigner
from gateway.pipeline.types import Plugin
from gateway.subgraph.types import SubgraphRequest, SubgraphResponse, SubgraphService

PROVINCE_STAFF = Identity(subject="test-province", client_id="tests", tenant=PROVINCE, scopes=frozenset({"graph:read"}))


class TrustedCaller(Plugin):
    name = "trusted-caller"

    def __init__(self, signer: IdentitySigner, identity: Identity = PROVINCE_STAFF) -> None:
        self.signer = signer
        self.identity = identity

    def subgraph_service(self, name: str, service: SubgraphService) -> SubgraphService:
        signer, identity = self.signer, self.identity

        async def sign(request: SubgraphRequest) -> SubgraphResponse:
            request.headers[IDENTITY_HEADER] = signer.sign(identity, name)
            return await service(request)

        return sign
