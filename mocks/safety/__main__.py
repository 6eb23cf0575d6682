"""``python -m mocks.safety``: the sensor registry on ``--port``, the sensors publishing to ``--broker``.

With ``--embedded-broker-port`` the mock also runs its own MQTT broker there
(the embedded default); otherwise ``--broker`` names a real one (Mosquitto).
"""

from __future__ import annotations

import argparse
import os

import uvicorn

from mocks.data.province import generate
from mocks.safety.app import SafetyMock
from mocks.safety.sensors import SensorFaults


def main() -> None:
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m mocks.safety", description=__doc__)
    parser.add_argument("--host", default=env("PARKGRAPH_SAFETY_MOCK_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(env("PARKGRAPH_SAFETY_MOCK_PORT", "5108")))
    parser.add_argument("--seed", type=int, default=int(env("PARKGRAPH_SAFETY_MOCK_SEED", "2026")))
    parser.add_argument("--scale", type=float, default=float(env("PARKGRAPH_SAFETY_MOCK_SCALE", "1.0")))
    parser.add_argument("--broker", default=env("PARKGRAPH_SAFETY_MOCK_BROKER", "127.0.0.1:1883"))
    parser.add_argument("--embedded-broker-port", type=int, default=None)
    parser.add_argument("--interval", type=float, default=float(env("PARKGRAPH_SAFETY_MOCK_INTERVAL", "10")))
    args = parser.parse_args()
    host, _, port = args.broker.rpartition(":")
    app = SafetyMock(
        generate(args.seed, args.scale),
        broker=(host, int(port)),
        embedded_broker_port=args.embedded_broker_port,
        sensor_faults=SensorFaults(interval_s=args.interval),
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
