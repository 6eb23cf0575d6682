"""Faults of the field units' HJ 212 stream, switchable at run time (``PUT /__admin/stream``).

The HTTP faults of :mod:`mocks.faults` cover the registry; these cover the TCP
stream, where the real trouble is:

* ``silent``: MNs that stop sending (``["*"]``: every unit), for missing-data alarms;
* ``burst``: frames every unit sends at once on its next tick (a unit flushing its backlog), once per PUT;
* ``corrupt_rate`` and ``corrupt_kinds``: share of frames sent broken, and how
  (``bad_crc``, ``bad_length``, ``unknown_code``);
* ``exceed``: MN → factor applied to its values (``{"<mn>": 3}`` triples them: an exceedance);
* ``reconnect``: a PUT with ``true`` drops every connection once; the units dial again;
* ``interval_s``: seconds between real-time frames.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

CORRUPTIONS = ("bad_crc", "bad_length", "unknown_code")


@dataclass
class StreamFaults:
    silent: list[str] = field(default_factory=list)
    burst: int = 0
    corrupt_rate: float = 0.0
    corrupt_kinds: list[str] = field(default_factory=lambda: list(CORRUPTIONS))
    exceed: dict[str, float] = field(default_factory=dict)
    interval_s: float = 30.0
    reconnects: int = 0  # how many times a reconnect was asked for; each unit compares with what it saw
    bursts: int = 0  # how many times a burst was asked for, likewise

    def update(self, changes: dict[str, Any]) -> None:
        if changes.get("reset"):
            interval = self.interval_s
            for name, value in asdict(StreamFaults()).items():
                if name not in ("reconnects", "bursts"):
                    setattr(self, name, value)
            self.interval_s = interval
        if changes.get("reconnect"):
            self.reconnects += 1
        if changes.get("burst"):
            self.bursts += 1
        for f in fields(self):
            if f.name in changes and f.name not in ("reconnects", "bursts"):
                current = getattr(self, f.name)
                value = changes[f.name]
                if isinstance(current, list | dict):
                    if not isinstance(value, type(current)):
                        raise ValueError(f"{f.name} must be a {type(current).__name__}")
                    setattr(self, f.name, value)
                else:
                    setattr(self, f.name, type(current)(value))
        unknown = set(self.corrupt_kinds) - set(CORRUPTIONS)
        if unknown:
            raise ValueError(f"unknown corruptions {sorted(unknown)}")

    def is_silent(self, mn: str) -> bool:
        return "*" in self.silent or mn in self.silent

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
