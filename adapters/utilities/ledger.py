"""The drop folder, loaded incrementally into an in-memory index of meters and daily use.

Each scan lists the folder and parses only files that are new or changed
since they were last loaded (by size and modification time); a changed file
replaces what it contributed before, so reloading is idempotent. Files
still being written (no trailer) are retried on the next scan. Bad rows are
logged and kept in the per-file report, never dropped silently.

Parsing runs in a worker thread: a month of drops for a whole province is a
few hundred thousand rows, and the event loop must keep serving meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from adapters.errors import BadData, LegacyUnavailable
from adapters.utilities.drops import ParsedDrop, drop_day, parse_drop
from adapters.utilities.models import (
    AnnualisedUse,
    DailyUse,
    DropFile,
    DropStatus,
    EnergyKind,
    EnergyTotal,
    Meter,
    UsageSummary,
)
from adapters.utilities.units import CANONICAL_UNIT, to_tce

SYSTEM = "utilities"
logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Seen:
    size: int
    mtime_ns: int


class DropLedger:
    """Everything the drops say, kept current by :meth:`refresh`."""

    def __init__(self, drop_dir: Path, *, rescan_interval: float = 30.0) -> None:
        self.drop_dir = drop_dir
        self.rescan_interval = rescan_interval
        self._lock = asyncio.Lock()
        self._last_scan: float | None = None
        self._seen: dict[str, _Seen] = {}
        self._files: dict[str, DropFile] = {}
        self._contributed: dict[str, set[tuple[str, date]]] = {}
        self._meters: dict[str, Meter] = {}
        self._use: dict[str, dict[date, DailyUse]] = defaultdict(dict)
        self._by_owner: dict[str, dict[str, set[str]]] = {"uscc": {}, "park": {}, "city": {}}
        self.files_parsed = 0  # how many files were parsed, for tests and the operator

    async def refresh(self, *, force: bool = False) -> None:
        """Loads new or changed drops, at most once per ``rescan_interval`` unless forced."""
        if not force and not self._due():
            return
        async with self._lock:
            if not force and not self._due():
                return
            for name, seen in await asyncio.to_thread(self._scan):
                day = drop_day(name)
                assert day is not None  # _scan only lists drop files
                parsed = await asyncio.to_thread(_read_and_parse, self.drop_dir / name, name)
                self.files_parsed += 1
                self._apply(name, day, seen, parsed)
            self._last_scan = time.monotonic()

    def files(self) -> list[DropFile]:
        """The report of every drop seen, newest first."""
        return sorted(self._files.values(), key=lambda f: f.name, reverse=True)

    def meters_of(self, usccs: Iterable[str]) -> dict[str, list[Meter]]:
        return {u: sorted((self._meters[n] for n in self._by_owner["uscc"].get(u, ())), key=_meter_key) for u in usccs}

    def meters_in(self, owner: str, key: str) -> list[Meter]:
        """Every meter of one enterprise (``owner="uscc"``), park or city, electricity first."""
        return sorted((self._meters[n] for n in self._by_owner[owner].get(key, ())), key=_meter_key)

    def daily_use(self, meter_numbers: Iterable[str], start: date, end: date) -> dict[str, list[DailyUse]]:
        result = {}
        for number in meter_numbers:
            days = self._use.get(number, {})
            result[number] = [days[d] for d in sorted(days) if start <= d <= end]
        return result

    def usage(
        self, owner: str, keys: Iterable[str], start: date, end: date, kind: EnergyKind | None
    ) -> dict[str, UsageSummary]:
        """Totals per enterprise (``owner="uscc"``), park or city over ``start..end``, optionally one kind."""
        index = self._by_owner[owner]
        covered = self.days_covered(start, end)
        result = {}
        for key in keys:
            sums: dict[EnergyKind, Decimal] = {}
            for number in index.get(key, ()):
                meter = self._meters[number]
                if kind is not None and meter.kind is not kind:
                    continue
                quantity = sum((u.quantity for d, u in self._use[number].items() if start <= d <= end), Decimal(0))
                sums[meter.kind] = sums.get(meter.kind, Decimal(0)) + quantity
            totals = tuple(
                EnergyTotal(k, q.quantize(Decimal("0.01")), CANONICAL_UNIT[k], to_tce(k, q))
                for k, q in sorted(sums.items(), key=lambda item: list(EnergyKind).index(item[0]))
            )
            result[key] = UsageSummary(start, end, totals, covered)
        return result

    def annualised(self, usccs: Iterable[str]) -> dict[str, AnnualisedUse | None]:
        """Each enterprise's tce over the last 365 days of drops, scaled to a year; None without drops."""
        loaded = [f.day for f in self._files.values() if f.status is DropStatus.LOADED]
        if not loaded:
            return dict.fromkeys(usccs)
        end = max(loaded)
        start = end - timedelta(days=364)
        summaries = self.usage("uscc", usccs, start, end, None)
        result: dict[str, AnnualisedUse | None] = {}
        for uscc, summary in summaries.items():
            days = summary.days_covered
            tce = summary.tce
            annual = (tce * 365 / days).quantize(Decimal("0.001")) if days else Decimal(0)
            result[uscc] = AnnualisedUse(start, end, days, tce, annual)
        return result

    def days_covered(self, start: date, end: date) -> int:
        return sum(1 for f in self._files.values() if f.status is DropStatus.LOADED and start <= f.day <= end)

    def _due(self) -> bool:
        return self._last_scan is None or time.monotonic() - self._last_scan >= self.rescan_interval

    def _scan(self) -> list[tuple[str, _Seen]]:
        try:
            entries = list(os.scandir(self.drop_dir))
        except OSError as exc:
            raise LegacyUnavailable(SYSTEM, f"drop folder {self.drop_dir} cannot be read: {exc.strerror}") from exc
        changed = []
        for entry in entries:
            if drop_day(entry.name) is None or not entry.is_file():
                continue
            stat = entry.stat()
            seen = _Seen(stat.st_size, stat.st_mtime_ns)
            if self._seen.get(entry.name) != seen:
                changed.append((entry.name, seen))
        return sorted(changed)

    def _apply(self, name: str, day: date, seen: _Seen, parsed: ParsedDrop) -> None:
        report = DropFile(name, day, parsed.status, parsed.encoding, len(parsed.rows), parsed.bad_rows, parsed.problem)
        self._files[name] = report
        if parsed.status is DropStatus.PENDING:
            return  # not marked as seen: the next scan reads it again
        self._seen[name] = seen
        if parsed.status is DropStatus.REJECTED:
            logger.error("%s", BadData(SYSTEM, f"drop {name} rejected: {parsed.problem}"))
            return
        for bad in parsed.bad_rows:
            logger.warning("%s", BadData(SYSTEM, f"drop {name} line {bad.line}: {bad.reason}"))
        for key in self._contributed.pop(name, set()):
            self._use[key[0]].pop(key[1], None)
        contributed = set()
        for meter, use in parsed.rows:
            self._index(meter)
            self._use[meter.number][use.day] = use
            contributed.add((meter.number, use.day))
        self._contributed[name] = contributed

    def _index(self, meter: Meter) -> None:
        previous = self._meters.get(meter.number)
        if previous == meter:
            return
        if previous is not None:
            # The meter moved (a new account or owner): it now counts for its new owner only.
            for owner, key in (("uscc", previous.uscc), ("park", previous.park_code), ("city", previous.city_code)):
                self._by_owner[owner].get(key, set()).discard(meter.number)
        self._meters[meter.number] = meter
        for owner, key in (("uscc", meter.uscc), ("park", meter.park_code), ("city", meter.city_code)):
            self._by_owner[owner].setdefault(key, set()).add(meter.number)


def _read_and_parse(path: Path, name: str) -> ParsedDrop:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LegacyUnavailable(SYSTEM, f"drop {name} cannot be read: {exc.strerror}") from exc
    return parse_drop(name, data)


def _meter_key(meter: Meter) -> tuple[int, str]:
    return list(EnergyKind).index(meter.kind), meter.number
