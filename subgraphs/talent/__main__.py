"""``python -m subgraphs.talent --host H --port P --database-url URL``: serve the talent subgraph."""

from __future__ import annotations

import uvicorn

from adapters.talent.client import DEFAULT_SCHEMA
from subgraphs.common.cli import parse_args
from subgraphs.talent.app import create_app


def main() -> None:
    args = parse_args(
        "talent",
        __doc__ or "",
        {"database-url": "URL of the talent database", "database-schema": "PostgreSQL schema of its tables"},
        defaults={"database-schema": DEFAULT_SCHEMA},
    )
    app = create_app(args.database_url, schema=args.database_schema)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
