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
    assert "demande-de-subvention-DDR.docx" in names and "demande-de-subvention-FNADT.docx" in names
    assert all(p.exists() for p in page.produced)
    qtbot.waitUntil(lambda: any("fichier(s) produit(s)" in text for text in messages(window)), timeout=5_000)


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
