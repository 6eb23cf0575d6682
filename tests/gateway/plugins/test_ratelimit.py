"""Rate limits: 429 with RATE_LIMITED and Retry-After, buckets per client and per address, shared across replicas."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from gateway.context import RequestContext
from gateway.pipeline.types import SupergraphRequest
from gateway.plugins.ratelimit import RateLimitPlugin
from gateway.plugins.settings import settings_from_dict
from gateway.state import MemoryStore
from tests.gateway.plugins.helpers import as_client, body, traffic_gateway
from tests.support.federation import FederationHarness, run_case
from tests.support.redis import delete_prefix, redis_store, redis_url, unique_prefix

REPO = Path(__file__).resolve().parents[3]
QUERY = "{ parks { code } }"
SETTINGS: dict[str, Any] = {
    "classes": {"anonymous": {"rate_limit": "2/min"}, "default": {"rate_limit": "3/min"}},
    "clients": {"city-dashboard": {"class": "default", "rate_limit": "100/s"}},
}


async def test_refusal_is_a_429_with_a_retry_hint(federation: FederationHarness) -> None:
    gateway = await traffic_gateway(federation, "traffic", MemoryStore(), SETTINGS)
    statuses = [(await gateway.post(QUERY)).status_code for _ in range(2)]
    refused = await gateway.post(QUERY)
    assert statuses == [200, 200]
    assert refused.status_code == 429
    error = body(refused)["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert 1 <= error["extensions"]["retryAfter"] <= 30  # 2 per minute: a token every 30 s
    assert refused.headers["retry-after"] == str(error["extensions"]["retryAfter"])


async def test_buckets_are_per_client_with_class_defaults_and_overrides(federation: FederationHarness) -> None:
    gateway = await traffic_gateway(federation, "traffic", MemoryStore(), SETTINGS)

    async def statuses(headers: dict[str, str], n: int) -> list[int]:
        return [(await gateway.post(QUERY, headers=headers)).status_code for _ in range(n)]

    assert await statuses(as_client("partner-a"), 4) == [200, 200, 200, 429]  # the default class: 3 per minute
    assert await statuses(as_client("partner-b"), 1) == [200]  # a bucket of its own
    assert await statuses(as_client("city-dashboard"), 10) == [200] * 10  # its own, higher limit
    assert await statuses({}, 3) == [200, 200, 429]  # anonymous: by address


@pytest.mark.redis
async def test_replicas_sharing_redis_never_grant_more_than_the_bucket() -> None:
    async with redis_store() as store:
        settings = settings_from_dict({"classes": {"anonymous": {"rate_limit": "200/s", "burst": 40}}})
        replicas = [RateLimitPlugin(store, settings, lease_seconds=0.05) for _ in range(2)]
        request = SupergraphRequest(QUERY, None, {}, {}, RequestContext.create({}))
        request.context.client_address = "10.0.0.7"
        started = time.monotonic()
        outcomes = await asyncio.gather(*(replicas[i % 2].check(request) for i in range(120)))
        elapsed = time.monotonic() - started
    allowed = sum(1 for outcome in outcomes if outcome is None)
    assert 20 <= allowed <= 40 + 200 * elapsed + 1  # leases may under-spend, never overdraw


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
async def prefix() -> AsyncIterator[str]:
    value = unique_prefix()
    yield value
    await delete_prefix(value)


@pytest.mark.redis
@pytest.mark.e2e
async def test_two_gateway_processes_share_one_budget(tmp_path: Path, prefix: str) -> None:
    env = {
        **os.environ,
        "REDIS_URL": redis_url(),
        "PARKGRAPH_REDIS_PREFIX": prefix,
        "PARKGRAPH_RATE_LIMITS": "class.anonymous=5/min",
    }
    async with run_case("traffic") as case:
        supergraph = tmp_path / "supergraph.graphql"
        supergraph.write_text(case.supergraph_sdl, encoding="utf-8")
        ports = [_free_port(), _free_port()]
        processes = [await _start_gateway(supergraph, port, env) for port in ports]
        try:
            async with aiohttp.ClientSession() as http:
                for port in ports:
                    await _wait_healthy(http, port)
                statuses = []
                for i in range(8):  # alternate between the replicas, as a load balancer would
                    url = f"http://127.0.0.1:{ports[i % 2]}/graphql"
                    async with http.post(url, json={"query": QUERY}) as response:
                        statuses.append(response.status)
                        if response.status == 429:
                            assert (await response.json())["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
                            assert int(response.headers["retry-after"]) >= 1
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                await process.wait()
    assert statuses == [200] * 5 + [429] * 3


async def _start_gateway(supergraph: Path, port: int, env: dict[str, str]) -> asyncio.subprocess.Process:
    args = ["-m", "gateway", "--supergraph", str(supergraph), "--port", str(port)]
    return await asyncio.create_subprocess_exec(sys.executable, *args, cwd=REPO, env=env)


async def _wait_healthy(http: aiohttp.ClientSession, port: int) -> None:
    for _ in range(300):
        try:
            async with http.get(f"http://127.0.0.1:{port}/health") as health:
                if health.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.05)
    raise AssertionError(f"the gateway on port {port} did not start")
