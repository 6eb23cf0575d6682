"""The environment subgraph (生态环境): key polluters' online monitoring points, readings, exceedances and alerts.

It extends the registry's ``Enterprise``, ``Park`` and ``City`` over the
pollution-source monitoring platform (``adapters.environment``: the point
registry and the HJ 212 receiver), evaluates the alert rules as frames
arrive (``subgraphs.common.alerts``) and serves ``environmentAlertRaised``
over graphql-transport-ws.
"""
