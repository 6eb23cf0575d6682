"""The wire vocabulary: graphql-transport-ws message types and close codes, and GraphQL-over-SSE framing.

graphql-transport-ws is the protocol of the ``graphql-ws`` library
(https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md); its close
codes tell a client what went wrong, and whether reconnecting can help.
SSE follows the "distinct connections" mode of the GraphQL over SSE protocol
(https://github.com/enisdenjo/graphql-sse/blob/master/PROTOCOL.md): one HTTP
response per subscription, ``next`` events carrying results, one ``complete``.
"""

from __future__ import annotations

from collections.abc import Mapping

SUBPROTOCOL = "graphql-transport-ws"

# Client → server and server → client message types.
CONNECTION_INIT = "connection_init"
CONNECTION_ACK = "connection_ack"
PING = "ping"
PONG = "pong"
SUBSCRIBE = "subscribe"
NEXT = "next"
ERROR = "error"
COMPLETE = "complete"

# Close codes of the protocol, and the two WebSocket ones we use besides (RFC 6455).
BAD_REQUEST = 4400  # a message the server cannot read: bad JSON, unknown type, missing fields
UNAUTHORIZED = 4401  # subscribe before connection_ack
FORBIDDEN = 4403  # connection_init refused: the credentials in its payload or the headers are not accepted
SUBPROTOCOL_NOT_ACCEPTABLE = 4406  # the client did not offer graphql-transport-ws
CONNECTION_INIT_TIMEOUT = 4408  # no connection_init in time
SUBSCRIBER_ALREADY_EXISTS = 4409  # subscribe with an id that is still running
TOO_MANY_INIT = 4429  # a second connection_init
INTERNAL_ERROR = 4500  # a gateway bug; details are in its logs
GOING_AWAY = 1001  # the gateway is shutting down: reconnect to another replica
SLOW_CONSUMER = 1008  # policy violation: the client's event buffer filled up (it reads too slowly)

CLOSE_REASONS: Mapping[int, str] = {
    BAD_REQUEST: "Invalid message received",
    UNAUTHORIZED: "Unauthorized",
    FORBIDDEN: "Forbidden",
    SUBPROTOCOL_NOT_ACCEPTABLE: "Subprotocol not acceptable",
    CONNECTION_INIT_TIMEOUT: "Connection initialisation timeout",
    SUBSCRIBER_ALREADY_EXISTS: "Subscriber already exists",
    TOO_MANY_INIT: "Too many initialisation requests",
    INTERNAL_ERROR: "Internal server error",
    GOING_AWAY: "Server shutting down",
    SLOW_CONSUMER: "Slow consumer: event buffer full",
}

SSE_MEDIA_TYPE = "text/event-stream"
SSE_KEEP_ALIVE = b":\n\n"  # a comment line: keeps proxies from closing an idle stream


def sse_event(event: str, data: bytes = b"") -> bytes:
    """One SSE event; ``data`` is a single line of JSON (orjson never writes newlines)."""
    return b"event: " + event.encode() + b"\ndata: " + data + b"\n\n"
