"""The error codes every subgraph reports, and the exceptions resolvers raise to report them.

Every error a subgraph returns carries ``extensions.code`` from :data:`CODES`,
the one registry that says what each code means. The codes of
``adapters/errors.py`` (``AdapterError.code`` and its subclasses) are
registered here too, so a legacy failure keeps its code on its way to the
client.

Resolvers raise the tree below on purpose; the subgraph error policy
(``subgraphs/common/errors.py``) keeps their code, and masks anything else as
``INTERNAL_SERVER_ERROR``::

    SubgraphError               an expected error with a registered code
    ├── BadUserInput            BAD_USER_INPUT (an argument the resolver rejects)
    ├── NotFoundError           NOT_FOUND
    ├── Forbidden               FORBIDDEN
    ├── Unauthenticated         UNAUTHENTICATED
    ├── IdempotencyConflict     IDEMPOTENCY_CONFLICT
    └── WriteOutcomeUnknown     WRITE_OUTCOME_UNKNOWN (a write timed out: retry with the same key)

Scalars raise :func:`bad_user_input` (a ``GraphQLError``) instead, because
graphql-core turns those into validation errors before any resolver runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLError

CODES: Mapping[str, str] = {
    "BAD_USER_INPUT": "An argument or variable value is invalid (e.g. a USCC with a bad check character).",
    "NOT_FOUND": "The record does not exist in the legacy system.",
    "LEGACY_SYSTEM_UNAVAILABLE": "The legacy system refused the connection or answered with a server error.",
    "LEGACY_SYSTEM_TIMEOUT": "The legacy system did not answer in time.",
    "LEGACY_BAD_DATA": "The legacy system answered with data that cannot be understood.",
    "LEGACY_REJECTED": "The legacy system refused the request as invalid (a business error code).",
    "LEGACY_SYSTEM_ERROR": "The legacy system failed in a way no more specific code describes.",
    "FORBIDDEN": "The caller lacks the scope, policy or tenancy for this field.",
    "UNAUTHENTICATED": "A valid identity is required.",
    "IDEMPOTENCY_CONFLICT": "The idempotency key was already used with a different request.",
    "WRITE_OUTCOME_UNKNOWN": (
        "A write was sent but its answer did not come back in time: it may or may not have been done."
        " Retry it with the same idempotencyKey (in extensions), which is safe: it is done at most once."
    ),
    "GRAPHQL_PARSE_FAILED": "The document is not valid GraphQL syntax.",
    "GRAPHQL_VALIDATION_FAILED": "The document does not validate against the subgraph schema.",
    "INTERNAL_SERVER_ERROR": "An unexpected error; details are in the subgraph's logs.",
}

BAD_USER_INPUT = "BAD_USER_INPUT"
NOT_FOUND = "NOT_FOUND"
FORBIDDEN = "FORBIDDEN"
UNAUTHENTICATED = "UNAUTHENTICATED"
IDEMPOTENCY_CONFLICT = "IDEMPOTENCY_CONFLICT"
WRITE_OUTCOME_UNKNOWN = "WRITE_OUTCOME_UNKNOWN"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


def coded_error(message: str, code: str, **extensions: Any) -> GraphQLError:
    """A ``GraphQLError`` with a registered ``extensions.code`` (and any further extensions)."""
    if code not in CODES:
        raise ValueError(f"unregistered error code {code!r}")
    return GraphQLError(message, extensions={"code": code, **extensions})


def bad_user_input(reason: str) -> GraphQLError:
    """The error a scalar raises for an invalid value: graphql-core reports it with the variable or argument."""
    return coded_error(reason, BAD_USER_INPUT)


class SubgraphError(Exception):
    """Base of the errors resolvers raise on purpose; ``code`` is the client-visible ``extensions.code``."""

    code = INTERNAL_SERVER_ERROR

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extensions = extensions


class BadUserInput(SubgraphError):
    code = BAD_USER_INPUT


class NotFoundError(SubgraphError):
    code = NOT_FOUND


class Forbidden(SubgraphError):
    code = FORBIDDEN


class Unauthenticated(SubgraphError):
    code = UNAUTHENTICATED


class IdempotencyConflict(SubgraphError):
    code = IDEMPOTENCY_CONFLICT


class WriteOutcomeUnknown(SubgraphError):
    """A write whose answer was lost (a timeout); ``extensions.idempotencyKey`` is the key to retry with."""

    code = WRITE_OUTCOME_UNKNOWN
