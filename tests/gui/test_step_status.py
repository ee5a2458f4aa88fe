"""The navigation, the page header and the readiness checklist tell the same status."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from santeloc.gui.main_window import MainWindow
from santeloc.persistence.engine import Database
from santeloc.persistence.uow import UnitOfWork
from santeloc.workflow.readiness import readiness_checklist
from santeloc.workflow.steps import STEPS, StepId, StepState


def _agree(window: MainWindow, qtbot: QtBot, database: Database) -> None:
    workspace = window.workspace
    assert workspace.project is not None
    qtbot.waitUntil(lambda: len(workspace.completeness) == len(STEPS), timeout=30_000)
    for step in STEPS:
        workspace.go_to(step.id)
        completeness = workspace.completeness[step.id]
        said = f"{completeness.state.label} — {completeness.detail}"
        assert workspace.step_state.text() == f"<i>{said}</i>"
        assert workspace.nav.item(int(step.id)).toolTip() == said
    ready = readiness_checklist(UnitOfWork(database), workspace.project.id, window.ctx.refdata)
    items = {item.key: item for item in ready.items}
    money = workspace.completeness[StepId.FINANCEMENT]
    assert items["plan_financement"].met == (money.state is StepState.DONE)
    if money.state is not StepState.TODO:
        assert money.detail == items["plan_financement"].detail
    team = workspace.completeness[StepId.PROFESSIONNELS]
    if workspace.project.project_type.value.startswith("msp"):
        assert items["equipe_minimale"].met == (team.state is StepState.DONE)


def test_the_demo_says_one_thing_everywhere(window: MainWindow, qtbot: QtBot, sqlite_database: Database) -> None:
    window.home.open_demo()
    _agree(window, qtbot, sqlite_database)


def test_an_empty_project_says_one_thing_everywhere(
    window: MainWindow, qtbot: QtBot, sqlite_database: Database
) -> None:
    info = window.home.create_named("Projet vide")
    assert info is not None
    window.open_project(info.id, StepId.TERRITOIRE)
    _agree(window, qtbot, sqlite_database)
    assert window.workspace.completeness[StepId.FINANCEMENT].state is StepState.TODO
