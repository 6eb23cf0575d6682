"""``python -m auth --host H --port P``: serve the authorization server (see :mod:`auth.cli`)."""

from __future__ import annotations

import sys

from auth.cli import main

if __name__ == "__main__":
    sys.exit(main())
