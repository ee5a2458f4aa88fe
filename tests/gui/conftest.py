"""GUI fixtures: the real main window on a real SQLite file, offscreen."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from santeloc.gui.app import install_french
from santeloc.gui.context import AppContext
from santeloc.gui.main_window import MainWindow
from santeloc.gui.map_canvas import FigureView
from santeloc.persistence.engine import Database
from santeloc.refdata.geo import RefData


@pytest.fixture(scope="session", autouse=True)
def french(qapp: QApplication) -> None:
    """Qt's French translations, as in the application."""
    qapp.setOrganizationName("santeloc-tests")
    install_french(qapp)


@pytest.fixture
def ctx(sqlite_database: Database, refdata: RefData) -> AppContext:
    return AppContext(sqlite_database, refdata)


@pytest.fixture
def make_window(qtbot: object, refdata: RefData) -> Iterator[Callable[[Database], MainWindow]]:
    """Build main windows on a database (several may share one, like two colleagues)."""
    windows: list[MainWindow] = []

    def build(database: Database) -> MainWindow:
        window = MainWindow(AppContext(database, refdata))
        qtbot.add_widget(window)  # type: ignore[attr-defined]
        window.show()
        windows.append(window)
        return window

    yield build
    for window in windows:
        window.close()


@pytest.fixture
def window(make_window: Callable[[Database], MainWindow], sqlite_database: Database) -> MainWindow:
    return make_window(sqlite_database)


def messages(parent: QWidget) -> list[str]:
    """Texts of the message boxes currently open over ``parent``'s window."""
    top = parent.window()
    return [box.text() for box in top.findChildren(QMessageBox) if box.isVisible()]


def close_messages(parent: QWidget) -> None:
    """Close every message box open over ``parent``'s window."""
    for box in parent.window().findChildren(QMessageBox):
        if box.isVisible():
            box.done(0)


def drawn(qtbot: object, *views: FigureView, timeout: int = 300_000) -> None:
    """Wait until each view has drawn its figure at its current size (drawing runs in a thread).

    The bound is only a safety net against a hang (15 s failed on a loaded machine): how long
    drawing takes is measured by benchmarks, never asserted here."""
    qtbot.waitUntil(lambda: all(view.settled() for view in views), timeout=timeout)  # type: ignore[attr-defined]
