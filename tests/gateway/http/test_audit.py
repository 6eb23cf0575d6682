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
from tests.support.node_packages import ensure_packages, place_script

pytestmark = pytest.mark.node

GRAPHQL_HTTP_VERSION = "1.22.4"
GRAPHQL_JS_VERSION = "16.15.0"
CACHE = Path(os.environ.get("PARKGRAPH_NODE_CACHE", Path.home() / ".cache" / "parkgraph-graphql-http"))
PACKAGES = {"graphql-http": GRAPHQL_HTTP_VERSION, "graphql": GRAPHQL_JS_VERSION}
SCRIPT = Path(__file__).with_name("audit.mjs")


async def _audit(url: str, folder: Path) -> list[dict[str, Any]]:
    node = shutil.which("node")
    assert node is not None
    script = place_script(SCRIPT, folder)
    process = await asyncio.create_subprocess_exec(
        node, str(script), url, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, stderr.decode(errors="replace")
    results: list[dict[str, Any]] = json.loads(stdout)
    return results


async def test_graphql_http_audit_every_must_passes() -> None:
    folder = await ensure_packages(CACHE, PACKAGES, "the graphql-http audit")
    async with run_case("bench") as case:
        app = create_app(case.supergraph_sdl)
        async with live_server(app) as base_url:
            results = await _audit(f"{base_url}/graphql", folder)
    assert len(results) > 40  # the audit really ran
    failed_musts = [r for r in results if r["name"].startswith("MUST") and r["status"] != "ok"]
    assert failed_musts == []
    shoulds = [r for r in results if r["name"].startswith("SHOULD")]
    passed = [r for r in shoulds if r["status"] == "ok"]
    print(f"graphql-http {GRAPHQL_HTTP_VERSION} audit: SHOULD passed {len(passed)}/{len(shoulds)}")
    for result in shoulds:
        if result["status"] != "ok":
            print(f"  SHOULD not met: {result['id']} {result['name']}: {result['reason']}")
