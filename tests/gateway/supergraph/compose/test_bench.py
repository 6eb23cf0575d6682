"""The benchmark's generated subgraphs compose, and generation really renames groups apart."""

from __future__ import annotations

from graphql import parse

from gateway.supergraph import load_supergraph
from gateway.supergraph.compose import compose
from gateway.supergraph.compose.bench import domain_sources, generated_sources, main


def test_generated_subgraphs_compose_into_separate_groups() -> None:
    domains = [s.name for s in domain_sources()]
    assert domains[:2] == ["registry", "approvals"]
    sources = generated_sources(2 * len(domains))
    assert [s.name for s in sources[: len(domains) + 1]] == [f"{name}_0" for name in domains] + ["registry_1"]
    result = compose(sources)
    assert result.errors == ()
    assert result.supergraph_sdl is not None
    supergraph = load_supergraph(result.supergraph_sdl)
    # Each group federates its own Enterprise, as the domains do.
    assert supergraph.resolvers("Enterprise_1", "name", frozenset()) == ["registry_1"]
    assert "Enterprise" not in supergraph.types
    # "Of the same size": a generated group has exactly the domains' definitions.
    assert [len(parse(s.sdl).definitions) for s in sources[: len(domains)]] == [
        len(parse(s.sdl).definitions) for s in domain_sources()
    ]


def test_bench_meets_its_targets_on_a_small_run() -> None:
    assert main(["--repeat", "1", "--count", "6"]) == 0
