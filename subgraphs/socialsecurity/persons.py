"""Opaque person identifiers: an HMAC of the resident ID number with the subgraph's key.

The identifier is stable (the same person has the same ``Person.id`` in every
answer and every replica that shares the key) and reveals nothing about the
ID number. An HMAC cannot be reversed, so the directory remembers, for the
persons this process has answered, which ID number an identifier stands for;
``Person`` entities are resolved through it (bounded, least recently used
first out). A replica that never saw a person answers ``null`` for its id.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import OrderedDict

ID_PREFIX = "psn_"


class PersonDirectory:
    """Makes opaque person ids and remembers which resident ID each one stands for."""

    def __init__(self, key: bytes, *, capacity: int = 200_000) -> None:
        if len(key) < 16:
            raise ValueError("the person-id key must have at least 16 bytes")
        self._key = key
        self._capacity = capacity
        self._known: OrderedDict[str, str] = OrderedDict()

    def id_of(self, resident_id: str) -> str:
        """The person's opaque id; remembered so that ``resolve`` can find the person again."""
        digest = hmac.new(self._key, resident_id.encode(), hashlib.sha256).hexdigest()[:32]
        person_id = ID_PREFIX + digest
        self._known[person_id] = resident_id
        self._known.move_to_end(person_id)
        while len(self._known) > self._capacity:
            self._known.popitem(last=False)
        return person_id

    def resident_id_of(self, person_id: str) -> str | None:
        resident_id = self._known.get(person_id)
        if resident_id is not None:
            self._known.move_to_end(person_id)
        return resident_id
