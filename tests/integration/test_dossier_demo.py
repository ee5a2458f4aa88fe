"""The demo is created in one transaction: a process killed at any point leaves no half demo.

``santeloc-cli demo`` runs in a subprocess with ``SANTELOC_DEMO_KILL_AFTER=N``: the demo kills
its own process (SIGKILL, no cleanup of any kind) at its N-th flush. The database must then
hold no demo at all, and a plain ``santeloc-cli demo`` afterwards creates it whole.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from santeloc.domain.models import (
    ExpenseLine,
    FinancingPlan,
    Meeting,
    Priority,
    Professional,
    Project,
    ResourceLine,
    SurveyResponse,
)
from santeloc.persistence.engine import open_database
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import financing, health_project, meetings
from santeloc.services.demo import KILL_ENV, create_demo_project

ROOT = Path(__file__).resolve().parents[2]
TABLES = (Project, Professional, SurveyResponse, Meeting, Priority, FinancingPlan, ExpenseLine, ResourceLine)


def run_cli(url: str, kill_after: int | str | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop(KILL_ENV, None)
    if kill_after is not None:
        env[KILL_ENV] = str(kill_after)
    return subprocess.run(
        [sys.executable, "-m", "santeloc.cli", "--database-url", url, "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def counts(url: str) -> dict[str, int]:
    uow = UnitOfWork(open_database(url))
    with uow:
        return {t.__name__: uow.session.execute(select(func.count()).select_from(t)).scalar_one() for t in TABLES}


@pytest.mark.slow
def test_a_demo_killed_anywhere_leaves_nothing_and_the_cli_then_creates_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    open_database(url)  # schema first: the kills below hit the demo, not the migrations
    # The demo flushes about 250 times: killed at the first, in the middle, near the end, before the commit.
    for kill_after in (1, 40, 120, 230, "commit"):
        result = run_cli(url, kill_after)
        assert result.returncode == -signal.SIGKILL, (kill_after, result.stderr[-2000:])
        assert set(counts(url).values()) == {0}, kill_after  # not a row of a half demo
    result = run_cli(url, None)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Projet d'exemple prêt" in result.stdout
    whole = counts(url)
    assert whole["Project"] == 1 and all(whole.values()), whole
    assert run_cli(url, None).returncode == 0 and counts(url) == whole  # a second run changes nothing


def test_the_demo_goes_through_the_nine_steps(uow: UnitOfWork, refdata: RefData) -> None:
    demo = create_demo_project(uow, refdata)
    assert demo.commune_count == 6
    plans = financing.list_plans(uow, demo.id)
    assert [p.name for p in plans] == ["Plan de financement prévisionnel", "Plan historique réalisé (2003-2005)"]
    view = financing.load_plan(uow, plans[0].id)
    assert view.analysis.is_balanced and not view.analysis.errors and not view.analysis.alerts
    codes = {r.resource.funder_code for r in view.resources}
    assert {"DETR", "DSIL", "REGION", "DEPARTEMENT", "ARS", "EMPRUNT"} <= codes
    assert view.loan is not None and view.loan.principal_cents == 40_000_000
    statuses = {r.resource.status for r in view.resources}
    assert {"sollicite", "a_solliciter", "accorde"} <= statuses
    works = financing.get_works_dates(uow, demo.id)
    assert all(works.values()) and works["travaux_debut"] < works["travaux_fin"]  # type: ignore[operator]
    priorities = health_project.list_priorities(uow, demo.id)
    assert len(priorities) == 4 and all(p.score for p in priorities) and all(p.objectives for p in priorities)
    assert len(health_project.list_actions(uow, demo.id)) == 4
    assert len(health_project.list_team(uow, demo.id)) >= 6
    assert len(meetings.list_meetings(uow, demo.id)) == 2
    historical = financing.load_plan(uow, plans[1].id)
    assert historical.analysis.overall.expenses_cents == 79_530_500


def test_the_demo_s_75_and_over_share_is_one_number(uow: UnitOfWork, refdata: RefData) -> None:
    """The age table's share of people aged 75 or more and the indicator quote the same figure."""
    from santeloc.exports.context import diagnostic_context
    from santeloc.services import indicators as indicators_svc

    project_id = create_demo_project(uow, refdata).id
    context = diagnostic_context(uow, project_id, refdata)
    indicator = next(r for r in indicators_svc.list_indicators(uow, project_id) if r.label == "Part des 75 ans et plus")
    assert context["population"]["part_75_ans"].replace("\u00a0", " ") == "16,2 %"
    assert indicator.value_territory == 16.2
