"""Every relecture item leads to an enabled field of the step it names, and steps agree with the relecture."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from santeloc.exports.review import review_project
from santeloc.gui.main_window import MainWindow
from santeloc.services.projects import create_project, get_project
from santeloc.workflow.steps import StepId, StepState


def test_each_item_of_an_empty_projects_relecture_lands_on_an_enabled_field(window: MainWindow, qtbot: QtBot) -> None:
    project = create_project(window.ctx.uow(), "Projet à relire")
    window.open_project(project.id, StepId.TERRITOIRE)
    qtbot.waitUntil(lambda: window.workspace.project is not None, timeout=10_000)
    review = review_project(window.ctx.uow(), project.id, window.ctx.refdata)
    items = {(item.step, item.tab, item.field): item.message for items in review.documents.values() for item in items}
    assert len(items) >= 10
    for (step, tab, field), message in items.items():
        widget = window.workspace._go_to_tab(step, tab, field)
        page = window.workspace.pages[StepId(step)]
        assert widget is not None, (message, step, tab)
        assert widget.isEnabled() and widget.isVisibleTo(page), (message, step, tab, widget.objectName())
        assert page.isAncestorOf(widget), (message, step)
        if field:
            assert widget.objectName() == field, message
    # The presentation the relecture asks for is typed in step 0 and reaches the project.
    edit = window.workspace._go_to_tab(0, "Projet", "projectDescriptionEdit")
    assert edit is not None
    edit.setPlainText("La communauté de communes porte une maison de santé.")  # type: ignore[attr-defined]
    window.workspace.territory_page.flush()
    assert get_project(window.ctx.uow(), project.id).description.startswith("La communauté de communes")


def test_a_step_is_complete_only_when_the_relecture_agrees(window: MainWindow, qtbot: QtBot) -> None:
    from dataclasses import replace

    from santeloc.exports.review import items_by_step
    from santeloc.services.demo import create_demo_project
    from santeloc.services.progress import project_counts
    from santeloc.workflow.steps import STEPS, assess

    uow = window.ctx.uow()
    demo = create_demo_project(uow, window.ctx.refdata)
    counts = project_counts(uow, demo.id)
    relecture = items_by_step(review_project(uow, demo.id, window.ctx.refdata))
    states = {step.id: assess(step, replace(counts, relecture=relecture)).state for step in STEPS}
    assert not relecture and states[StepId.DOSSIERS] is StepState.DONE  # « Prêts »: nothing in the relecture
    # An item of step 6 (a fiche back to draft) turns its « Complète » into « En cours », and step 8 too.
    forged = {6: ("La fiche action « X » est encore au statut Brouillon.",)}
    assert assess(STEPS[6], replace(counts, relecture=forged)).state is StepState.PARTIAL
    assert assess(STEPS[8], replace(counts, relecture=forged)).state is StepState.PARTIAL
    assert states[StepId.PROJET_SANTE] is StepState.DONE
