"""``python -m subgraphs.utilities --host H --port P --legacy-url URL --drop-dir DIR``."""

from __future__ import annotations

from pathlib import Path

import uvicorn

from subgraphs.common.cli import parse_args
from subgraphs.utilities.app import create_app


def main() -> None:
    args = parse_args(
        "utilities",
        "Serve the utilities (energy metering) subgraph.",
        {"legacy-url": "base URL of the metering platform's live feed", "drop-dir": "folder of the daily CSV drops"},
    )
    uvicorn.run(create_app(legacy_url=args.legacy_url, drop_dir=Path(args.drop_dir)), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
