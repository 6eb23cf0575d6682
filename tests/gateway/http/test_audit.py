"""The graphql-http npm package's server audit against a running gateway: every MUST passes.

The package is installed at test time into a cache folder outside the repository
(``~/.cache/parkgraph-graphql-http``, pinned below); the gateway is served by
uvicorn on a free port in the test's event loop.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from gateway.http import create_app
from tests.support.federation import run_case
from tests.support.live_server import live_server

pytestmark = pytest.mark.node

GRAPHQL_HTTP_VERSION = "1.22.4"
GRAPHQL_JS_VERSION = "16.15.0"
CACHE = Path(os.environ.get("PARKGRAPH_NODE_CACHE", Path.home() / ".cache" / "parkgraph-graphql-http"))
SCRIPT = Path(__file__).with_name("audit.mjs")


def _pinned_is_installed() -> bool:
    installed = CACHE / "node_modules" / "graphql-http" / "package.json"
    return installed.exists() and json.loads(installed.read_text())["version"] == GRAPHQL_HTTP_VERSION


def _prepare_cache() -> None:
    # Our own folder with its own package.json, so npm never touches another project's dependencies.
    CACHE.mkdir(parents=True, exist_ok=True)
    if not (CACHE / "package.json").exists():
        (CACHE / "package.json").write_text('{"private": true}\n')


async def _install() -> Path:
    """The node_modules folder with the pinned graphql-http (installed once per machine)."""
    if _pinned_is_installed():
        return CACHE / "node_modules"
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        if os.environ.get("PARKGRAPH_REQUIRE_SERVICES"):
            pytest.fail("Node.js and npm are needed for the graphql-http audit")
        pytest.skip("Node.js and npm are needed for the graphql-http audit")
    _prepare_cache()
    process = await asyncio.create_subprocess_exec(
        npm,
        "install",
        "--prefix",
        str(CACHE),
        "--no-audit",
        "--no-fund",
        "--save-exact",
        f"graphql-http@{GRAPHQL_HTTP_VERSION}",
        f"graphql@{GRAPHQL_JS_VERSION}",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=300)
    assert process.returncode == 0, output.decode(errors="replace")
    return CACHE / "node_modules"


def _copy_script(node_modules: Path) -> Path:
    # Node resolves bare imports from the script's folder: run a copy placed beside node_modules.
    script = node_modules.parent / "audit.mjs"
    script.write_text(SCRIPT.read_text())
    return script


async def _audit(url: str, node_modules: Path) -> list[dict[str, Any]]:
    node = shutil.which("node")
    assert node is not None
    script = _copy_script(node_modules)
    process = await asyncio.create_subprocess_exec(
        node, str(script), url, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, stderr.decode(errors="replace")
    results: list[dict[str, Any]] = json.loads(stdout)
    return results


async def test_graphql_http_audit_every_must_passes() -> None:
    node_modules = await _install()
    async with run_case("bench") as case:
        app = create_app(case.supergraph_sdl)
        async with live_server(app) as base_url:
            results = await _audit(f"{base_url}/graphql", node_modules)
    assert len(results) > 40  # the audit really ran
    failed_musts = [r for r in results if r["name"].startswith("MUST") and r["status"] != "ok"]
    assert failed_musts == []
    shoulds = [r for r in results if r["name"].startswith("SHOULD")]
    passed = [r for r in shoulds if r["status"] == "ok"]
    print(f"graphql-http {GRAPHQL_HTTP_VERSION} audit: SHOULD passed {len(passed)}/{len(shoulds)}")
    for result in shoulds:
        if result["status"] != "ok":
            print(f"  SHOULD not met: {result['id']} {result['name']}: {result['reason']}")
