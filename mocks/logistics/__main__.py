"""Runs the mock logistics platform: ``python -m mocks.logistics --host H --port P [--seed 2026] [--scale 1.0]``."""

from __future__ import annotations

import argparse
import os

import uvicorn

from mocks.data.province import generate
from mocks.logistics.app import create_app


def main() -> None:
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m mocks.logistics", description=__doc__)
    parser.add_argument("--host", default=env("PARKGRAPH_LOGISTICS_MOCK_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(env("PARKGRAPH_LOGISTICS_MOCK_PORT", "5104")))
    parser.add_argument("--seed", type=int, default=int(env("PARKGRAPH_LOGISTICS_MOCK_SEED", "2026")))
    parser.add_argument("--scale", type=float, default=float(env("PARKGRAPH_LOGISTICS_MOCK_SCALE", "1.0")))
    parser.add_argument("--rate", type=float, default=float(env("PARKGRAPH_LOGISTICS_MOCK_RATE", "100")))
    parser.add_argument("--burst", type=int, default=int(env("PARKGRAPH_LOGISTICS_MOCK_BURST", "200")))
    parser.add_argument("--flaky-rate", type=float, default=float(env("PARKGRAPH_LOGISTICS_MOCK_FLAKY_RATE", "0.02")))
    args = parser.parse_args()
    app = create_app(
        generate(args.seed, args.scale), rate_per_second=args.rate, burst=args.burst, flaky_rate=args.flaky_rate
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
