"""Readable at 1366 × 768 (issue 25, point 5): lists get the height, text columns wrap within
bounded rows, long indicator names are cut in the middle, a new line's form shows at once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication
from pytestqt.qtbot import QtBot

from santeloc.gui.main_window import MainWindow
from santeloc.workflow.steps import StepId

WINDOW = QSize(1366, 768 - 40 - 30)  # a laptop's maximised window


def settle() -> None:
    for _ in range(4):
        QApplication.processEvents()


@pytest.fixture
def laptop(window: MainWindow) -> MainWindow:
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(WINDOW)
    window.home.open_demo()
    settle()
    return window


def test_the_indicator_list_gets_the_height_and_cuts_names_in_the_middle(laptop: MainWindow) -> None:
    laptop.workspace.go_to(StepId.ETAT_SANTE)
    page = laptop.workspace.health_page
    settle()
    assert page.tree.textElideMode() == Qt.TextElideMode.ElideMiddle  # the end of a long name stays
    rows = page.tree.viewport().height() // max(page.tree.sizeHintForRow(0), 1)
    assert rows >= 8, f"{rows} lines of the list show"
    area = page.findChild(QAbstractScrollArea, "indicatorDetailArea")
    assert area is not None and area.widget() is page.detail  # the form scrolls, the list keeps its height


def test_the_funders_catalogue_shows_many_rows_at_once(laptop: MainWindow) -> None:
    laptop.workspace.go_to(StepId.FINANCEMENT)
    page = laptop.workspace.financing_page
    page.tabs.setCurrentIndex(page.tabs.count() - 1)
    settle()
    table = page.funders
    limit = table.fontMetrics().lineSpacing() * 3 + 8
    assert table.rowCount() > 3
    assert all(table.rowHeight(row) <= limit for row in range(table.rowCount()))
    assert table.wordWrap()


def test_the_relecture_gives_its_messages_the_width(laptop: MainWindow, qtbot: QtBot) -> None:
    laptop.workspace.go_to(StepId.DOSSIERS)
    page = laptop.workspace.dossiers_page
    qtbot.waitUntil(lambda: not page.review_pending, timeout=30000)
    settle()
    tree = page.review_tree
    assert tree.wordWrap()
    if tree.isVisible():
        assert tree.columnWidth(0) >= 320


def test_a_new_resource_form_shows_at_once(laptop: MainWindow) -> None:
    workspace = laptop.workspace
    workspace.go_to(StepId.FINANCEMENT)
    page = workspace.financing_page
    page.tabs.setCurrentIndex(1)
    settle()
    assert page.add_resource() is not None
    settle()
    area = workspace.stack.currentWidget()
    assert isinstance(area, QAbstractScrollArea)
    top_left = page.resource_box.mapTo(area.viewport(), page.resource_box.rect().topLeft())
    assert 0 <= top_left.y() < area.viewport().height()  # « Nouvelle recette »: its form is in view
