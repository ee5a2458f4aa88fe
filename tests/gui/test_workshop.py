"""Workshop mode driven like a meeting: the keyboard through the diagnostic, then the vote and its saving."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem
from pytestqt.qtbot import QtBot

from santeloc.analysis.tabular import guess_mapping, read_table
from santeloc.gui.main_window import MainWindow
from santeloc.gui.map_canvas import FigureView
from santeloc.gui.workshop import WorkshopWindow
from santeloc.persistence.engine import Database
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import health_project, meetings
from santeloc.services import indicators as svc
from santeloc.services.projects import create_project
from santeloc.services.territory import add_communes
from tests.gui.conftest import close_messages, drawn, messages

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "exemples" / "indicateurs-ors-exemple.csv"
CHOSEN = ("Mortalité prématurée", "Décès par suicide", "Part des 75 ans")
FREE_CONSTAT = "Délais d'attente de plusieurs mois chez l'ophtalmologiste"
PROPOSAL = "Ouvrir une permanence de soins le samedi matin"


def make_project(database: Database, window: MainWindow) -> int:
    """A project with two communes, the example ORS indicators, three constats from them and one in words."""
    uow = UnitOfWork(database)
    project = create_project(uow, "Atelier du canton", porteur_name="Communauté de communes de Puisaye")
    add_communes(uow, project.id, ["58227", "58012"], refdata=window.ctx.refdata)
    table = read_table(EXAMPLE)
    preview = svc.prepare_import(table, guess_mapping(table.headers))
    assert preview.ok
    assert svc.import_indicators(uow, project.id, preview) == 9
    for prefix in CHOSEN:
        row = next(r for r in svc.list_indicators(uow, project.id) if r.label.startswith(prefix))
        svc.constat_from_indicator(uow, row)
    svc.add_constat(uow, project.id, FREE_CONSTAT, "Relevé en réunion publique.", step=4)
    return project.id


def open_workshop(window: MainWindow, qtbot: QtBot, project_id: int) -> WorkshopWindow:
    workshop = WorkshopWindow(window.ctx, project_id, window, today=date(2026, 3, 12))
    qtbot.add_widget(workshop)
    workshop.resize(1280, 720)
    workshop.show()
    qtbot.waitExposed(workshop)
    return workshop


def cell(w: WorkshopWindow, row: int, column: int) -> QTableWidgetItem:
    item = w.table.item(row, column)
    assert item is not None
    return item


def titles(database: Database, project_id: int) -> list[tuple[str, float | None]]:
    return [(p.title, p.score) for p in health_project.list_priorities(UnitOfWork(database), project_id)]


def test_from_the_first_slide_to_saved_priorities(window: MainWindow, qtbot: QtBot, sqlite_database: Database) -> None:
    project_id = make_project(sqlite_database, window)
    constats = [c.title for c in svc.list_constats(UnitOfWork(sqlite_database), project_id)]
    w = open_workshop(window, qtbot, project_id)

    # Title, four constats, the map, the vote and its results.
    assert (w.current_index(), w.slide_count()) == (0, 8)
    assert w.current_kind() == "title" and w.counter.text() == "1 / 8"
    kinds = [w.current_kind()]
    for _ in range(5):
        qtbot.keyClick(w, Qt.Key.Key_Right)
        kinds.append(w.current_kind())
        if w.current_kind() == "constat" and w.current_index() == 1:
            # A constat drawn from an indicator shows its chart.
            slide = w.stack.currentWidget()
            assert slide is not None
            views = slide.findChildren(FigureView)
            drawn(qtbot, *views)
            assert views and all(v.figure is not None for v in views)
    assert kinds == ["title", "constat", "constat", "constat", "constat", "map"]
    assert w.counter.text() == "6 / 8"
    qtbot.keyClick(w, Qt.Key.Key_Left)
    qtbot.keyClick(w, Qt.Key.Key_PageUp)
    assert w.current_index() == 3
    qtbot.keyClick(w, Qt.Key.Key_Home)
    assert w.current_index() == 0
    for key in (Qt.Key.Key_Space, Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Right):
        qtbot.keyClick(w, key)
    assert w.current_kind() == "map"
    qtbot.keyClick(w, Qt.Key.Key_Right)
    assert w.current_kind() == "vote" and w.counter.text() == "7 / 8"

    # Candidates: the constats, all checked; the room adds one, and leaves one constat out.
    assert w.checked_candidates() == constats
    w.candidate_edit.setText(PROPOSAL)
    qtbot.mouseClick(w.add_candidate_button, Qt.MouseButton.LeftButton)
    suicide = next(t for t in constats if t.startswith("Décès par suicide"))
    w.candidate_list.item(constats.index(suicide)).setCheckState(Qt.CheckState.Unchecked)
    candidates = [t for t in constats if t != suicide] + [PROPOSAL]
    assert w.checked_candidates() == candidates
    assert w.table.columnCount() == 4
    w.candidate_edit.setText(PROPOSAL.upper())
    qtbot.mouseClick(w.add_candidate_button, Qt.MouseButton.LeftButton)
    assert "déjà soumise au vote" in w.vote_error.text()

    # Three participants; a name typed twice is refused in French.
    for name in ("Élus", "Professionnels de santé", "élus"):
        w.participant_edit.setText(name)
        qtbot.mouseClick(w.add_participant_button, Qt.MouseButton.LeftButton)
    assert w.participants == ["Élus", "Professionnels de santé"]
    assert "participe déjà" in w.vote_error.text()

    # Points typed in the table (participants × candidates), and through the API for the third.
    premature, aged, ophtalmo = candidates[0], candidates[1], candidates[2]
    cell(w, 0, 0).setText("5")
    cell(w, 0, 3).setText("2,5")
    cell(w, 1, 1).setText("-3")
    assert "négatifs" in w.vote_error.text() and cell(w, 1, 1).text() == ""
    cell(w, 1, 1).setText("4")
    w.set_points("Professionnels de santé", ophtalmo, 3)
    w.set_points("Habitants", ophtalmo, 4)
    w.set_points("Habitants", PROPOSAL, 2)
    assert w.table.rowCount() == 4  # three participants and the totals
    assert [cell(w, 3, c).text() for c in range(4)] == ["5", "4", "7", "4,5"]
    assert w.results() == {ophtalmo: 7.0, premature: 5.0, PROPOSAL: 4.5, aged: 4.0}

    # Results, charted; then saved as the project's priorities.
    qtbot.keyClick(w, Qt.Key.Key_Right)
    drawn(qtbot, w.results_view)
    assert w.current_kind() == "results" and w.results_view.figure is not None
    with qtbot.waitSignal(w.saved) as signal:
        qtbot.mouseClick(w.save_button, Qt.MouseButton.LeftButton)
    assert messages(w) == []
    saved = titles(sqlite_database, project_id)
    assert saved == [(ophtalmo, 7.0), (premature, 5.0), (PROPOSAL, 4.5), (aged, 4.0)]
    rows = health_project.list_priorities(UnitOfWork(sqlite_database), project_id)
    assert signal.args == [[row.id for row in rows]]
    assert rows[0].description == "Relevé en réunion publique."  # the constat's comment came along
    recorded = meetings.list_meetings(UnitOfWork(sqlite_database), project_id)
    assert len(recorded) == 1 and recorded[0].kind == "comite_pilotage"
    assert recorded[0].held_on == date(2026, 3, 12)
    assert f"1. {ophtalmo} — 7\u00a0points" in recorded[0].decisions and "Habitants" in recorded[0].decisions
    assert w.current_kind() == "done" and w.counter.text() == "9 / 9"

    # Escape leaves, asking nothing.
    qtbot.keyClick(w, Qt.Key.Key_Escape)
    assert not w.isVisible()


def test_ranks_borda_and_existing_priorities(window: MainWindow, qtbot: QtBot, sqlite_database: Database) -> None:
    project_id = make_project(sqlite_database, window)
    constats = [c.title for c in svc.list_constats(UnitOfWork(sqlite_database), project_id)]
    kept = health_project.add_priority(UnitOfWork(sqlite_database), project_id, "Priorité d'avant l'atelier")
    already = health_project.add_priority(UnitOfWork(sqlite_database), project_id, constats[1])
    w = open_workshop(window, qtbot, project_id)
    for _ in range(6):
        qtbot.keyClick(w, Qt.Key.Key_Right)
    assert w.current_kind() == "vote"
    w.set_candidates(constats[:3])
    w.record_combo.setCurrentIndex(w.record_combo.findData(""))  # do not record the session
    w.ranks_radio.setChecked(True)
    assert w.mode == "rangs"
    a, b, c = constats[:3]
    for participant, ranking in (("Élus", (a, b, c)), ("Habitants", (b, a)), ("Pros", (b, c, a))):
        for rank, title in enumerate(ranking, start=1):
            w.set_rank(participant, title, rank)
    w.set_rank("Pros", a, 1)  # the same rank twice: flagged, and the results wait for a correction
    assert "Pros" in w.vote_error.text()
    qtbot.keyClick(w, Qt.Key.Key_Right)
    assert w.current_kind() == "vote" and "rang 1" in w.vote_error.text()
    cell(w, 2, 0).setText("3")
    # Borda with 3 candidates: rank 1 earns 3, rank 2 earns 2, rank 3 earns 1.
    assert w.results() == {b: 8.0, a: 6.0, c: 3.0}
    qtbot.keyClick(w, Qt.Key.Key_Right)
    assert w.current_kind() == "results"
    ids = w.save_priorities()
    rows = health_project.list_priorities(UnitOfWork(sqlite_database), project_id)
    assert [(r.title, r.score) for r in rows] == [(b, 8.0), (a, 6.0), (c, 3.0), ("Priorité d'avant l'atelier", 0.0)]
    assert ids == [r.id for r in rows[:3]] and ids[0] == already and kept == rows[3].id
    assert meetings.list_meetings(UnitOfWork(sqlite_database), project_id) == []


def test_escape_and_empty_vote_save_nothing(window: MainWindow, qtbot: QtBot, sqlite_database: Database) -> None:
    project_id = make_project(sqlite_database, window)
    w = open_workshop(window, qtbot, project_id)
    w.start_vote()
    w.next_slide()
    assert w.current_kind() == "results"
    assert w.save_priorities() == []
    assert any("Aucun vote" in text for text in messages(w))
    close_messages(w)
    w.start_vote()
    w.set_points("Élus", w.checked_candidates()[0], 3)
    qtbot.keyClick(w, Qt.Key.Key_Escape)
    assert not w.isVisible()
    assert health_project.list_priorities(UnitOfWork(sqlite_database), project_id) == []
    assert meetings.list_meetings(UnitOfWork(sqlite_database), project_id) == []


def test_open_full_screen_or_explain(window: MainWindow, qtbot: QtBot, sqlite_database: Database) -> None:
    project_id = make_project(sqlite_database, window)
    workshop = WorkshopWindow.open(window.ctx, project_id, window)
    assert workshop is not None
    qtbot.waitExposed(workshop)
    assert workshop.isFullScreen() and workshop.current_kind() == "title"
    qtbot.keyClick(workshop, Qt.Key.Key_Escape)
    assert WorkshopWindow.open(window.ctx, project_id + 1000, window) is None
    assert any("n'existe plus" in text for text in messages(window))
    close_messages(window)
