"""Parsing one daily drop file (``METER_DAILY_yyyyMMdd.csv``) of the metering platform.

The export's quirks, all handled here and nowhere else: GBK or UTF-8 with a
byte order mark, Chinese headers in any order, dates as ``2026-11-27``,
``2026/11/7`` or ``20261127``, numbers with thousands separators, the
remark 估抄 for estimated readings, stated units of every spelling, and a
trailer row ``合计 … 共N条`` whose count must match the detail rows (a file
without it is still being written). A bad row becomes a :class:`BadRow` with
its reason; the rest of the file still loads.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from adapters.utilities.models import BadRow, DailyUse, DropStatus, Meter
from adapters.utilities.units import KIND_NAMES, UnknownUnit, unit_factor
from schema.identifiers import InvalidIdentifier, validate_uscc

FILE_NAME = re.compile(r"^METER_DAILY_(\d{8})\.csv$")
_COLUMNS = {
    "meter": "表号",
    "account": "户号",
    "uscc": "统一社会信用代码",
    "park": "园区编码",
    "city": "行政区划",
    "kind": "能源类型",
    "day": "抄表日期",
    "quantity": "用量",
    "unit": "单位",
}
_REMARK = "备注"
_TRAILER = "合计"
_COUNT = re.compile(r"共\s*(\d+)\s*条")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d")


@dataclass(frozen=True, slots=True)
class ParsedDrop:
    """One file's good rows (meter and its use per row), bad rows, and whether the file as a whole loads."""

    status: DropStatus
    encoding: str | None
    rows: tuple[tuple[Meter, DailyUse], ...]
    bad_rows: tuple[BadRow, ...]
    problem: str | None = None


def drop_day(name: str) -> date | None:
    """The day a drop file is for, from its name; None for files that are not drops."""
    match = FILE_NAME.match(name)
    if match is None:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y%m%d").date()
    except ValueError:
        return None


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was in: a BOM means UTF-8, otherwise UTF-8 if it decodes, else GBK."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # GB18030 is the superset of GBK that the export's Windows servers really write.
        return data.decode("gb18030"), "gbk"


def parse_drop(name: str, data: bytes) -> ParsedDrop:
    """Parses one drop file; never raises for bad content (that is reported in the result)."""
    try:
        text, encoding = decode(data)
    except UnicodeDecodeError as exc:
        return _rejected(None, f"neither UTF-8 nor GBK: {exc.reason} at byte {exc.start}")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return ParsedDrop(DropStatus.PENDING, encoding, (), (), "empty file")
    positions = {name.strip(): index for index, name in enumerate(header)}
    missing = [title for title in _COLUMNS.values() if title not in positions]
    if missing:
        return _rejected(encoding, f"missing columns: {', '.join(missing)}")
    index = {key: positions[title] for key, title in _COLUMNS.items()}
    remark_at = positions.get(_REMARK)
    rows: list[tuple[Meter, DailyUse]] = []
    bad: list[BadRow] = []
    cache = _Cache()
    expected: int | None = None
    details = 0
    for fields in reader:
        line = reader.line_num
        if not any(f.strip() for f in fields):
            continue
        if fields[0].strip() == _TRAILER:
            match = _COUNT.search(",".join(fields))
            expected = int(match.group(1)) if match else -1
            break
        details += 1
        try:
            rows.append(_row(fields, index, remark_at, len(header), cache))
        except _BadRow as exc:
            bad.append(BadRow(name, line, str(exc)))
    if expected is None:
        return ParsedDrop(DropStatus.PENDING, encoding, (), (), "no trailer row (合计) yet: file still being written")
    if expected != details:
        return _rejected(encoding, f"trailer says {expected} rows, file has {details}")
    return ParsedDrop(DropStatus.LOADED, encoding, tuple(rows), tuple(bad))


class _BadRow(ValueError):
    pass


class _Cache:
    """Per-file memo of checks that repeat on every row (a file has one date and few thousand codes)."""

    def __init__(self) -> None:
        self.usccs: dict[str, str | _BadRow] = {}
        self.dates: dict[str, date | _BadRow] = {}

    def uscc(self, text: str) -> str:
        known = self.usccs.get(text)
        if known is None:
            try:
                known = validate_uscc(text)
            except InvalidIdentifier as exc:
                known = _BadRow(f"bad credit code {text!r}: {exc.reason}")
            self.usccs[text] = known
        if isinstance(known, _BadRow):
            raise known
        return known

    def date(self, text: str) -> date:
        known = self.dates.get(text)
        if known is None:
            known = _date(text)
            self.dates[text] = known
        if isinstance(known, _BadRow):
            raise known
        return known


def _row(
    fields: list[str], index: dict[str, int], remark_at: int | None, width: int, cache: _Cache
) -> tuple[Meter, DailyUse]:
    if len(fields) < width and max(index.values()) >= len(fields):
        raise _BadRow(f"row has {len(fields)} fields, expected {width}")
    value = {key: fields[at].strip() for key, at in index.items()}
    if not value["meter"].isdigit():
        raise _BadRow(f"bad meter number {value['meter']!r}")
    uscc = cache.uscc(value["uscc"])
    kind = KIND_NAMES.get(value["kind"])
    if kind is None:
        raise _BadRow(f"unknown energy type {value['kind']!r}")
    day = cache.date(value["day"])
    try:
        canonical, factor = unit_factor(value["unit"], kind)
    except UnknownUnit as exc:
        raise _BadRow(str(exc)) from exc
    try:
        stated = Decimal(value["quantity"].replace(",", ""))
    except InvalidOperation as exc:
        raise _BadRow(f"bad quantity {value['quantity']!r}") from exc
    if not stated.is_finite() or stated < 0:
        raise _BadRow(f"quantity {value['quantity']!r} is not a non-negative number")
    remark = fields[remark_at].strip() if remark_at is not None and remark_at < len(fields) else ""
    meter = Meter(
        number=value["meter"],
        account_number=value["account"],
        uscc=uscc,
        park_code=value["park"],
        city_code=value["city"],
        kind=kind,
        unit=canonical,
    )
    return meter, DailyUse(meter.number, day, stated * factor, estimated="估" in remark)


def _date(text: str) -> date | _BadRow:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return _BadRow(f"bad reading date {text!r}")


def _rejected(encoding: str | None, problem: str) -> ParsedDrop:
    return ParsedDrop(DropStatus.REJECTED, encoding, (), (), problem)
