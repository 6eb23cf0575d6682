"""The subgraph error registry covers every adapter error code."""

from __future__ import annotations

import pytest

from adapters import errors as adapter_errors
from adapters.errors import AdapterError
from schema.errors import CODES, SubgraphError, coded_error


def test_every_adapter_error_code_is_registered() -> None:
    classes = [c for c in vars(adapter_errors).values() if isinstance(c, type) and issubclass(c, AdapterError)]
    assert len(classes) >= 6
    for cls in classes:
        assert cls.code in CODES, cls


def test_every_subgraph_error_code_is_registered() -> None:
    classes: list[type[SubgraphError]] = [SubgraphError, *SubgraphError.__subclasses__()]
    for cls in classes:
        assert cls.code in CODES, cls


def test_unregistered_code_is_refused() -> None:
    with pytest.raises(ValueError, match="unregistered"):
        coded_error("x", "OOPS")
    assert coded_error("x", "NOT_FOUND", domain="registry").extensions == {"code": "NOT_FOUND", "domain": "registry"}
