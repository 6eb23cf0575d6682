"""Splitting a TCP byte stream into HJ 212 frames: CRLF ends every frame, so one bad frame costs only itself.

A data segment never contains CRLF, so the splitter cuts the stream at each
CRLF and leaves every check to :func:`~adapters.environment.hj212.parse_frame`:
a frame whose length field lies is refused alone and the next one parses. A
line that grows past :data:`MAX_LINE` without a CRLF (a sender gone mad) is
dropped and counted, so one connection cannot exhaust the receiver's memory.
"""

from __future__ import annotations

from collections.abc import Iterator

from adapters.environment.hj212 import Frame, FrameError, MalformedFrame, parse_frame

MAX_LINE = 2 + 4 + 9999 + 4 + 2


class FrameSplitter:
    """Feed it bytes as they arrive; it yields each frame or the error that refused it."""

    def __init__(self, *, max_line: int = MAX_LINE) -> None:
        self._buffer = bytearray()
        self._max_line = max_line
        self._discarding = False

    def feed(self, data: bytes) -> Iterator[Frame | FrameError]:
        self._buffer += data
        while True:
            end = self._buffer.find(b"\r\n")
            if end < 0:
                if len(self._buffer) > self._max_line:
                    self._buffer.clear()
                    if not self._discarding:
                        self._discarding = True
                        yield MalformedFrame(f"no CRLF within {self._max_line} bytes")
                return
            line = bytes(self._buffer[:end])
            del self._buffer[: end + 2]
            if self._discarding:
                self._discarding = False  # the rest of the oversized line
                continue
            if not line.strip():
                continue
            start = line.find(b"##")
            if start > 0:
                line = line[start:]  # noise before the frame (a modem's greeting) is not the frame's fault
            try:
                yield parse_frame(line)
            except FrameError as exc:
                yield exc
