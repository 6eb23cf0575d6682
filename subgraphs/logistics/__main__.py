"""``python -m subgraphs.logistics --host H --port P --legacy-url URL``."""

from __future__ import annotations

import uvicorn

from subgraphs.common.cli import parse_args
from subgraphs.logistics.app import create_app


def main() -> None:
    args = parse_args(
        "logistics",
        "Serve the logistics subgraph.",
        {"legacy-url": "base URL of the logistics information platform"},
        default_port=4104,
    )
    uvicorn.run(create_app(legacy_url=args.legacy_url), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
