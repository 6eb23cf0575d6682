"""Default ports and names of every process the dev stack starts.

One table, so that the launcher, the README, docker-compose.yml and the tests
agree. Every port can be overridden (see ``parkgraph dev --help``).
"""

from __future__ import annotations

from dataclasses import dataclass

GATEWAY_PORT = 4000
AUTH_PORT = 9000


@dataclass(frozen=True, slots=True)
class Domain:
    """One domain: its subgraph and the legacy system (mock) it wraps."""

    name: str  # subgraph name in the supergraph
    subgraph_port: int
    mock_port: int | None  # None: the legacy system has no network API (a database)


DOMAINS: tuple[Domain, ...] = (
    Domain("registry", 4101, 5101),
    Domain("approvals", 4102, 5102),
    Domain("talent", 4103, None),
    Domain("logistics", 4104, 5104),
    Domain("socialsecurity", 4105, 5105),
    Domain("utilities", 4106, 5106),
)
