"""The list of subcommand registrars; each package adds its own ``register`` here."""

from __future__ import annotations

import argparse
from collections.abc import Callable

Registrar = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


def _dev(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from parkgraph.dev import register

    register(commands)


def _gateway(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from gateway.cli import register

    register(commands)


def _auth(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from auth.cli import register

    register(commands)


def _audit(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from parkgraph.audit import register

    register(commands)


def _compose(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from gateway.supergraph.compose.cli import register

    register(commands)


def _operations(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from gateway.operations_cli import register

    register(commands)


def _registry(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from gateway.registry.cli import register

    register(commands)


REGISTRARS: list[Registrar] = [_dev, _gateway, _auth, _audit, _compose, _operations, _registry]
