"""Step 8 driven in the real window: the demo's dossier produced in the background."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from santeloc.gui.main_window import MainWindow
from santeloc.workflow.steps import StepId
from tests.gui.conftest import messages


def test_produce_the_demo_dossier(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    window.home.open_demo()
    window.workspace.go_to(StepId.DOSSIERS)
    page = window.workspace.dossiers_page
    page.pdf_check.setChecked(False)
    page.folder_edit.setText(str(tmp_path / "dossier"))
    task = page.export()
    assert task is not None
    qtbot.waitUntil(lambda: not task.running, timeout=120_000)
    names = sorted(p.name for p in page.produced)
    assert "diagnostic-local-de-sante.docx" in names and "plan-de-financement.xlsx" in names
    assert "deliberation.docx" in names and "dossier-complet.zip" in names
    assert "demande-de-subvention-DETR.docx" in names and "demande-de-subvention-DSIL.docx" in names
    assert page.review is not None and page.review.total == 0  # the demo's dossier is complete
    assert all(p.exists() for p in page.produced)
    qtbot.waitUntil(lambda: any("fichier(s) produit(s)" in text for text in messages(window)), timeout=5_000)
    # Read again (as after a restart): the folder and the files still there are listed.
    produced = list(page.produced)
    produced[0].unlink()  # a file moved away meanwhile is not listed
    page.folder_edit.setText("")
    assert page.project is not None
    page.load(page.project)
    assert page.folder_edit.text() == str(tmp_path / "dossier")
    assert [page.files.item(i).text() for i in range(page.files.count())] == [p.name for p in produced[1:]]
    assert page.open_button.isEnabled()


def test_nothing_chosen_is_explained(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    window.home.open_demo()
    window.workspace.go_to(StepId.DOSSIERS)
    page = window.workspace.dossiers_page
    for check in page.checks.values():
        check.setChecked(False)
    target = tmp_path / "vide"
    page.folder_edit.setText(str(target))
    task = page.export()
    assert task is not None
    qtbot.waitUntil(lambda: not task.running, timeout=30_000)
    qtbot.waitUntil(lambda: any("au moins un document" in text for text in messages(window)), timeout=5_000)
    assert list(target.iterdir()) == []


def test_the_relecture_of_an_empty_project_leads_to_the_step_to_fix(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    from santeloc.services.projects import create_project, get_project

    project = create_project(window.ctx.uow(), "Projet à relire")
    page = window.workspace.dossiers_page
    page.load(get_project(window.ctx.uow(), project.id))
    assert page.review_pending and page.review_label.text() == "Relecture en cours…"  # read in a worker thread
    qtbot.waitUntil(lambda: not page.review_pending, timeout=10_000)
    assert page.review is not None and page.review.total > 0
    assert "PROJET — document incomplet" in page.review_label.text()
    top = page.review_tree.topLevelItem(0)
    assert top is not None and top.childCount() > 0
    asked: list[int] = []
    page.confirm_incomplete = lambda count: asked.append(count) or False  # type: ignore[method-assign]
    page.folder_edit.setText(str(tmp_path / "rien"))
    assert page.export() is None and asked  # the user is asked first; saying no produces nothing
    with qtbot.waitSignal(page.navigate, timeout=2_000) as signal:
        page._go_to_item(top.child(0), 0)
    assert signal.args[0] in range(0, 9)


def test_dates_of_the_operation_typed_in_step_8(window: MainWindow, qtbot: QtBot) -> None:
    from santeloc.services import financing
    from santeloc.services.projects import create_project, get_project

    project = create_project(window.ctx.uow(), "Projet daté")
    page = window.workspace.dossiers_page
    page.load(get_project(window.ctx.uow(), project.id))
    page.date_edits["travaux_debut"].setText("01/09/2027")
    page.date_edits["travaux_fin"].setText("15/12/2028")
    assert page.save_dates()
    dates = financing.get_works_dates(window.ctx.uow(), project.id)
    assert dates["travaux_debut"] is not None and dates["travaux_debut"].year == 2027
    page.date_edits["travaux_fin"].setText("31/02/2028")
    assert not page.save_dates()  # not a date: said in French, nothing changed
    assert financing.get_works_dates(window.ctx.uow(), project.id) == dates
