"""The light project list (services/overview.py): same columns as the models, same answers as the ORM."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from santeloc.domain.models import Project, TerritoryCommune
from santeloc.persistence.engine import open_database
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import overview
from santeloc.services.projects import create_project, get_project, rename_project
from santeloc.services.territory import add_communes, remove_communes, territory_summary


def test_light_tables_name_real_columns() -> None:
    for light, model in ((overview.PROJECT, Project), (overview.TERRITORY_COMMUNE, TerritoryCommune)):
        real = model.__table__  # type: ignore[union-attr]
        assert light.name == real.name
        for column in light.c:
            assert column.name in real.c, f"{light.name}.{column.name}"
            assert column.type._type_affinity is real.c[column.name].type._type_affinity


def test_list_matches_each_project_and_follows_changes(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'santeloc.db'}")
    first = create_project(UnitOfWork(database), "Premier")
    second = create_project(UnitOfWork(database), "Second")
    add_communes(UnitOfWork(database), first.id, ["58227", "58095"])
    rename_project(UnitOfWork(database), second.id, "Second renommé")
    listed = overview.list_projects(UnitOfWork(database))
    assert [p.name for p in listed] == ["Second renommé", "Premier"]  # most recently changed first
    assert listed == [get_project(UnitOfWork(database), p.id) for p in listed]
    assert listed[1].commune_count == 2 and listed[0].commune_count == 0
    remove_communes(UnitOfWork(database), first.id, ["58095"])
    assert territory_summary(UnitOfWork(database), first.id).codes == ["58227"]
    database.dispose()


def test_listing_does_not_import_the_orm(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    code = (
        "import sys\n"
        "from santeloc.persistence.engine import open_database\n"
        "from santeloc.persistence.uow import UnitOfWork\n"
        "from santeloc.services.overview import list_projects\n"
        f"db = open_database({url!r})\n"
        "list_projects(UnitOfWork(db))\n"
        "print(sorted(m for m in ('sqlmodel', 'pydantic', 'sqlalchemy.orm', 'numpy') if m in sys.modules))\n"
    )
    open_database(url).dispose()  # created and migrated beforehand
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
