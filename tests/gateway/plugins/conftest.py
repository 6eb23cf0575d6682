"""Fixtures for the traffic plugin tests: the federation harness and a stand-in for the auth plugin."""

from __future__ import annotations

from tests.support.federation import federation as federation

__all__ = ["federation"]
