"""``python -m mocks.approvals``: serve the approval platform mock."""

from __future__ import annotations

import argparse
import os

import uvicorn

from mocks.approvals.app import create_app
from mocks.data.province import generate


def main() -> None:
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m mocks.approvals", description=__doc__)
    parser.add_argument("--host", default=env("PARKGRAPH_APPROVALS_MOCK_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(env("PARKGRAPH_APPROVALS_MOCK_PORT", "5102")))
    parser.add_argument("--seed", type=int, default=int(env("PARKGRAPH_APPROVALS_MOCK_SEED", "2026")))
    parser.add_argument("--scale", type=float, default=float(env("PARKGRAPH_APPROVALS_MOCK_SCALE", "1.0")))
    args = parser.parse_args()
    uvicorn.run(create_app(generate(args.seed, args.scale)), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
