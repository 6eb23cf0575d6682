"""``python -m mocks.environment``: the point registry on ``--port``, its field units dialling ``--platform``."""

from __future__ import annotations

import argparse
import os

import uvicorn

from mocks.data.province import generate
from mocks.environment.app import EnvironmentMock
from mocks.environment.faults import StreamFaults


def main() -> None:
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m mocks.environment", description=__doc__)
    parser.add_argument("--host", default=env("PARKGRAPH_ENVIRONMENT_MOCK_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(env("PARKGRAPH_ENVIRONMENT_MOCK_PORT", "5107")))
    parser.add_argument("--seed", type=int, default=int(env("PARKGRAPH_ENVIRONMENT_MOCK_SEED", "2026")))
    parser.add_argument("--scale", type=float, default=float(env("PARKGRAPH_ENVIRONMENT_MOCK_SCALE", "1.0")))
    # The units dial the platform; they cannot wait for it (it waits for this registry), so they retry.
    parser.add_argument("--platform", default=env("PARKGRAPH_ENVIRONMENT_MOCK_PLATFORM", "127.0.0.1:6107"))
    parser.add_argument("--interval", type=float, default=float(env("PARKGRAPH_ENVIRONMENT_MOCK_INTERVAL", "30")))
    args = parser.parse_args()
    host, _, port = args.platform.rpartition(":")
    faults = StreamFaults(interval_s=args.interval)
    app = EnvironmentMock(generate(args.seed, args.scale), platform=(host, int(port)), stream_faults=faults)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
