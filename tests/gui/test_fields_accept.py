"""Fields accept what people type (issue 25, points 2 and 3): « 25 » is 25 %, a refused value
stays on screen with its reason beside it, Enter never adds a stale result, a far commune is asked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from santeloc.gui.fields import field_error
from santeloc.gui.main_window import MainWindow
from santeloc.services.territory import territory_codes
from santeloc.workflow.steps import StepId
from tests.gui.conftest import messages


@pytest.fixture
def demo(window: MainWindow, qtbot: QtBot) -> MainWindow:
    window.home.open_demo()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    return window


def click_and_type(field: QWidget, text: str) -> None:
    field.setFocus(Qt.FocusReason.MouseFocusReason)
    QTest.mouseClick(field, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(5, 5))
    for char in text:
        QTest.keyClick(QApplication.focusWidget(), char)


@pytest.mark.parametrize(("typed", "bp"), [("25", 2500), ("25 %", 2500), ("25,5", 2550)])
def test_a_rate_typed_25_is_25_percent(demo: MainWindow, qtbot: QtBot, typed: str, bp: int) -> None:
    demo.workspace.go_to(StepId.FINANCEMENT)
    page = demo.workspace.financing_page
    page.tabs.setCurrentIndex(1)
    line = next(r for r in page.view.resources if r.resource.rate_bp is None)  # type: ignore[union-attr]
    page.select_row_of(page.resources, line.resource.id)
    page.by_rate.click()
    assert page.resource_rate.text() in ("", *[t for t in [page.resource_rate.text()] if t != "0,00"])
    click_and_type(page.resource_rate, typed)  # the click selects what is there: typing replaces it
    assert page.resource_rate.text() == typed
    page.resource_rate.editingFinished.emit()
    saved = next(r for r in page.view.resources if r.resource.id == line.resource.id)  # type: ignore[union-attr]
    assert saved.resource.rate_bp == bp
    assert not messages(page)


def test_a_refused_date_stays_with_its_reason_beside_it(demo: MainWindow, qtbot: QtBot) -> None:
    demo.workspace.go_to(StepId.DOSSIERS)
    page = demo.workspace.dossiers_page
    first, second = list(page.date_edits.values())[:2]
    first.setFocus()
    first.selectAll()
    QTest.keyClicks(first, "31/02/2027")
    second.setFocus()  # leaving the date saves it
    QApplication.processEvents()
    assert not messages(page)
    assert first.text() == "31/02/2027"
    assert "n'existe pas" in field_error(first)
    assert any(label.isVisible() and "n'existe pas" in label.text() for label in page.findChildren(QLabel))
    page.reload()  # a refill keeps the value refused, for correction
    assert first.text() == "31/02/2027"
    first.setFocus()
    first.selectAll()
    QTest.keyClicks(first, "01092027")
    second.setFocus()
    QApplication.processEvents()
    assert field_error(first) == ""
    page.reload()
    assert first.text() == "01/09/2027"


def test_tab_leaves_a_comment_box_and_ctrl_tab_writes_a_tab(demo: MainWindow, qtbot: QtBot) -> None:
    demo.workspace.go_to(StepId.ETAT_SANTE)
    page = demo.workspace.health_page
    box = page.comment_edit
    assert isinstance(box, QPlainTextEdit) and box.tabChangesFocus()
    page.tree.expandAll()
    page.select_indicator(page.rows[0].id)
    box.setFocus()
    box.setPlainText("a")
    box.moveCursor(box.textCursor().MoveOperation.End)
    QTest.keyClick(box, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert box.toPlainText() == "a\t"


def test_enter_never_adds_the_result_of_a_stale_query(demo: MainWindow, qtbot: QtBot) -> None:
    demo.workspace.go_to(StepId.TERRITOIRE)
    page = demo.workspace.territory_page
    before = territory_codes(page.ctx.uow(), page._project_id())
    search = page.ui.searchEdit
    search.setText("Saint-Priv")  # results for the half-typed query…
    search.blockSignals(True)
    search.setText("Saint-Privé")  # …then the whole query, not searched yet
    search.blockSignals(False)
    QTest.keyClick(search, Qt.Key.Key_Return)
    assert territory_codes(page.ctx.uow(), page._project_id()) == before  # nothing added
    top = page.ui.resultsList.item(0).text()
    assert top.startswith("Saint-Privé (") and "Yonne" in top  # the namesake next door, with its département
    QTest.keyClick(search, Qt.Key.Key_Return)  # now Enter acts on the whole query's result
    assert "89365" in territory_codes(page.ctx.uow(), page._project_id())


def test_adding_a_far_commune_asks_first(demo: MainWindow, qtbot: QtBot) -> None:
    demo.workspace.go_to(StepId.TERRITOIRE)
    page = demo.workspace.territory_page
    page.ui.searchEdit.setText("Saint-Privat-des-Vieux")
    page.ui.resultsList.setCurrentRow(0)
    page.add_selected_communes()
    box = next(b for b in page.window().findChildren(QMessageBox) if b.isVisible())
    assert "km" in box.text() and "homonyme" in box.text()
    assert "30294" not in territory_codes(page.ctx.uow(), page._project_id())
    yes = next(b for b in box.buttons() if b.text() == "Ajouter quand même")
    yes.click()
    qtbot.waitUntil(lambda: "30294" in territory_codes(page.ctx.uow(), page._project_id()), timeout=5000)
