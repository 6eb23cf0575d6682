"""The safety subgraph (安全生产): hazard-source sensors, their latest readings, and alerts.

It extends the registry's ``Enterprise``, ``Park`` and ``City`` over the
safety sensor platform (``adapters.safety``: the sensor registry and the
MQTT readings), evaluates the alert rules as readings arrive
(``subgraphs.common.alerts``, the store shared with the environment
subgraph) and serves ``safetyAlertRaised`` over graphql-transport-ws.
"""
