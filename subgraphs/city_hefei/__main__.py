"""``python -m subgraphs.city_hefei --port 4201 --legacy-url http://127.0.0.1:5201``: serve Hefei's subgraph."""

from __future__ import annotations

import argparse
import os

import uvicorn

from auth.identity import INSECURE_DEV_VARIABLE, insecure_dev_identity_from_env
from subgraphs.city_hefei import create_app

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4201)
    parser.add_argument("--legacy-url", default="http://127.0.0.1:5201")
    parser.add_argument(
        "--insecure-dev-identity",
        action="store_true",
        help="run without PARKGRAPH_IDENTITY_KEY (the key the province gave this city at onboarding), trusting "
        "unsigned calls; for local experiments only",
    )
    args = parser.parse_args()
    if args.insecure_dev_identity:
        os.environ[INSECURE_DEV_VARIABLE] = "1"
    elif not os.environ.get("PARKGRAPH_IDENTITY_KEY") and not insecure_dev_identity_from_env():
        parser.error("PARKGRAPH_IDENTITY_KEY is not set: use the key the province gave Hefei's data centre")
    uvicorn.run(create_app(legacy_url=args.legacy_url), host=args.host, port=args.port, log_level="warning")
