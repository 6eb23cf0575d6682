"""The npm packages of Apollo's reference tools (Gateway, Server, composition), installed on first use.

They live outside the repository, in ``PARKGRAPH_NODE_MODULES`` (default
``~/.cache/parkgraph-node``, where ``tests/fixtures/README.md`` has them
installed from the bench's ``package.json``); :func:`ensure_apollo_packages`
installs the pinned versions there when they are missing. Without Node.js the
test is skipped, or fails when ``PARKGRAPH_REQUIRE_SERVICES`` is set.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from pathlib import Path

import pytest

NODE_MODULES_DIR = Path(os.environ.get("PARKGRAPH_NODE_MODULES", Path.home() / ".cache" / "parkgraph-node"))

# The versions of shared/bench/package.json, which the fixtures and reference answers were made with.
APOLLO_PACKAGES = {
    "@apollo/gateway": "2.14.4",
    "@apollo/server": "5.5.1",
    "@apollo/composition": "2.14.4",
    "graphql": "16.15.0",
}


def missing_packages(directory: Path = NODE_MODULES_DIR) -> dict[str, str]:
    """The pinned packages that are not installed in ``directory`` at their pinned version."""
    missing: dict[str, str] = {}
    for name, version in APOLLO_PACKAGES.items():
        manifest = directory / "node_modules" / name / "package.json"
        if not manifest.exists() or json.loads(manifest.read_text(encoding="utf-8")).get("version") != version:
            missing[name] = version
    return missing


def require_node(purpose: str) -> str:
    """The ``node`` executable; skips the test without one (fails it when services are required)."""
    node = shutil.which("node")
    if node is None or shutil.which("npm") is None:
        message = f"Node.js and npm are needed for {purpose}"
        if os.environ.get("PARKGRAPH_REQUIRE_SERVICES"):
            pytest.fail(message)
        pytest.skip(message)
    return node


def _prepare_folder() -> None:
    # A folder of our own with its own package.json, so npm never touches another project's dependencies.
    NODE_MODULES_DIR.mkdir(parents=True, exist_ok=True)
    if not (NODE_MODULES_DIR / "package.json").exists():
        (NODE_MODULES_DIR / "package.json").write_text('{"private": true}\n', encoding="utf-8")


async def ensure_apollo_packages(purpose: str = "Apollo's reference tools") -> Path:
    """The folder holding the pinned Apollo packages (installed once per machine); ``node`` must exist."""
    require_node(purpose)
    missing = missing_packages()
    if not missing:
        return NODE_MODULES_DIR
    npm = shutil.which("npm")
    assert npm is not None
    _prepare_folder()
    process = await asyncio.create_subprocess_exec(
        npm,
        "install",
        "--prefix",
        str(NODE_MODULES_DIR),
        "--no-audit",
        "--no-fund",
        "--save-exact",
        *(f"{name}@{version}" for name, version in missing.items()),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=600)
    assert process.returncode == 0, output.decode(errors="replace")
    assert missing_packages() == {}, f"npm did not install {missing_packages()}"
    return NODE_MODULES_DIR
