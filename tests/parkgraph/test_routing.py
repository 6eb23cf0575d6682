from __future__ import annotations

from pathlib import Path

import pytest

from parkgraph.routing import main, route

SUPERGRAPH = """enum join__Graph {
  REGISTRY @join__graph(name: "registry", url: "http://127.0.0.1:4101/graphql")
  UTILITIES @join__graph(name: "utilities", url: "http://127.0.0.1:4106/graphql")
}"""


def test_only_subgraphs_with_a_routing_url_are_rerouted() -> None:
    routed = route(SUPERGRAPH, {"PARKGRAPH_UTILITIES_ROUTING_URL": "http://subgraph-utilities:4106/graphql"})
    assert 'url: "http://subgraph-utilities:4106/graphql"' in routed
    assert 'url: "http://127.0.0.1:4101/graphql"' in routed  # no variable: default kept
    assert "127.0.0.1:4106" not in routed


def test_main_writes_the_routed_supergraph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "supergraph.graphql"
    source.write_text(SUPERGRAPH, encoding="utf-8")
    out = tmp_path / "out" / "supergraph.graphql"
    monkeypatch.setenv("PARKGRAPH_REGISTRY_ROUTING_URL", "http://subgraph-registry:4101/graphql")
    assert main(["--source", str(source), "--out", str(out)]) == 0
    assert 'url: "http://subgraph-registry:4101/graphql"' in out.read_text(encoding="utf-8")


def test_a_missing_source_fails(tmp_path: Path) -> None:
    assert main(["--source", str(tmp_path / "absent.graphql"), "--out", str(tmp_path / "out.graphql")]) == 1
