"""Federated subscriptions: clients over graphql-transport-ws and SSE, subgraphs over graphql-transport-ws.

A client subscribes (:mod:`.websocket`, :mod:`.sse`); :mod:`.service`
authenticates, authorizes and plans the operation: the root field's subgraph
gets the plan's ``Subscription.primary`` fetch, and :mod:`.events` runs the
plan's ``rest`` (entity fetches to other subgraphs), shaping, the tenant
check (:mod:`.tenancy`) and authorization for every event. :mod:`.hub` keeps
one upstream (:mod:`.upstream`) per (subgraph operation, variables, tenant,
scopes, purpose) across all replicas, fanned out through :mod:`.broker`
(Redis pub/sub, or in-process), and hands results to each client's bounded
:mod:`.outbox`. :mod:`.server` ties it to the gateway app.

Exception tree::

    gateway.errors.GatewayError
    └── SubscriptionError
        ├── UpstreamLost       SUBSCRIPTION_UPSTREAM_LOST: the subgraph connection dropped or failed (retried)
        └── UpstreamRejected   the subgraph refused the subscription (its errors are passed on)
    BrokerUnavailable          Redis cannot be reached (redis-py errors translated)

Clients never see exceptions: they get GraphQL errors with ``extensions.code``
in ``error``/``next`` messages, or a close code (see :mod:`.protocol`).
"""

from __future__ import annotations

from gateway.subscriptions.broker import BrokerUnavailable, InProcessBroker, RedisBroker
from gateway.subscriptions.errors import SubscriptionError, UpstreamLost, UpstreamRejected
from gateway.subscriptions.hub import Hub, RetryPolicy
from gateway.subscriptions.server import SubscriptionServer, SubscriptionSettings

__all__ = [
    "BrokerUnavailable",
    "Hub",
    "InProcessBroker",
    "RedisBroker",
    "RetryPolicy",
    "SubscriptionError",
    "SubscriptionServer",
    "SubscriptionSettings",
    "UpstreamLost",
    "UpstreamRejected",
]
