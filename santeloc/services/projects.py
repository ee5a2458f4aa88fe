"""Use cases on projects: list, create, rename, update, duplicate, delete."""

from __future__ import annotations

from sqlalchemy import Table, delete, func, insert, select
from sqlmodel import SQLModel, col

from santeloc.domain.enums import PorteurType, ProjectType
from santeloc.domain.errors import ConflictError, NotFoundError, ValidationError
from santeloc.domain.models import PROJECT_TABLES, Project, TerritoryCommune, utcnow
from santeloc.persistence.uow import UnitOfWork

# Re-exported: the list lives on the light import graph (no ORM), see services/overview.py.
from santeloc.services.overview import ProjectInfo as ProjectInfo
from santeloc.services.overview import enum_or_default
from santeloc.services.overview import list_projects as list_projects

MAX_NAME_LENGTH = 200


def _info(project: Project, commune_count: int) -> ProjectInfo:
    assert project.id is not None
    problems: list[str] = []
    porteur_type = enum_or_default(PorteurType, project.porteur_type, PorteurType.AUTRE, "type de porteur", problems)
    project_type = enum_or_default(
        ProjectType, project.project_type, ProjectType.MSP_MONO_SITE, "type de projet", problems
    )
    return ProjectInfo(
        id=project.id,
        name=project.name,
        is_demo=project.is_demo,
        porteur_type=porteur_type,
        porteur_name=project.porteur_name,
        project_type=project_type,
        description=project.description,
        plan_pack_key=project.plan_pack_key,
        created_at=project.created_at,
        updated_at=project.updated_at,
        version=project.version,
        commune_count=commune_count,
        damage=" ; ".join(problems),
    )


def clean_name(name: str) -> str:
    """Validate and normalise a project name (trimmed, not empty, not too long)."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError("Le nom du projet ne peut pas être vide.")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise ValidationError(f"Le nom du projet est trop long ({len(cleaned)} caractères, {MAX_NAME_LENGTH} au plus).")
    return cleaned


def _ensure_unique(uow: UnitOfWork, name: str, except_id: int | None = None) -> None:
    query = select(col(Project.id)).where(func.lower(col(Project.name)) == name.lower())
    if except_id is not None:
        query = query.where(col(Project.id) != except_id)
    if uow.session.execute(query).first() is not None:
        raise ValidationError(f"Un projet s'appelle déjà « {name} ». Choisissez un autre nom.")


def load_project(uow: UnitOfWork, project_id: int) -> Project:
    """The project's row in the open unit of work, or a French NotFoundError."""
    project = uow.session.get(Project, project_id)
    if project is None:
        raise NotFoundError("Ce projet n'existe plus (il a peut-être été supprimé depuis un autre poste).")
    return project


def touch_project(uow: UnitOfWork, project_id: int) -> Project:
    """Mark the project as changed now (list order, « dernière modification »), in this transaction.

    Written by a plain UPDATE that leaves the row's ``version`` alone: « dernière modification » is
    not a lock, so two people adding different things to one project never conflict over it
    (optimistic locking stays on the rows they edit, the project's own fields included)."""
    project = load_project(uow, project_id)
    uow.touch_at_commit(project_id)  # written last, so the row is locked for an instant only
    return project


def _check_version(project: Project, expected_version: int | None) -> None:
    if expected_version is not None and project.version != expected_version:
        raise ConflictError(
            f"Le projet « {project.name} » a été modifié par quelqu'un d'autre depuis son affichage. "
            "Rien n'a été écrasé : les données à jour ont été rechargées."
        )


def _commune_counts(uow: UnitOfWork) -> dict[int, int]:
    rows = uow.session.execute(
        select(col(TerritoryCommune.project_id), func.count()).group_by(col(TerritoryCommune.project_id))
    ).all()
    return {project_id: count for project_id, count in rows}


def get_project(uow: UnitOfWork, project_id: int) -> ProjectInfo:
    """One project, as it is now in the database."""
    with uow:
        project = load_project(uow, project_id)
        count = uow.session.execute(
            select(func.count()).select_from(TerritoryCommune).where(col(TerritoryCommune.project_id) == project_id)
        ).scalar_one()
        return _info(project, count)


def create_project(
    uow: UnitOfWork,
    name: str,
    *,
    porteur_type: PorteurType = PorteurType.EPCI,
    porteur_name: str = "",
    project_type: ProjectType = ProjectType.MSP_MONO_SITE,
    is_demo: bool = False,
) -> ProjectInfo:
    """Create an empty project."""
    cleaned = clean_name(name)
    with uow:
        _ensure_unique(uow, cleaned)
        project = Project(
            name=cleaned,
            porteur_type=PorteurType(porteur_type).value,
            porteur_name=porteur_name.strip(),
            project_type=ProjectType(project_type).value,
            is_demo=is_demo,
        )
        uow.session.add(project)
        uow.commit()
        return _info(project, 0)


def update_project(
    uow: UnitOfWork,
    project_id: int,
    expected_version: int | None,
    *,
    name: str | None = None,
    porteur_type: PorteurType | None = None,
    porteur_name: str | None = None,
    project_type: ProjectType | None = None,
    description: str | None = None,
    plan_pack_key: str | None = None,
) -> ProjectInfo:
    """Change some fields of a project; refuses if someone saved it since ``expected_version``."""
    with uow:
        project = load_project(uow, project_id)
        _check_version(project, expected_version)
        if name is not None:
            cleaned = clean_name(name)
            _ensure_unique(uow, cleaned, except_id=project_id)
            project.name = cleaned
        if porteur_type is not None:
            project.porteur_type = PorteurType(porteur_type).value
        if porteur_name is not None:
            if len(porteur_name) > 300:
                raise ValidationError("Le nom du porteur est trop long (300 caractères au plus).")
            project.porteur_name = porteur_name.strip()
        if project_type is not None:
            project.project_type = ProjectType(project_type).value
        if description is not None:
            project.description = description
        if plan_pack_key is not None:
            project.plan_pack_key = plan_pack_key
        project.updated_at = utcnow()
        uow.session.add(project)
        uow.commit()
        count = uow.session.execute(
            select(func.count()).select_from(TerritoryCommune).where(col(TerritoryCommune.project_id) == project_id)
        ).scalar_one()
        return _info(project, count)


def rename_project(uow: UnitOfWork, project_id: int, new_name: str, expected_version: int | None = None) -> ProjectInfo:
    """Rename a project (names are unique, case-insensitively)."""
    return update_project(uow, project_id, expected_version, name=new_name)


def delete_project(uow: UnitOfWork, project_id: int) -> None:
    """Delete a project and everything it holds, in one transaction."""
    with uow:
        load_project(uow, project_id)
        # Children first: does not rely on ON DELETE CASCADE being enforced by the backend.
        for table in reversed(_tables()):
            owned = _owned_ids(uow, table, project_id)
            if owned:
                uow.session.execute(delete(table).where(table.c.id.in_(owned)))
        uow.commit()


def duplicate_project(uow: UnitOfWork, project_id: int, new_name: str | None = None) -> ProjectInfo:
    """Copy a whole project (territory, diagnostic, plan…) under a new name, in one transaction."""
    with uow:
        source = load_project(uow, project_id)
        name = clean_name(new_name) if new_name else _free_copy_name(uow, source.name)
        _ensure_unique(uow, name)
        new_id = copy_project_rows(uow, project_id, overrides={"name": name, "is_demo": False})
        uow.commit()
    return get_project(uow, new_id)


def _free_copy_name(uow: UnitOfWork, base: str) -> str:
    existing = {n.lower() for n in uow.session.execute(select(col(Project.name))).scalars()}
    candidate = f"{base} (copie)"
    index = 2
    while candidate.lower() in existing:
        candidate = f"{base} (copie {index})"
        index += 1
    return candidate[:MAX_NAME_LENGTH]


def _tables() -> list[Table]:
    tables: list[Table] = []
    for model in PROJECT_TABLES:
        table = model.__table__  # type: ignore[attr-defined]
        assert isinstance(table, Table)
        tables.append(table)
    return tables


_PROJECT_TABLE_NAMES = {m.__tablename__ for m in PROJECT_TABLES}


def _parent_links(table: Table) -> list[tuple[str, str, bool]]:
    """(column, referenced table, nullable) for each foreign key inside the project's tables."""
    links = []
    for fk in table.foreign_keys:
        target = fk.column.table.name
        if target in _PROJECT_TABLE_NAMES:
            links.append((fk.parent.name, target, bool(fk.parent.nullable)))
    return links


def _owned_ids(uow: UnitOfWork, table: Table, project_id: int) -> list[int]:
    """Ids of the rows of ``table`` that belong to the project (following parents)."""
    if table.name == "project":
        return [project_id]
    if "project_id" in table.c:
        return list(uow.session.execute(select(table.c.id).where(table.c.project_id == project_id)).scalars())
    for column, target, nullable in _parent_links(table):
        if not nullable:
            parent = SQLModel.metadata.tables[target]
            parent_ids = _owned_ids(uow, parent, project_id)
            if not parent_ids:
                return []
            return list(uow.session.execute(select(table.c.id).where(table.c[column].in_(parent_ids))).scalars())
    raise AssertionError(f"table {table.name} is not attached to a project")


ProjectRows = dict[str, list[dict[str, object]]]


def read_project_rows(uow: UnitOfWork, project_id: int) -> ProjectRows:
    """Every row of a project, table by table, parents first (:data:`PROJECT_TABLES`)."""
    result: ProjectRows = {}
    for table in _tables():
        ids = _owned_ids(uow, table, project_id)
        rows = (
            uow.session.execute(select(table).where(table.c.id.in_(ids)).order_by(table.c.id)).mappings().all()
            if ids
            else []
        )
        result[table.name] = [dict(row) for row in rows]
    return result


def insert_project_rows(uow: UnitOfWork, rows: ProjectRows, overrides: dict[str, object]) -> int:
    """Insert a project's rows as a new project, remapping every id; returns the new id.

    Tables are visited parents first, so each foreign key is remapped through the ids already
    inserted; a reference to a row that is not in ``rows`` is refused (corrupt input).
    """
    id_maps: dict[str, dict[int, int]] = {}
    now = utcnow()
    for table in _tables():
        id_maps[table.name] = {}
        links = _parent_links(table)
        for original in rows.get(table.name, []):
            values = {key: value for key, value in original.items() if key in table.c}
            old_id = values.pop("id")
            if table.name == "project":
                values.update(overrides)
                values["created_at"] = now
                values["updated_at"] = now
            for column, target, _nullable in links:
                if values.get(column) is not None:
                    try:
                        values[column] = id_maps[target][values[column]]  # type: ignore[index]
                    except KeyError:
                        raise ValidationError(
                            f"Données incohérentes : une ligne de « {table.name} » renvoie à un élément absent."
                        ) from None
            if "version" in values:
                values["version"] = 1
            new_id = uow.session.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
            id_maps[table.name][old_id] = new_id  # type: ignore[index]
    if len(id_maps["project"]) != 1:
        raise ValidationError("Données incohérentes : il faut exactement un projet.")
    return next(iter(id_maps["project"].values()))


def copy_project_rows(uow: UnitOfWork, project_id: int, overrides: dict[str, object]) -> int:
    """Copy every row of a project, remapping ids; returns the new project's id."""
    return insert_project_rows(uow, read_project_rows(uow, project_id), overrides)
