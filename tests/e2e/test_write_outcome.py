"""A write whose answer is lost: committed by the legacy system, reported WRITE_OUTCOME_UNKNOWN, retried once.

Through the gateway on the whole domain graph. The legacy system commits the
write and then holds its answer past the request's deadline (the mocks'
``delay_after_ms`` fault, on the write endpoint only). The client is told
``WRITE_OUTCOME_UNKNOWN`` with its ``idempotencyKey``; the write is there on
the legacy side; a retry with the same key after the fault is cleared
answers that one record, and the legacy system still holds exactly one.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from mocks.data.province import SHOWCASE_USCC
from tests.support.domain_graph import TODAY, DomainGraph, domain_graph

DEADLINE = 1.0  # the gateway's request deadline, seconds
LOST_ANSWER_MS = 3000  # longer than the deadline: to the caller, the answer is lost


@dataclass(frozen=True)
class Write:
    """One domain's mutation, its legacy write endpoint, and how to count what it wrote."""

    mutation: str
    variables: dict[str, Any]
    legacy_path: str  # the endpoint that commits the write
    count: str  # the showcase's records of this kind, as a query
    result: tuple[str, ...]  # where the written record's identity is in the mutation's data


def _writes(graph: DomainGraph, key: str) -> dict[str, Write]:
    consignee = next(e for e in graph.province.enterprises if e.uscc != SHOWCASE_USCC)
    count = '{{ enterprise(uscc: "{uscc}") {{ {field} {{ totalCount }} }} }}'
    return {
        # The approval platform deduplicates on its Idempotency-Key header.
        "approvals": Write(
            """mutation($input: SubmitApplicationInput!, $key: String!) {
                 submitApplication(input: $input, idempotencyKey: $key) { id } }""",
            {
                "key": key,
                "input": {
                    "applicant": SHOWCASE_USCC,
                    "itemCode": "000119017000",
                    "contactName": "李娜",
                    "contactPhone": "13800000000",
                },
            },
            "/zwfw/api/v1/bjxx",
            count.format(uscc=SHOWCASE_USCC, field="approvalCases"),
            ("submitApplication", "id"),
        ),
        # The logistics platform deduplicates on the booking's client reference number.
        "logistics": Write(
            """mutation($input: BookShipmentInput!, $key: String!) {
                 bookShipment(input: $input, idempotencyKey: $key) { shipment { waybillNo } } }""",
            {
                "key": key,
                "input": {
                    "consignor": SHOWCASE_USCC,
                    "consignee": consignee.uscc,
                    "consigneeName": consignee.name,
                    "destinationCityCode": consignee.city_code,
                    "cargo": "电子元器件",
                    "weightKg": "120.5",
                    "pieces": 4,
                },
            },
            "/api/v2/waybills",
            count.format(uscc=SHOWCASE_USCC, field="shipments"),
            ("bookShipment", "shipment", "waybillNo"),
        ),
    }


@pytest.fixture
async def graph(tmp_path: Path) -> AsyncIterator[DomainGraph]:
    async with domain_graph(tmp_path, today=TODAY, gateway_options={"timeout": DEADLINE}) as running:
        yield running


async def _count(graph: DomainGraph, write: Write) -> int:
    body = await graph.execute(write.count)
    assert "errors" not in body, body
    (records,) = body["data"]["enterprise"].values()
    total: int = records["totalCount"]
    return total


def _dig(data: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        data = data[name]
    return data


@pytest.mark.parametrize("domain_name", ["approvals", "logistics"])
async def test_a_committed_write_whose_answer_is_lost_is_unknown_and_retried_once(
    graph: DomainGraph, domain_name: str
) -> None:
    key = f"lost-answer-{domain_name}-1"
    write = _writes(graph, key)[domain_name]
    before = await _count(graph, write)
    await graph.set_faults(domain_name, delay_after_ms=LOST_ANSWER_MS, delay_after_path=write.legacy_path)
    graph.reset_calls()

    started = time.monotonic()
    body = await graph.execute(write.mutation, write.variables)
    assert time.monotonic() - started < DEADLINE + 0.5  # nobody waited for the lost answer
    assert body["data"] is None, body
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "WRITE_OUTCOME_UNKNOWN", error
    assert error["extensions"]["idempotencyKey"] == key
    assert error["path"] == [write.result[0]]
    assert graph.legacy_calls_by_endpoint()[domain_name] == {f"POST {write.legacy_path}": 1}

    # The legacy system did the write; its answer is still on its way.
    await graph.set_faults(domain_name, reset=True)
    assert await _count(graph, write) == before + 1

    # The client retries with the same key: the one record, not a second.
    graph.reset_calls()
    retried = await graph.execute(write.mutation, write.variables)
    assert "errors" not in retried, retried
    record = _dig(retried["data"], write.result)
    assert graph.legacy_calls_by_endpoint()[domain_name] == {f"POST {write.legacy_path}": 1}  # reached it again
    again = await graph.execute(write.mutation, write.variables)
    assert _dig(again["data"], write.result) == record
    assert await _count(graph, write) == before + 1
