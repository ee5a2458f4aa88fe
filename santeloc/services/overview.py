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
from typing import Any, TypeVar

from sqlalchemy import Boolean, DateTime, Integer, String, TypeDecorator, cast, column, func, select, table

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
    damage: str = ""  # French description of values the app cannot read (a damaged row); "" when sound

    @property
    def is_damaged(self) -> bool:
        """Whether the row holds values the application does not know (shown, never a crash)."""
        return bool(self.damage)


_E = TypeVar("_E", PorteurType, ProjectType)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def enum_or_default(kind: type[_E], value: str, default: _E, field: str, problems: list[str]) -> _E:
    """``kind(value)``, or ``default`` with a French note in ``problems`` for an unknown value."""
    try:
        return kind(value)
    except ValueError:
        problems.append(f"{field} inconnu « {str(value)[:40]} » (remplacé par « {default.label} »)")
        return default


def _info(row: Any, created: datetime, updated: datetime, problems: list[str]) -> ProjectInfo:
    porteur_type = enum_or_default(PorteurType, row.porteur_type, PorteurType.AUTRE, "type de porteur", problems)
    project_type = enum_or_default(ProjectType, row.project_type, ProjectType.MSP_MONO_SITE, "type de projet", problems)
    return ProjectInfo(
        id=row.id,
        name=row.name,
        is_demo=bool(row.is_demo),
        porteur_type=porteur_type,
        porteur_name=row.porteur_name or "",
        project_type=project_type,
        description=row.description or "",
        plan_pack_key=row.plan_pack_key or "",
        created_at=created,
        updated_at=updated,
        version=row.version or 1,
        commune_count=int(row.communes),
        damage=" ; ".join(problems),
    )


def _counts() -> Any:
    t = TERRITORY_COMMUNE.c
    return select(t.project_id, func.count().label("n")).group_by(t.project_id).subquery("counts")


def list_projects(uow: UnitOfWork) -> list[ProjectInfo]:
    """Every project, the most recently changed first, in one query.

    One unreadable value (an unknown type, a date the driver cannot parse) never takes the list
    down: that project is listed as damaged (:attr:`ProjectInfo.damage`), the others as usual.
    """
    p = PROJECT.c
    counts = _counts()
    query = (
        select(PROJECT, func.coalesce(counts.c.n, 0).label("communes"))
        .outerjoin(counts, counts.c.project_id == p.id)
        .order_by(p.updated_at.desc(), p.id.desc())
    )
    with uow:
        try:
            rows = uow.connection.execute(query).all()
        except (ValueError, TypeError, OverflowError):  # a value the column type cannot convert
            return _list_raw(uow)
    return [_info(row, row.created_at, row.updated_at, []) for row in rows]


def _raw_datetime(value: object, field: str, problems: list[str]) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{field} illisible « {str(value)[:40]} »")
        return _EPOCH
    return moment if moment.utcoffset() is not None else moment.replace(tzinfo=UTC)


def _list_raw(uow: UnitOfWork) -> list[ProjectInfo]:
    """The list read with the dates as text, each checked (the slow, careful path)."""
    p = PROJECT.c
    counts = _counts()
    query = select(
        p.id, p.name, p.is_demo, p.porteur_type, p.porteur_name, p.project_type, p.description, p.plan_pack_key,
        p.version, cast(p.created_at, String).label("created"), cast(p.updated_at, String).label("updated"),
        func.coalesce(counts.c.n, 0).label("communes"),
    ).outerjoin(counts, counts.c.project_id == p.id)  # fmt: skip
    with uow:
        rows = uow.connection.execute(query).all()
    infos = []
    for row in rows:
        problems: list[str] = []
        created = _raw_datetime(row.created, "date de création", problems)
        updated = _raw_datetime(row.updated, "date de modification", problems)
        infos.append(_info(row, created, updated, problems))
    return sorted(infos, key=lambda info: info.updated_at, reverse=True)


def read_territory_sources(uow: UnitOfWork, project_id: int) -> dict[str, TerritorySource]:
    """INSEE code -> how it came in, for one project, in the open unit of work."""
    t = TERRITORY_COMMUNE.c
    rows = uow.connection.execute(select(t.insee_code, t.source).where(t.project_id == project_id)).all()
    return {code: TerritorySource(source) for code, source in rows}
