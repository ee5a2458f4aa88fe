"""The user's own regional plan from the template, and the shipped Bourgogne-Franche-Comté pack."""

from __future__ import annotations

from pathlib import Path

import pytest

from santeloc.domain.errors import ValidationError
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.refdata.prs import list_packs, region_summary
from santeloc.services import health_project as hp
from santeloc.services import projects as project_svc
from santeloc.services.project_file import export_project, import_project
from santeloc.services.regional_plans import import_plan, user_plan
from santeloc.services.territory import add_communes

TEMPLATE = Path(__file__).parents[2] / "templates" / "plan_regional_modele.csv"


@pytest.fixture
def project_id(uow: UnitOfWork, refdata: RefData) -> int:
    info = project_svc.create_project(uow, "Puisaye")
    add_communes(uow, info.id, ["58227", "58012"], refdata=refdata)  # Nièvre: Bourgogne-Franche-Comté
    return info.id


def test_shipped_packs_each_listed_once() -> None:
    packs = list_packs()
    assert len({p.key for p in packs}) == len(packs)
    assert "bourgogne_franche_comte_prs_2018_2028" in {p.key for p in packs}
    summary = region_summary(packs)
    assert "Normandie (2 plans)" in summary and summary.count("Normandie,") <= 1


def test_template_import_is_offered_first_and_travels_with_the_project(
    uow: UnitOfWork, project_id: int, refdata: RefData, tmp_path: Path
) -> None:
    available = [p.key for p in hp.available_packs(uow, project_id, refdata)]
    assert available == ["bourgogne_franche_comte_prs_2018_2028"]
    pack = import_plan(uow, project_id, TEMPLATE, refdata, title="PRS BFC 2023-2028 — schéma régional")
    assert (pack.region_code, pack.period_start, pack.period_end) == ("27", 2023, 2028)
    assert pack.level_labels == ("Orientation", "Objectif", "Sous-objectif")
    assert pack.find("O3-1-a").parent_code == "O3-1"
    assert hp.available_packs(uow, project_id, refdata)[0].key == pack.key
    hp.choose_plan_pack(uow, project_id, pack.key, refdata)
    chosen = hp.project_pack(uow, project_id, refdata)
    assert chosen is not None and chosen.key == pack.key
    path = export_project(uow, project_id, tmp_path / "puisaye.santeloc")
    copy = import_project(uow, path)
    shared = user_plan(uow, copy.id)
    assert shared is not None and shared.find("O1-1").title.startswith("Développer")


def test_bad_template_saves_nothing(uow: UnitOfWork, project_id: int, refdata: RefData, tmp_path: Path) -> None:
    bad = tmp_path / "plan.csv"
    bad.write_text("Niveau;Code;Intitulé\nObjectif;O1-1;Sans orientation au-dessus\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="ligne 2"):
        import_plan(uow, project_id, bad, refdata)
    twice = tmp_path / "double.csv"
    twice.write_text("Niveau;Code;Intitulé\nOrientation;O1;A\nOrientation;O1;B\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="O1"):
        import_plan(uow, project_id, twice, refdata)
    assert user_plan(uow, project_id) is None
