"""``python -m subgraphs.socialsecurity --host H --port P --legacy-url URL``.

The Person id key comes from ``PARKGRAPH_SOCIALSECURITY_PERSON_KEY``; without
it a development key is used (ids then differ from production's, and a warning says so).
"""

from __future__ import annotations

import logging
import os

import uvicorn

from subgraphs.common.cli import env_name, parse_args
from subgraphs.socialsecurity.app import create_app

DEVELOPMENT_KEY = "parkgraph-development-person-key"


def main() -> None:
    args = parse_args(
        "socialsecurity",
        "Serve the social security subgraph.",
        {"legacy-url": "base URL of the social insurance SOAP service"},
        default_port=4105,
    )
    key = os.environ.get(env_name("socialsecurity", "person-key"))
    if not key:
        logging.getLogger(__name__).warning(
            "no %s set: using the development key", env_name("socialsecurity", "person-key")
        )
        key = DEVELOPMENT_KEY
    uvicorn.run(create_app(legacy_url=args.legacy_url, person_key=key.encode()), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
