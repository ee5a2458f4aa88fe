"""Read-only overviews on a light import graph: the project list and the territories' communes.

These are the reads done at start-up (the home page's list, ``santeloc-cli list``). They use
SQLAlchemy Core on the unit of work's connection and this module's own light descriptions of
the two tables, not the SQLModel classes: importing SQLModel, pydantic and the ~40 table classes
costs more than everything else the start-up needs. The GUI uses the same functions at start
and later, so the list has one code path; ``tests/unit/services/test_overview.py`` checks that
these columns are those of :mod:`santeloc.domain.models`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, Integer, String, TypeDecorator, column, func, select, table

from santeloc.domain.enums import PorteurType, ProjectType, TerritorySource
from santeloc.persistence.uow import UnitOfWork


class _UTCDateTime(TypeDecorator[datetime]):
    """Read side of SQLModel's ``UTCDateTime``: aware UTC datetimes (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Naive values are UTC; aware ones are converted to UTC."""
        if value is None:
            return None
        if value.utcoffset() is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


PROJECT = table(
    "project",
    column("id", Integer),
    column("name", String),
    column("is_demo", Boolean),
    column("porteur_type", String),
    column("porteur_name", String),
    column("project_type", String),
    column("description", String),
    column("plan_pack_key", String),
    column("created_at", _UTCDateTime()),
    column("updated_at", _UTCDateTime()),
    column("version", Integer),
)
TERRITORY_COMMUNE = table(
    "territorycommune",
    column("project_id", Integer),
    column("insee_code", String),
    column("source", String),
)


@dataclass(frozen=True)
class ProjectInfo:
    """What the project list and the project header show."""

    id: int
    name: str
    is_demo: bool
    porteur_type: PorteurType
    porteur_name: str
    project_type: ProjectType
    description: str
    plan_pack_key: str
    created_at: datetime
    updated_at: datetime
    version: int
    commune_count: int


def list_projects(uow: UnitOfWork) -> list[ProjectInfo]:
    """Every project, the most recently changed first, in one query."""
    p, t = PROJECT.c, TERRITORY_COMMUNE.c
    counts = select(t.project_id, func.count().label("n")).group_by(t.project_id).subquery("counts")
    query = (
        select(PROJECT, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.project_id == p.id)
        .order_by(p.updated_at.desc(), p.id.desc())
    )
    with uow:
        rows = uow.connection.execute(query).all()
    return [
        ProjectInfo(
            id=row.id,
            name=row.name,
            is_demo=bool(row.is_demo),
            porteur_type=PorteurType(row.porteur_type),
            porteur_name=row.porteur_name,
            project_type=ProjectType(row.project_type),
            description=row.description,
            plan_pack_key=row.plan_pack_key,
            created_at=row.created_at,
            updated_at=row.updated_at,
            version=row.version,
            commune_count=int(row[-1]),
        )
        for row in rows
    ]


def read_territory_sources(uow: UnitOfWork, project_id: int) -> dict[str, TerritorySource]:
    """INSEE code -> how it came in, for one project, in the open unit of work."""
    t = TERRITORY_COMMUNE.c
    rows = uow.connection.execute(select(t.insee_code, t.source).where(t.project_id == project_id)).all()
    return {code: TerritorySource(source) for code, source in rows}
