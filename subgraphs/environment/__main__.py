"""``python -m subgraphs.environment --host H --port P --legacy-url URL --receiver-port N --alerts-url URL``."""

from __future__ import annotations

import uvicorn

from subgraphs.common.cli import parse_args
from subgraphs.environment.app import create_app


def main() -> None:
    args = parse_args(
        "environment",
        "Serve the environment (pollution-source monitoring) subgraph and its HJ 212 receiver.",
        {
            "legacy-url": "base URL of the monitoring platform's point registry",
            "receiver-host": "address the HJ 212 receiver listens on",
            "receiver-port": "port the field units dial (HJ 212 over TCP)",
            "alerts-url": "database of the alert store shared with the safety subgraph",
        },
        defaults={"receiver-host": "127.0.0.1", "receiver-port": "6107", "alerts-url": "sqlite:///var/alerts.db"},
    )
    app = create_app(
        legacy_url=args.legacy_url,
        alerts_url=args.alerts_url,
        receiver_host=args.receiver_host,
        receiver_port=int(args.receiver_port),
    )
    uvicorn.run(app, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
