"""The ``parkgraph`` command: one entry point for the dev stack, the gateway and the tools."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

Command = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="parkgraph", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    _register_all(commands)
    args = parser.parse_args(argv)
    run: Command = args.run
    return run(args)


def _register_all(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    # Each subcommand lives with the package it drives; they register here lazily
    # so that `parkgraph --help` stays fast and one broken package cannot hide the others.
    from parkgraph import commands as registry

    for register in registry.REGISTRARS:
        register(commands)


if __name__ == "__main__":
    sys.exit(main())
