"""``parkgraph compose``: compose a supergraph from a subgraphs.yaml, or ``--check`` it.

Writes the supergraph to ``--output`` (stdout without it); prints errors and
hints to stderr; exits 1 if composition fails, 2 if the inputs cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gateway.supergraph.compose.pipeline import CompositionResult, compose
from gateway.supergraph.compose.sources import ComposeInputError, load_config


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds ``parkgraph compose``."""
    parser = commands.add_parser("compose", help="compose subgraph schemas into an Apollo supergraph")
    parser.add_argument("--config", type=Path, required=True, help="subgraphs.yaml (routing_url + schema per subgraph)")
    parser.add_argument("--output", type=Path, help="where to write the supergraph (default: stdout)")
    parser.add_argument("--check", action="store_true", help="only report errors and hints; exit 1 on an error")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        sources = load_config(args.config)
    except ComposeInputError as exc:
        print(f"compose: {exc}", file=sys.stderr)
        return 2
    result = compose(sources)
    _report(result)
    if not result.ok or result.supergraph_sdl is None:
        print(f"compose: {len(result.errors)} error(s); no supergraph written", file=sys.stderr)
        return 1
    if args.check:
        print(f"compose: {len(sources)} subgraphs compose ({len(result.hints)} hint(s))", file=sys.stderr)
    elif args.output is not None:
        args.output.write_text(result.supergraph_sdl, encoding="utf-8")
    else:
        sys.stdout.write(result.supergraph_sdl)
    return 0


def _report(result: CompositionResult) -> None:
    for error in result.errors:
        print(f"error[{error.code}]: {error.message}", file=sys.stderr)
    for hint in result.hints:
        print(f"hint[{hint.code}]: {hint.message}", file=sys.stderr)
