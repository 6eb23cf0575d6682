"""npm packages the tests run under Node.js (Apollo's tools, graphql-http, graphql-ws), installed on first use.

Each set lives outside the repository in a folder of its own: Apollo's in
``PARKGRAPH_NODE_MODULES`` (default ``~/.cache/parkgraph-node``, where
``tests/fixtures/README.md`` has them installed from the bench's
``package.json``), the others where their tests say. :func:`ensure_packages`
installs the pinned versions there when they are missing, and
:func:`place_script` puts a test's ``.mjs`` beside them so its bare imports
resolve. Without Node.js the test is skipped, or fails when
``PARKGRAPH_REQUIRE_SERVICES`` is set.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from collections.abc import Mapping
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


def missing_packages(
    directory: Path = NODE_MODULES_DIR, packages: Mapping[str, str] = APOLLO_PACKAGES
) -> dict[str, str]:
    """The ``packages`` (name → pinned version) not installed in ``directory`` at their pinned version."""
    missing: dict[str, str] = {}
    for name, version in packages.items():
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


def _prepare_folder(directory: Path) -> None:
    # A folder of our own with its own package.json, so npm never touches another project's dependencies.
    directory.mkdir(parents=True, exist_ok=True)
    if not (directory / "package.json").exists():
        (directory / "package.json").write_text('{"private": true}\n', encoding="utf-8")


async def ensure_packages(directory: Path, packages: Mapping[str, str], purpose: str) -> Path:
    """``directory``, with ``packages`` (name → version) in its ``node_modules`` (installed once per machine).

    Skips the test without Node.js and npm (fails it when services are required).
    """
    require_node(purpose)
    missing = missing_packages(directory, packages)
    if not missing:
        return directory
    npm = shutil.which("npm")
    assert npm is not None
    _prepare_folder(directory)
    process = await asyncio.create_subprocess_exec(
        npm,
        "install",
        "--prefix",
        str(directory),
        "--no-audit",
        "--no-fund",
        "--save-exact",
        *(f"{name}@{version}" for name, version in missing.items()),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=600)
    assert process.returncode == 0, output.decode(errors="replace")
    assert missing_packages(directory, packages) == {}, f"npm did not install {missing_packages(directory, packages)}"
    return directory


async def ensure_apollo_packages(purpose: str = "Apollo's reference tools") -> Path:
    """The folder holding the pinned Apollo packages (installed once per machine); ``node`` must exist."""
    return await ensure_packages(NODE_MODULES_DIR, APOLLO_PACKAGES, purpose)


def place_script(script: Path, directory: Path) -> Path:
    """A copy of ``script`` in ``directory``: Node resolves a script's bare imports from its own folder."""
    placed = directory / script.name
    placed.write_text(script.read_text(encoding="utf-8"), encoding="utf-8")
    return placed
