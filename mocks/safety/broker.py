"""A minimal MQTT 3.1.1 broker in pure Python: what the safety platform's embedded default runs.

Enough of the protocol for sensors and the platform's subscriber: CONNECT /
CONNACK, PUBLISH at QoS 0 and 1 (PUBACK; delivered onwards at QoS 0), SUBSCRIBE
/ SUBACK with ``+`` and ``#`` wildcards, UNSUBSCRIBE, PINGREQ, DISCONNECT. No
retained messages, sessions or authentication: in CI and production the
platform talks to the real Mosquitto instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import struct


def matches(pattern: str, topic: str) -> bool:
    """MQTT topic filter matching (``+`` one level, ``#`` the rest)."""
    parts, levels = pattern.split("/"), topic.split("/")
    for index, part in enumerate(parts):
        if part == "#":
            return True
        if index >= len(levels) or (part != "+" and part != levels[index]):
            return False
    return len(parts) == len(levels)


class Broker:
    """Listens on ``host:port`` (0: a free port, see :attr:`port`)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host, self._port = host, port
        self._server: asyncio.Server | None = None
        self._subscriptions: dict[asyncio.StreamWriter, set[str]] = {}
        self._handlers: set[asyncio.Task[None]] = set()
        self.published = 0

    @property
    def port(self) -> int:
        assert self._server is not None
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._client, self.host, self._port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for writer in list(self._subscriptions):
                writer.close()
            # End every client handler here, not at loop shutdown: a handler still reading when the loop
            # closes is reported as a task destroyed while pending.
            handlers = [task for task in self._handlers if task is not asyncio.current_task()]
            for task in handlers:
                task.cancel()
            await asyncio.gather(*handlers, return_exceptions=True)
            await self._server.wait_closed()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
            task.add_done_callback(self._handlers.discard)
        self._subscriptions[writer] = set()
        try:
            while True:
                header = await reader.readexactly(1)
                length, multiplier = 0, 1
                while True:
                    byte = (await reader.readexactly(1))[0]
                    length += (byte & 0x7F) * multiplier
                    multiplier *= 128
                    if not byte & 0x80:
                        break
                body = await reader.readexactly(length)
                if not await self._packet(header[0], body, writer):
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self._subscriptions.pop(writer, None)
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def _packet(self, header: int, body: bytes, writer: asyncio.StreamWriter) -> bool:
        kind = header >> 4
        if kind == 1:  # CONNECT
            writer.write(b"\x20\x02\x00\x00")
        elif kind == 3:  # PUBLISH
            qos = (header >> 1) & 3
            topic_length = struct.unpack("!H", body[:2])[0]
            topic = body[2 : 2 + topic_length].decode()
            rest = body[2 + topic_length :]
            if qos:
                writer.write(b"\x40\x02" + rest[:2])
                rest = rest[2:]
            self.published += 1
            self._deliver(topic, rest)
        elif kind == 8:  # SUBSCRIBE
            packet_id, at, granted = body[:2], 2, bytearray()
            while at < len(body):
                length = struct.unpack("!H", body[at : at + 2])[0]
                self._subscriptions[writer].add(body[at + 2 : at + 2 + length].decode())
                at += 2 + length + 1
                granted.append(0)
            writer.write(bytes([0x90, 2 + len(granted)]) + packet_id + bytes(granted))
        elif kind == 10:  # UNSUBSCRIBE
            at = 2
            while at < len(body):
                length = struct.unpack("!H", body[at : at + 2])[0]
                self._subscriptions[writer].discard(body[at + 2 : at + 2 + length].decode())
                at += 2 + length
            writer.write(b"\xb0\x02" + body[:2])
        elif kind == 12:  # PINGREQ
            writer.write(b"\xd0\x00")
        elif kind == 14:  # DISCONNECT
            return False
        await writer.drain()
        return True

    def _deliver(self, topic: str, payload: bytes) -> None:
        encoded = topic.encode()
        body = struct.pack("!H", len(encoded)) + encoded + payload
        packet = b"\x30" + _remaining_length(len(body)) + body
        for writer, filters in self._subscriptions.items():
            if any(matches(f, topic) for f in filters):
                writer.write(packet)


def _remaining_length(length: int) -> bytes:
    out = bytearray()
    while True:
        byte, length = length % 128, length // 128
        out.append(byte | (0x80 if length else 0))
        if not length:
            return bytes(out)
