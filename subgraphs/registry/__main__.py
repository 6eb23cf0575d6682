"""``python -m subgraphs.registry --host H --port P --legacy-url URL``: serve the registry subgraph."""

from __future__ import annotations

import uvicorn

from subgraphs.common.cli import parse_args
from subgraphs.registry.app import create_app


def main() -> None:
    args = parse_args("registry", __doc__ or "", {"legacy-url": "base URL of the market-regulation registry"})
    uvicorn.run(create_app(legacy_url=args.legacy_url), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
