"""``scripts/compose-supergraph`` (``python -m parkgraph.compose``) on a copy of ``schema/``.

The subgraphs' served SDL is replaced by the stored one here: whether the stored files are current is
``test_supergraph.py``'s job; these tests are about composing, refusing and cross-checking.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from parkgraph import compose, sdl
from tests.support.node_packages import ensure_apollo_packages


@pytest.fixture
def schema_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "schema"
    (copy / "subgraphs").mkdir(parents=True)
    shutil.copy(sdl.COMPOSE_CONFIG, copy / "urls.json")
    for source in sdl.SUBGRAPH_SDL_DIR.glob("*.graphql"):
        shutil.copy(source, copy / "subgraphs" / source.name)
    monkeypatch.setattr(sdl, "served_sdl", lambda name: sdl.stored_sdl_path(name).read_text(encoding="utf-8"))
    return copy


def test_writes_the_supergraph_our_composer_gives(schema_copy: Path) -> None:
    (schema_copy / "supergraph.graphql").write_text("# stale\n", encoding="utf-8")
    assert compose.main(["--schema-dir", str(schema_copy)]) == 0
    written = (schema_copy / "supergraph.graphql").read_text(encoding="utf-8")
    assert written == sdl.SUPERGRAPH.read_text(encoding="utf-8")


def test_a_composition_error_leaves_the_supergraph_as_it_was(
    schema_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A subgraph from outside the repository whose Enterprise key field has another type than the registry's.
    (schema_copy / "subgraphs" / "city.graphql").write_text(
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])\n'
        'type Enterprise @key(fields: "uscc") { uscc: Int! }\n'
        "type Query { cityEnterprises: [Enterprise!]! }\n",
        encoding="utf-8",
    )
    urls = json.loads((schema_copy / "urls.json").read_text(encoding="utf-8"))
    (schema_copy / "urls.json").write_text(json.dumps({**urls, "city": "http://city.test/graphql"}), encoding="utf-8")
    (schema_copy / "supergraph.graphql").write_text("# as it was\n", encoding="utf-8")

    assert compose.main(["--schema-dir", str(schema_copy)]) == 1

    assert (schema_copy / "supergraph.graphql").read_text(encoding="utf-8") == "# as it was\n"
    err = capsys.readouterr().err
    assert "error[FIELD_TYPE_MISMATCH]" in err and '"Enterprise.uscc"' in err and '"city"' in err
    # The subgraph run elsewhere stays in the compose config.
    assert "city" in json.loads((schema_copy / "urls.json").read_text(encoding="utf-8"))


@pytest.mark.node
async def test_check_with_apollo_agrees_on_the_domain_subgraphs(
    schema_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await ensure_apollo_packages("--check-with-apollo")
    assert compose.main(["--schema-dir", str(schema_copy), "--check-with-apollo"]) == 0
    assert "Apollo's composition agrees" in capsys.readouterr().out
