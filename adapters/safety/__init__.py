"""The safety sensor platform (安全监测) adapter: the sensor registry (REST) and the readings over MQTT.

:class:`~adapters.safety.client.SafetyClient` is the one entry point. It
talks to any MQTT 3.1.1 broker: the real Mosquitto (127.0.0.1:1883 in CI and
production) or the mock's embedded broker. Unreadable messages are counted
and refused as :class:`~adapters.errors.BadData`; other failures leave as the
tree of :mod:`adapters.errors`.
"""

from __future__ import annotations

from adapters.safety.client import SafetyClient

SYSTEM = "safety"

__all__ = ["SYSTEM", "SafetyClient"]
