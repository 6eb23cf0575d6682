"""Suite-wide settings: subgraphs built in-process without a gateway run in the explicit insecure dev mode.

Subgraphs refuse to start without ``PARKGRAPH_IDENTITY_KEY`` (``auth.identity``). Unit tests that call one
subgraph in-process, with no gateway to sign for them, opt into ``PARKGRAPH_INSECURE_DEV_IDENTITY`` here, in one
visible place; the fixtures that run a gateway (``tests/support/domain_graph.py``, the auth end-to-end tests)
pass a key explicitly, and so does every process ``parkgraph dev`` starts.
"""

from __future__ import annotations

import pytest

from auth.identity import INSECURE_DEV_VARIABLE


@pytest.fixture(autouse=True)
def insecure_dev_identity_for_in_process_subgraphs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(INSECURE_DEV_VARIABLE, "1")
