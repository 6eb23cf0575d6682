"""``python -m mocks.talent --database-url URL``: create and seed the talent database."""

from __future__ import annotations

import argparse
import asyncio
import os

from mocks.data.province import generate
from mocks.talent.database import DEFAULT_SCHEMA, create_database


def main() -> None:
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m mocks.talent", description=__doc__)
    parser.add_argument("--database-url", default=env("PARKGRAPH_TALENT_DATABASE_URL", "sqlite:///var/talent.db"))
    parser.add_argument("--schema", default=env("PARKGRAPH_TALENT_MOCK_SCHEMA", DEFAULT_SCHEMA), help="PostgreSQL only")
    parser.add_argument("--seed", type=int, default=int(env("PARKGRAPH_TALENT_MOCK_SEED", "2026")))
    parser.add_argument("--scale", type=float, default=float(env("PARKGRAPH_TALENT_MOCK_SCALE", "1.0")))
    args = parser.parse_args()
    if args.database_url.startswith("sqlite:///") and not args.database_url.startswith("sqlite:////"):
        os.makedirs(os.path.dirname(args.database_url.removeprefix("sqlite:///")) or ".", exist_ok=True)
    asyncio.run(create_database(args.database_url, generate(args.seed, args.scale), args.schema))
    print(f"talent database seeded at {args.database_url}")


if __name__ == "__main__":
    main()
