"""Small helpers shared by the §6 gateway tests."""

from __future__ import annotations

from typing import Any

from graphql import OperationDefinitionNode, parse

from tests.support.subgraph_kit import RecordedRequest


def operation_of(request: RecordedRequest) -> OperationDefinitionNode:
    """The operation a gateway sent to a subgraph, parsed."""
    document = parse(request.query)
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    assert len(operations) == 1, request.query
    return operations[0]


def declared_variables(request: RecordedRequest) -> dict[str, str | None]:
    """Variable name → printed default value (None without a default) of a subgraph request."""
    from graphql import print_ast

    operation = operation_of(request)
    return {
        d.variable.name.value: (print_ast(d.default_value) if d.default_value is not None else None)
        for d in operation.variable_definitions or ()
    }


def service_error(
    message: str, path: list[str | int] | None, service: str, code: str = "DOWNSTREAM_SERVICE_ERROR"
) -> Any:
    """A subgraph error as the gateway passes it on (federation-notes §4.4)."""
    error: dict[str, Any] = {"message": message}
    if path is not None:
        error["path"] = path
    error["extensions"] = {"code": code, "serviceName": service}
    return error
