"""Parsing, validation and operation choice, cached by query text (federation-notes §4.6).

The cache holds what a query text and operation name turn into: a
:class:`PreparedOperation`, or the request error to answer again. It is a
bounded LRU, so a client sending endless distinct queries costs memory only up
to ``size`` entries.
"""

from __future__ import annotations

from collections import OrderedDict
from contextlib import AbstractContextManager, nullcontext
from typing import Generic, TypeVar

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    parse,
    specified_rules,
    validate,
)

from gateway.context import SpanFactory
from gateway.errors import GatewayError, OperationResolution, SyntaxFailed, ValidationFailed
from gateway.executor.shape import ShapeProgram
from gateway.pipeline.types import PreparedOperation

K = TypeVar("K")
V = TypeVar("V")


class LRU(Generic[K, V]):
    """A small bounded least-recently-used map."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        if len(self._items) > self.size:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


class RequestFailed(GatewayError):
    """Several request errors at once (every validation or variable error the client made)."""

    def __init__(self, errors: list[dict[str, object]], code: str) -> None:
        super().__init__(str(errors[0].get("message", "")) if errors else "", code=code)
        self.errors = errors


def _no_span(name: str) -> AbstractContextManager[None]:
    return nullcontext()


class DocumentCache:
    """Prepares operations against one API schema, remembering the outcome per (query, operation name)."""

    def __init__(self, schema: GraphQLSchema, *, introspection: bool = True, size: int = 1024) -> None:
        self.schema = schema
        self.rules = list(specified_rules) if introspection else [*specified_rules, NoSchemaIntrospectionCustomRule]
        self._prepared: LRU[tuple[str, str | None], PreparedOperation | GatewayError] = LRU(size)

    def prepare(self, query: str, operation_name: str | None, span: SpanFactory | None = None) -> PreparedOperation:
        """The prepared operation, or raises the request's error (a :class:`GatewayError`).

        ``span`` (when tracing) wraps the parse and the validation, which happen only on a cache miss.
        """
        key = (query, operation_name)
        hit = self._prepared.get(key)
        if hit is None:
            try:
                hit = self._prepare(query, operation_name, span or _no_span)
            except GatewayError as exc:
                hit = exc
            self._prepared.put(key, hit)
        if isinstance(hit, GatewayError):
            raise hit
        return hit

    def _prepare(self, query: str, operation_name: str | None, span: SpanFactory) -> PreparedOperation:
        try:
            with span("graphql.parse"):
                document = parse(query, no_location=False)
        except GraphQLError as exc:
            raise RequestFailed([_request_error(exc, "GRAPHQL_PARSE_FAILED")], SyntaxFailed.code) from exc
        with span("graphql.validate"):
            errors = validate(self.schema, document, self.rules)
        if errors:
            raise RequestFailed([_request_error(e, "GRAPHQL_VALIDATION_FAILED") for e in errors], ValidationFailed.code)
        operation = select_operation(document, operation_name)
        return PreparedOperation(document, operation_name, ShapeProgram(self.schema, document, operation))


def select_operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode:
    """The operation to run: the named one, or the only one."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        if len(operations) == 1:
            return operations[0]
        if not operations:
            raise OperationResolution("The document contains no operation.")
        raise OperationResolution("Must provide operation name if query contains multiple operations.")
    for operation in operations:
        if operation.name is not None and operation.name.value == operation_name:
            return operation
    raise OperationResolution(f'Unknown operation named "{operation_name}".')


def _request_error(error: GraphQLError, code: str) -> dict[str, object]:
    formatted: dict[str, object] = {"message": error.message}
    if error.locations:
        formatted["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    formatted["extensions"] = {"code": code}
    return formatted
