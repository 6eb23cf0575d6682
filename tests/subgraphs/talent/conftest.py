"""The talent subgraph in process over the talent database (SQLite and PostgreSQL, see the adapter's conftest)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from subgraphs.talent.app import create_app
from tests.adapters.talent.conftest import TalentDatabase, talent  # noqa: F401 (the fixture, re-exported)


@dataclass
class Subgraph:
    database: TalentDatabase
    http: httpx.AsyncClient

    async def query(self, document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.http.post("/graphql", json={"query": document, "variables": variables or {}})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def selects(self) -> list[str]:
        return [s for s in self.database.statements if s.lstrip().upper().startswith("SELECT")]


@pytest.fixture
async def subgraph(talent: TalentDatabase) -> AsyncIterator[Subgraph]:  # noqa: F811
    app = create_app(talent.engine, schema=talent.schema, timeout=2.0)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://talent") as http:
        yield Subgraph(talent, http)
