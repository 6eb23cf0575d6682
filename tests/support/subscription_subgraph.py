"""A stand-in subgraph that serves subscriptions over graphql-transport-ws, for gateway subscription tests and bench.

It answers ``_entities`` over HTTP (as the registry would: ``Enterprise.name``)
and, over WebSocket, keeps every subscription open until the test calls
:meth:`FakeAlertSubgraph.emit`, which sends one ``next`` to each of them.
It counts connections and records the handshake headers, so tests can see
the signed identity and the sharing of upstream subscriptions.
"""

from __future__ import annotations

import contextlib
from typing import Any

import orjson
from graphql import build_schema, execute, parse
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

# Two subgraphs in the Apollo supergraph format: alerts (owns the subscription) and registry (owns names).
SUPERGRAPH = """
schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)
{ query: Query subscription: Subscription }
directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE
directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String,
  external: Boolean, override: String, usedOverridden: Boolean) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE
directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false,
  resolvable: Boolean! = true, isInterfaceObject: Boolean! = false)
  repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
scalar join__FieldSet
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }
enum join__Graph {
  ALERTS @join__graph(name: "alerts", url: "ALERTS_URL")
  REGISTRY @join__graph(name: "registry", url: "REGISTRY_URL")
}
type Query @join__type(graph: ALERTS) @join__type(graph: REGISTRY) {
  alertCount: Int @join__field(graph: ALERTS)
}
type Subscription @join__type(graph: ALERTS) {
  alertRaised(level: String): Alert! @join__field(graph: ALERTS)
}
type Alert @join__type(graph: ALERTS, key: "id") {
  id: ID!
  level: String!
  sentAt: Float!
  enterprise: Enterprise!
  park: Park!
  city: City!
}
type Enterprise @join__type(graph: ALERTS, key: "uscc") @join__type(graph: REGISTRY, key: "uscc") {
  uscc: String!
  name: String! @join__field(graph: REGISTRY)
}
type Park @join__type(graph: ALERTS, key: "code") { code: String! }
type City @join__type(graph: ALERTS, key: "code") { code: String! }
"""


# The alerts subgraph's own view (the gateway's operations are executed against it, aliases and all).
ALERTS_SDL = """
type Query { alertCount: Int }
type Subscription { alertRaised(level: String): Alert! }
type Alert { id: ID! level: String! sentAt: Float! enterprise: Enterprise! park: Park! city: City! }
type Enterprise { uscc: String! }
type Park { code: String! }
type City { code: String! }
"""
ALERTS_SCHEMA = build_schema(ALERTS_SDL)


def supergraph(alerts_url: str, registry_url: str) -> str:
    return SUPERGRAPH.replace("ALERTS_URL", alerts_url).replace("REGISTRY_URL", registry_url)


def alert(number: int, city: str, park: str, uscc: str, sent_at: float = 0.0) -> dict[str, Any]:
    """An alert as the alerts subgraph selects it for the gateway (all its own fields, keys for the rest)."""
    return {
        "id": f"A{number}",
        "level": "RED",
        "sentAt": sent_at,
        "enterprise": {"__typename": "Enterprise", "uscc": uscc},
        "park": {"code": park},
        "city": {"code": city},
    }


class FakeAlertSubgraph:
    """Both stand-in subgraphs in one ASGI app: ``/graphql`` WebSocket (alerts) and HTTP (registry)."""

    def __init__(self) -> None:
        self.subscriptions: dict[int, tuple[WebSocket, str, dict[str, Any]]] = {}
        self.connections = 0
        self.handshake_headers: list[dict[str, str]] = []
        self.entity_calls = 0
        self.names: dict[str, str] = {}
        self._next = 0
        self.app = Starlette(
            routes=[Route("/graphql", self._http, methods=["POST"]), WebSocketRoute("/graphql", self._websocket)]
        )

    async def emit(self, event: dict[str, Any]) -> int:
        """Sends ``{"data": {"alertRaised": event}}`` on every open subscription; how many got it."""
        sent = 0
        for ws, subscription_id, request in list(self.subscriptions.values()):
            result: Any = execute(
                ALERTS_SCHEMA, request["document"], {"alertRaised": event}, variable_values=request.get("variables")
            )
            payload: dict[str, Any] = {"data": result.data}
            if result.errors:
                payload["errors"] = [error.formatted for error in result.errors]
            message = {"id": subscription_id, "type": "next", "payload": payload}
            with contextlib.suppress(Exception):
                await ws.send_bytes(orjson.dumps(message))
                sent += 1
        return sent

    async def close_all(self, code: int = 1012) -> None:
        """Drops every WebSocket, as a restarting subgraph does."""
        for ws, _, _ in list(self.subscriptions.values()):
            with contextlib.suppress(Exception):
                await ws.close(code)
        self.subscriptions.clear()

    async def _http(self, request: Request) -> Response:
        body = orjson.loads(await request.body())
        representations = (body.get("variables") or {}).get("representations") or []
        self.entity_calls += 1
        entities = [
            {"__typename": "Enterprise", "name": self.names.get(r["uscc"], f"企业{r['uscc'][-4:]}")}
            for r in representations
        ]
        return Response(orjson.dumps({"data": {"_entities": entities}}), media_type="application/json")

    async def _websocket(self, ws: WebSocket) -> None:
        await ws.accept(subprotocol="graphql-transport-ws")
        self.connections += 1
        self.handshake_headers.append({k.lower(): v for k, v in ws.headers.items()})
        key = self._next
        self._next += 1
        try:
            while True:
                message = orjson.loads(await ws.receive_text())
                kind = message.get("type")
                if kind == "connection_init":
                    await ws.send_text('{"type":"connection_ack"}')
                elif kind == "subscribe":
                    request = {**message["payload"], "document": parse(message["payload"]["query"])}
                    self.subscriptions[key] = (ws, message["id"], request)
                elif kind == "complete":
                    self.subscriptions.pop(key, None)
                elif kind == "ping":
                    await ws.send_text('{"type":"pong"}')
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            self.subscriptions.pop(key, None)
