"""ParkGraph's identity package: the OAuth 2 authorization server, token verification, the gateway identity.

Modules, one concern each:

* :mod:`auth.app` — the Starlette app (token, authorize + login page, revoke, introspect, metadata, JWKS);
* :mod:`auth.server`, :mod:`auth.grants`, :mod:`auth.endpoints`, :mod:`auth.models` — authlib bound to our tables;
* :mod:`auth.tokens` — RFC 9068 JWT access tokens; :mod:`auth.keys` — signing keys, rotation, JWKS;
* :mod:`auth.db` — the SQLAlchemy tables; :mod:`auth.passwords` — scrypt and SHA-256 hashing;
* :mod:`auth.seed` — demo clients and users (dev mode) and ``create_client``; :mod:`auth.cli` — the commands;
* :mod:`auth.verify` — token verification (the gateway imports it);
* :mod:`auth.identity` — the identity the gateway signs for subgraphs, tenants, PII purposes (gateway and
  subgraphs import it).

The gateway and the subgraphs import only :mod:`auth.verify` and :mod:`auth.identity`.

Errors: OAuth protocol errors are authlib's ``OAuth2Error`` answered per RFC 6749 §5.2 (``invalid_grant``,
``invalid_scope``, ``invalid_client``, …); token verification raises the ``TokenError`` tree of
:mod:`auth.verify`; the gateway identity raises ``IdentityError`` (:mod:`auth.identity`); a bad signing
algorithm is ``UnsupportedSigningAlgorithm`` (:mod:`auth.keys`).
"""
