"""One truth: the figures the CLI's ``etat`` prints are the dossier's, and the step statuses
agree with the readiness checklist (the same services compute them all)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest

from santeloc.domain.enums import CommitmentStatus
from santeloc.exports.context import deliberation_context, diagnostic_context
from santeloc.persistence.engine import Database
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import access
from santeloc.services import mobilisation as mobilisation_svc
from santeloc.services import offer as offer_svc
from santeloc.workflow.state import project_state
from santeloc.workflow.steps import StepId, StepState

YEAR = date.today().year


def rich_project(uow: UnitOfWork, refdata: RefData) -> int:
    """The guide's 2005 project (territory, plan) with a registry, a committed team, measures and an APL run."""
    from tests.integration.test_health_project import saint_amand_2005

    project_id = saint_amand_2005(uow, refdata).id
    team = [
        ("MARTIN", "medecin_generaliste", "58227", 61, CommitmentStatus.SIGNATAIRE),
        ("BERNARD", "medecin_generaliste", "58227", 44, CommitmentStatus.LETTRE_INTENTION),
        ("PETIT", "medecin_generaliste", "58012", 68, CommitmentStatus.INTERESSE),
        ("ROUX", "infirmier", "58227", 39, CommitmentStatus.SIGNATAIRE),
        ("GIRARD", "masseur_kinesitherapeute", "58012", 52, None),
    ]
    for name, profession, commune, age, status in team:
        pid = offer_svc.add_professional(
            uow, project_id, refdata, last_name=name, profession=profession, commune_code=commune, birth_year=YEAR - age
        )
        if status is not None:
            mobilisation_svc.set_commitment(uow, pid, status, date(YEAR, 1, 15))
    for key, _label, _unit in offer_svc.ACCESS_MEASURES[:4]:
        offer_svc.set_measure(uow, project_id, key, 1.0)
    access.compute_apl(uow, project_id, refdata, access.AplChoice())
    return project_id


def test_cli_figures_are_the_dossier_s(database: Database, refdata: RefData) -> None:
    uow = UnitOfWork(database)
    project_id = rich_project(uow, refdata)
    state = project_state(uow, project_id, refdata)
    diagnostic = diagnostic_context(uow, project_id, refdata)
    assert state.figure("population") == diagnostic["territoire"]["population"]
    rows = {row["profession"]: row for row in diagnostic["offre"]["professions"]}
    gps = rows["Médecins généralistes"]
    assert state.figure("effectif.medecin_generaliste") == gps["effectif"] == "3"
    assert state.figure("densite.medecin_generaliste") == gps["densite"]
    assert state.figure("departs5.medecin_generaliste") == gps["departs_5_ans"]
    assert state.figure("departs10.medecin_generaliste") == gps["departs_10_ans"]
    apl = diagnostic["accessibilite"]["apl"][0]
    assert state.figure("apl.medecin_generaliste") == apl["moyenne"]
    plan = deliberation_context(uow, project_id, refdata)["plan"]
    assert state.figure("plan.depenses") == plan["total_depenses"]
    assert state.figure("plan.ressources") == plan["total_ressources"]
    assert state.figure("plan.public") == plan["subventions_publiques"]
    for funder in plan["financeurs"]:
        assert state.figure(f"part.{funder['code']}") == funder["part"]
    # The CLI prints the same figures (a real process on the same database).
    if database.url.startswith("sqlite"):
        env = dict(os.environ, SANTELOC_DATABASE_URL=database.url)
        out = subprocess.run(
            [sys.executable, "-m", "santeloc.cli", "etat", str(project_id)],
            capture_output=True, text=True, env=env, check=True,
        ).stdout  # fmt: skip
        for figure in state.figures:
            assert f"{figure.label} : {figure.text}" in out


def test_step_status_agrees_with_readiness(database: Database, refdata: RefData) -> None:
    uow = UnitOfWork(database)
    project_id = rich_project(uow, refdata)
    state = project_state(uow, project_id, refdata)
    status = {step: completeness for step, _title, completeness in state.steps}
    items = {item.key: item for item in state.readiness.items}
    # Two GPs (signataire, lettre d'intention) and a nurse committed: the minimum is reached.
    assert items["equipe_minimale"].met and status[StepId.PROFESSIONNELS].state is StepState.DONE
    assert items["plan_financement"].met == (status[StepId.FINANCEMENT].state is StepState.DONE)
    assert status[StepId.FINANCEMENT].detail == items["plan_financement"].detail
    assert status[StepId.OFFRE].state is StepState.DONE  # three professions, ages known
    assert status[StepId.ACCESSIBILITE].state is StepState.DONE  # four measures and an APL
    # One GP withdraws: the step and the checklist turn together.
    bernard = next(r for r in offer_svc.list_professionals(uow, project_id) if r.last_name == "BERNARD")
    mobilisation_svc.set_commitment(uow, bernard.id, CommitmentStatus.INTERESSE, date(YEAR, 2, 1))
    state = project_state(uow, project_id, refdata)
    status = {step: completeness for step, _title, completeness in state.steps}
    items = {item.key: item for item in state.readiness.items}
    assert not items["equipe_minimale"].met and status[StepId.PROFESSIONNELS].state is StepState.PARTIAL
    assert "il manque 1 médecin généraliste" in status[StepId.PROFESSIONNELS].detail


@pytest.mark.parametrize("command", [["etat", "9999"], ["apl", "9999"]])
def test_cli_refuses_in_french(sqlite_database: Database, command: list[str]) -> None:
    env = dict(os.environ, SANTELOC_DATABASE_URL=sqlite_database.url)
    result = subprocess.run([sys.executable, "-m", "santeloc.cli", *command], capture_output=True, text=True, env=env)
    assert result.returncode == 1 and "Erreur : " in result.stderr and "Traceback" not in result.stderr
