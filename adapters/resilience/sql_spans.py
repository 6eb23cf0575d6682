"""Spans of the SQL statements an adapter sends to a legacy database (the talent database has no HTTP hop).

:func:`trace_statements` hooks an SQLAlchemy engine's cursor events: each
statement becomes a CLIENT span ``<OPERATION> <system>`` (``SELECT talent``)
under the current span, which is the adapter's ``legacy <system>`` span, so the
database's work shows in the request's trace with its text (parameters are
bound, never in the text), the database kind and the rows it touched.

OpenTelemetry's own SQLAlchemy instrumentation
(``opentelemetry-instrumentation-sqlalchemy``) would do this, but it declares
support for SQLAlchemy below 2.1 only; these three event hooks are all we need.
A statement run outside a recording span (tracing off, or no request) costs
one ``is_recording()`` check and makes no span.
"""

from __future__ import annotations

import weakref
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine

_TRACER = trace.get_tracer("parkgraph.adapters.sql")  # the process's provider, once it installs one
_SPAN = "parkgraph_sql_span"  # where a statement's span waits for its end, in the connection's info dict
_traced: weakref.WeakSet[Engine] = weakref.WeakSet()


def trace_statements(engine: AsyncEngine | Engine, system: str, *, tracer: Tracer = _TRACER) -> None:
    """Every statement ``engine`` executes gets a span (hooked once per engine, however often it is called)."""
    sync_engine = engine.sync_engine if isinstance(engine, AsyncEngine) else engine
    if sync_engine in _traced:
        return
    _traced.add(sync_engine)
    database = sync_engine.url.database or ""
    base = {"db.system.name": sync_engine.dialect.name, "db.namespace": database, "legacy.system": system}

    def started(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if not trace.get_current_span().is_recording():
            return
        operation = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "SQL"
        conn.info[_SPAN] = tracer.start_span(
            f"{operation} {system}",
            kind=SpanKind.CLIENT,
            attributes={**base, "db.operation.name": operation, "db.query.text": statement},
        )

    def finished(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        span: Span | None = conn.info.pop(_SPAN, None)
        if span is not None:
            rows = getattr(cursor, "rowcount", -1)
            if isinstance(rows, int) and rows >= 0:
                span.set_attribute("db.response.returned_rows", rows)
            span.end()

    def failed(exception_context: Any) -> None:
        conn = exception_context.connection
        span: Span | None = conn.info.pop(_SPAN, None) if conn is not None else None
        if span is not None:
            error = exception_context.original_exception
            span.record_exception(error)
            span.set_status(Status(StatusCode.ERROR, type(error).__name__))
            span.end()

    # insert=True: the span opens before any other hook (a fault's latency, say) and so includes it.
    event.listen(sync_engine, "before_cursor_execute", started, insert=True)
    event.listen(sync_engine, "after_cursor_execute", finished)
    event.listen(sync_engine, "handle_error", failed)
