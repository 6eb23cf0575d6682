"""The authorization server's tables (clients, users, codes, refresh tokens, signing keys, revoked tokens).

Synchronous SQLAlchemy on purpose: authlib's grant and endpoint classes call
``query_client``, ``save_token`` and friends synchronously, so the Starlette
handlers run them in a worker thread. SQLite by default; PostgreSQL (psycopg 3)
when the URL says so. Secrets, passwords, codes and refresh tokens are stored
hashed (see :mod:`auth.passwords`), never in clear.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Boolean, Engine, Float, Integer, String, Text, create_engine, event, text
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker


class Base(DeclarativeBase):
    pass


class ClientRecord(Base):
    """An OAuth client: a third-party system, a city data centre or a front end."""

    __tablename__ = "oauth_client"

    client_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    secret_hash: Mapped[str | None] = mapped_column(String(200))  # None: a public client (PKCE only)
    name: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[str] = mapped_column(Text, default="")  # the most the client may ask for, space-separated
    tenant: Mapped[str | None] = mapped_column(String(120))  # the client's own tenant (client credentials)
    grant_types: Mapped[str] = mapped_column(Text, default="client_credentials")
    redirect_uris: Mapped[str] = mapped_column(Text, default="")
    token_endpoint_auth_method: Mapped[str] = mapped_column(String(40), default="client_secret_basic")
    demo: Mapped[bool] = mapped_column(Boolean, default=False)  # seeded demo client: accepted only in dev mode
    created_at: Mapped[float] = mapped_column(Float, default=time.time)


class UserRecord(Base):
    """A person who logs in on the login page (authorization code flow)."""

    __tablename__ = "oauth_user"

    username: Mapped[str] = mapped_column(String(120), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(200))
    tenant: Mapped[str] = mapped_column(String(120))
    scopes: Mapped[str] = mapped_column(Text, default="")  # the most this user may grant
    demo: Mapped[bool] = mapped_column(Boolean, default=False)


class CodeRecord(Base):
    """An authorization code, stored by its SHA-256; single use."""

    __tablename__ = "oauth_code"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(120), index=True)
    username: Mapped[str] = mapped_column(String(120))
    redirect_uri: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[str] = mapped_column(Text, default="")
    nonce: Mapped[str | None] = mapped_column(String(200))
    code_challenge: Mapped[str | None] = mapped_column(String(200))
    code_challenge_method: Mapped[str | None] = mapped_column(String(20))
    auth_time: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float)


class RefreshTokenRecord(Base):
    """A refresh token by its SHA-256. Rotation keeps the family: reusing a rotated token revokes it all."""

    __tablename__ = "oauth_refresh_token"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    family_id: Mapped[str] = mapped_column(String(64), index=True)
    client_id: Mapped[str] = mapped_column(String(120), index=True)
    username: Mapped[str] = mapped_column(String(120))
    scope: Mapped[str] = mapped_column(Text, default="")
    issued_at: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[float] = mapped_column(Float)
    rotated_at: Mapped[float | None] = mapped_column(Float)  # set when exchanged for a successor
    revoked_at: Mapped[float | None] = mapped_column(Float)


class RevokedAccessToken(Base):
    """An access token revoked before it expired (RFC 7009), by ``jti``; introspection reports it inactive."""

    __tablename__ = "oauth_revoked_access_token"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[float] = mapped_column(Float)


class SigningKeyRecord(Base):
    """A token-signing key pair; retired keys stay published until the tokens they signed have expired."""

    __tablename__ = "oauth_signing_key"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    alg: Mapped[str] = mapped_column(String(10))
    private_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[float] = mapped_column(Float)
    retired_at: Mapped[float | None] = mapped_column(Float)
    sequence: Mapped[int] = mapped_column(Integer, default=0)


def engine_url(url: str) -> str:
    """``postgresql://…`` (as DATABASE_URL is usually written) → the psycopg 3 dialect SQLAlchemy needs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def create_db_engine(url: str, *, schema: str | None = None) -> Engine:
    """An engine for ``url``; ``schema`` puts every table in that PostgreSQL schema (tests use one per run)."""
    url = engine_url(url)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _wal(dbapi_connection: object, _record: object) -> None:
            cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

        return engine
    if schema is not None:
        engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"}, pool_pre_ping=True)
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        return engine
    return create_engine(url, pool_pre_ping=True)


class Database:
    """The engine and a session factory; ``create_all`` makes the tables if they are missing."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def connect(cls, url: str, *, schema: str | None = None) -> Database:
        database = cls(create_db_engine(url, schema=schema))
        database.create_all()
        return database

    def create_all(self) -> None:
        Base.metadata.create_all(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on error."""
        with self._sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
