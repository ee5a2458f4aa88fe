"""What is typed is what is kept (issue 25, point 1): on every step of the demo, in every tab,
every editable text field takes keystrokes, an autosave and a click into the next field without
losing a character, its order or the focus — also when a list re-sorts between two keystrokes.

Keys go to the widget that has the focus, as a keyboard's would: a field that lost the focus
would see its keys land elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QItemSelectionModel, QPoint, QSize, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from santeloc.gui.main_window import MainWindow
from santeloc.workflow.steps import StepId
from tests.gui.conftest import close_messages

AUTOSAVE_MAX_MS = 2000  # an autosave timer waits less than this


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def autosaves_idle(root: QWidget) -> bool:
    """No autosave timer is waiting under ``root``'s window."""
    return not any(
        timer.isActive() and timer.isSingleShot() and 0 < timer.interval() <= AUTOSAVE_MAX_MS
        for timer in root.window().findChildren(QTimer)
    )


def editable(widget: QWidget) -> bool:
    if not widget.isVisible() or not widget.isEnabled():
        return False
    if isinstance(widget, QLineEdit):
        parent = widget.parentWidget()
        if isinstance(parent, QAbstractSpinBox | QComboBox) or widget.isReadOnly():
            return False
        return not isinstance(parent, QAbstractItemView) and not isinstance(
            parent.parentWidget() if parent else None, QAbstractItemView
        )
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return not widget.isReadOnly()
    return False


def text_of(widget: QWidget) -> str:
    return widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()  # type: ignore[attr-defined]


def fields(page: QWidget) -> list[QWidget]:
    found = [w for w in page.findChildren(QWidget) if editable(w)]
    return sorted(found, key=lambda w: (w.mapTo(page, QPoint(0, 0)).y(), w.mapTo(page, QPoint(0, 0)).x()))


def select_first_rows(page: QWidget) -> None:
    """Select the first row of each visible list of the page (so that its form shows)."""
    for view in page.findChildren(QAbstractItemView):
        if not view.isVisible() or isinstance(view, QHeaderView) or isinstance(view.parentWidget(), QComboBox):
            continue
        model = view.model()
        if model is None or model.rowCount() == 0 or view.selectionModel() is None:
            continue
        index = model.index(0, 0)
        while model.rowCount(index) > 0:  # a group of a tree: its first item
            index = model.index(0, 0, index)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        view.selectionModel().setCurrentIndex(index, flags)
    settle()


def every_tab(page: QWidget) -> Iterator[str]:
    yield ""
    for tabs in [t for t in page.findChildren(QTabWidget) if t.isVisibleTo(page)]:
        for index in range(1, tabs.count()):
            if tabs.isTabEnabled(index):
                tabs.setCurrentIndex(index)
                settle()
                yield tabs.tabText(index)
        tabs.setCurrentIndex(0)


def type_keys(text: str) -> None:
    """Type into whatever has the focus (a keyboard's behaviour)."""
    for char in text:
        target = QApplication.focusWidget()
        assert target is not None, f"no widget has the focus (active window: {QApplication.activeWindow()})"
        QTest.keyClick(target, char)


def click_into(widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.MouseFocusReason)  # what a click does (offscreen clicks may not)
    target = widget.viewport() if isinstance(widget, QPlainTextEdit | QTextEdit) else widget  # type: ignore[union-attr]
    QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(8, 8))
    key = Qt.Key.Key_End
    modifier = (
        Qt.KeyboardModifier.ControlModifier
        if isinstance(widget, QPlainTextEdit | QTextEdit)
        else Qt.KeyboardModifier.NoModifier
    )
    focus = QApplication.focusWidget()
    if focus is not None:
        QTest.keyClick(focus, key, modifier)


def has_focus(widget: QWidget) -> bool:
    focus = QApplication.focusWidget()
    return focus is widget or (focus is not None and widget.isAncestorOf(focus))


def resort(page: QWidget) -> None:
    """What another save does to the lists: the page read again and every sortable view re-sorted."""
    page.reload()  # type: ignore[attr-defined]
    for view in page.findChildren(QAbstractItemView):
        header = getattr(view, "horizontalHeader", None) or getattr(view, "header", None)
        if view.isVisible() and header is not None and getattr(view, "isSortingEnabled", lambda: False)():
            view.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # type: ignore[attr-defined]
    settle()


STEPS = list(StepId)


def boxes(window: MainWindow, qtbot: QtBot, what: str, problems: list[str]) -> None:
    """A message box is a problem (a refusal is explained beside its field): note it, close it."""
    shown = [box.text() for box in window.findChildren(QMessageBox) if box.isVisible()]
    if shown:
        problems.append(f"{what}: a message box: {shown}")
        close_messages(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)


def drive(window: MainWindow, qtbot: QtBot, step: StepId, between: Callable[[QWidget], None] | None) -> list[str]:
    """Type into every field of a step, tab by tab; return what went wrong."""
    workspace = window.workspace
    workspace.go_to(step)
    page = workspace.pages[step]
    settle()
    problems: list[str] = []
    driven: list[str] = []
    previous = "(aucun champ)"
    for tab in every_tab(page):
        select_first_rows(page)
        for field in fields(page):
            if not editable(field):  # a save may have hidden or disabled it
                continue
            hint = field.placeholderText() if isinstance(field, QLineEdit | QPlainTextEdit) else ""
            name = f"étape {int(step)} {tab or '(premier onglet)'} {type(field).__name__} {field.objectName() or hint}"
            driven.append(name)
            click_into(field)  # leaving the previous field saves it
            boxes(window, qtbot, f"{previous} (en le quittant)", problems)
            previous = name
            if not editable(field):
                continue
            click_into(field)
            before = text_of(field)
            type_keys("7")
            if not has_focus(field):
                problems.append(f"{name}: focus lost after a click from the previous field")
                continue
            qtbot.waitUntil(lambda: autosaves_idle(page), timeout=5000)
            settle()
            if between is not None:
                between(page)
            if not has_focus(field):
                problems.append(f"{name}: focus lost after the autosave")
                click_into(field)
            type_keys("8")
            text = text_of(field)
            if text != before + "78":
                problems.append(f"{name}: « {before} » + 7, 8 gave « {text} »")
            boxes(window, qtbot, name, problems)
        workspace.nav.setFocus()  # the last field is left (saved)
        settle()
        boxes(window, qtbot, f"{previous} (en le quittant)", problems)
    print(f"{len(driven)} fields driven:", *driven, sep="\n  ")
    assert driven, "no field to type in"
    return problems


@pytest.fixture
def demo(window: MainWindow, qtbot: QtBot) -> MainWindow:
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(QSize(1366, 768 - 40 - 30))  # a laptop's maximised window
    window.home.open_demo()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=5000)
    settle()
    return window


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.name.lower())
def test_every_field_keeps_what_is_typed(demo: MainWindow, qtbot: QtBot, step: StepId) -> None:
    problems = drive(demo, qtbot, step, None)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.name.lower())
def test_every_field_keeps_what_is_typed_across_a_re_sort(demo: MainWindow, qtbot: QtBot, step: StepId) -> None:
    problems = drive(demo, qtbot, step, resort)
    assert not problems, "\n".join(problems)
