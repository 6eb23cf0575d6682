"""Client of the talent database: SQL against its legacy tables through an async SQLAlchemy engine.

The database has no API; this adapter is its API. It joins the demand table
with the database's enterprise copy and its code tables, filters in SQL, and
writes new demands with the caller's idempotency key in the unique external
request number column (``WBLSH``), so a retried write finds the first row
instead of adding a second one.

Raises only :mod:`adapters.errors`: connection and driver failures →
:class:`LegacyUnavailable`, statements slower than ``timeout`` (or the
request's deadline, see :mod:`adapters.resilience`) → :class:`LegacyTimeout`,
rows that cannot be read → :class:`BadData`, writes the data does not allow (unknown enterprise or occupation) →
:class:`Rejected`.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, insert, or_, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from adapters.errors import LegacyUnavailable, Rejected
from adapters.resilience import LegacyGuard, last_good
from adapters.resilience.sql_spans import trace_statements
from adapters.talent.mapping import (
    CODE_OF_EDUCATION,
    SYSTEM,
    education_of,
    format_salary,
    to_job_demand,
)
from adapters.talent.models import DemandFilter, EducationLevel, JobDemand, NewJobDemand, TalentTotals
from adapters.talent.tables import demands, education_levels, enterprises, occupations

DEFAULT_SCHEMA = "talent"
# Keeps IN lists well under every database's bound-parameter limit.
MAX_KEYS_PER_STATEMENT = 500
_CST = timezone(timedelta(hours=8))
_major_groups = occupations.alias("ZY_DL")
ALL_DEMANDS = DemandFilter()


def today_cst() -> date:
    return datetime.now(_CST).date()


class TalentClient:
    """Reads and writes job demands; one instance per process, its engine pooled across requests."""

    def __init__(
        self,
        database: AsyncEngine | str,
        *,
        schema: str | None = DEFAULT_SCHEMA,
        timeout: float = 5.0,
        guard: LegacyGuard | None = None,
    ) -> None:
        self._owns_engine = isinstance(database, str)
        engine = create_async_engine(_async_url(database)) if isinstance(database, str) else database
        trace_statements(engine, SYSTEM)  # on the base engine: the schema-translating copy below shares its hooks
        if engine.dialect.name == "postgresql" and schema:
            # The legacy tables live in their own schema; statements name them unqualified.
            engine = engine.execution_options(schema_translate_map={None: schema})
        self._engine = engine
        self.guard = guard or LegacyGuard(SYSTEM, timeout=timeout)

    async def aclose(self) -> None:
        if self._owns_engine:
            await self._engine.dispose()

    async def __aenter__(self) -> TalentClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    @last_good
    async def demands_for_enterprises(
        self, usccs: Iterable[str], where: DemandFilter = ALL_DEMANDS, today: date | None = None
    ) -> dict[str, list[JobDemand]]:
        """Each enterprise's demands that pass ``where``, newest first: one statement per 500 enterprises."""
        wanted = list(dict.fromkeys(usccs))
        result: dict[str, list[JobDemand]] = {uscc: [] for uscc in wanted}
        conditions = _conditions(where, today or today_cst())
        async with self._connection() as conn:
            for chunk in _chunks(wanted):
                statement = _demand_query().where(demands.c.QYDM.in_(chunk), *conditions)
                for row in (await conn.execute(statement)).mappings():
                    demand = to_job_demand(row)
                    result.setdefault(demand.employer_uscc, []).append(demand)
        return result

    @last_good
    async def demands_by_id(self, demand_ids: Iterable[str]) -> dict[str, JobDemand]:
        """The demands that exist among ``demand_ids``."""
        numbers = sorted({int(i) for i in demand_ids if i.isdigit()})
        found: dict[str, JobDemand] = {}
        async with self._connection() as conn:
            for chunk in _chunks(numbers):
                for row in (await conn.execute(_demand_query().where(demands.c.XQID.in_(chunk)))).mappings():
                    demand = to_job_demand(row)
                    found[demand.id] = demand
        return found

    @last_good
    async def park_totals(self, park_codes: Iterable[str], today: date | None = None) -> dict[str, TalentTotals]:
        """Open demand per development zone (zones without demand get zero totals)."""
        return await self._totals(enterprises.c.YQDM, park_codes, today or today_cst())

    @last_good
    async def city_totals(self, city_codes: Iterable[str], today: date | None = None) -> dict[str, TalentTotals]:
        """Open demand per city (GB/T 2260 code)."""
        return await self._totals(enterprises.c.XZQHDM, city_codes, today or today_cst())

    async def post_demand(self, demand: NewJobDemand, idempotency_key: str) -> JobDemand:
        """Writes a new demand once per key; a repeated key returns the row the first call wrote."""
        request_number = hashlib.sha256(idempotency_key.encode()).hexdigest()
        if (existing := await self._by_request_number(request_number)) is not None:
            return existing
        await self._check_references(demand)
        now = datetime.now(_CST)
        values = {
            "QYDM": demand.employer_uscc,
            "GWMC": demand.title,
            "XQRS": demand.headcount,
            "XLYQ": CODE_OF_EDUCATION.get(demand.education),  # NONE → NULL, as the vendor's own forms store it
            "ZYDM": demand.occupation_code,
            "XZFW": format_salary(demand.salary_min, demand.salary_max),
            "FBRQ": f"{now:%Y%m%d}",
            "YXQZ": f"{demand.valid_until:%Y%m%d}" if demand.valid_until else None,
            "ZT": "1",
            "LXR": demand.contact_name,
            "LXDH": demand.contact_phone,
            "WBLSH": request_number,
            "CJSJ": f"{now:%Y-%m-%d %H:%M:%S}",
        }
        try:
            async with self._connection(write=True) as conn:
                await conn.execute(insert(demands).values(values))
        except IntegrityError:
            # A concurrent call with the same key won the insert: its row is the answer.
            pass
        written = await self._by_request_number(request_number)
        if written is None:
            raise LegacyUnavailable(SYSTEM, "the demand just written cannot be read back")
        return written

    async def _by_request_number(self, request_number: str) -> JobDemand | None:
        async with self._connection() as conn:
            row = (await conn.execute(_demand_query().where(demands.c.WBLSH == request_number))).mappings().first()  # noqa: SIM300
        return to_job_demand(row) if row is not None else None

    async def _check_references(self, demand: NewJobDemand) -> None:
        """The database has no foreign keys; its own forms refuse what we refuse here."""
        if demand.headcount < 1:
            raise Rejected(SYSTEM, "headcount must be at least 1")
        if demand.salary_min is not None and demand.salary_max is not None and demand.salary_min > demand.salary_max:
            raise Rejected(SYSTEM, "salary minimum exceeds the maximum")
        async with self._connection() as conn:
            is_employer = enterprises.c.QYDM == demand.employer_uscc  # noqa: SIM300
            is_occupation = occupations.c.DM == demand.occupation_code  # noqa: SIM300
            known = await conn.scalar(select(enterprises.c.QYDM).where(is_employer))
            occupation = (await conn.execute(select(occupations.c.FJDM).where(is_occupation))).first()
        if known is None:
            raise Rejected(SYSTEM, f"enterprise {demand.employer_uscc} is not registered in the talent database")
        if occupation is None or occupation[0] is None:
            raise Rejected(SYSTEM, f"{demand.occupation_code!r} is not an occupation code (GB/T 6565, not a group)")

    async def _totals(self, area: Any, codes: Iterable[str], today: date) -> dict[str, TalentTotals]:
        wanted = list(dict.fromkeys(codes))
        counts: dict[str, dict[str, Any]] = {c: {"postings": 0, "positions": 0, "by_education": {}} for c in wanted}
        async with self._connection() as conn:
            for chunk in _chunks(wanted):
                statement = (
                    select(area.label("AREA"), demands.c.XLYQ, func.count(), func.sum(demands.c.XQRS))
                    .select_from(demands.join(enterprises, enterprises.c.QYDM == demands.c.QYDM))
                    .where(area.in_(chunk), *_conditions(DemandFilter(open_only=True), today))
                    .group_by(area, demands.c.XLYQ)
                )
                for code, education_code, postings, positions in await conn.execute(statement):
                    entry = counts[code]
                    entry["postings"] += int(postings)
                    entry["positions"] += int(positions or 0)
                    level = education_of(education_code)  # NULL and '' land in the same bucket
                    entry["by_education"][level] = entry["by_education"].get(level, 0) + int(positions or 0)
        return {
            code: TalentTotals(code, entry["postings"], entry["positions"], entry["by_education"])
            for code, entry in counts.items()
        }

    @asynccontextmanager
    async def _connection(self, write: bool = False) -> AsyncIterator[AsyncConnection]:
        """A connection (in a transaction when writing) under the guard: deadline, breaker, error translation."""
        async with self.guard.bounded("write" if write else "read"):
            try:
                if write:
                    async with self._engine.begin() as conn:
                        yield conn
                else:
                    async with self._engine.connect() as conn:
                        yield conn
            except IntegrityError:
                raise
            except (SQLAlchemyError, OSError) as exc:
                raise LegacyUnavailable(SYSTEM, f"database error: {exc.__class__.__name__}") from exc


def _demand_query() -> Select[Any]:
    return (
        select(
            demands,
            enterprises.c.QYMC,
            enterprises.c.YQDM,
            education_levels.c.MC.label("XLMC"),
            occupations.c.MC.label("ZYMC"),
            _major_groups.c.DM.label("DLDM"),
            _major_groups.c.MC.label("DLMC"),
        )
        .select_from(
            demands.outerjoin(enterprises, enterprises.c.QYDM == demands.c.QYDM)
            .outerjoin(education_levels, education_levels.c.DM == demands.c.XLYQ)
            .outerjoin(occupations, occupations.c.DM == demands.c.ZYDM)
            .outerjoin(_major_groups, _major_groups.c.DM == occupations.c.FJDM)
        )
        .order_by(demands.c.FBRQ.desc(), demands.c.XQID.desc())
    )


def _conditions(where: DemandFilter, today: date) -> list[ColumnElement[bool]]:
    # The SIM300 exemptions here and above: ruff takes the upper-case legacy column names for constants.
    conditions: list[ColumnElement[bool]] = []
    if where.occupation_code:
        code = where.occupation_code
        conditions.append(or_(demands.c.ZYDM == code, demands.c.ZYDM.like(f"{code}-%")))  # noqa: SIM300
    if where.education is EducationLevel.NONE:
        conditions.append(or_(demands.c.XLYQ.is_(None), demands.c.XLYQ == ""))
    elif where.education is not None:
        conditions.append(demands.c.XLYQ == CODE_OF_EDUCATION[where.education])  # noqa: SIM300
    if where.open_only:
        valid = or_(demands.c.YXQZ.is_(None), demands.c.YXQZ >= f"{today:%Y%m%d}")  # noqa: SIM300
        conditions.append(and_(demands.c.ZT == "1", valid))
    if where.posted_since is not None:
        conditions.append(demands.c.FBRQ >= f"{where.posted_since:%Y%m%d}")  # noqa: SIM300
    return conditions


def _chunks(values: Sequence[Any]) -> list[Sequence[Any]]:
    return [values[i : i + MAX_KEYS_PER_STATEMENT] for i in range(0, len(values), MAX_KEYS_PER_STATEMENT)]


def _async_url(url: str) -> str:
    """``sqlite://`` → aiosqlite, ``postgresql://`` → asyncpg; URLs naming a driver are left alone."""
    parsed = make_url(url)
    driver = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}.get(parsed.drivername)
    return parsed.set(drivername=driver).render_as_string(hide_password=False) if driver else url
