"""HJ 212-2017 frames: the CRC of the standard's example, parsing, and every kind of refused frame."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from adapters.environment.codes import DataFlag
from adapters.environment.hj212 import (
    BadCrc,
    BadLength,
    FrameError,
    MalformedFrame,
    UnknownCode,
    crc16,
    data_ack,
    encode_frame,
    parse_frame,
)
from adapters.environment.stream import FrameSplitter
from schema.scalars import CHINA_STANDARD_TIME

# The standard's own example frame (HJ 212-2017, 6.3): length 0101, CRC 1C80.
STANDARD_EXAMPLE = (
    b"##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
    b"CP=&&RtdInterval=30&&1C80\r\n"
)
SEGMENT = (
    "QN=20261101093000123;ST=32;CN=2011;PW=123456;MN=3401000001MA2NJ8U3W;Flag=5;"
    "CP=&&DataTime=20261101093000;w01018-Rtd=48.20,w01018-Flag=N;w21003-Rtd=3.1,w21003-Flag=M&&"
)


def test_crc_and_length_of_the_standards_example() -> None:
    segment = STANDARD_EXAMPLE[6:-6]
    assert len(segment) == 101
    assert crc16(segment) == 0x1C80
    frame = parse_frame(STANDARD_EXAMPLE)
    assert (frame.st, frame.cn, frame.mn, frame.flag) == ("32", "1062", "010000A8900016F000169DC0", 5)
    assert frame.extra == {"RtdInterval": "30"}


def test_crc_differs_from_modbus() -> None:
    # Modbus CRC16 of "123456789" is 0x4B37; HJ 212's variant XORs the byte into the shifted register.
    assert crc16(b"123456789") != 0x4B37


def test_a_realtime_frame_parses_into_readings_with_flags_and_cst_time() -> None:
    frame = parse_frame(encode_frame(SEGMENT))
    assert frame.needs_ack
    readings = {r.pollutant: r for r in frame.readings()}
    assert readings["w01018"].value == Decimal("48.20")
    assert readings["w01018"].flag is DataFlag.NORMAL
    assert readings["w21003"].flag is DataFlag.MAINTENANCE and not readings["w21003"].flag.valid
    assert readings["w01018"].measured_at == datetime(2026, 11, 1, 9, 30, tzinfo=CHINA_STANDARD_TIME)


def test_data_ack_echoes_the_qn_and_is_a_valid_frame() -> None:
    ack = parse_frame(data_ack(parse_frame(encode_frame(SEGMENT))))
    assert (ack.cn, ack.st, ack.qn, ack.flag) == ("9014", "91", "20261101093000123", 4)


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        # the CRC of another segment
        (encode_frame(SEGMENT)[:-6] + b"0000\r\n", BadCrc),
        # the length field counts seven bytes too many
        (b"##%04d" % (len(SEGMENT) + 7) + encode_frame(SEGMENT)[6:], BadLength),
        # the length field is not digits
        (b"##01A1" + encode_frame(SEGMENT)[6:], BadLength),
        # a mistyped factor code
        (encode_frame(SEGMENT.replace("w21003", "w2100x")), UnknownCode),
        # HJ 212-2005 command code
        (encode_frame(SEGMENT.replace("CN=2011", "CN=2099")), UnknownCode),
        # an unknown system type
        (encode_frame(SEGMENT.replace("ST=32", "ST=77")), UnknownCode),
        # a data flag outside the standard
        (encode_frame(SEGMENT.replace("w01018-Flag=N", "w01018-Flag=Q")), UnknownCode),
        # no CP part
        (encode_frame("QN=1;ST=32;CN=2011;PW=1;MN=A;Flag=4"), MalformedFrame),
        # a real-time frame without DataTime
        (encode_frame(SEGMENT.replace("DataTime=20261101093000;", "")), MalformedFrame),
        # a value that is not a number
        (encode_frame(SEGMENT.replace("48.20", "4B.20")), MalformedFrame),
        # no ## at the start
        (encode_frame(SEGMENT)[2:], MalformedFrame),
    ],
)
def test_refused_frames_raise_their_typed_error(raw: bytes, error: type[FrameError]) -> None:
    with pytest.raises(error) as caught:
        parse_frame(raw)
    assert caught.value.code == "LEGACY_BAD_DATA"  # a BadData of the adapter tree
    assert caught.value.system == "environment"


def test_splitter_refuses_bad_frames_and_reads_on() -> None:
    good = encode_frame(SEGMENT)
    bad_crc = good[:-6] + b"FFFF\r\n"
    bad_length = b"##9999" + good[6:]
    stream = good + bad_crc + b"noise" + good + bad_length + good
    splitter = FrameSplitter()
    # Fed in awkward pieces, as TCP delivers them.
    items = [item for i in range(0, len(stream), 17) for item in splitter.feed(stream[i : i + 17])]
    kinds = [type(item).__name__ for item in items]
    assert kinds == ["Frame", "BadCrc", "Frame", "BadLength", "Frame"]


def test_splitter_drops_an_endless_line_once_and_recovers() -> None:
    splitter = FrameSplitter(max_line=100)
    items = list(splitter.feed(b"#" * 150))
    assert [type(i).__name__ for i in items] == ["MalformedFrame"]
    items = list(splitter.feed(b"more garbage\r\n" + encode_frame(SEGMENT)))
    assert [type(i).__name__ for i in items] == ["Frame"]
