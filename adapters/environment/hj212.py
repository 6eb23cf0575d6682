"""HJ 212-2017 frames (污染物在线监控(监测)系统数据传输标准): the CRC, parsing and encoding.

A frame on the wire::

    ##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80\\r\\n

``##``, the data segment's length as four decimal digits, the data segment,
its CRC16 as four hexadecimal digits, CRLF. The data segment's fields are
``;``-separated; ``CP=&&…&&`` holds the values, ``;`` between groups and
``,`` within one (``w01018-Rtd=48.2,w01018-Flag=N``).

Refused frames raise a subclass of :class:`FrameError` (a
:class:`~adapters.errors.BadData`), so the receiver counts each reason and
reads on::

    FrameError (BadData)     a frame the platform refuses
    ├── BadLength            the length field is not 4 digits or not the segment's length
    ├── BadCrc               the CRC does not match the data segment
    ├── MalformedFrame       no ``##``/CRLF framing, a missing field, bad CP syntax, a bad time or value
    └── UnknownCode          an ST, CN, pollutant code or data flag outside :mod:`adapters.environment.codes`
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from adapters.environment.codes import COMMANDS, DATA_COMMANDS, DATA_FLAGS, POLLUTANTS, SYSTEM_TYPES
from adapters.environment.models import Reading
from adapters.errors import BadData
from schema.scalars import CHINA_STANDARD_TIME

SYSTEM = "environment"
MAX_SEGMENT = 9999  # four decimal digits
_HEADER_FIELDS = ("QN", "ST", "CN", "PW", "MN", "Flag")


class FrameError(BadData):
    """A frame the platform refuses; ``reason`` is the counter it is filed under."""

    reason = "malformed"

    def __init__(self, message: str) -> None:
        super().__init__(SYSTEM, message)


class BadLength(FrameError):
    reason = "bad_length"


class BadCrc(FrameError):
    reason = "bad_crc"


class MalformedFrame(FrameError):
    reason = "malformed"


class UnknownCode(FrameError):
    reason = "unknown_code"


def crc16(data: bytes) -> int:
    """The HJ 212 CRC16 (standard's appendix A): unlike Modbus, each byte is XORed into the register shifted right."""
    register = 0xFFFF
    for byte in data:
        register = (register >> 8) ^ byte
        for _ in range(8):
            carry = register & 1
            register >>= 1
            if carry:
                register ^= 0xA001
    return register


@dataclass(frozen=True, slots=True)
class Frame:
    """One accepted frame: its header fields and the CP values by factor code and field (Rtd, Flag, Avg, …)."""

    qn: str | None
    st: str
    cn: str
    pw: str
    mn: str
    flag: int
    data_time: datetime | None
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)  # CP entries that are not factor values (RtdInterval=30)

    @property
    def needs_ack(self) -> bool:
        """Flag bit A (bit 0): the sender waits for a data acknowledgement (9014)."""
        return bool(self.flag & 1)

    def readings(self) -> list[Reading]:
        """The frame's factor values with their data flags (a data frame has a DataTime)."""
        if self.data_time is None or self.cn not in DATA_COMMANDS:
            return []
        field_name = "Rtd" if self.cn == "2011" else "Avg"
        result = []
        for code, fields in self.values.items():
            text = fields.get(field_name)
            if text is None:
                continue
            flag = DATA_FLAGS[fields.get("Flag", "N")]
            result.append(Reading(self.mn, code, Decimal(text), flag, self.data_time, self.cn))
        return result


def parse_frame(raw: bytes) -> Frame:
    """Parses one frame (with or without its CRLF); raises a :class:`FrameError` subclass if refused."""
    line = raw[:-2] if raw.endswith(b"\r\n") else raw
    if not line.startswith(b"##"):
        raise MalformedFrame("a frame starts with ##")
    if len(line) < 10:
        raise MalformedFrame(f"frame of {len(raw)} bytes is too short")
    length_text = line[2:6]
    if not length_text.isdigit():
        raise BadLength(f"length field {length_text!r} is not four digits")
    length = int(length_text)
    segment, crc_text = line[6:-4], line[-4:]
    if len(segment) != length:
        raise BadLength(f"length field says {length} bytes, the data segment has {len(segment)}")
    try:
        expected = int(crc_text, 16)
    except ValueError:
        raise BadCrc(f"CRC field {crc_text!r} is not hexadecimal") from None
    actual = crc16(segment)
    if actual != expected:
        raise BadCrc(f"CRC {crc_text.decode('ascii', 'replace')} does not match the data segment ({actual:04X})")
    try:
        text = segment.decode("ascii")
    except UnicodeDecodeError as exc:
        raise MalformedFrame(f"non-ASCII byte at {exc.start} in the data segment") from exc
    return _parse_segment(text)


def _parse_segment(text: str) -> Frame:
    head, separator, rest = text.partition("CP=&&")
    if not separator or not rest.endswith("&&"):
        raise MalformedFrame("the data segment has no CP=&&…&& part")
    header: dict[str, str] = {}
    for item in head.rstrip(";").split(";"):
        key, equals, value = item.partition("=")
        if not equals:
            raise MalformedFrame(f"header item {item!r} is not key=value")
        header[key] = value
    missing = [name for name in _HEADER_FIELDS if name not in header and name != "QN"]
    if missing:
        raise MalformedFrame(f"missing header fields: {', '.join(missing)}")
    st, cn = header["ST"], header["CN"]
    if st not in SYSTEM_TYPES:
        raise UnknownCode(f"unknown system type ST={st}")
    if cn not in COMMANDS:
        raise UnknownCode(f"unknown command CN={cn}")
    if not header["Flag"].isdigit():
        raise MalformedFrame(f"Flag={header['Flag']!r} is not a number")
    if not header["MN"] or len(header["MN"]) > 24:
        raise MalformedFrame(f"MN={header['MN']!r} must have 1 to 24 characters")
    values, extra, data_time = _parse_cp(rest[:-2])
    if cn in DATA_COMMANDS and data_time is None:
        raise MalformedFrame(f"a CN={cn} frame has no DataTime")
    return Frame(header.get("QN"), st, cn, header["PW"], header["MN"], int(header["Flag"]), data_time, values, extra)


def _parse_cp(cp: str) -> tuple[dict[str, dict[str, str]], dict[str, str], datetime | None]:
    values: dict[str, dict[str, str]] = {}
    extra: dict[str, str] = {}
    data_time: datetime | None = None
    for group in filter(None, cp.split(";")):
        for item in group.split(","):
            key, equals, value = item.partition("=")
            if not equals:
                raise MalformedFrame(f"CP item {item!r} is not key=value")
            if key == "DataTime":
                data_time = _data_time(value)
                continue
            code, dash, name = key.partition("-")
            if not dash:
                extra[key] = value
                continue
            if code not in POLLUTANTS:
                raise UnknownCode(f"unknown pollutant code {code}")
            if name == "Flag" and value not in DATA_FLAGS:
                raise UnknownCode(f"unknown data flag {code}-Flag={value}")
            if name in ("Rtd", "Avg", "Min", "Max", "Cou", "ZsRtd", "ZsAvg"):
                _decimal(key, value)
            values.setdefault(code, {})[name] = value
    return values, extra, data_time


def _data_time(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=CHINA_STANDARD_TIME)
    except ValueError:
        raise MalformedFrame(f"DataTime {text!r} is not yyyyMMddHHmmss") from None


def _decimal(key: str, text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise MalformedFrame(f"{key}={text!r} is not a number") from None
    if not value.is_finite():
        raise MalformedFrame(f"{key}={text!r} is not a finite number")
    return value


def encode_frame(segment: str) -> bytes:
    """``segment`` framed for the wire: ``##``, its length, the segment, its CRC, CRLF."""
    data = segment.encode("ascii")
    if len(data) > MAX_SEGMENT:
        raise ValueError(f"a data segment holds at most {MAX_SEGMENT} bytes, got {len(data)}")
    return b"##%04d%s%04X\r\n" % (len(data), data, crc16(data))


def data_ack(frame: Frame) -> bytes:
    """The platform's data acknowledgement (CN=9014) of ``frame``: same QN, so the sender knows which."""
    qn = frame.qn or ""
    return encode_frame(f"QN={qn};ST=91;CN=9014;PW={frame.pw};MN={frame.mn};Flag=4;CP=&&&&")
