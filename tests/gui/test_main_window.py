"""The main window driven as a user would: projects, demo, wizard navigation, territory step."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from santeloc.gui.main_window import MainWindow
from santeloc.persistence.engine import Database
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import projects as project_svc
from santeloc.services.demo import DEMO_COMMUNES, DEMO_NAME
from santeloc.services.territory import territory_codes
from santeloc.workflow.steps import STEPS, StepId, StepState
from tests.gui.conftest import close_messages, drawn, messages


def test_first_start_offers_the_demo(window: MainWindow, qtbot: QtBot, sqlite_database: Database) -> None:
    home = window.home
    assert home.demo_banner.isVisible()
    assert home.empty_label.isVisible()
    qtbot.mouseClick(home.demo_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.workspace
    assert window.workspace.demo_badge.isVisible()
    assert window.workspace.title_label.text() == DEMO_NAME
    page = window.workspace.territory_page
    assert page.model.rowCount() == len(DEMO_COMMUNES)
    assert "3\u202f284 habitants" in page.ui.populationValue.text()
    assert "Nièvre (58)" in page.ui.referencesValue.text()
    drawn(qtbot, page.map_view)
    assert page.map_view.figure is not None
    # Back home: the banner is gone, the demo is listed and labelled.
    qtbot.mouseClick(window.workspace.back_button, Qt.MouseButton.LeftButton)
    assert not home.demo_banner.isVisible()
    assert "[exemple]" in home.table.item(0, 0).text()


def test_every_step_is_in_the_navigation_with_its_state(window: MainWindow, qtbot: QtBot) -> None:
    window.home.open_demo()
    nav = window.workspace.nav
    assert nav.count() == len(STEPS) == 9
    # Statuses are computed off the GUI thread: the navigation fills in as soon as they arrive.
    qtbot.waitUntil(lambda: StepId.FINANCEMENT in window.workspace.completeness, timeout=10_000)
    assert window.workspace.completeness[StepId.TERRITOIRE].state is StepState.DONE
    assert window.workspace.completeness[StepId.FINANCEMENT].state is StepState.DONE  # the guide's plan
    assert all(c.state is not StepState.UNAVAILABLE for c in window.workspace.completeness.values()) or (
        window.workspace.completeness[StepId.PROJET_SANTE].state is StepState.UNAVAILABLE
    )
    # Next / previous walk the steps; unequipped steps say so plainly.
    qtbot.mouseClick(window.workspace.next_button, Qt.MouseButton.LeftButton)
    assert window.workspace.current_step() is StepId.ETAT_SANTE
    nav.setCurrentRow(int(StepId.DOSSIERS))
    assert window.workspace.current_step() is StepId.DOSSIERS
    assert not window.workspace.next_button.isEnabled()
    qtbot.mouseClick(window.workspace.previous_button, Qt.MouseButton.LeftButton)
    assert window.workspace.current_step() is StepId.FINANCEMENT


def test_create_rename_duplicate_delete(window: MainWindow, qtbot: QtBot, sqlite_database: Database) -> None:
    home = window.home
    info = home.create_named("MSP de Saint-Aubin")
    assert info is not None and window.stack.currentWidget() is window.workspace
    window.show_home()
    home.select_project(info.id)
    renamed = home.rename_to(info, "MSP du Val")
    assert renamed is not None
    assert home.table.item(0, 0).text() == "MSP du Val"
    home.select_project(info.id)
    qtbot.mouseClick(home.duplicate_button, Qt.MouseButton.LeftButton)
    names = sorted(p.name for p in project_svc.list_projects(UnitOfWork(sqlite_database)))
    assert names == ["MSP du Val", "MSP du Val (copie)"]

    # Delete asks first; cancelling keeps the project.
    home.select_project(info.id)
    qtbot.mouseClick(home.delete_button, Qt.MouseButton.LeftButton)
    box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
    assert "Supprimer définitivement le projet « MSP du Val »" in box.text()
    cancel = next(b for b in box.buttons() if b.text() == "Annuler")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert len(project_svc.list_projects(UnitOfWork(sqlite_database))) == 2
    home.select_project(info.id)
    qtbot.mouseClick(home.delete_button, Qt.MouseButton.LeftButton)
    box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
    confirm_button = next(b for b in box.buttons() if b.text() == "Supprimer")
    qtbot.mouseClick(confirm_button, Qt.MouseButton.LeftButton)
    assert [p.name for p in project_svc.list_projects(UnitOfWork(sqlite_database))] == ["MSP du Val (copie)"]


def test_duplicate_name_gets_a_french_message_and_creates_nothing(
    window: MainWindow, sqlite_database: Database
) -> None:
    window.home.create_named("MSP")
    window.show_home()
    assert window.home.create_named("msp") is None
    assert any("Un projet s'appelle déjà « msp »" in text for text in messages(window))
    close_messages(window)
    assert len(project_svc.list_projects(UnitOfWork(sqlite_database))) == 1
    assert window.home.create_named("   ") is None
    assert any("ne peut pas être vide" in text for text in messages(window))


def _open_new_project(window: MainWindow, name: str = "MSP de test") -> int:
    info = window.home.create_named(name)
    assert info is not None
    return info.id


def test_typing_is_saved_without_any_save_button(
    window: MainWindow, qtbot: QtBot, sqlite_database: Database, make_window: Callable[[Database], MainWindow]
) -> None:
    project_id = _open_new_project(window)
    page = window.workspace.territory_page
    page.ui.porteurNameEdit.setFocus()
    qtbot.keyClicks(page.ui.porteurNameEdit, "Pays du Bocage")
    # Saved by the autosave timer, while the field still has the focus: a crash now loses nothing.
    qtbot.waitUntil(
        lambda: project_svc.get_project(UnitOfWork(sqlite_database), project_id).porteur_name == "Pays du Bocage",
        timeout=3000,
    )
    page.ui.projectTypeCombo.setCurrentIndex(page.ui.projectTypeCombo.findData("centre_sante"))
    assert project_svc.get_project(UnitOfWork(sqlite_database), project_id).project_type.value == "centre_sante"
    # A second window on the same file (the app restarted) sees everything.
    other = make_window(sqlite_database)
    other.open_project(project_id)
    assert other.workspace.territory_page.ui.porteurNameEdit.text() == "Pays du Bocage"
    assert other.workspace.territory_page.ui.projectTypeCombo.currentData() == "centre_sante"


def test_pending_edit_is_saved_on_close(window: MainWindow, qtbot: QtBot, sqlite_database: Database) -> None:
    project_id = _open_new_project(window)
    page = window.workspace.territory_page
    qtbot.keyClicks(page.ui.porteurNameEdit, "Commune de Bourg")
    window.close()  # before the autosave timer fired
    assert project_svc.get_project(UnitOfWork(sqlite_database), project_id).porteur_name == "Commune de Bourg"


def test_search_add_undo_redo_remove(window: MainWindow, qtbot: QtBot, sqlite_database: Database) -> None:
    project_id = _open_new_project(window)
    page = window.workspace.territory_page
    page.ui.searchEdit.setText("saint amand en puisaye")
    assert page.ui.resultsList.count() >= 1
    assert page.ui.resultsList.item(0).data(Qt.ItemDataRole.UserRole) == "58227"
    qtbot.mouseClick(page.ui.addCommuneButton, Qt.MouseButton.LeftButton)
    assert territory_codes(UnitOfWork(sqlite_database), project_id) == ["58227"]
    assert "déjà dans le territoire" in page.ui.resultsList.item(0).text()

    page.ui.searchEdit.setText("58270")  # by INSEE code: Saint-Vérain
    qtbot.mouseClick(page.ui.addCommuneButton, Qt.MouseButton.LeftButton)
    page.ui.searchEdit.setText("58310")  # by postal code
    assert page.ui.resultsList.count() >= 5
    assert page.model.rowCount() == 2

    window.undo_action.trigger()
    assert territory_codes(UnitOfWork(sqlite_database), project_id) == ["58227"]
    window.redo_action.trigger()
    assert territory_codes(UnitOfWork(sqlite_database), project_id) == ["58227", "58270"]

    page.ui.communesTable.selectRow(0)
    qtbot.mouseClick(page.ui.removeButton, Qt.MouseButton.LeftButton)
    assert len(territory_codes(UnitOfWork(sqlite_database), project_id)) == 1
    window.undo_action.trigger()
    assert len(territory_codes(UnitOfWork(sqlite_database), project_id)) == 2


def test_add_epci_and_radius(window: MainWindow, qtbot: QtBot, sqlite_database: Database) -> None:
    project_id = _open_new_project(window)
    page = window.workspace.territory_page
    page.ui.searchEdit.setText("Saint-Amand-en-Puisaye")
    qtbot.mouseClick(page.ui.addEpciButton, Qt.MouseButton.LeftButton)
    epci_count = len(territory_codes(UnitOfWork(sqlite_database), project_id))
    assert epci_count > 30  # CC de Puisaye-Forterre
    assert f"({epci_count})".replace(" ", "") in page.ui.communesBox.title().replace("\u202f", "")
    page.ui.radiusSpin.setValue(15)
    qtbot.mouseClick(page.ui.addRadiusButton, Qt.MouseButton.LeftButton)
    codes = territory_codes(UnitOfWork(sqlite_database), project_id)
    assert len(codes) > epci_count
    assert "Loiret" in page.ui.referencesValue.text() or "Yonne" in page.ui.referencesValue.text()
    window.undo_action.trigger()
    assert len(territory_codes(UnitOfWork(sqlite_database), project_id)) == epci_count


def test_two_colleagues_editing_the_same_project(
    make_window: Callable[[Database], MainWindow], sqlite_database: Database, qtbot: QtBot
) -> None:
    """The second to save is told, and nothing is silently lost."""
    first = make_window(sqlite_database)
    project_id = _open_new_project(first)
    second = make_window(sqlite_database)
    second.open_project(project_id)
    first_page, second_page = first.workspace.territory_page, second.workspace.territory_page
    first_page.ui.porteurNameEdit.setText("Communauté de communes A")
    first_page.flush()
    second_page.ui.porteurNameEdit.setText("Communauté de communes B")
    second_page.flush()
    assert any("modifié par quelqu'un d'autre" in text for text in messages(second))
    assert project_svc.get_project(UnitOfWork(sqlite_database), project_id).porteur_name == "Communauté de communes A"
    # The second window now shows the saved value, ready for a new edit.
    assert second_page.ui.porteurNameEdit.text() == "Communauté de communes A"


@pytest.mark.parametrize("query", ["qqqq", "99999", "xyzxyz"])
def test_search_without_result_adds_nothing(window: MainWindow, qtbot: QtBot, query: str) -> None:
    _open_new_project(window)
    page = window.workspace.territory_page
    page.ui.searchEdit.setText(query)
    assert page.ui.resultsList.count() == 0
    assert not page.ui.addCommuneButton.isEnabled()


def test_placeholder_page_is_honest(qtbot: QtBot) -> None:
    """A step not equipped yet explains itself and says nothing can be entered."""
    import dataclasses

    from santeloc.gui.pages.step_placeholder_page import StepPlaceholderPage

    page = StepPlaceholderPage(dataclasses.replace(STEPS[6], available=False))
    qtbot.add_widget(page)
    assert "pas encore outillée" in page.findChild(QLabel, "emptyStateText").text()  # type: ignore[union-attr]


def test_export_and_import_a_project_file(
    window: MainWindow, qtbot: QtBot, sqlite_database: Database, tmp_path: object
) -> None:
    from pathlib import Path

    window.home.open_demo()
    window.show_home()
    demo = next(p for p in window.home.projects if p.is_demo)
    # Both run off the GUI thread, with a progress dialog beyond a short wait.
    task = window.home.export_to(demo.id, Path(str(tmp_path)) / "demo")
    qtbot.waitUntil(lambda: not task.running, timeout=30_000)
    written = window.home.last_written
    assert written is not None and written.exists()
    task = window.home.import_from(written)
    qtbot.waitUntil(lambda: window.home.last_imported is not None, timeout=30_000)
    copy = window.home.last_imported
    assert copy is not None and copy.name.endswith("(copie)")
    assert window.home.table.rowCount() == 2
    task = window.home.import_from(Path(str(tmp_path)) / "absent.santeloc")
    qtbot.waitUntil(lambda: not task.running, timeout=30_000)
    assert window.home.last_imported is None
    qtbot.waitUntil(lambda: any("introuvable" in text for text in messages(window)), timeout=5_000)


def test_a_damaged_project_is_listed_and_explained(window: MainWindow, sqlite_database: Database) -> None:
    """A value this version cannot read (a type written by a newer one) never takes the list down."""
    from sqlalchemy import text

    window.home.open_demo()
    window.show_home()
    with sqlite_database.engine.begin() as connection:
        connection.execute(text("UPDATE project SET project_type = 'bogus'"))
    window.home.refresh()
    item = window.home.table.item(0, 0)
    assert item.text().startswith("⚠ ") and "type de projet inconnu « bogus »" in item.toolTip()


def test_a_click_during_the_start_up_loading_opens_once_it_ends(window: MainWindow, qtbot: QtBot) -> None:
    """The window answers while what a project needs still loads behind the list; the project
    clicked meanwhile (the last one) opens when the loading ends, announced from its thread."""
    import threading

    from PySide6.QtWidgets import QApplication

    first = _open_new_project(window, "Premier projet")
    second = _open_new_project(window, "Second projet")
    window.show_home()
    window.ctx.begin_loading()
    window.open_project(first)
    window.open_project(second)
    assert window.stack.currentWidget() is window.home
    assert window.statusBar().currentMessage() == "Ouverture du projet…"
    cursor = QApplication.overrideCursor()
    assert cursor is not None and cursor.shape() == Qt.CursorShape.WaitCursor
    ended = threading.Thread(target=window.ctx.end_loading)
    ended.start()
    ended.join()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.workspace, timeout=5000)
    assert window.workspace.project is not None and window.workspace.project.id == second
    assert QApplication.overrideCursor() is None


def test_a_click_once_loaded_wins_over_the_one_made_during_the_loading(window: MainWindow, qtbot: QtBot) -> None:
    """The project clicked during the loading opens in a later turn of the event loop: a click
    made once the loading is over, before that turn, is the last one and counts."""
    import threading

    from PySide6.QtWidgets import QApplication

    first = _open_new_project(window, "Premier projet")
    second = _open_new_project(window, "Second projet")
    window.show_home()
    window.ctx.begin_loading()
    window.open_project(first)
    ended = threading.Thread(target=window.ctx.end_loading)
    ended.start()
    ended.join()
    window.open_project(second)  # loaded: opens now
    qtbot.wait(50)  # the announcement of the end of the loading arrives, then its turn
    assert window.workspace.project is not None and window.workspace.project.id == second
    assert QApplication.overrideCursor() is None
