"""Per-request DataLoaders: how every ``resolve_reference`` and list field avoids N+1 legacy calls.

A :class:`LoaderRegistry` lives on the request context (``context.loaders``);
resolvers ask it for the loader of a batch function, so every resolver of
one request shares one loader per batch function, and the loader's cache dies
with the request (no stale data across requests, no leak across callers)::

    async def resolve_reference(cls, info: Info[RegistryContext, None], uscc: str) -> Enterprise | None:
        loader = info.context.loaders.get(info.context.client.fetch_enterprises, max_batch_size=50)
        return await loader.load(uscc)

A batch function takes a list of distinct keys and returns one value per key,
in the same order (``None`` for a missing record; an ``Exception`` instance
fails that key alone). :func:`ordered` maps legacy records back to key order.
Strawberry resolves ``_entities`` representations one by one, so all the
``load`` calls of one ``_entities`` request land in the same loop tick and
become one batch call (or one per ``max_batch_size`` keys).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from aiodataloader import DataLoader

from adapters.resilience import Staleness, record_stale, stale_sink

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
R = TypeVar("R")

BatchFunction = Callable[[list[K]], Awaitable[Sequence[V]]]


class Loader(Generic[K, V]):
    """A typed DataLoader over one batch function; ``batch_calls`` counts calls made (tests use it)."""

    def __init__(self, batch: BatchFunction[K, V], *, max_batch_size: int | None = None) -> None:
        self._batch = batch
        self.batch_calls = 0
        # aiodataloader binds the running loop when constructed: loaders are created lazily inside a request.
        self._loader: Any = DataLoader(self._load_batch, max_batch_size=max_batch_size)
        # Keys whose batch was answered from a legacy system's last good copy (subgraphs/common/staleness.py).
        self._stale: dict[K, list[Staleness]] = {}

    async def _load_batch(self, keys: list[K]) -> list[V]:
        self.batch_calls += 1
        # The batch runs in a task of its own: its stale notes are handed to each field that loads a key.
        notes: list[Staleness] = []
        token = stale_sink.set(notes)
        try:
            values = list(await self._batch(list(keys)))
        finally:
            stale_sink.reset(token)
        if notes:
            self._stale.update((key, notes) for key in keys)
        if len(values) != len(keys):
            raise ValueError(f"batch function returned {len(values)} values for {len(keys)} keys")
        return values

    async def load(self, key: K) -> V:
        value: V = await self._loader.load(key)
        if self._stale:
            record_stale(*self._stale.get(key, ()))
        return value

    async def load_many(self, keys: Iterable[K]) -> list[V]:
        wanted = list(keys)
        values: list[V] = await self._loader.load_many(wanted)
        if self._stale:
            for key in wanted:
                record_stale(*self._stale.get(key, ()))
        return values


class LoaderRegistry:
    """The DataLoaders of one request, keyed by batch function (or an explicit ``name``)."""

    def __init__(self) -> None:
        self._loaders: dict[Hashable, Loader[Any, Any]] = {}

    def get(
        self, batch: BatchFunction[K, V], *, name: Hashable | None = None, max_batch_size: int | None = None
    ) -> Loader[K, V]:
        """The request's loader for ``batch``, created on first use.

        Bound methods compare equal when they bind the same object, so
        ``loaders.get(client.fetch_enterprises)`` finds the same loader in
        every resolver. Pass ``name`` when the batch function is a fresh
        closure each time.
        """
        key = name if name is not None else batch
        loader = self._loaders.get(key)
        if loader is None:
            loader = Loader(batch, max_batch_size=max_batch_size)
            self._loaders[key] = loader
        return loader

    def __len__(self) -> int:
        return len(self._loaders)


def ordered(keys: Sequence[K], records: Iterable[R], key_of: Callable[[R], K]) -> list[R | None]:
    """``records`` rearranged to follow ``keys`` (``None`` where the legacy system had no record)."""
    by_key = {key_of(record): record for record in records}
    return [by_key.get(key) for key in keys]
