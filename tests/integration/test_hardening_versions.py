"""Constats and funders carry an optimistic version: a second user's stale save is refused, never silent.

On each backend; on PostgreSQL also with two separate processes, as two colleagues on two
computers sharing one server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from santeloc.domain.errors import ConflictError
from santeloc.domain.models import Constat, Funder
from santeloc.persistence.engine import open_database
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import financing, indicators
from santeloc.services.projects import create_project
from tests.conftest import PG_URL, drop_pg_database, new_pg_database

ROOT = Path(__file__).resolve().parents[2]


def make_rows(uow: UnitOfWork) -> tuple[int, int, int]:
    """(project, constat, funder) ids of a fresh project."""
    project_id = create_project(uow, "Projet partagé").id
    financing.ensure_plan(uow, project_id)  # seeds the catalogue of funders
    constat = indicators.add_constat(uow, project_id, "Peu de médecins", "Relevé en réunion")
    funder = financing.add_funder(uow, project_id, "MECENE", "Fondation locale", is_public=False)
    return project_id, constat, funder


def constat_row(uow: UnitOfWork, project_id: int, constat_id: int) -> indicators.ConstatRow:
    return next(row for row in indicators.list_constats(uow, project_id) if row.id == constat_id)


def funder_row(uow: UnitOfWork, project_id: int, funder_id: int) -> financing.FunderRow:
    plan = financing.ensure_plan(uow, project_id).id
    return next(row for row in financing.load_plan(uow, plan).funders if row.id == funder_id)


def test_a_stale_constat_save_is_refused_and_loses_nothing(uow: UnitOfWork) -> None:
    project_id, constat_id, _ = make_rows(uow)
    shown = constat_row(uow, project_id, constat_id).version  # both users see this version
    assert indicators.update_constat(uow, constat_id, title="Peu de médecins généralistes", expected_version=shown)
    with pytest.raises(ConflictError, match="Le constat « Peu de médecins généralistes » a été modifié par quelqu'un"):
        indicators.update_constat(uow, constat_id, comment="Écrit par B", expected_version=shown)
    row = constat_row(uow, project_id, constat_id)
    assert (row.title, row.comment, row.version) == ("Peu de médecins généralistes", "Relevé en réunion", shown + 1)
    indicators.update_constat(uow, constat_id, comment="Écrit par B", expected_version=row.version)  # reloaded: fine
    assert constat_row(uow, project_id, constat_id).comment == "Écrit par B"


def test_a_stale_funder_save_is_refused_and_loses_nothing(uow: UnitOfWork) -> None:
    project_id, _, funder_id = make_rows(uow)
    shown = funder_row(uow, project_id, funder_id).version
    financing.update_funder(uow, funder_id, shown, max_rate_bp=5000)
    with pytest.raises(ConflictError, match="Le financeur « Fondation locale » a été modifié par quelqu'un"):
        financing.update_funder(uow, funder_id, shown, max_rate_bp=8000, conditions="B")
    row = funder_row(uow, project_id, funder_id)
    assert (row.rule.max_rate_bp, row.version) == (5000, shown + 1)


@pytest.mark.parametrize("model", [Constat, Funder])
def test_interleaved_transactions_conflict_even_without_an_expected_version(uow: UnitOfWork, model: Any) -> None:
    """Two sessions load the same row; the second to commit is refused (version_id_col)."""
    _, constat_id, funder_id = make_rows(uow)
    row_id = constat_id if model is Constat else funder_id
    field = "comment" if model is Constat else "conditions"
    other = UnitOfWork(uow.database)
    with uow:
        mine = uow.session.get(model, row_id)
        with other:
            theirs = other.session.get(model, row_id)
            setattr(theirs, field, "B")
            other.commit()
        setattr(mine, field, "A")
        with pytest.raises(ConflictError, match="Rien n'a été écrasé"):
            uow.commit()
    with uow:
        assert getattr(uow.session.get(model, row_id), field) == "B"


SCRIPT = """
import json, sys
from santeloc.domain.errors import ConflictError
from santeloc.persistence.engine import open_database
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import financing, indicators

url, kind, row_id, version, text = sys.argv[1:]
uow = UnitOfWork(open_database(url))
try:
    if kind == "constat":
        new = indicators.update_constat(uow, int(row_id), comment=text, expected_version=int(version))
    else:
        new = financing.update_funder(uow, int(row_id), int(version), conditions=text)
    print(json.dumps({"saved": new}))
except ConflictError as exc:
    print(json.dumps({"refused": exc.message}))
"""


def in_another_process(url: str, kind: str, row_id: int, version: int, text: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", SCRIPT, url, kind, str(row_id), str(version), text],
                            capture_output=True, text=True, timeout=120, env=env, check=True)  # fmt: skip
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="SANTELOC_TEST_PG_URL non défini")
@pytest.mark.parametrize("kind", ["constat", "funder"])
def test_two_processes_on_postgresql(pg_admin: object, kind: str) -> None:
    url = new_pg_database(pg_admin)
    database = open_database(url)
    try:
        uow = UnitOfWork(database)
        project_id, constat_id, funder_id = make_rows(uow)
        row_id = constat_id if kind == "constat" else funder_id
        shown = (constat_row(uow, project_id, constat_id) if kind == "constat"
                 else funder_row(uow, project_id, funder_id)).version  # fmt: skip
        first = in_another_process(url, kind, row_id, shown, "écrit par A")
        second = in_another_process(url, kind, row_id, shown, "écrit par B")
        assert first == {"saved": shown + 1}
        assert "modifié par quelqu'un d'autre" in second["refused"]
        kept = (constat_row(uow, project_id, constat_id).comment if kind == "constat"
                else funder_row(uow, project_id, funder_id).rule.conditions)  # fmt: skip
        assert kept == "écrit par A"
    finally:
        database.dispose()
        drop_pg_database(pg_admin, url)
