"""Parsing one MQTT message of the safety platform into a :class:`SensorReading`.

Topic ``hazard/<city>/<credit code>/<sensor code>``; payload JSON with
``cgqbm`` (sensor code, must match the topic), ``sz`` value as a string,
``dw`` unit, ``cjsj`` ``yyyyMMddHHmmss`` in China Standard Time, ``zt`` status.
Anything else raises :class:`~adapters.errors.BadData`.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal, InvalidOperation

from adapters.errors import BadData
from adapters.safety.models import SensorReading, SensorStatus
from schema.scalars import CHINA_STANDARD_TIME

SYSTEM = "safety"


def parse_message(topic: str, payload: bytes, root: str = "hazard") -> SensorReading:
    """``root`` is the first topic level(s): ``hazard``, or a test's own prefix on a shared broker."""
    if not topic.startswith(root + "/"):
        raise BadData(SYSTEM, f"unexpected topic {topic!r}")
    parts = ["hazard", *topic.removeprefix(root + "/").split("/")]
    if len(parts) != 4:
        raise BadData(SYSTEM, f"unexpected topic {topic!r}")
    try:
        body = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadData(SYSTEM, f"payload on {topic} is not JSON") from exc
    if not isinstance(body, dict):
        raise BadData(SYSTEM, f"payload on {topic} is not an object")
    try:
        if body["cgqbm"] != parts[3]:
            raise BadData(SYSTEM, f"payload names sensor {body['cgqbm']!r} on the topic of {parts[3]!r}")
        value = Decimal(str(body["sz"]))
        if not value.is_finite():
            raise BadData(SYSTEM, f"value {body['sz']!r} is not finite")
        at = datetime.strptime(body["cjsj"], "%Y%m%d%H%M%S").replace(tzinfo=CHINA_STANDARD_TIME)
        status = SensorStatus(body.get("zt", "0"))
        return SensorReading(parts[3], value, str(body.get("dw", "")), status, at)
    except (KeyError, TypeError, InvalidOperation, ValueError) as exc:
        if isinstance(exc, BadData):
            raise
        raise BadData(SYSTEM, f"payload on {topic} cannot be read: {exc!r}") from exc
