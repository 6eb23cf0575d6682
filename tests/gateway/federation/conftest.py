"""Fixtures for the federation-notes §6 gateway tests: cases with running subgraphs and a gateway in front."""

from __future__ import annotations

from tests.support.federation import federation as federation

__all__ = ["federation"]
