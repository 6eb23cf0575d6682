"""The exceptions of the subscription package (the tree is drawn in ``gateway.subscriptions``)."""

from __future__ import annotations

from typing import Any

from gateway.errors import GatewayError


class SubscriptionError(GatewayError):
    """Base of the errors raised on purpose while serving subscriptions."""


class UpstreamLost(SubscriptionError):
    """The subgraph connection dropped or could not be made; retrying may help (the subgraph may be restarting)."""

    code = "SUBSCRIPTION_UPSTREAM_LOST"


class UpstreamRejected(SubscriptionError):
    """The subgraph refused the subscription; retrying the same request cannot help."""

    code = "DOWNSTREAM_SERVICE_ERROR"

    def __init__(self, message: str, *, errors: list[Any] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []
