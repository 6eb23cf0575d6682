"""Idempotent mutations: the same idempotency key gives the same result and no second write.

Every mutation that writes to a legacy system takes ``idempotencyKey:
String!`` and runs its write through :meth:`IdempotencyStore.run`::

    result = await store.run("submitApplication", key, payload=input_as_dict, operation=lambda: client.submit(...))

* first call with a key: runs ``operation`` and remembers its result;
* a retry with the same key and the same payload (concurrent or later):
  answers the remembered result without running ``operation`` again;
* the same key with a different payload: raises ``IdempotencyConflict``
  (``IDEMPOTENCY_CONFLICT``): the client reused a key by mistake;
* if ``operation`` fails, nothing is remembered, so a retry may write;
* if it times out (``LegacyTimeout``: the legacy system may have done the
  write and lost the answer), the client is told ``WRITE_OUTCOME_UNKNOWN``
  with its ``idempotencyKey``, never a plain failure: a retry with the same
  key is safe because the legacy write itself is keyed (see below).

The store lives in the subgraph process (one per app, not per request) and
forgets entries after ``ttl_seconds``. With several replicas, also pass the
key to the legacy system where it accepts one (the approvals platform does),
so a retry that reaches another replica still writes once.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from adapters.errors import LegacyTimeout
from schema.errors import BadUserInput, IdempotencyConflict, WriteOutcomeUnknown

T = TypeVar("T")

MAX_KEY_LENGTH = 200


@dataclass
class _Entry:
    fingerprint: str
    result: asyncio.Future[Any]
    expires_at: float


def fingerprint(payload: Mapping[str, Any]) -> str:
    """A stable digest of a mutation's arguments (key order does not matter)."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def legacy_key(scope: str, key: str, payload: Mapping[str, Any]) -> str:
    """The key to hand a legacy system that deduplicates writes (a header, a unique column).

    Stable for a retry of one request, distinct for a different request under the same client key, so two
    clients that happen to pick the same key never receive each other's record from the legacy system.
    """
    return hashlib.sha256(f"{scope}\n{key}\n{fingerprint(payload)}".encode()).hexdigest()


class IdempotencyStore:
    """Remembers mutation results by (scope, idempotency key); see the module docstring."""

    def __init__(self, *, ttl_seconds: float = 24 * 3600, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl_seconds
        self._clock = clock
        self._entries: dict[tuple[str, str], _Entry] = {}

    async def run(
        self, scope: str, key: str, *, payload: Mapping[str, Any], operation: Callable[[], Awaitable[T]]
    ) -> T:
        """The result of ``operation`` for this key, running it at most once per (scope, key) while remembered."""
        if not key or len(key) > MAX_KEY_LENGTH:
            raise BadUserInput(f"idempotencyKey must have 1 to {MAX_KEY_LENGTH} characters")
        self._expire()
        digest = fingerprint(payload)
        entry = self._entries.get((scope, key))
        if entry is not None:
            if entry.fingerprint != digest:
                raise IdempotencyConflict(
                    f"idempotency key {key!r} was already used for a different {scope} request", scope=scope
                )
            # shield: a retry that is cancelled must not cancel the first call's write.
            return cast(T, await asyncio.shield(entry.result))
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._entries[(scope, key)] = _Entry(digest, future, self._clock() + self._ttl)
        try:
            result = await operation()
        except BaseException as exc:
            # Forget a failed write so that a retry can try again; waiting duplicates see the same failure.
            del self._entries[(scope, key)]
            if isinstance(exc, Exception):
                future.set_exception(exc)
                future.exception()  # mark retrieved: nobody may be waiting
            else:
                future.cancel()
            if isinstance(exc, LegacyTimeout):
                raise WriteOutcomeUnknown(
                    f"{scope}: the legacy system '{exc.system}' did not confirm the write in time; it may have been"
                    f" done. Retry with the same idempotencyKey: it will be done at most once.",
                    idempotencyKey=key,
                    legacySystem=exc.system,
                ) from exc
            raise
        future.set_result(result)
        return result

    def _expire(self) -> None:
        now = self._clock()
        for scope_key in [k for k, entry in self._entries.items() if entry.expires_at <= now and entry.result.done()]:
            del self._entries[scope_key]

    def __len__(self) -> int:
        return len(self._entries)
