"""The metering platform's nightly export: one CSV file per day in a drop folder.

What the real export does, and so this one: a file ``METER_DAILY_yyyyMMdd.csv``
per day with Chinese column headers, in GBK on some days and UTF-8 with a byte
order mark on others (the export ran on two different servers over the years),
CRLF line ends, dates in whichever format the export job was configured with,
numbers with thousands separators on some days, remarks such as 估抄
(estimated reading), a trailer row ``合计`` with the sum and the record count,
and now and then a broken row: a spreadsheet error value, a negative use, a
credit code with a wrong check character, a cut-off line, an impossible date
or an energy type the platform added later (蒸汽).
"""

from __future__ import annotations

import csv
import io
import os
import random
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path

from mocks.data.province import Province
from mocks.data.utilities import daily_use, meters

HEADER = ("表号", "户号", "统一社会信用代码", "园区编码", "行政区划", "能源类型", "抄表日期", "用量", "单位", "备注")
_CORRUPTIONS = ("error_value", "negative", "bad_uscc", "short_row", "bad_date", "unknown_kind")


def file_name(day: date) -> str:
    return f"METER_DAILY_{day:%Y%m%d}.csv"


def encoding_of(day: date) -> str:
    """GBK on odd days, UTF-8 with BOM on even ones (by ordinal): both occur in every week."""
    return "gbk" if day.toordinal() % 2 else "utf-8-sig"


def render_drop(province: Province, day: date) -> bytes:
    """The day's export file, byte for byte."""
    rng = random.Random(f"{province.seed}-utilities-drop-{day.isoformat()}")
    date_text = _date_format(day)
    separators = day.toordinal() % 4 == 0
    use = daily_use(province, day)
    rows: list[list[str]] = []
    total = Decimal(0)
    for meter in meters(province):
        value = use[meter.meter_no]
        total += value
        remark = "估抄" if rng.random() < 0.01 else ""
        quantity = f"{value:,.2f}" if separators else f"{value:.2f}"
        rows.append(
            [
                meter.meter_no,
                meter.account_no,
                meter.uscc,
                meter.park_code,
                meter.city_code,
                meter.kind,
                date_text,
                quantity,
                meter.unit,
                remark,
            ]
        )
    for index in rng.sample(range(len(rows)), k=min(len(rows), rng.choice((0, 1, 1, 2, 3)))):
        rows[index] = _corrupt(rows[index], rng.choice(_CORRUPTIONS))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    writer.writerow(["合计", "", "", "", "", "", "", f"{total:.2f}", "", f"共{len(rows)}条"])
    return buffer.getvalue().encode(encoding_of(day))


def write_drops(province: Province, drop_dir: Path, days: Iterable[date], *, overwrite: bool = False) -> list[Path]:
    """Writes the files for ``days`` that are not there yet; returns the paths written.

    Each file is written under a temporary name and renamed, as the export job
    does, so a reader never sees half a file under the final name.
    """
    drop_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for day in days:
        target = drop_dir / file_name(day)
        if target.exists() and not overwrite:
            continue
        partial = drop_dir / f".{target.name}.part"
        partial.write_bytes(render_drop(province, day))
        os.replace(partial, target)
        written.append(target)
    return written


def _date_format(day: date) -> str:
    style = day.toordinal() % 3
    if style == 0:
        return day.isoformat()
    if style == 1:
        return f"{day.year}/{day.month}/{day.day}"
    return f"{day:%Y%m%d}"


def _corrupt(row: list[str], how: str) -> list[str]:
    row = list(row)
    if how == "error_value":
        row[7] = "#VALUE!"
    elif how == "negative":
        row[7] = "-" + row[7]
    elif how == "bad_uscc":
        last = row[2][-1]
        row[2] = row[2][:-1] + ("1" if last != "1" else "2")
    elif how == "short_row":
        row = row[:6]
    elif how == "bad_date":
        row[6] = f"{row[6][:4]}-02-30"
    elif how == "unknown_kind":
        row[5] = "蒸汽"
    return row
