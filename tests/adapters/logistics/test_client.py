"""The logistics adapter against the mock platform over real HTTP: cursors, 429, 503, batches, bookings."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from adapters.errors import BadData, LegacyUnavailable, NotFound, Rejected
from adapters.logistics.client import LogisticsClient
from adapters.logistics.models import Booking, PartyRole, ShipmentFilter, ShipmentStatus
from mocks.data.logistics import shipments
from mocks.data.province import SHOWCASE_USCC, Province, generate
from mocks.faults import FaultInjection
from mocks.logistics.app import create_app
from tests.support.live_server import live_server

PROVINCE = generate(2026, 0.1)


@dataclass
class Platform:
    url: str
    app: FaultInjection
    naps: list[float]

    def client(self, **options: Any) -> LogisticsClient:
        options.setdefault("sleep", self._nap)
        return LogisticsClient(self.url, **options)

    async def _nap(self, seconds: float) -> None:
        self.naps.append(seconds)  # recorded, not slept: tests stay fast


@pytest.fixture
async def platform() -> AsyncIterator[Platform]:
    app = create_app(PROVINCE, rate_per_second=0)
    async with live_server(app) as url:
        yield Platform(url, app, [])


def seeded(province: Province, uscc: str) -> list[str]:
    return [s.waybill_no for s in shipments(province) if uscc in (s.consignor_uscc, s.consignee_uscc)]


async def test_follows_cursors_to_the_end(platform: Platform) -> None:
    async with platform.client(page_size=5) as client:
        found = await client.shipments_of([SHOWCASE_USCC])
    expected = seeded(PROVINCE, SHOWCASE_USCC)
    assert len(expected) > 10  # the showcase ships a dozen waybills: several pages of five
    assert [s.waybill_no for s in found[SHOWCASE_USCC]] == expected
    assert client.calls["list"] == -(-len(expected) // 5)


async def test_maps_records_to_typed_shipments(platform: Platform) -> None:
    async with platform.client() as client:
        item = (await client.shipments_of([SHOWCASE_USCC], ShipmentFilter(role=PartyRole.CONSIGNOR)))[SHOWCASE_USCC][0]
    record = next(s for s in shipments(PROVINCE) if s.waybill_no == item.waybill_no)
    assert item.consignor_uscc == SHOWCASE_USCC == record.consignor_uscc
    assert item.consignee_name == record.consignee_name
    assert item.created_at.utcoffset() == timedelta(hours=8)
    assert item.created_at.replace(tzinfo=None) == record.created_at
    assert item.freight_yuan == Decimal(record.freight_fen) / 100
    assert item.weight_kg == Decimal(f"{record.weight_kg:.1f}")
    assert isinstance(item.status, ShipmentStatus)


async def test_many_enterprises_cost_one_listing_per_twenty(platform: Platform) -> None:
    usccs = [e.uscc for e in PROVINCE.enterprises[:45]]
    async with platform.client() as client:
        found = await client.shipments_of(usccs)
    # 20 + 20 + 5 codes: one listing each, as many pages of 100 as that listing's waybills need
    chunks = [usccs[:20], usccs[20:40], usccs[40:]]
    pages = [-(-len({n for u in chunk for n in seeded(PROVINCE, u)}) // 100) for chunk in chunks]
    assert client.calls["list"] == sum(pages) < 10
    for uscc in usccs:
        assert [s.waybill_no for s in found[uscc]] == seeded(PROVINCE, uscc)


@pytest.mark.parametrize(
    ("criteria", "keep"),
    [
        # only the waybills the enterprise sent
        (ShipmentFilter(role=PartyRole.CONSIGNOR), lambda s: s.consignor_uscc == SHOWCASE_USCC),
        # only those it receives
        (ShipmentFilter(role=PartyRole.CONSIGNEE), lambda s: s.consignee_uscc == SHOWCASE_USCC),
        # delivered ones, either side
        (ShipmentFilter(status=ShipmentStatus.DELIVERED), lambda s: s.status == "40"),
        # a date window, inclusive at both ends
        (
            ShipmentFilter(created_from=date(2025, 3, 1), created_to=date(2025, 8, 31)),
            lambda s: date(2025, 3, 1) <= s.created_at.date() <= date(2025, 8, 31),
        ),
    ],
)
async def test_filters_reach_the_platform(platform: Platform, criteria: ShipmentFilter, keep: Any) -> None:
    async with platform.client() as client:
        found = (await client.shipments_of([SHOWCASE_USCC], criteria))[SHOWCASE_USCC]
    mine = [s for s in shipments(PROVINCE) if SHOWCASE_USCC in (s.consignor_uscc, s.consignee_uscc)]
    assert [s.waybill_no for s in found] == [s.waybill_no for s in mine if keep(s)]


async def test_waybill_lookups_are_batched_by_fifty(platform: Platform) -> None:
    numbers = [s.waybill_no for s in shipments(PROVINCE)[:120]]
    async with platform.client() as client:
        found = await client.shipments([*numbers, "WL20990101999999"])
        assert set(found) == set(numbers)  # the unknown one is left out
        assert client.calls["query"] == 3
        with pytest.raises(NotFound):
            await client.shipment("WL20990101999999")


async def test_honours_retry_after_on_429() -> None:
    naps: list[float] = []

    async def nap(seconds: float) -> None:
        naps.append(seconds)
        await asyncio.sleep(seconds)

    app = create_app(PROVINCE, rate_per_second=5, burst=1)
    async with live_server(app) as url, LogisticsClient(url, sleep=nap) as client:
        first = await client.zone_stats(["340100-HTZ"])
        second = await client.zone_stats(["340100-ETDZ"])  # the bucket is empty: 429, Retry-After: 1
    assert naps == [1.0]
    assert client.calls["zone_stats"] == 3
    assert first["340100-HTZ"].shipment_count > 0 and second["340100-ETDZ"].shipment_count > 0


async def test_gives_up_when_retry_after_is_too_long() -> None:
    app = create_app(PROVINCE, rate_per_second=0.01, burst=1)
    async with live_server(app) as url, LogisticsClient(url, max_retry_wait=5) as client:
        await client.zone_stats(["340100-HTZ"])
        # Another zone: the same read would be answered from its last good copy (see test_resilience.py).
        with pytest.raises(LegacyUnavailable, match="rate limited"):
            await client.zone_stats(["340100-ETDZ"])
    assert client.calls["zone_stats"] == 2  # no retry: the platform asked for 100 s


async def test_retries_503_a_bounded_number_of_times() -> None:
    naps: list[float] = []

    async def nap(seconds: float) -> None:
        naps.append(seconds)

    app = create_app(PROVINCE, rate_per_second=0, flaky_rate=1.0)
    async with live_server(app) as url, LogisticsClient(url, sleep=nap, max_retries=3) as client:
        with pytest.raises(LegacyUnavailable):
            await client.shipments_of([SHOWCASE_USCC])
    assert client.calls["list"] == 4
    # Exponential from 0.2 s with "equal jitter": each wait within [half, all] of 0.2, 0.4, 0.8.
    assert len(naps) == 3
    assert all(ceiling / 2 <= nap <= ceiling for nap, ceiling in zip(naps, [0.2, 0.4, 0.8], strict=True))


async def test_occasional_503_is_absorbed_by_retries() -> None:
    async def nap(seconds: float) -> None:
        return None

    app = create_app(PROVINCE, rate_per_second=0, flaky_rate=0.3)
    usccs = [e.uscc for e in PROVINCE.enterprises[:100]]
    async with live_server(app) as url, LogisticsClient(url, sleep=nap, max_retries=6) as client:
        found = await client.shipments_of(usccs)
    assert client.calls["list"] > 5  # 5 listings plus the retries the seeded 503s forced
    assert all([s.waybill_no for s in found[u]] == seeded(PROVINCE, u) for u in usccs)


async def test_outage_and_garbage_become_adapter_errors(platform: Platform) -> None:
    async with platform.client() as client:
        platform.app.faults.update({"malformed_rate": 1.0})
        with pytest.raises(BadData):
            await client.shipments_of([SHOWCASE_USCC])
        platform.app.faults.update({"reset": True, "outage": True})
        with pytest.raises(LegacyUnavailable):
            await client.zone_stats(["340100-HTZ"])


async def test_booking_is_idempotent_per_client_reference(platform: Platform) -> None:
    consignee = PROVINCE.enterprises[3]
    booking = Booking(SHOWCASE_USCC, consignee.uscc, consignee.name, consignee.city_code, "钢材", Decimal("12.5"), 3)
    async with platform.client() as client:
        first = await client.book(booking, "ref-001")
        again = await client.book(booking, "ref-001")
        other = await client.book(booking, "ref-002")
        with pytest.raises(Rejected) as conflict:
            await client.book(replace(booking, pieces=4), "ref-001")
        listed = await client.shipments_of([SHOWCASE_USCC], ShipmentFilter(status=ShipmentStatus.BOOKED))
    assert not first.duplicate and again.duplicate
    assert again.shipment == first.shipment
    assert other.shipment.waybill_no != first.shipment.waybill_no
    assert conflict.value.legacy_code == "40901"
    assert first.shipment.client_reference == "ref-001"
    assert first.shipment.status is ShipmentStatus.BOOKED
    assert [s.waybill_no for s in listed[SHOWCASE_USCC]].count(first.shipment.waybill_no) == 1


async def test_bookings_are_not_retried_by_the_adapter() -> None:
    app = create_app(PROVINCE, rate_per_second=0, flaky_rate=1.0)
    consignee = PROVINCE.enterprises[3]
    booking = Booking(SHOWCASE_USCC, consignee.uscc, consignee.name, consignee.city_code, "钢材", Decimal("1"), 1)
    async with live_server(app) as url, LogisticsClient(url) as client:
        with pytest.raises(LegacyUnavailable):
            await client.book(booking, "ref-x")
    assert client.calls["book"] == 1


async def test_rejected_booking_keeps_the_platform_code(platform: Platform) -> None:
    booking = Booking("91340100MA0000000X", "91340100MA0000000X", "x", "340100", "钢材", Decimal("1"), 1)
    async with platform.client() as client:
        with pytest.raises(Rejected) as rejected:
            await client.book(booking, "ref-y")
    assert rejected.value.legacy_code == "40002"
