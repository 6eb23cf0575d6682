"""``python -m parkgraph.compose`` (``scripts/compose-supergraph``): regenerate the stored domain supergraph.

Writes each in-repo subgraph's served SDL to ``schema/subgraphs/<domain>.graphql`` and the compose config
``schema/urls.json``, then composes ``schema/supergraph.graphql`` from every subgraph there with our composer
(:mod:`gateway.supergraph.compose`, no Node needed): exactly what ``parkgraph compose`` gives. On a composition
error the errors are printed and the stored supergraph is left as it was (exit 1).

``--check-with-apollo`` also composes the same subgraphs with Apollo's ``@apollo/composition``
(``tests/fixtures/compose.mjs``; Node and the npm packages of ``tests/fixtures/README.md``) and exits 1
if the two supergraphs differ structurally (API schema or join metadata), naming where.
Entries of ``schema/urls.json`` that are not in-repo domains (a subgraph run elsewhere) are kept as they are.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from gateway.supergraph.compose import CompositionResult, compose
from gateway.supergraph.compose.compare import differences
from gateway.supergraph.compose.sources import ComposeInputError, load_folder
from parkgraph import sdl, topology

APOLLO_COMPOSE_SCRIPT = sdl.REPO / "tests" / "fixtures" / "compose.mjs"


def write_subgraph_sdls(schema_dir: Path) -> None:
    """Each in-repo domain's served SDL under ``schema_dir/subgraphs``; the compose config with every domain."""
    config = schema_dir / "urls.json"
    (schema_dir / "subgraphs").mkdir(parents=True, exist_ok=True)
    urls: dict[str, str] = {domain.name: sdl.routing_url(domain) for domain in topology.DOMAINS}
    if config.exists():
        for name, url in json.loads(config.read_text(encoding="utf-8")).items():
            urls.setdefault(name, url)
    for domain in topology.DOMAINS:
        (schema_dir / "subgraphs" / f"{domain.name}.graphql").write_text(sdl.served_sdl(domain.name), encoding="utf-8")
        print(f"wrote {schema_dir.name}/subgraphs/{domain.name}.graphql")
    config.write_text(json.dumps(urls, indent=2) + "\n", encoding="utf-8")


def compose_folder(schema_dir: Path) -> CompositionResult:
    """Our composition of the subgraphs stored in ``schema_dir`` (``urls.json`` + ``subgraphs/``)."""
    return compose(load_folder(schema_dir))


def apollo_supergraph(schema_dir: Path) -> str:
    """Apollo's composition of the same subgraphs (runs ``node compose.mjs --dir`` on a copy of the folder)."""
    if shutil.which("node") is None:
        raise ComposeInputError("--check-with-apollo needs Node.js (and the npm packages of tests/fixtures/README.md)")
    with tempfile.TemporaryDirectory(prefix="parkgraph-apollo-compose-") as scratch:
        copy = Path(scratch)
        shutil.copytree(schema_dir / "subgraphs", copy / "subgraphs")
        shutil.copy(schema_dir / "urls.json", copy / "urls.json")
        done = subprocess.run(
            ["node", str(APOLLO_COMPOSE_SCRIPT), "--dir", str(copy)], capture_output=True, text=True, timeout=300
        )
        if done.returncode != 0 or not (copy / "supergraph.graphql").exists():
            raise ComposeInputError(f"Apollo composition failed:\n{done.stderr.strip() or done.stdout.strip()}")
        return (copy / "supergraph.graphql").read_text(encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/compose-supergraph", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check-with-apollo", action="store_true", help="cross-check with @apollo/composition")
    parser.add_argument("--schema-dir", type=Path, default=sdl.SCHEMA_DIR, help=argparse.SUPPRESS)  # for tests
    args = parser.parse_args(argv)
    schema_dir: Path = args.schema_dir
    write_subgraph_sdls(schema_dir)
    try:
        result = compose_folder(schema_dir)
    except ComposeInputError as exc:
        print(f"compose: {exc}", file=sys.stderr)
        return 2
    for hint in result.hints:
        print(f"hint[{hint.code}]: {hint.message}", file=sys.stderr)
    if not result.ok or result.supergraph_sdl is None:
        for error in result.errors:
            print(f"error[{error.code}]: {error.message}", file=sys.stderr)
        print(f"compose: {len(result.errors)} error(s); {schema_dir.name}/supergraph.graphql left as it was")
        return 1
    (schema_dir / "supergraph.graphql").write_text(result.supergraph_sdl, encoding="utf-8")
    print(f"wrote {schema_dir.name}/supergraph.graphql")
    if args.check_with_apollo:
        return _check_with_apollo(schema_dir, result.supergraph_sdl)
    return 0


def _check_with_apollo(schema_dir: Path, ours: str) -> int:
    try:
        theirs = apollo_supergraph(schema_dir)
    except ComposeInputError as exc:
        print(f"compose: {exc}", file=sys.stderr)
        return 2
    found = differences(ours, theirs)
    if found:
        print("compose: our supergraph differs from Apollo's at:", *found, sep="\n  ", file=sys.stderr)
        return 1
    print("compose: Apollo's composition agrees (same API schema and join metadata)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
