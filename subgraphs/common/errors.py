"""The subgraph error policy: every error leaves with a registered ``extensions.code``.

:class:`ErrorPolicy` is a strawberry schema extension that rewrites the
errors of each result, in one place:

* ``AdapterError`` (a legacy system failed) → its ``code``
  (``LEGACY_SYSTEM_UNAVAILABLE``, ``LEGACY_SYSTEM_TIMEOUT``, ``NOT_FOUND``,
  ``LEGACY_BAD_DATA``, ``LEGACY_REJECTED``), ``extensions.domain`` (this
  subgraph) and ``extensions.legacySystem``, with a message that names the
  legacy system; logged as a warning, without the traceback;
* ``SubgraphError`` (raised by a resolver on purpose) → its code and message;
* errors graphql-core raises itself (syntax, validation, variable coercion)
  and ``GraphQLError`` raised on purpose → kept, with a code added when they
  have none (``GRAPHQL_PARSE_FAILED``, ``GRAPHQL_VALIDATION_FAILED``);
* anything else (a bug) → logged with its traceback and masked as
  ``INTERNAL_SERVER_ERROR`` "Internal server error", so no internals leak.

The factory ``create_federation_schema`` installs it; use
:func:`translate_error` directly only in tests.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult as StrawberryExecutionResult

from adapters.errors import AdapterError, BadData, LegacyTimeout, LegacyUnavailable, NotFound, Rejected
from schema.errors import INTERNAL_SERVER_ERROR, SubgraphError

logger = logging.getLogger("subgraphs.errors")

_WHAT_HAPPENED: tuple[tuple[type[AdapterError], str], ...] = (
    (LegacyUnavailable, "is unavailable"),
    (LegacyTimeout, "did not answer in time"),
    (NotFound, "has no such record"),
    (BadData, "answered with data that cannot be understood"),
    (Rejected, "rejected the request"),
)


def describe_adapter_error(domain: str, error: AdapterError) -> str:
    """A client-facing message naming the domain and the legacy system, e.g. for a 503."""
    what = next((phrase for kind, phrase in _WHAT_HAPPENED if isinstance(error, kind)), "failed")
    return f"{domain}: legacy system '{error.system}' {what}: {error.message}"


def translate_error(error: GraphQLError, domain: str) -> GraphQLError:
    """``error`` as the client may see it (see the module docstring for the rules)."""
    original = error.original_error
    if isinstance(original, AdapterError):
        logger.warning("%s: %s at %s", domain, original, error.path)
        extensions: dict[str, Any] = {"code": original.code, "domain": domain, "legacySystem": original.system}
        if isinstance(original, Rejected) and original.legacy_code is not None:
            extensions["legacyCode"] = original.legacy_code
        return _rebuild(error, describe_adapter_error(domain, original), extensions, original)
    if isinstance(original, SubgraphError):
        extensions = {**original.extensions, "code": original.code, "domain": domain}
        return _rebuild(error, original.message, extensions, original)
    if original is None or isinstance(original, GraphQLError):
        if error.extensions and "code" in error.extensions:
            return error
        if isinstance(error, GraphQLSyntaxError):
            code = "GRAPHQL_PARSE_FAILED"
        elif error.path is None:
            code = "GRAPHQL_VALIDATION_FAILED"
        else:
            code = INTERNAL_SERVER_ERROR  # a GraphQLError raised on purpose without a code: keep its message
        return _rebuild(error, error.message, {**(error.extensions or {}), "code": code}, original)
    logger.error("%s: unexpected error at %s", domain, error.path, exc_info=original)
    return _rebuild(error, "Internal server error", {"code": INTERNAL_SERVER_ERROR, "domain": domain}, None)


def _rebuild(error: GraphQLError, message: str, extensions: dict[str, Any], original: Exception | None) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=original,
        extensions=extensions,
    )


class ErrorPolicy(SchemaExtension):
    """Rewrites each result's errors with :func:`translate_error`; build one per request (a factory)."""

    def __init__(self, *, domain: str, execution_context: Any = None) -> None:
        super().__init__()
        self.domain = domain

    def on_operation(self) -> Iterator[None]:
        yield
        # graphql-core's result after execution, strawberry's after a parse or validation failure.
        result = self.execution_context.result
        if isinstance(result, GraphQLExecutionResult | StrawberryExecutionResult) and result.errors:
            result.errors = [translate_error(error, self.domain) for error in result.errors]

    def on_stream_result(self, result: Any) -> Iterator[None]:
        # Subscription results (a refusal when subscribing, then each event) are sent before on_operation ends.
        if isinstance(result, GraphQLExecutionResult | StrawberryExecutionResult) and result.errors:
            result.errors = [translate_error(error, self.domain) for error in result.errors]
        yield
