"""``parkgraph compose``: config files, --output, --check, and SDL fetched from ``_service { sdl }``."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from gateway.supergraph import load_supergraph
from gateway.supergraph.compose.sources import ComposeInputError, load_config
from parkgraph.cli import main as parkgraph_main
from tests.gateway.supergraph.compose.support import FIXTURES

BENCH = FIXTURES / "bench"


def _write_config(tmp_path: Path, subgraphs: dict[str, dict[str, object]]) -> Path:
    config = tmp_path / "subgraphs.yaml"
    config.write_text(json.dumps({"subgraphs": subgraphs}), encoding="utf-8")  # JSON is YAML
    return config


def _bench_config(tmp_path: Path) -> Path:
    urls = json.loads((BENCH / "urls.json").read_text(encoding="utf-8"))
    return _write_config(
        tmp_path,
        {n: {"routing_url": u, "schema": {"file": str(BENCH / "subgraphs" / f"{n}.graphql")}} for n, u in urls.items()},
    )


def test_compose_writes_a_supergraph_the_gateway_loads(tmp_path: Path) -> None:
    output = tmp_path / "supergraph.graphql"
    assert parkgraph_main(["compose", "--config", str(_bench_config(tmp_path)), "--output", str(output)]) == 0
    supergraph = load_supergraph(output.read_text(encoding="utf-8"))
    assert supergraph.subgraphs["reviews"].url == "http://127.0.0.1:24104/graphql"


def test_check_passes_quietly_on_stdout_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert parkgraph_main(["compose", "--config", str(_bench_config(tmp_path)), "--check"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "4 subgraphs compose" in captured.err


def test_check_prints_errors_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n'
    (tmp_path / "a.graphql").write_text(link + "type Query { a: P } type P { x: Int }", encoding="utf-8")
    (tmp_path / "b.graphql").write_text(link + "type Query { b: P } type P { x: String }", encoding="utf-8")
    config = _write_config(
        tmp_path,
        {n: {"routing_url": f"http://{n}/graphql", "schema": {"file": f"{n}.graphql"}} for n in ("a", "b")},
    )
    assert parkgraph_main(["compose", "--config", str(config), "--check"]) == 1
    err = capsys.readouterr().err
    assert 'error[FIELD_TYPE_MISMATCH]: Type of field "P.x" is incompatible across subgraphs' in err


def test_unreadable_config_exits_2(tmp_path: Path) -> None:
    assert parkgraph_main(["compose", "--config", str(tmp_path / "missing.yaml"), "--check"]) == 2


def test_sdl_is_fetched_from_service_sdl(tmp_path: Path) -> None:
    sdl = (BENCH / "subgraphs" / "accounts.graphql").read_text(encoding="utf-8")
    seen: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(200, json={"data": {"_service": {"sdl": sdl}}})

    config = _write_config(tmp_path, {"accounts": {"schema": {"subgraph_url": "http://accounts.test/graphql"}}})
    sources = load_config(config, transport=httpx.MockTransport(handler))
    assert [(s.name, s.url, s.sdl) for s in sources] == [("accounts", "http://accounts.test/graphql", sdl)]
    assert "_service { sdl }" in str(seen[0]["query"])


def test_fetch_without_sdl_is_an_input_error(tmp_path: Path) -> None:
    config = _write_config(tmp_path, {"x": {"schema": {"subgraph_url": "http://x.test/graphql"}}})
    transport = httpx.MockTransport(lambda _: httpx.Response(200, json={"errors": [{"message": "no"}]}))
    with pytest.raises(ComposeInputError, match=r"returned no _service\.sdl"):
        load_config(config, transport=transport)
