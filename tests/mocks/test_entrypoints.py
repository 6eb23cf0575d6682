"""Every mock's ``python -m mocks.<domain>`` reads ``PARKGRAPH_<DOMAIN>_MOCK_<OPTION>``, never a subgraph's names.

The approvals mock once read ``PARKGRAPH_APPROVALS_HOST/PORT``, the approvals
subgraph's own variables, and the registry mock ``PARKGRAPH_REGISTRY_SEED``,
the schema registry's seed file: one variable set for one process moved the other.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import pytest

# Mocks served over HTTP: (domain, the names in its module that build the app, that must not run here).
SERVED = [
    ("registry", ["create_app"]),
    ("approvals", ["create_app"]),
    ("logistics", ["create_app"]),
    ("socialsecurity", ["create_app"]),
    ("utilities", ["create_app"]),
    ("environment", ["EnvironmentMock"]),
    ("safety", ["SafetyMock"]),
]


def _run_main(monkeypatch: pytest.MonkeyPatch, domain: str, builders: list[str]) -> dict[str, Any]:
    """Runs the mock's ``main()`` with no flags; returns what it would serve on and the seed/scale it generated."""
    module = importlib.import_module(f"mocks.{domain}.__main__")
    seen: dict[str, Any] = {}

    def generate(seed: int, scale: float) -> object:
        seen.update(seed=seed, scale=scale)
        return object()

    def run(app: object, *, host: str, port: int, **_: object) -> None:
        seen.update(host=host, port=port)

    monkeypatch.setattr(module, "generate", generate)
    monkeypatch.setattr(module.uvicorn, "run", run)
    for name in builders:
        monkeypatch.setattr(module, name, lambda *args, **kwargs: object())
    monkeypatch.setattr(sys, "argv", [f"mocks.{domain}"])
    module.main()
    return seen


@pytest.mark.parametrize(("domain", "builders"), SERVED)
def test_a_served_mock_reads_its_mock_variables(
    monkeypatch: pytest.MonkeyPatch, domain: str, builders: list[str]
) -> None:
    prefix = f"PARKGRAPH_{domain.upper()}_MOCK_"
    monkeypatch.setenv(prefix + "HOST", "127.0.0.9")
    monkeypatch.setenv(prefix + "PORT", "6543")
    monkeypatch.setenv(prefix + "SEED", "7")
    monkeypatch.setenv(prefix + "SCALE", "0.25")

    assert _run_main(monkeypatch, domain, builders) == {"host": "127.0.0.9", "port": 6543, "seed": 7, "scale": 0.25}


@pytest.mark.parametrize(("domain", "builders"), SERVED)
def test_a_served_mock_ignores_the_subgraph_and_schema_registry_variables(
    monkeypatch: pytest.MonkeyPatch, domain: str, builders: list[str]
) -> None:
    # The subgraph's host/port and the schema registry's seed file: none of them is the mock's.
    prefix = f"PARKGRAPH_{domain.upper()}_"
    monkeypatch.setenv(prefix + "HOST", "127.0.0.9")
    monkeypatch.setenv(prefix + "PORT", "4999")
    monkeypatch.setenv(prefix + "SEED", "/var/lib/parkgraph/registry-seed.json")
    monkeypatch.setenv(prefix + "SCALE", "9")
    for name in ("HOST", "PORT", "SEED", "SCALE"):
        monkeypatch.delenv(f"{prefix}MOCK_{name}", raising=False)

    seen = _run_main(monkeypatch, domain, builders)

    assert seen["host"] == "127.0.0.1"
    assert seen["port"] != 4999
    assert (seen["seed"], seen["scale"]) == (2026, 1.0)


def test_the_talent_mock_reads_its_mock_variables_and_the_shared_database_url(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    module = importlib.import_module("mocks.talent.__main__")
    seen: dict[str, Any] = {}

    def generate(seed: int, scale: float) -> object:
        seen.update(seed=seed, scale=scale)
        return object()

    async def create_database(url: str, province: object, schema: str) -> None:
        seen.update(url=url, schema=schema)

    url = f"sqlite:///{tmp_path / 'talent.db'}"
    # The database URL is the one the talent subgraph reads too: both sides name the same database.
    monkeypatch.setenv("PARKGRAPH_TALENT_DATABASE_URL", url)
    monkeypatch.setenv("PARKGRAPH_TALENT_MOCK_SCHEMA", "legacy_talent")
    monkeypatch.setenv("PARKGRAPH_TALENT_MOCK_SEED", "11")
    monkeypatch.setenv("PARKGRAPH_TALENT_MOCK_SCALE", "0.5")
    monkeypatch.setenv("PARKGRAPH_TALENT_SEED", "99")  # the old name: no longer read
    monkeypatch.setattr(module, "generate", generate)
    monkeypatch.setattr(module, "create_database", create_database)
    monkeypatch.setattr(sys, "argv", ["mocks.talent"])

    module.main()

    assert seen == {"url": url, "schema": "legacy_talent", "seed": 11, "scale": 0.5}
