"""``python -m mocks.utilities``: the metering platform's live feed, writing its daily drops into a folder."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import uvicorn

from mocks.data.province import generate
from mocks.utilities.app import create_app


def main() -> None:
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m mocks.utilities", description=__doc__)
    parser.add_argument("--host", default=env("PARKGRAPH_UTILITIES_MOCK_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(env("PARKGRAPH_UTILITIES_MOCK_PORT", "5106")))
    parser.add_argument("--seed", type=int, default=int(env("PARKGRAPH_UTILITIES_MOCK_SEED", "2026")))
    parser.add_argument("--scale", type=float, default=float(env("PARKGRAPH_UTILITIES_MOCK_SCALE", "1.0")))
    # The folder the subgraph reads: one variable for both sides.
    default_drops = env("PARKGRAPH_UTILITIES_DROP_DIR", "var/utilities/drops")
    parser.add_argument("--drop-dir", type=Path, default=Path(default_drops))
    parser.add_argument("--days", type=int, default=int(env("PARKGRAPH_UTILITIES_MOCK_DAYS", "31")))
    args = parser.parse_args()
    app = create_app(generate(args.seed, args.scale), drop_dir=args.drop_dir, days=args.days)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
