"""Step 4 driven through its page: the questionnaire, its exports, the import of the filled entry
sheet (all or nothing), tabulations, cross-tabulations and answers kept as constats."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from santeloc.gui.main_window import MainWindow
from santeloc.gui.pages.inhabitants import InhabitantsPage
from santeloc.persistence.engine import Database
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import indicators
from santeloc.services import survey as svc
from santeloc.services.territory import add_communes
from tests.gui.conftest import close_messages, drawn, messages

TERRITORY = ["58227", "58012"]  # Saint-Amand-en-Puisaye, Arquian


def open_page(window: MainWindow, qtbot: QtBot, database: Database) -> tuple[int, InhabitantsPage]:
    info = window.home.create_named("MSP de Puisaye")
    assert info is not None
    add_communes(UnitOfWork(database), info.id, TERRITORY, refdata=window.ctx.refdata)
    page = InhabitantsPage(window.ctx)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    page.load(info)
    return info.id, page


def click_confirm(page: QWidget, label: str) -> None:
    """Answer the confirmation box open over the page."""
    box = next(b for b in page.window().findChildren(QMessageBox) if b.isVisible())
    next(button for button in box.buttons() if button.text() == label).click()


def by_text(page: InhabitantsPage, start: str) -> svc.QuestionRow:
    return next(q for q in page.questions if q.text.startswith(start))


def fill_sheet(path: Path, page: InhabitantsPage, answers: list[dict[str, object]]) -> Path:
    """Type answers into the exported sheet as a user would: one row per questionnaire, a column per question."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Saisie"]
    for row, values in enumerate(answers, start=2):
        sheet.cell(row=row, column=1, value=str(row - 1))
        for start, value in values.items():
            sheet.cell(row=row, column=by_text(page, start).number + 1, value=value)
    workbook.save(path)
    return path


def test_starter_set_then_add_edit_move_and_delete(window: MainWindow, qtbot: QtBot, sqlite_database: Database) -> None:
    project_id, page = open_page(window, qtbot, sqlite_database)
    assert page.empty_label.isVisible() and not page.sheet_button.isEnabled()
    created = page.add_starter_questions()
    assert created is not None and len(created) == len(svc.STARTER_QUESTIONS)
    assert page.table.rowCount() == len(svc.STARTER_QUESTIONS)
    assert page.table.item(0, 4).text() == "Commune"
    assert page.table.item(1, 4).text() == "Tranche d'âge"
    assert "Arquian" in page.table.item(0, 3).text()
    assert not page.empty_label.isVisible() and page.sheet_button.isEnabled()

    # A choice question with a single answer is refused in French; nothing is added.
    assert page.add_question("single", "Connaissez-vous la maison de santé ?", "Oui") is None
    assert any("au moins deux réponses possibles" in text for text in messages(page))
    close_messages(page)
    dialog = page.open_question_dialog()
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("single"))
    dialog.text_edit.setPlainText("Connaissez-vous la maison de santé ?")
    dialog.choices_edit.setPlainText("Oui\nNon")
    dialog.ok_button.click()
    assert not dialog.isVisible()
    new = page.current()
    assert new is not None and new.code == f"Q{len(svc.STARTER_QUESTIONS) + 1}"

    # Edited through the form below the list, saved when the field is left.
    page.text_edit.setPlainText("Connaissez-vous le projet de maison de santé ?")
    page.text_edit.document().setModified(True)
    page.text_edit.editingFinished.emit()
    page.choices_edit.set_text("Oui\nNon\nJ'en ai entendu parler")
    page.choices_edit.editingFinished.emit()
    stored = svc.get_question(UnitOfWork(sqlite_database), new.id)
    assert stored.text == "Connaissez-vous le projet de maison de santé ?"
    assert stored.choices == ("Oui", "Non", "J'en ai entendu parler")

    page.move_selected(-1)
    assert svc.get_question(UnitOfWork(sqlite_database), new.id).number == len(svc.STARTER_QUESTIONS)
    assert page.current() is not None and page.current().id == new.id  # type: ignore[union-attr]
    page.delete_selected()
    click_confirm(page, "Supprimer")
    assert len(svc.list_questions(UnitOfWork(sqlite_database), project_id)) == len(svc.STARTER_QUESTIONS)
    assert page.table.rowCount() == len(svc.STARTER_QUESTIONS)


def good_answers(window: MainWindow) -> list[dict[str, object]]:
    saint_amand, arquian = (window.ctx.refdata.communes[code].name for code in TERRITORY)
    renounce = "Au cours des douze derniers mois"
    return [
        {"Dans quelle": saint_amand, "Quelle est votre": "60 à 74 ans", renounce: "Oui", "Combien de minutes": 25},
        {"Dans quelle": saint_amand, "Quelle est votre": "25 à 39 ans", renounce: "non", "Combien de minutes": "10"},
        {"Dans quelle": arquian, "Quelle est votre": "75 ans ou plus", renounce: "Oui", "Si vous avez": "Dentiste"},
        {"Dans quelle": arquian, renounce: "Je ne sais pas", "Qu'est-ce qui": "Un dentiste !"},
    ]


def test_entry_sheet_round_trip_with_tabulation_and_constat(
    window: MainWindow, qtbot: QtBot, sqlite_database: Database, tmp_path: Path
) -> None:
    project_id, page = open_page(window, qtbot, sqlite_database)
    page.add_starter_questions()
    printable = page.export_printable(tmp_path / "questionnaire.docx")
    assert printable is not None
    texts = [p.text for p in docx.Document(str(printable)).paragraphs]
    assert "Merci de votre participation !" in texts
    close_messages(page)
    sheet = page.export_entry_sheet(tmp_path / "saisie.xlsx")
    assert sheet is not None and any("Feuille de saisie enregistrée" in t for t in messages(page))
    close_messages(page)

    report = page.import_sheet(fill_sheet(sheet, page, good_answers(window)))
    assert report is not None and report.imported == 4
    assert any(t.startswith("4 questionnaires importés") for t in messages(page))
    close_messages(page)
    assert "4 questionnaires importés" in page.responses_label.text()

    renounce = by_text(page, "Au cours des douze derniers mois")
    page.select_result_question(renounce.id)
    table = page.results_table
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == ["Oui", "Non", "Je ne sais pas"]
    assert [table.item(r, 1).text() for r in range(table.rowCount())] == ["2", "1", "1"]
    assert table.item(0, 2).text() == "50,0 %"
    assert "4 répondants à cette question" in page.note_label.text()
    drawn(qtbot, page.chart_view)
    assert page.chart_view.figure is not None and page.chart_view.figure.axes

    page.select_result_question(renounce.id, "commune")
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers[:3] == ["Commune", "Répondants", "Oui"]
    groups = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert groups == ["Arquian", "Saint-Amand-en-Puisaye", "Ensemble"]
    minutes = by_text(page, "Combien de minutes")
    page.select_result_question(minutes.id, "age_group")
    assert [table.item(r, 0).text() for r in range(table.rowCount())][:2] == ["25 à 39 ans", "60 à 74 ans"]
    assert table.item(0, 2).text() == "10"
    free = by_text(page, "Qu'est-ce qui")
    page.select_result_question(free.id)
    assert table.item(0, 0).text() == "Un dentiste !" and not page.constat_button.isEnabled()

    # "Retenir comme constat" for the answer chosen in the list.
    page.select_result_question(renounce.id)
    page.answer_combo.setCurrentIndex(page.answer_combo.findData("Oui"))
    page.constat_button.click()
    titles = [c.title for c in indicators.list_constats(UnitOfWork(sqlite_database), project_id)]
    assert titles == [
        "50 % des habitants interrogés répondent « Oui » à « Au cours des douze derniers mois, avez-vous renoncé "
        "à des soins dont vous aviez besoin ? » (2 sur 4)"
    ]
    close_messages(page)
    assert page.make_constat("Oui") is None
    assert any("Ce constat a déjà été retenu" in t for t in messages(page))


def test_bad_sheet_lists_errors_by_line_and_imports_nothing(
    window: MainWindow, qtbot: QtBot, sqlite_database: Database, tmp_path: Path
) -> None:
    project_id, page = open_page(window, qtbot, sqlite_database)
    page.add_starter_questions()
    sheet = page.export_entry_sheet(tmp_path / "saisie.xlsx")
    assert sheet is not None
    close_messages(page)
    answers = good_answers(window)
    answers[1]["Au cours des douze derniers mois"] = "Peut-être"  # line 3: outside the choices
    answers[2]["Combien de minutes"] = "une demi-heure"  # line 4: not a number
    assert page.import_sheet(fill_sheet(sheet, page, answers)) is None
    dialog = page.errors_dialog
    assert dialog is not None and dialog.isVisible()
    lines = [dialog.errors.item(i).text() for i in range(dialog.errors.count())]
    assert len(lines) == 2
    assert lines[0].startswith("Ligne 3 : questionnaire n° 2 — Q4")
    assert "« Peut-être » ne fait pas partie des réponses possibles" in lines[0]
    assert lines[1].startswith("Ligne 4 : ") and "« une demi-heure » n'est pas un nombre" in lines[1]
    assert "Rien n'a été importé" in dialog.summary.text()
    assert svc.response_count(UnitOfWork(sqlite_database), project_id) == 0
    assert page.responses_label.text() == "Aucun questionnaire importé pour l'instant."
    dialog.reject()

    # A sheet exported before the questionnaire changed is recognised and refused.
    page.select_question(by_text(page, "Avez-vous un médecin traitant").id)
    page.edit_question(choices="Oui\nNon, je n'en trouve pas\nNon, je n'en ai pas cherché\nJe ne sais pas")
    assert page.import_sheet(fill_sheet(sheet, page, good_answers(window))) is None
    assert any("Le questionnaire a été modifié depuis l'export" in t for t in messages(page))
    assert svc.response_count(UnitOfWork(sqlite_database), project_id) == 0


def test_importing_again_asks_to_add_or_replace(
    window: MainWindow, qtbot: QtBot, sqlite_database: Database, tmp_path: Path
) -> None:
    project_id, page = open_page(window, qtbot, sqlite_database)
    page.add_starter_questions()
    sheet = page.export_entry_sheet(tmp_path / "saisie.xlsx")
    assert sheet is not None
    close_messages(page)
    fill_sheet(sheet, page, good_answers(window))
    assert page.start_import(sheet) is None  # nothing imported before: no question asked
    close_messages(page)
    box = page.start_import(sheet)
    assert box is not None
    click_confirm(page, "Remplacer")
    assert any("4 questionnaires précédents remplacés" in t for t in messages(page))
    assert svc.response_count(UnitOfWork(sqlite_database), project_id) == 4
