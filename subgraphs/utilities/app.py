"""The utilities subgraph as an ASGI app: ``create_app(legacy_url=..., drop_dir=...)``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import date
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.websockets import WebSocket

from adapters.errors import AdapterError
from adapters.utilities import UtilitiesClient
from auth.identity import IdentityVerifier
from subgraphs.common import create_subgraph_app
from subgraphs.utilities.context import UtilitiesContext, today_in_china
from subgraphs.utilities.live import DEFAULT_INTERVAL
from subgraphs.utilities.schema import build_schema

logger = logging.getLogger(__name__)


def create_app(
    *,
    legacy_url: str,
    drop_dir: Path,
    transport: httpx.AsyncBaseTransport | None = None,
    rescan_interval: float = 30.0,
    today: Callable[[], date] = today_in_china,
    client: UtilitiesClient | None = None,
    identity: IdentityVerifier | None = None,
    live_load_interval: float = DEFAULT_INTERVAL,
) -> Starlette:
    """Serves the utilities subgraph over the feed at ``legacy_url`` and the drops in ``drop_dir``.

    ``/graphql`` also serves the ``parkLiveLoad`` subscription over graphql-transport-ws, sampling the live
    feed every ``live_load_interval`` seconds.
    """
    utilities = client or UtilitiesClient(
        drop_dir=drop_dir, feed_url=legacy_url, transport=transport, rescan_interval=rescan_interval
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Load the drops in the background, so the first query does not wait for a month of files.
        warm_up = asyncio.create_task(_warm_up(utilities))
        try:
            yield
        finally:
            warm_up.cancel()
            await utilities.aclose()

    def context(request: Request | WebSocket) -> UtilitiesContext:
        return UtilitiesContext(
            request=request if isinstance(request, Request) else None,
            client=utilities,
            today=today,
            live_load_interval=live_load_interval,
        )

    return create_subgraph_app(
        build_schema(),
        name="utilities",
        context_factory=context,
        subscription_context_factory=context,
        lifespan=lifespan,
        identity=identity,
    )


async def _warm_up(client: UtilitiesClient) -> None:
    try:
        await client.ledger.refresh(force=True)
    except AdapterError as exc:
        logger.warning("utilities: first load of the drops failed, queries will retry: %s", exc)
