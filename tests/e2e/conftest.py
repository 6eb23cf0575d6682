"""The whole domain graph behind the gateway, one per test (see :mod:`tests.support.domain_graph`)."""

from __future__ import annotations

from tests.support.domain_graph import domain

__all__ = ["domain"]
