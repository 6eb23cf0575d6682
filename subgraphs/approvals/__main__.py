"""``python -m subgraphs.approvals --host H --port P --legacy-url URL``: serve the approvals subgraph."""

from __future__ import annotations

import uvicorn

from subgraphs.approvals.app import create_app
from subgraphs.common.cli import parse_args


def main() -> None:
    args = parse_args("approvals", __doc__ or "", {"legacy-url": "base URL of the approval platform"})
    uvicorn.run(create_app(args.legacy_url), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
