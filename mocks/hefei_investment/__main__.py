"""``python -m mocks.hefei_investment --port 5201``: serve the mock investment-promotion system."""

from __future__ import annotations

import argparse

import uvicorn

from mocks.hefei_investment import create_app

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5201)
    args = parser.parse_args()
    uvicorn.run(create_app(), host=args.host, port=args.port, log_level="warning")
