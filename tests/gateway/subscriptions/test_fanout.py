"""The fan-out's cheap path: one frame per delivery shared by clients, one wake-up per writer, the GC threshold."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from typing import Any

import pytest

from gateway.subscriptions import protocol as p
from gateway.subscriptions.gc_tuning import raise_young_threshold
from gateway.subscriptions.hub import Delivery
from gateway.subscriptions.outbox import Outbox
from gateway.subscriptions.sse import _Sink as SseSink
from gateway.subscriptions.websocket import _Sink as WebSocketSink


class _Session:
    """What a WebSocket sink needs of its session: the outbox, and being told when it overflows."""

    def __init__(self, max_messages: int = 8) -> None:
        self.outbox: Outbox[str] = Outbox(max_messages=max_messages)
        self.slowed = 0

    def slow(self) -> None:
        self.slowed += 1


def test_clients_with_the_same_subscription_id_share_one_frame_and_others_get_their_own() -> None:
    sessions = [_Session() for _ in range(3)]
    sinks = [WebSocketSink(sessions[0], "1"), WebSocketSink(sessions[1], "1"), WebSocketSink(sessions[2], "x")]  # type: ignore[arg-type]
    delivery = Delivery(b'{"data":{"n":1}}')
    for sink in sinks:
        sink.next(delivery)
    frames = [s.outbox.take_ready()[0] for s in sessions]
    assert frames[0] == '{"id":"1","type":"next","payload":{"data":{"n":1}}}'
    assert frames[1] is frames[0]  # the same string object: encoded and framed once
    assert frames[2] == '{"id":"x","type":"next","payload":{"data":{"n":1}}}'
    assert len(delivery.frames) == 2


def test_a_full_outbox_still_tells_its_session_with_shared_frames() -> None:
    session = _Session(max_messages=1)
    sink = WebSocketSink(session, "1")  # type: ignore[arg-type]
    sink.next(Delivery(b"{}"))
    sink.next(Delivery(b"{}"))
    assert session.slowed == 1 and session.outbox.overflowed


def test_sse_streams_share_one_event_frame() -> None:
    outboxes: list[Outbox[bytes]] = [Outbox(), Outbox()]
    delivery = Delivery(b'{"data":1}')
    for outbox in outboxes:
        SseSink(outbox).next(delivery)
    first, second = (o.take_ready() for o in outboxes)
    assert first == [p.sse_event(p.NEXT, b'{"data":1}')]
    assert second[0] is first[0]


async def test_the_writer_wakes_on_put_and_take_ready_drains_what_queued_meanwhile() -> None:
    outbox: Outbox[bytes] = Outbox()
    getter = asyncio.create_task(outbox.get())
    await asyncio.sleep(0)
    assert not getter.done()  # waiting on an empty outbox
    outbox.put(b"a")
    outbox.put(b"b")
    outbox.put_control(b"c")
    assert await asyncio.wait_for(getter, 1) == b"a"
    assert outbox.take_ready() == [b"b", b"c"] and len(outbox) == 0
    outbox.finish()
    assert await asyncio.wait_for(outbox.get(), 1) is None  # finished and drained


async def test_closing_wakes_a_waiting_writer_with_none() -> None:
    outbox: Outbox[str] = Outbox()
    getter = asyncio.create_task(outbox.get())
    await asyncio.sleep(0)
    outbox.close()
    assert await asyncio.wait_for(getter, 1) is None
    assert outbox.take_ready() == []


@pytest.fixture
def gc_threshold() -> Iterator[tuple[int, int, int]]:
    saved = gc.get_threshold()
    try:
        yield saved
    finally:
        gc.set_threshold(*saved)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ((700, 10, 10), (20_000, 10, 10)),  # CPython's default: raised, older generations untouched
        ((50_000, 5, 5), (50_000, 5, 5)),  # set higher elsewhere: never lowered
        ((0, 10, 10), (0, 10, 10)),  # automatic collection off: left off
    ],
)
def test_the_young_threshold_is_only_ever_raised(
    gc_threshold: Any, before: tuple[int, int, int], after: tuple[int, int, int]
) -> None:
    gc.set_threshold(*before)
    raise_young_threshold(20_000)
    assert gc.get_threshold() == after
