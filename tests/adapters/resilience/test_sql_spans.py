"""SQL statement spans: one per statement under the current span, errors marked, nothing when not tracing."""

from __future__ import annotations

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.resilience.sql_spans import trace_statements


def _provider() -> tuple[TracerProvider, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


def test_each_statement_is_a_client_span_under_the_legacy_call() -> None:
    provider, exporter = _provider()
    tracer = provider.get_tracer("test")
    engine = create_engine("sqlite://")
    trace_statements(engine, "talent", tracer=tracer)
    trace_statements(engine, "talent", tracer=tracer)  # a second client on the same engine: still one span each
    with tracer.start_as_current_span("legacy talent"), engine.begin() as conn:
        conn.execute(text('CREATE TABLE "T_RC_XQ" ("XQID" INTEGER)'))
        conn.execute(text('INSERT INTO "T_RC_XQ" VALUES (1), (2)'))
        assert conn.execute(text('SELECT "XQID" FROM "T_RC_XQ"')).all() == [(1,), (2,)]
    spans = {s.name: s for s in exporter.get_finished_spans()}
    assert [s.name for s in exporter.get_finished_spans()].count("SELECT talent") == 1
    legacy = spans["legacy talent"]
    select, insert = spans["SELECT talent"], spans["INSERT talent"]
    for span in (select, insert, spans["CREATE talent"]):
        assert span.parent is not None and span.parent.span_id == legacy.context.span_id
        assert span.kind is SpanKind.CLIENT
        assert span.attributes is not None and span.attributes["db.system.name"] == "sqlite"
    assert select.attributes is not None and select.attributes["db.query.text"] == 'SELECT "XQID" FROM "T_RC_XQ"'
    assert insert.attributes is not None and insert.attributes["db.response.returned_rows"] == 2


def test_a_failed_statement_ends_its_span_in_error() -> None:
    provider, exporter = _provider()
    tracer = provider.get_tracer("test")
    engine = create_engine("sqlite://")
    trace_statements(engine, "talent", tracer=tracer)
    with tracer.start_as_current_span("legacy talent"), engine.connect() as conn, pytest.raises(OperationalError):
        conn.execute(text("SELECT * FROM no_such_table"))
    (failed,) = [s for s in exporter.get_finished_spans() if s.name == "SELECT talent"]
    assert failed.status.status_code is StatusCode.ERROR
    assert failed.events and failed.events[0].name == "exception"


def test_no_span_outside_a_recording_span() -> None:
    provider, exporter = _provider()
    engine = create_engine("sqlite://")
    trace_statements(engine, "talent", tracer=provider.get_tracer("test"))
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    assert exporter.get_finished_spans() == ()


async def test_an_async_engine_keeps_the_callers_trace_context() -> None:
    provider, exporter = _provider()
    tracer = provider.get_tracer("test")
    engine = create_async_engine("sqlite+aiosqlite://")
    trace_statements(engine, "talent", tracer=tracer)
    try:
        with tracer.start_as_current_span("legacy talent") as legacy:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
    finally:
        await engine.dispose()
    (select,) = [s for s in exporter.get_finished_spans() if s.name == "SELECT talent"]
    assert select.parent is not None and select.parent.span_id == legacy.get_span_context().span_id
