"""The approval platform mock served over real HTTP, and a client that counts its requests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from adapters.approvals import ApprovalsClient
from mocks.approvals.app import create_app
from mocks.data.province import Province, generate
from mocks.faults import Faults
from tests.support.live_server import live_server


class CountingTransport(httpx.AsyncBaseTransport):
    """Real HTTP, with every request remembered (so tests can count legacy calls)."""

    def __init__(self, fail_first: int = 0) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.requests: list[httpx.Request] = []
        self.fail_first = fail_first

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if len(self.requests) <= self.fail_first:
            raise httpx.ConnectError("refused (test)", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def paths(self) -> list[str]:
        return [r.url.path for r in self.requests]


@dataclass
class Platform:
    province: Province
    faults: Faults
    url: str
    transport: CountingTransport
    client: ApprovalsClient


@pytest.fixture
async def platform() -> AsyncIterator[Platform]:
    province = generate(seed=2026, scale=0.1)
    faults = Faults()
    async with live_server(create_app(province, faults)) as url:
        transport = CountingTransport()
        async with ApprovalsClient(url, transport=transport, timeout=2.0) as client:
            yield Platform(province, faults, url, transport, client)
