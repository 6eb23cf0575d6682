"""Default ports and names of every process the dev stack starts.

One table, so that the launcher, the README, docker-compose.yml and the tests
agree. Every port can be overridden (see ``parkgraph dev --help``).
"""

from __future__ import annotations

from dataclasses import dataclass

GATEWAY_PORT = 4000
AUTH_PORT = 9000
# The schema registry the dev gateway follows (gateway.registry.cli.DEFAULT_PORT, the CLI's default URL).
REGISTRY_PORT = 4010
# The MQTT broker the safety mock embeds in the dev stack (CI and production use Mosquitto on 1883).
SAFETY_BROKER_PORT = 6108


@dataclass(frozen=True, slots=True)
class Domain:
    """One domain: its subgraph and the legacy system (mock) it wraps."""

    name: str  # subgraph name in the supergraph
    subgraph_port: int
    mock_port: int | None  # None: the legacy system has no network API (a database)
    # The port the subgraph's adapter also listens on for data the legacy system pushes (the HJ 212 receiver
    # the environment platform's field units dial); None when the subgraph only calls out.
    receiver_port: int | None = None


DOMAINS: tuple[Domain, ...] = (
    Domain("registry", 4101, 5101),
    Domain("approvals", 4102, 5102),
    Domain("talent", 4103, None),
    Domain("logistics", 4104, 5104),
    Domain("socialsecurity", 4105, 5105),
    Domain("utilities", 4106, 5106),
    Domain("environment", 4107, 5107, receiver_port=6107),
    Domain("safety", 4108, 5108),
)
