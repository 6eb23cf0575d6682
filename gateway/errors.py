"""The gateway's error codes and exception tree.

Every error a client sees is a GraphQL error whose ``extensions.code`` comes
from :data:`CODES`, the one registry that says what each code means.

Exception tree (all carry a code and render as a GraphQL error)::

    GatewayError
    ├── RequestError          the request itself is bad (HTTP 400)
    │   ├── SyntaxFailed      GRAPHQL_PARSE_FAILED
    │   ├── ValidationFailed  GRAPHQL_VALIDATION_FAILED
    │   ├── BadUserInput      BAD_USER_INPUT (variables)
    │   └── OperationResolution  OPERATION_RESOLUTION_FAILURE
    ├── SupergraphError       the supergraph cannot be loaded or planned
    │   └── UnsupportedFeature  UNSUPPORTED_LINKED_FEATURE
    └── PlanningError         QUERY_PLANNING_FAILED (a planner bug or an
                              unsatisfiable query: never a client's fault)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

CODES: Mapping[str, str] = {
    "GRAPHQL_PARSE_FAILED": "The document is not valid GraphQL syntax.",
    "GRAPHQL_VALIDATION_FAILED": "The document does not validate against the API schema.",
    "BAD_USER_INPUT": "A variable or argument value is invalid.",
    "OPERATION_RESOLUTION_FAILURE": "No single operation could be chosen from the document.",
    "BAD_REQUEST": "The HTTP request is malformed (method, content type, body).",
    "PERSISTED_QUERY_NOT_FOUND": "An automatic persisted query hash is unknown: send the query with its hash.",
    "PERSISTED_QUERY_HASH_MISMATCH": "The persisted query hash is not the sha256 of the query sent with it.",
    "PERSISTED_QUERY_NOT_IN_LIST": "The caller may run only operations registered for it (safelist); this is not one.",
    "UNAUTHENTICATED": "A valid access token is required.",
    "FORBIDDEN": "The caller lacks the scope, policy or tenancy for this field.",
    "QUERY_TOO_COMPLEX": "The operation's estimated cost (@cost, @listSize) exceeds the caller's limit.",
    "MAX_DEPTH_LIMIT": "The operation nests fields deeper than the caller's limit.",
    "MAX_ALIASES_LIMIT": "The operation uses more aliases than the caller's limit.",
    "MAX_ROOT_FIELDS_LIMIT": "The operation selects more root fields than the caller's limit.",
    "MAX_TOKENS_LIMIT": "The document has more lexical tokens than the caller's limit.",
    "REQUEST_TOO_LARGE": "The request body is larger than the caller's limit.",
    "BATCH_TOO_LARGE": "The batch holds more operations than the caller's limit.",
    "RATE_LIMITED": "The caller exceeded its request budget; retry after extensions.retryAfter seconds.",
    "SUBGRAPH_UNAVAILABLE": "A subgraph could not be reached or answered with an HTTP error.",
    "SUBGRAPH_INVALID_RESPONSE": "A subgraph answered with something other than a GraphQL response.",
    "UPSTREAM_TIMEOUT": "A subgraph did not answer before the deadline.",
    "WRITE_OUTCOME_UNKNOWN": (
        "A mutation was sent but its answer did not come back before the deadline: it may or may not have been"
        " done. Retry it with the same idempotencyKey (in extensions): it is done at most once."
    ),
    "INVALID_SUBGRAPH_VALUE": (
        "A subgraph's value does not fit the API schema (null for a non-null field, unknown enum value,"
        " unresolvable abstract type); the null bubbled to the nearest nullable field."
    ),
    "DOWNSTREAM_SERVICE_ERROR": "A subgraph returned an error without a code of its own.",
    "SUBSCRIPTION_UPSTREAM_LOST": (
        "The subgraph serving a subscription went away and did not come back within the gateway's retry budget;"
        " the subscription is closed: subscribe again later."
    ),
    "SLOW_CONSUMER": (
        "The client read a subscription's events more slowly than they came: its buffer filled and the"
        " subscription was closed. Subscribe again, and read faster or ask for fewer events."
    ),
    "INVALID_ENTITY_REPRESENTATION": "An entity could not be fetched: its key or @requires input was missing.",
    "QUERY_PLANNING_FAILED": "The gateway could not plan the operation.",
    "UNSUPPORTED_LINKED_FEATURE": "The supergraph links a security or execution spec the gateway does not implement.",
    "SUPERGRAPH_INVALID": "The supergraph SDL is not a valid Apollo supergraph.",
    "INTERNAL_SERVER_ERROR": "An unexpected error; details are in the gateway's logs.",
}


def graphql_error(
    message: str,
    code: str,
    path: Sequence[str | int] | None = None,
    **extensions: Any,
) -> dict[str, Any]:
    """A GraphQL error as the response carries it, with a registered code."""
    assert code in CODES, f"unregistered error code {code}"
    error: dict[str, Any] = {"message": message}
    if path is not None:
        error["path"] = list(path)
    error["extensions"] = {"code": code, **extensions}
    return error


class GatewayError(Exception):
    """Base of every error the gateway raises on purpose."""

    code = "INTERNAL_SERVER_ERROR"

    def __init__(self, message: str, *, code: str | None = None, **extensions: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.extensions = extensions

    def to_graphql(self, path: Sequence[str | int] | None = None) -> dict[str, Any]:
        return graphql_error(self.message, self.code, path, **self.extensions)


class RequestError(GatewayError):
    """The client's request cannot be executed; answered with HTTP 400."""

    code = "BAD_REQUEST"


class SyntaxFailed(RequestError):
    code = "GRAPHQL_PARSE_FAILED"


class ValidationFailed(RequestError):
    code = "GRAPHQL_VALIDATION_FAILED"


class BadUserInput(RequestError):
    code = "BAD_USER_INPUT"


class OperationResolution(RequestError):
    code = "OPERATION_RESOLUTION_FAILURE"


class SupergraphError(GatewayError):
    code = "SUPERGRAPH_INVALID"


class UnsupportedFeature(SupergraphError):
    code = "UNSUPPORTED_LINKED_FEATURE"


class PlanningError(GatewayError):
    code = "QUERY_PLANNING_FAILED"
