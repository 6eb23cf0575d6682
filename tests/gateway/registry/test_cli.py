"""``parkgraph registry …`` against a live registry: publish, check, list, history, withdraw, rollback."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from parkgraph.cli import main
from tests.gateway.registry.graphs import HEFEI_NOT_COMPOSING, HEFEI_SDL, HEFEI_URL, REGISTRY_SDL, REGISTRY_URL
from tests.gateway.registry.live import live_registry


async def test_the_registry_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "registry.graphql").write_text(REGISTRY_SDL, encoding="utf-8")
    (tmp_path / "hefei.graphql").write_text(HEFEI_SDL, encoding="utf-8")
    (tmp_path / "broken.graphql").write_text(HEFEI_NOT_COMPOSING, encoding="utf-8")
    async with live_registry(tmp_path, redis=False) as live:
        province = ["--registry", live.url, "--token", live.mint.token("province-ops", "province")]
        hefei = ["--registry", live.url, "--token", live.mint.token("hefei-centre", "city:340100")]

        async def run(*argv: str) -> int:
            # The CLI is synchronous: run it off the loop that serves the registry.
            return await asyncio.to_thread(main, ["registry", *argv])

        publish = [
            "publish",
            "--name",
            "registry",
            "--url",
            REGISTRY_URL,
            "--schema",
            str(tmp_path / "registry.graphql"),
        ]
        assert await run(*publish, *province) == 0
        assert "accepted: the graph is now version 1" in capsys.readouterr().out

        hefei_args = ["--name", "city_340100_investment", "--url", HEFEI_URL]
        assert await run("check", *hefei_args, "--schema", str(tmp_path / "broken.graphql"), *hefei) == 1
        assert "error[composition/FIELD_TYPE_MISMATCH]" in capsys.readouterr().out
        assert await run("check", *hefei_args, "--schema", str(tmp_path / "hefei.graphql"), *hefei) == 0
        assert "check passes" in capsys.readouterr().out
        assert await run("publish", *hefei_args, "--schema", str(tmp_path / "hefei.graphql"), *hefei) == 0
        assert await run("publish", *publish[1:], *hefei) == 2
        assert "[FORBIDDEN]" in capsys.readouterr().err

        assert await run("list", *hefei) == 0
        listing = capsys.readouterr().out
        assert "version 2" in listing and "city_340100_investment" in listing and "city:340100" in listing
        assert await run("withdraw", "--name", "city_340100_investment", *hefei) == 0
        assert await run("rollback", "--version", "2", *province) == 0
        assert "the graph is now version 4" in capsys.readouterr().out
        assert await run("history", *province) == 0
        lines = capsys.readouterr().out.splitlines()
        assert [line.split()[:2] for line in lines] == [
            ["v4", "rollback"],
            ["v3", "withdraw"],
            ["v2", "publish"],
            ["v1", "publish"],
        ]
