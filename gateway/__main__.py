"""``python -m gateway --supergraph FILE [--host H] [--port P] [--dev]``."""

from __future__ import annotations

import sys

from gateway.cli import main

sys.exit(main())
