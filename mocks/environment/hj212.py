"""How the field units write HJ 212-2017 frames, including the broken ones that faults ask for.

The mock's own encoder (mocks import nothing of the product): ``##`` + four
digit length + data segment + CRC16 (the standard's appendix A variant) +
CRLF.
"""

from __future__ import annotations

from datetime import datetime


def crc16(data: bytes) -> int:
    register = 0xFFFF
    for byte in data:
        register = (register >> 8) ^ byte
        for _ in range(8):
            carry = register & 1
            register >>= 1
            if carry:
                register ^= 0xA001
    return register


def frame(segment: str) -> bytes:
    data = segment.encode("ascii")
    return b"##%04d%s%04X\r\n" % (len(data), data, crc16(data))


def realtime_segment(mn: str, st: str, moment: datetime, values: dict[str, str], *, ack: bool) -> str:
    """A CN=2011 real-time data segment with every value flagged N (normal)."""
    qn = f"{moment:%Y%m%d%H%M%S}{moment.microsecond // 1000:03d}"
    cp = ";".join(f"{code}-Rtd={value},{code}-Flag=N" for code, value in values.items())
    flag = 5 if ack else 4  # version bits 000001 (HJ 212-2017), bit A: acknowledge
    return f"QN={qn};ST={st};CN=2011;PW=123456;MN={mn};Flag={flag};CP=&&DataTime={moment:%Y%m%d%H%M%S};{cp}&&"


def corrupt(segment: str, how: str) -> bytes:
    """A frame of ``segment`` broken the way ``how`` says: bad_crc, bad_length or unknown_code."""
    if how == "bad_crc":
        good = frame(segment)
        crc = int(good[-6:-2], 16) ^ 0x0F0F
        return good[:-6] + b"%04X\r\n" % crc
    if how == "bad_length":
        data = segment.encode("ascii")
        return b"##%04d%s%04X\r\n" % (len(data) + 7, data, crc16(data))
    if how == "unknown_code":
        return frame(segment.replace("-Rtd=", "x-Rtd=", 1))  # a mistyped factor code
    raise ValueError(f"unknown corruption {how!r}")
