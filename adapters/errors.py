"""The one error tree every adapter raises; legacy quirks never leak past it.

::

    AdapterError                 something went wrong talking to a legacy system
    ├── LegacyUnavailable        refused, reset, HTTP 5xx, 429 after retries, outage
    │   └── CircuitOpen          not called: the system's circuit breaker is open
    ├── LegacyTimeout            no answer within the time allowed
    ├── NotFound                 the legacy system says the record does not exist
    ├── BadData                  the answer cannot be understood (wrong encoding,
    │                            malformed XML/JSON/CSV, missing fields)
    └── Rejected                 the legacy system refused a request as invalid
                                 (a business error code, a SOAP client fault)

Each error names its ``system`` (e.g. ``"registry"``) so that subgraphs can say
which domain failed. Adapters translate foreign exceptions at their boundary
with ``raise ... from exc``.
"""

from __future__ import annotations


class AdapterError(Exception):
    """Base of every adapter error; ``code`` is the GraphQL error code a subgraph reports."""

    code = "LEGACY_SYSTEM_ERROR"

    def __init__(self, system: str, message: str) -> None:
        super().__init__(f"{system}: {message}")
        self.system = system
        self.message = message


class LegacyUnavailable(AdapterError):
    code = "LEGACY_SYSTEM_UNAVAILABLE"

    def __init__(self, system: str, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(system, message)
        self.retry_after = retry_after  # seconds the system asked us to wait (HTTP 429 Retry-After)


class CircuitOpen(LegacyUnavailable):
    """The breaker refused the call without trying: the system failed repeatedly and is left to recover."""


class LegacyTimeout(AdapterError):
    code = "LEGACY_SYSTEM_TIMEOUT"


class NotFound(AdapterError):
    code = "NOT_FOUND"


class BadData(AdapterError):
    code = "LEGACY_BAD_DATA"


class Rejected(AdapterError):
    code = "LEGACY_REJECTED"

    def __init__(self, system: str, message: str, legacy_code: str | None = None) -> None:
        super().__init__(system, message)
        self.legacy_code = legacy_code
