"""``python -m gateway`` as a real process, and ``parkgraph gateway`` registration."""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path

import aiohttp
import pytest

from parkgraph.cli import main as parkgraph_main
from tests.support.federation import run_case

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.e2e
async def test_python_m_gateway_serves_a_supergraph(tmp_path: Path) -> None:
    async with run_case("bench") as case:
        supergraph = tmp_path / "supergraph.graphql"
        supergraph.write_text(case.supergraph_sdl, encoding="utf-8")
        port = _free_port()
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "gateway", "--supergraph", str(supergraph), "--port", str(port), "--dev",
            cwd=REPO, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            async with aiohttp.ClientSession() as http:
                for _ in range(200):
                    try:
                        async with http.get(f"http://127.0.0.1:{port}/health") as health:
                            if health.status == 200:
                                break
                    except aiohttp.ClientConnectionError:
                        await asyncio.sleep(0.05)
                body = {"query": "{ topProducts(first: 1) { name } }"}
                headers = {"x-parkgraph-plan": "true"}
                async with http.post(f"http://127.0.0.1:{port}/graphql", json=body, headers=headers) as response:
                    answer = await response.json()
            assert answer["data"] == {"topProducts": [{"name": "Classic Table 1"}]}
            assert answer["extensions"]["queryPlan"].startswith("QueryPlan {")
        finally:
            process.terminate()
            await asyncio.wait_for(process.wait(), timeout=10)


async def test_an_invalid_supergraph_exits_with_2(tmp_path: Path) -> None:
    supergraph = tmp_path / "bad.graphql"
    supergraph.write_text("type Query { a: Int", encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "gateway", "--supergraph", str(supergraph), "--port", "1",
        cwd=REPO, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 2
    assert b"cannot be served" in stderr


def test_parkgraph_gateway_is_registered(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parkgraph_main(["gateway", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "--supergraph" in out and "--port" in out and "--dev" in out
