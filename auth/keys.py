"""Token-signing keys: the active key, rotation, and the published JWKS (RFC 7517).

One key signs at a time. ``rotate`` makes a new one active and retires the
old one, which stays in the JWKS for the lifetime of the access tokens it may
still have signed (plus a minute of clock skew), then drops out. Keys are
ES256 (P-256) by default, RS256 (2048-bit) on request.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from joserfc.jwk import ECKey, RSAKey
from sqlalchemy import func, select

from auth.db import Database, SigningKeyRecord

SKEW_SECONDS = 60
SUPPORTED_ALGORITHMS = ("ES256", "RS256")


class UnsupportedSigningAlgorithm(ValueError):
    """An unsupported signing algorithm was asked for."""


@dataclass(frozen=True, slots=True)
class SigningKey:
    kid: str
    alg: str
    key: ECKey | RSAKey


def _generate(alg: str) -> ECKey | RSAKey:
    if alg == "ES256":
        return ECKey.generate_key("P-256")
    if alg == "RS256":
        return RSAKey.generate_key(2048)
    raise UnsupportedSigningAlgorithm(
        f"unsupported signing algorithm {alg!r}; use one of {', '.join(SUPPORTED_ALGORITHMS)}"
    )


def _load(record: SigningKeyRecord) -> SigningKey:
    key: ECKey | RSAKey
    key = ECKey.import_key(record.private_pem) if record.alg == "ES256" else RSAKey.import_key(record.private_pem)
    return SigningKey(record.kid, record.alg, key)


class KeyStore:
    """Signing keys kept in the database, shared by every auth server process."""

    def __init__(self, database: Database, *, algorithm: str = "ES256", token_ttl: int = 900) -> None:
        if algorithm not in SUPPORTED_ALGORITHMS:
            raise UnsupportedSigningAlgorithm(f"unsupported signing algorithm {algorithm!r}")
        self.database = database
        self.algorithm = algorithm
        self.token_ttl = token_ttl
        self._active: SigningKey | None = None

    def active(self) -> SigningKey:
        """The key that signs new tokens (created on first use). Reread on every call: another process may rotate."""
        with self.database.session() as session:
            record = session.scalars(
                select(SigningKeyRecord)
                .where(SigningKeyRecord.retired_at.is_(None))
                .order_by(SigningKeyRecord.sequence.desc())
            ).first()
            if record is None:
                record = self._create(session)
            if self._active is None or self._active.kid != record.kid:
                self._active = _load(record)
            return self._active

    def rotate(self, *, algorithm: str | None = None) -> str:
        """Retire the active key and make a new one active; returns the new ``kid``."""
        now = time.time()
        with self.database.session() as session:
            for record in session.scalars(select(SigningKeyRecord).where(SigningKeyRecord.retired_at.is_(None))):
                record.retired_at = now
            record = self._create(session, algorithm=algorithm)
            self._prune(session, now)
            return record.kid

    def jwks(self) -> dict[str, Any]:
        """The public keys a verifier needs: the active one and those retired less than a token lifetime ago."""
        self.active()
        horizon = time.time() - self.token_ttl - SKEW_SECONDS
        with self.database.session() as session:
            records = session.scalars(
                select(SigningKeyRecord)
                .where(SigningKeyRecord.retired_at.is_(None) | (SigningKeyRecord.retired_at > horizon))
                .order_by(SigningKeyRecord.sequence.desc())
            ).all()
            keys = []
            for record in records:
                public = _load(record).key.as_dict(private=False)
                keys.append({**public, "kid": record.kid, "alg": record.alg, "use": "sig"})
        return {"keys": keys}

    def _create(self, session: Any, *, algorithm: str | None = None) -> SigningKeyRecord:
        alg = algorithm or self.algorithm
        key = _generate(alg)
        sequence = (session.scalar(select(func.max(SigningKeyRecord.sequence))) or 0) + 1
        record = SigningKeyRecord(
            kid=key.thumbprint()[:16],
            alg=alg,
            private_pem=key.as_pem(private=True).decode(),
            created_at=time.time(),
            retired_at=None,
            sequence=sequence,
        )
        session.add(record)
        session.flush()
        return record

    def _prune(self, session: Any, now: float) -> None:
        # Retired keys that no unexpired token can reference are of no further use: drop them.
        horizon = now - self.token_ttl - SKEW_SECONDS
        for record in session.scalars(select(SigningKeyRecord).where(SigningKeyRecord.retired_at < horizon)):
            session.delete(record)
