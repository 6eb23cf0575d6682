"""The registry mock served over real HTTP, and a client that counts its requests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from adapters.registry import RegistryClient
from mocks.data.province import Province, generate
from mocks.faults import Faults
from mocks.registry.app import create_app
from tests.support.live_server import live_server


class CountingTransport(httpx.AsyncBaseTransport):
    """Real HTTP, with every request remembered (so tests can count legacy calls)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass
class Registry:
    province: Province
    faults: Faults
    url: str
    transport: CountingTransport
    client: RegistryClient


@pytest.fixture
async def registry() -> AsyncIterator[Registry]:
    province = generate(seed=2026, scale=0.1)
    faults = Faults()
    async with live_server(create_app(province, faults)) as url:
        transport = CountingTransport()
        async with RegistryClient(url, transport=transport, timeout=2.0) as client:
            yield Registry(province, faults, url, transport, client)
