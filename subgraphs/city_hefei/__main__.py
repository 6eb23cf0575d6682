"""``python -m subgraphs.city_hefei --port 4201 --legacy-url http://127.0.0.1:5201``: serve Hefei's subgraph."""

from __future__ import annotations

import argparse

import uvicorn

from subgraphs.city_hefei import create_app

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4201)
    parser.add_argument("--legacy-url", default="http://127.0.0.1:5201")
    args = parser.parse_args()
    uvicorn.run(create_app(legacy_url=args.legacy_url), host=args.host, port=args.port, log_level="warning")
