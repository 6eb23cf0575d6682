"""Our supergraph against Apollo composition 2.14.4's, compared structurally (API schema and join metadata).

The references are the checked-in fixtures composed by ``tests/fixtures/compose.mjs`` (Node is not needed here).
"""

from __future__ import annotations

import pytest

from gateway.supergraph.compose import compose
from tests.gateway.supergraph.compose.support import FIXTURES, ROOT, case_sources, structure

# Every fixture case with subgraphs, except @context (not implemented: composing it reports UNSUPPORTED_FEATURE).
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "subgraphs").is_dir() and p.name != "context")


@pytest.mark.parametrize("case", CASES)
def test_fixture_case_composes_like_apollo(case: str) -> None:
    result = compose(case_sources(FIXTURES / case))
    assert result.errors == ()
    assert result.supergraph_sdl is not None
    expected = (FIXTURES / case / "supergraph.graphql").read_text(encoding="utf-8")
    assert structure(result.supergraph_sdl) == structure(expected)


def test_domain_subgraphs_compose_like_apollo() -> None:
    result = compose(case_sources(ROOT / "schema"))
    assert result.errors == ()
    assert result.supergraph_sdl is not None
    expected = (ROOT / "schema" / "supergraph.graphql").read_text(encoding="utf-8")
    assert structure(result.supergraph_sdl) == structure(expected)


def test_bench_supergraph_is_printed_as_apollo_prints_it() -> None:
    # Beyond structure: the layout (header, sorted definitions, one join directive per line) is Apollo's.
    result = compose(case_sources(FIXTURES / "bench"))
    assert result.supergraph_sdl == (FIXTURES / "bench" / "supergraph.graphql").read_text(encoding="utf-8")


def test_context_case_is_refused_with_unsupported_feature() -> None:
    result = compose(case_sources(FIXTURES / "context"))
    assert result.supergraph_sdl is None
    assert {e.code for e in result.errors} == {"UNSUPPORTED_FEATURE"}
    assert any('"Catalog"' in e.message and e.message.startswith("[a] ") for e in result.errors)
