"""Projects: create, rename, update, duplicate, delete — on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from santeloc.domain.enums import PorteurType, ProjectType
from santeloc.domain.errors import ConflictError, NotFoundError, ValidationError
from santeloc.domain.models import ExpenseLine, FinancingPlan, Project, ResourceLine, TerritoryCommune
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import projects as svc
from santeloc.services.demo import DEMO_COMMUNES, DEMO_TOTAL_EUROS, create_demo_project
from santeloc.services.demo_data import HISTORICAL_PLAN
from santeloc.services.territory import add_communes


def count(uow: UnitOfWork, model: type) -> int:
    with uow:
        return int(uow.session.execute(select(func.count()).select_from(model)).scalar_one())


def test_create_and_list(uow: UnitOfWork) -> None:
    a = svc.create_project(uow, "  MSP   de Saint-Aubin ", porteur_name="CC du Val")
    svc.create_project(uow, "CLS du pays", project_type=ProjectType.PROJET_TERRITORIAL)
    assert a.name == "MSP de Saint-Aubin"  # spaces normalised
    names = [p.name for p in svc.list_projects(uow)]
    assert sorted(names) == ["CLS du pays", "MSP de Saint-Aubin"]
    fetched = svc.get_project(uow, a.id)
    assert fetched.porteur_name == "CC du Val"
    assert fetched.porteur_type is PorteurType.EPCI


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_invalid_names_are_refused_in_french(uow: UnitOfWork, name: str) -> None:
    with pytest.raises(ValidationError, match="nom du projet"):
        svc.create_project(uow, name)
    assert count(uow, Project) == 0


def test_duplicate_name_refused_case_insensitively(uow: UnitOfWork) -> None:
    svc.create_project(uow, "MSP de Bourg")
    with pytest.raises(ValidationError, match="Un projet s'appelle déjà « msp DE bourg »"):
        svc.create_project(uow, "msp DE bourg")
    other = svc.create_project(uow, "Autre")
    with pytest.raises(ValidationError, match="déjà"):
        svc.rename_project(uow, other.id, "MSP DE BOURG")
    assert svc.get_project(uow, other.id).name == "Autre"


def test_update_with_stale_version_is_refused_and_loses_nothing(uow: UnitOfWork) -> None:
    info = svc.create_project(uow, "Projet")
    first = svc.update_project(uow, info.id, info.version, porteur_name="Pays A")
    assert first.version == info.version + 1
    # A second user still holds the old version: told, nothing overwritten.
    with pytest.raises(ConflictError, match="modifié par quelqu'un d'autre"):
        svc.update_project(uow, info.id, info.version, porteur_name="Pays B")
    assert svc.get_project(uow, info.id).porteur_name == "Pays A"


def test_concurrent_sessions_cannot_silently_overwrite(database: object) -> None:
    """Two sessions load the same row; the second commit fails instead of overwriting."""
    uow_a, uow_b = UnitOfWork(database), UnitOfWork(database)  # type: ignore[arg-type]
    info = svc.create_project(uow_a, "Partagé")
    with uow_a, uow_b:
        row_a = uow_a.session.get(Project, info.id)
        row_b = uow_b.session.get(Project, info.id)
        assert row_a is not None and row_b is not None
        row_a.porteur_name = "Version A"
        uow_a.commit()
        row_b.porteur_name = "Version B"
        with pytest.raises(ConflictError, match="Quelqu'un d'autre"):
            uow_b.commit()
    assert svc.get_project(uow_a, info.id).porteur_name == "Version A"


def test_duplicate_copies_everything_and_keeps_the_source(uow: UnitOfWork, refdata: RefData) -> None:
    demo = create_demo_project(uow, refdata)
    copy = svc.duplicate_project(uow, demo.id)
    assert copy.name == f"{demo.name} (copie)"
    assert not copy.is_demo
    assert copy.commune_count == len(DEMO_COMMUNES)
    again = svc.duplicate_project(uow, demo.id)
    assert again.name == f"{demo.name} (copie 2)"
    with uow:
        totals = [
            uow.session.execute(
                select(func.sum(ResourceLine.amount_cents))
                .join(FinancingPlan, FinancingPlan.id == ResourceLine.plan_id)
                .where(FinancingPlan.project_id == pid, FinancingPlan.name == HISTORICAL_PLAN)
            ).scalar_one()
            for pid in (demo.id, copy.id, again.id)
        ]
        assert totals == [DEMO_TOTAL_EUROS * 100] * 3
    expenses, resources = count(uow, ExpenseLine), count(uow, ResourceLine)
    assert expenses % 3 == 0 and resources % 3 == 0
    # The copy is independent: deleting it leaves the demo whole.
    svc.delete_project(uow, copy.id)
    assert svc.get_project(uow, demo.id).commune_count == len(DEMO_COMMUNES)
    assert count(uow, ResourceLine) == resources * 2 // 3


def test_delete_removes_every_row_of_the_project(uow: UnitOfWork, refdata: RefData) -> None:
    demo = create_demo_project(uow, refdata)
    other = svc.create_project(uow, "Autre")
    add_communes(uow, other.id, ["58227"], refdata=refdata)
    svc.delete_project(uow, demo.id)
    assert [p.name for p in svc.list_projects(uow)] == ["Autre"]
    assert count(uow, TerritoryCommune) == 1
    assert count(uow, ExpenseLine) == 0
    with pytest.raises(NotFoundError, match="n'existe plus"):
        svc.get_project(uow, demo.id)
    with pytest.raises(NotFoundError):
        svc.delete_project(uow, demo.id)
