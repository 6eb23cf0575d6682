"""Alerting shared by the monitoring subgraphs (safety, environment): rules, the shared store, the monitor, the types.

* :mod:`~subgraphs.common.alerts.rules` — threshold, rate of change and missing data, pure, with a clock;
* :mod:`~subgraphs.common.alerts.store` — alerts and their append-only audit trail in SQL, idempotent transitions;
* :mod:`~subgraphs.common.alerts.monitor` — readings in, alerts stored and broadcast to subscriptions;
* :mod:`~subgraphs.common.alerts.graph` — the GraphQL side: enums, the ``Alert`` fields both subgraphs share,
  the loaders and the mutation bodies.

Errors are those of :mod:`schema.errors` (``NotFoundError`` for an unknown
alert, ``BadUserInput`` for a transition a closed alert cannot make).
"""
