"""Fixtures for the HTTP tests: a gateway in front of running fixture subgraphs."""

from __future__ import annotations

from tests.support.federation import federation as federation

__all__ = ["federation"]
