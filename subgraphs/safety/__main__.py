"""``python -m subgraphs.safety --port P --legacy-url URL --broker-host H --broker-port N --alerts-url URL``."""

from __future__ import annotations

import uvicorn

from subgraphs.common.cli import parse_args
from subgraphs.safety.app import create_app


def main() -> None:
    args = parse_args(
        "safety",
        "Serve the safety (hazard-source monitoring) subgraph.",
        {
            "legacy-url": "base URL of the safety platform's sensor registry",
            "broker-host": "MQTT broker the sensors publish to",
            "broker-port": "its port",
            "alerts-url": "database of the alert store shared with the environment subgraph",
        },
        defaults={"broker-host": "127.0.0.1", "broker-port": "1883", "alerts-url": "sqlite:///var/alerts.db"},
    )
    app = create_app(
        legacy_url=args.legacy_url,
        alerts_url=args.alerts_url,
        broker_host=args.broker_host,
        broker_port=int(args.broker_port),
    )
    uvicorn.run(app, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
