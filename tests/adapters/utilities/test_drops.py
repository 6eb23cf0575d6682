from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from adapters.utilities.drops import decode, drop_day, parse_drop
from adapters.utilities.models import DropStatus, EnergyKind
from mocks.data.province import SHOWCASE_USCC, Province
from mocks.data.utilities import meters
from mocks.utilities.drops import HEADER, encoding_of, file_name, render_drop
from tests.adapters.utilities.clock import DAYS

HEAD = ",".join(HEADER)
GOOD = "3401000100000001,6815217102,91340100MA2NJ8U32D,340100-HTZ,340100,电,2026-11-27,{q},{unit},{remark}"


def _file(*rows: str, trailer: str | None = None, encoding: str = "utf-8-sig") -> bytes:
    lines = [HEAD, *rows]
    if trailer is not None:
        lines.append(trailer)
    return "\r\n".join(lines).encode(encoding)


@pytest.mark.parametrize("day", DAYS)
def test_every_mock_drop_loads_with_its_bad_rows_reported(province: Province, day: date) -> None:
    data = render_drop(province, day)
    parsed = parse_drop(file_name(day), data)
    assert parsed.status is DropStatus.LOADED
    assert parsed.encoding == encoding_of(day)
    # Every detail row is either loaded or reported, none silently dropped.
    assert len(parsed.rows) + len(parsed.bad_rows) == len(meters(province))
    for bad in parsed.bad_rows:
        assert bad.file_name == file_name(day)
        assert bad.line >= 2
        assert bad.reason


def test_both_encodings_occur_and_decode_to_the_same_headers(province: Province) -> None:
    encodings = {encoding_of(day) for day in DAYS}
    assert encodings == {"gbk", "utf-8-sig"}
    for day in DAYS[:2]:
        text, _ = decode(render_drop(province, day))
        assert text.splitlines()[0] == HEAD


def test_the_mock_corrupts_some_rows_over_a_week(province: Province) -> None:
    reasons = [bad.reason for day in DAYS for bad in parse_drop(file_name(day), render_drop(province, day)).bad_rows]
    assert reasons, "a week of drops should contain at least one broken row"


def test_rows_map_to_meters_and_canonical_units() -> None:
    data = _file(
        GOOD.format(q='"1,234.50"', unit="MWh", remark="估抄"),
        GOOD.replace("3401000100000001", "3401000400000009")
        .replace(",电,", ",热力,")
        .format(q="500", unit="MJ", remark=""),
        trailer="合计,,,,,,,0,,共2条",
    )
    parsed = parse_drop("METER_DAILY_20261127.csv", data)
    assert parsed.status is DropStatus.LOADED
    (meter, use), (heat_meter, heat_use) = parsed.rows
    assert (meter.number, meter.account_number, meter.uscc) == ("3401000100000001", "6815217102", SHOWCASE_USCC)
    assert (meter.park_code, meter.city_code, meter.kind, meter.unit) == (
        "340100-HTZ",
        "340100",
        EnergyKind.ELECTRICITY,
        "kWh",
    )
    assert use.quantity == Decimal("1234500.00")  # MWh stated, kWh kept
    assert use.estimated is True
    assert use.day == date(2026, 11, 27)
    assert (heat_meter.kind, heat_meter.unit, heat_use.quantity) == (EnergyKind.HEAT, "GJ", Decimal("0.500"))


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        # a spreadsheet error value instead of a number
        (GOOD.format(q="#VALUE!", unit="kWh", remark=""), "bad quantity '#VALUE!'"),
        # negative use
        (GOOD.format(q="-5", unit="kWh", remark=""), "not a non-negative number"),
        # wrong check character in the credit code
        (GOOD.replace("U32D", "U321").format(q="5", unit="kWh", remark=""), "bad check character"),
        # a line cut short
        ("3401000100000001,6815217102,91340100MA2NJ8U32D,340100-HTZ", "row has 4 fields, expected 10"),
        # 30 February
        (GOOD.replace("2026-11-27", "2026-02-30").format(q="5", unit="kWh", remark=""), "bad reading date"),
        # an energy type added after this adapter was written
        (GOOD.replace(",电,", ",蒸汽,").format(q="5", unit="t", remark=""), "unknown energy type '蒸汽'"),
        # a unit of another kind of energy
        (GOOD.format(q="5", unit="GJ", remark=""), "does not measure electricity"),
    ],
)
def test_a_bad_row_is_reported_and_the_rest_loads(row: str, reason: str) -> None:
    data = _file(GOOD.format(q="1", unit="kWh", remark=""), row, trailer="合计,,,,,,,0,,共2条", encoding="gbk")
    parsed = parse_drop("METER_DAILY_20261127.csv", data)
    assert parsed.status is DropStatus.LOADED
    assert len(parsed.rows) == 1
    (bad,) = parsed.bad_rows
    assert bad.line == 3
    assert reason in bad.reason


@pytest.mark.parametrize("date_text", ["2026-11-27", "2026/11/27", "20261127"])
def test_the_date_formats_of_the_export(date_text: str) -> None:
    row = GOOD.replace("2026-11-27", date_text).format(q="1", unit="kWh", remark="")
    parsed = parse_drop("METER_DAILY_20261127.csv", _file(row, trailer="合计,,,,,,,1,,共1条"))
    assert parsed.rows[0][1].day == date(2026, 11, 27)


def test_a_file_without_trailer_is_pending() -> None:
    parsed = parse_drop("METER_DAILY_20261127.csv", _file(GOOD.format(q="1", unit="kWh", remark="")))
    assert parsed.status is DropStatus.PENDING
    assert parsed.rows == ()


def test_a_trailer_count_that_does_not_match_rejects_the_file() -> None:
    data = _file(GOOD.format(q="1", unit="kWh", remark=""), trailer="合计,,,,,,,1,,共5条")
    parsed = parse_drop("METER_DAILY_20261127.csv", data)
    assert parsed.status is DropStatus.REJECTED
    assert parsed.problem == "trailer says 5 rows, file has 1"
    assert parsed.rows == ()


def test_a_file_without_the_required_columns_is_rejected() -> None:
    data = "表号,户号,用量\r\n1,2,3\r\n合计,,共1条".encode("gbk")
    parsed = parse_drop("METER_DAILY_20261127.csv", data)
    assert parsed.status is DropStatus.REJECTED
    assert parsed.problem is not None and "统一社会信用代码" in parsed.problem


def test_drop_names() -> None:
    assert drop_day("METER_DAILY_20261127.csv") == date(2026, 11, 27)
    assert drop_day(".METER_DAILY_20261127.csv.part") is None  # the export's temporary file
    assert drop_day("METER_DAILY_20261327.csv") is None
    assert drop_day("readme.txt") is None
