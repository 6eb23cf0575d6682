"""Adapter of the market-regulation registry (enterprises, parks, cities): see :mod:`adapters.registry.client`."""

from __future__ import annotations

from adapters.registry.client import BATCH_LIMIT, RegistryClient
from adapters.registry.models import City, Enterprise, EnterpriseFilter, Page, Park, ParkLevel, Province

__all__ = [
    "BATCH_LIMIT",
    "City",
    "Enterprise",
    "EnterpriseFilter",
    "Page",
    "Park",
    "ParkLevel",
    "Province",
    "RegistryClient",
]
