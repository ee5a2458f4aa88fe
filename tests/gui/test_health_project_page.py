"""Step 6 page driven offscreen: priorities from constats, fiches action from levers, findings,
links to the Pays de la Loire plan, coherence table, timeline, projet de santé and readiness."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox, QTableWidget, QTableWidgetItem, QWidget
from pytestqt.qtbot import QtBot

from santeloc.gui.fields import shown_refusals
from santeloc.gui.main_window import MainWindow
from santeloc.gui.pages.health_project import HealthProjectPage
from santeloc.gui.pages.health_project.common import (
    ALERT_COLOUR,
    INFO_COLOUR,
    TAB_COHERENCE,
    TAB_GANTT,
    TAB_READY,
    TAB_TEXT,
    TextEdit,
)
from santeloc.persistence.engine import Database
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import health_project as hp
from santeloc.services import indicators as indicators_svc
from santeloc.services.territory import add_departement
from santeloc.workflow.steps import StepId
from tests.gui.conftest import close_messages, drawn, messages

PDL = "pays_de_la_loire_srs_2023_2028"
NORMANDIE = "normandie_prs_2023_2028"


def build_page(window: MainWindow, qtbot: QtBot) -> HealthProjectPage:
    page = HealthProjectPage(window.ctx)
    qtbot.addWidget(page)
    page.resize(1000, 720)
    page.show()
    return page


def mayenne_project(window: MainWindow, qtbot: QtBot, database: Database) -> tuple[int, HealthProjectPage]:
    """A project on the communes of Mayenne (Pays de la Loire) with two constats."""
    info = window.home.create_named("Pôle de santé du Craonnais")
    assert info is not None
    uow = UnitOfWork(database)
    add_departement(uow, info.id, "53", window.ctx.refdata)
    indicators_svc.add_constat(uow, info.id, "Trois généralistes sur cinq partiront d'ici 5 ans", "Âge moyen 61 ans")
    indicators_svc.add_constat(uow, info.id, "Les soins non programmés saturent les urgences")
    page = build_page(window, qtbot)
    page.load(info)
    return info.id, page


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None
    return item


def header_text(table: QTableWidget, column: int) -> str:
    item = table.horizontalHeaderItem(column)
    assert item is not None
    return item.text()


def click_confirm(page: QWidget, label: str) -> None:
    box = next(b for b in page.window().findChildren(QMessageBox) if b.isVisible())
    next(button for button in box.buttons() if button.text() == label).click()


def finding_texts(page: HealthProjectPage) -> list[str]:
    return [page.findings_list.item(i).text() for i in range(page.findings_list.count())]


def finding_colour(page: HealthProjectPage, needle: str) -> str:
    item = next(
        page.findings_list.item(i)
        for i in range(page.findings_list.count())
        if needle in page.findings_list.item(i).text()
    )
    return item.foreground().color().name()


def stored(database: Database, action_id: int, window: MainWindow) -> hp.ActionSheet:
    return hp.get_action(UnitOfWork(database), action_id, window.ctx.refdata)


def test_priorities_objectives_and_a_fiche_from_a_lever(
    window: MainWindow, qtbot: QtBot, sqlite_database: Database
) -> None:
    project_id, page = mayenne_project(window, qtbot, sqlite_database)
    assert page.empty_label.isVisible()
    constats = indicators_svc.list_constats(UnitOfWork(sqlite_database), project_id)

    # A priority from a constat, then the other through the dialog (the first is offered as already taken).
    created = page.add_priorities_from_constats([constats[0].id])
    assert created is not None and len(created) == 1
    priority = hp.list_priorities(UnitOfWork(sqlite_database), project_id)[0]
    assert priority.title == constats[0].title and priority.description == "Âge moyen 61 ans"
    assert page.selected() == ("priority", priority.id) and page.priority_title.text() == constats[0].title
    dialog = page.ask_priorities_from_constats()
    assert dialog is not None
    assert not dialog.list.item(0).flags() & Qt.ItemFlag.ItemIsEnabled
    dialog.list.item(1).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert [p.title for p in page.priorities] == [c.title for c in constats]
    second = page.priorities[1].id
    # Reorder: the second goes first.
    page.select_item("priority", second)
    page.move_selected(-1)
    assert [p.id for p in hp.list_priorities(UnitOfWork(sqlite_database), project_id)] == [second, priority.id]

    # An objective under the selected priority, then a fiche from the lever catalogue.
    objective = page.add_objective(second, "Organiser les soins non programmés")
    assert objective is not None and page.selected() == ("objective", objective)
    lever_dialog = page.ask_lever("maison_medicale_garde")
    assert lever_dialog is not None and lever_dialog.objective_combo.currentData() == objective
    assert "SAMU - centre 15" in lever_dialog.detail.toPlainText()
    lever_dialog.start_edit.setText("01/01/2027")
    lever_dialog.link_check.setChecked(True)
    qtbot.mouseClick(lever_dialog.ok_button, Qt.MouseButton.LeftButton)
    sheet = page.current_sheet()
    assert sheet is not None and sheet.title == "Maison médicale de garde"
    assert sheet.draft.ends_on == date(2029, 1, 1)
    assert sheet.draft.plan_links[0] == hp.PlanLinkRef(PDL, "OS4-OO3")  # soins non programmés
    assert page.selected() == ("action", sheet.id) and page.action_title.text() == "Maison médicale de garde"
    assert page.end_edit.text() == "01/01/2029"

    # No pilot: told in red next to the form, the field marked; the draft is saved anyway.
    pilot_message = "n'a pas de pilote"
    assert any(pilot_message in text for text in finding_texts(page))
    assert finding_colour(page, pilot_message) == ALERT_COLOUR
    assert ALERT_COLOUR in page.pilot_edit.styleSheet()
    assert finding_colour(page, "il manque la valeur de référence") == INFO_COLOUR
    page.pilot_edit.setText("Dr Lemoine")
    page.pilot_edit.editingFinished.emit()
    assert stored(sqlite_database, sheet.id, window).draft.pilot == "Dr Lemoine"
    assert not any(pilot_message in text for text in finding_texts(page))
    assert page.pilot_edit.styleSheet() == ""

    # End before start: a precise alert, and the dates stay as typed.
    page.end_edit.setText("01/06/2026")
    page.end_edit.editingFinished.emit()
    assert stored(sqlite_database, sheet.id, window).draft.ends_on == date(2026, 6, 1)
    assert any("se termine le 01/06/2026, avant son début le 01/01/2027" in text for text in finding_texts(page)), (
        finding_texts(page)
    )
    tree_state = page._find_item("action", sheet.id)
    assert tree_state is not None and "⚠" in tree_state.text(1)
    # A date that is not one is refused in French and the stored one shown again.
    page.start_edit.setText("31/02/2027")
    page.start_edit.editingFinished.emit()
    assert any("n'existe pas dans le calendrier" in text for text in messages(page))
    close_messages(page)
    assert page.start_edit.text() == "01/01/2027"

    # Indicator whose target year precedes the baseline year.
    for column, text in ((2, "120"), (3, "2027"), (4, "1 500,5"), (5, "2025")):
        cell(page.indicators_table, 0, column).setText(text)
    indicator = stored(sqlite_database, sheet.id, window).draft.indicators[0]
    assert (indicator.baseline, indicator.baseline_year, indicator.target, indicator.target_year) == (
        120.0,
        2027,
        1500.5,
        2025,
    )
    assert any("précède celle de la valeur de référence (2027)" in text for text in finding_texts(page))

    # The timeline draws the fiche (its wrong dates included).
    page.tabs.setCurrentIndex(TAB_GANTT)
    drawn(qtbot, page.gantt_view)
    figure = page.gantt_view.figure
    assert figure is not None and figure.axes
    labels = [label.get_text() for label in figure.axes[0].get_yticklabels()]
    assert "Maison médicale de garde" in labels


def test_links_to_the_pays_de_la_loire_plan_and_the_coherence_table(
    window: MainWindow, qtbot: QtBot, sqlite_database: Database
) -> None:
    _project_id, page = mayenne_project(window, qtbot, sqlite_database)
    priority = page.add_priority("Garantir l'accès aux soins de premier recours")
    assert priority is not None
    objective = page.add_objective(priority, "Attirer des médecins généralistes")
    assert objective is not None
    msp = page.add_action(objective, "Maison de santé pluriprofessionnelle de Craon")
    prevention = page.add_action(objective, "Ateliers nutrition")
    assert msp is not None and prevention is not None
    assert page.link_pack_combo.currentData() == PDL
    assert "plan du projet" in page.link_pack_combo.currentText()

    page.select_action(msp.id)
    page.plan_filter.setText("premier recours")
    os4 = page.plan_tree.topLevelItem(3)  # OS4 holds OS4-OO1, "premier recours"
    assert os4 is not None and not os4.isHidden()
    os1 = page.plan_tree.topLevelItem(0)
    assert os1 is not None and os1.isHidden()
    page.plan_filter.clear()
    sheet = page.link_plan_objectives(PDL, ["OS4-OO1"])
    assert sheet is not None and sheet.draft.plan_links == (hp.PlanLinkRef(PDL, "OS4-OO1"),)
    assert not sheet.has(hp.F_OUTSIDE_PLAN)

    # A link to another région's plan is saved but flagged, precisely.
    page.select_action(prevention.id)
    other = page.link_plan_objectives(NORMANDIE, ["AX2"])
    assert other is not None and other.has(hp.F_OTHER_REGION)
    assert "(autre région)" in page.link_pack_combo.currentText()
    assert any("région Normandie" in text and "Pays de la Loire" in text for text in finding_texts(page))
    page.link_pack_combo.setCurrentIndex(page.link_pack_combo.findData(PDL))
    page.link_pack_combo.activated.emit(page.link_pack_combo.currentIndex())
    assert "autre région" in page.other_links.text()
    page.justification_edit.setPlainText("Demande des habitants lors de l'atelier du 12 mars.")
    page.justification_edit.editingFinished.emit()
    assert not stored(sqlite_database, prevention.id, window).has(hp.F_OUTSIDE_PLAN)

    # The coherence table: one ✓ under OS4-OO1, the 18 other operational objectives uncovered.
    page.tabs.setCurrentIndex(TAB_COHERENCE)
    table = page.coherence
    assert table is not None and table.pack is not None and table.pack.key == PDL
    assert table.covers(msp.id, "OS4-OO1") and not table.actions_for("OS1-OO1")
    grid = page.coherence_grid
    headers = [header_text(grid, c) for c in range(grid.columnCount())]
    assert len(headers) == 19
    assert cell(grid, 0, headers.index("OS4-OO1")).text() == "✓"
    assert cell(grid, 1, headers.index("OS4-OO1")).text() == ""
    assert page.uncovered_list.count() == 18
    uncovered = [page.uncovered_list.item(i).text() for i in range(page.uncovered_list.count())]
    assert any(text.startswith("OS4-OO3 — ") for text in uncovered)
    assert "OS4-OO1" not in " ".join(uncovered)
    assert "1 objectif opérationnel(s) sur 19" in page.coherence_summary.text()
    outside = [page.outside_list.item(i).text() for i in range(page.outside_list.count())]
    assert outside == [
        "Ateliers nutrition — hors plan, justifiée : Demande des habitants lors de l'atelier du 12 mars. "
        f"(cite un autre plan : {NORMANDIE} : AX2)"
    ]

    # Comparing with another région's plan is possible; retaining it for the project is not.
    page.show_coherence(NORMANDIE)
    assert "ne sert qu'à comparer" in page.coherence_summary.text()
    assert page.coherence is not None and page.coherence.covers(prevention.id, "AX2")
    assert not page.retain_pack(NORMANDIE)
    assert any("concerne la région Normandie" in text for text in messages(page))
    close_messages(page)


def open_saint_amand_2005(window: MainWindow) -> None:
    """Open the guide's bare 2005 project (territory and plan only): most of step 6 still to do."""
    from tests.integration.test_health_project import saint_amand_2005

    project = saint_amand_2005(window.ctx.uow(), window.ctx.refdata)
    window.home.refresh()
    window.home.select_project(project.id)
    window.home.open_selected()


def test_readiness_checklist_of_the_demo_and_its_buttons(window: MainWindow, qtbot: QtBot) -> None:
    open_saint_amand_2005(window)
    info = window.workspace.project
    assert info is not None
    page = build_page(window, qtbot)
    page.load(info)
    page.tabs.setCurrentIndex(TAB_READY)
    readiness = page.readiness
    assert readiness is not None
    assert page.readiness_summary.text().startswith(
        "<b>Attendus de l'ARS : 1 sur 9 remplis ; socle de l'accord conventionnel interprofessionnel : 0 sur 4.</b>"
    )
    assert set(page.readiness_buttons) == {i.key for i in readiness.missing}
    assert "plan_financement" not in page.readiness_buttons
    icon = page.findChild(QWidget, "readinessIcon_plan_financement")
    assert icon is not None and icon.text() == "✔"  # type: ignore[attr-defined]

    # Another step: the workspace is asked to show step 5.
    with qtbot.waitSignal(page.navigate, timeout=2000) as signal:
        qtbot.mouseClick(page.readiness_buttons["projet_signe"], Qt.MouseButton.LeftButton)
    assert signal.args == [int(StepId.PROFESSIONNELS)]

    # This step: the right section of the projet de santé is shown.
    with qtbot.waitSignal(page.navigate, timeout=2000) as signal:
        qtbot.mouseClick(page.readiness_buttons["coordination"], Qt.MouseButton.LeftButton)
    assert signal.args == [int(StepId.PROJET_SANTE)]
    assert page.tabs.currentIndex() == TAB_TEXT
    assert page.sections_nav.currentItem().data(Qt.ItemDataRole.UserRole) == "projet_professionnel"

    # Answering the ACI criterion meets it at once.
    combo = page.section_widgets["aci.coordination"]
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("oui"))
    combo.activated.emit(combo.currentIndex())
    editor = page.section_widgets["pro.coordination"]
    assert isinstance(editor, TextEdit)
    editor.setPlainText("Une coordinatrice salariée de la SISA, à mi-temps.")
    editor.editingFinished.emit()
    page.tabs.setCurrentIndex(TAB_READY)
    assert page.readiness is not None
    assert page.readiness.item("aci_coordination").met and page.readiness.item("coordination").met
    assert "aci_coordination" not in page.readiness_buttons and "coordination" not in page.readiness_buttons


def test_projet_de_sante_sections(window: MainWindow, qtbot: QtBot, sqlite_database: Database) -> None:
    open_saint_amand_2005(window)
    info = window.workspace.project
    assert info is not None
    page = build_page(window, qtbot)
    page.load(info)
    page.tabs.setCurrentIndex(TAB_TEXT)
    uow = UnitOfWork(sqlite_database)

    # Free text: saved after a short pause, without leaving the field.
    editor = page.section_widgets["soins.non_programmes"]
    assert isinstance(editor, TextEdit)
    editor.setPlainText("Une plage sans rendez-vous chaque matin, tenue à tour de rôle.")
    qtbot.waitUntil(lambda: hp.get_sections(uow, info.id)["soins.non_programmes"].startswith("Une plage"), timeout=3000)

    # Structured fields are checked: a wrong SIRET is explained and not saved.
    siret = page.section_widgets["identification.siret"]
    assert isinstance(siret, QLineEdit)
    siret.setText("73282932000075")
    siret.editingFinished.emit()
    assert any("clé de contrôle" in text for text in shown_refusals(page))  # beside the field, no message box
    assert not messages(page)
    # Not saved, and kept on screen for correction.
    assert hp.get_sections(uow, info.id)["identification.siret"] == "" and siret.text() == "73282932000075"
    siret.setText("732 829 320 00074")
    siret.editingFinished.emit()
    assert hp.get_sections(uow, info.id)["identification.siret"] == "73282932000074"
    assert siret.text() == "73282932000074"

    # The diagnostic drafted from steps 1 to 3; replacing a written text asks first.
    text = page.draft_diagnostic()
    assert text is not None and text.startswith("Le territoire du projet réunit 6 communes")
    diagnostic = page.section_widgets["diagnostic.prealable"]
    assert isinstance(diagnostic, TextEdit) and diagnostic.toPlainText() == text
    diagnostic.setPlainText("Notre diagnostic, réécrit.")
    diagnostic.editingFinished.emit()
    page.ask_draft_diagnostic()
    click_confirm(page, "Remplacer")
    assert hp.get_sections(uow, info.id)["diagnostic.prealable"] == text

    # Signatories: the demo's team has not committed yet.
    page.sections_nav.setCurrentRow(page.sections_nav.count() - 1)
    assert page.team_table.rowCount() == 0
    assert "Aucun professionnel n'est encore engagé" in page.team_summary.text()
    with qtbot.waitSignal(page.navigate, timeout=2000) as signal:
        qtbot.mouseClick(page.team_button, Qt.MouseButton.LeftButton)
    assert signal.args == [int(StepId.PROFESSIONNELS)]


def test_delete_with_confirmation_and_refused_titles(
    window: MainWindow, qtbot: QtBot, sqlite_database: Database
) -> None:
    project_id, page = mayenne_project(window, qtbot, sqlite_database)
    priority = page.add_priority("Santé des jeunes")
    assert priority is not None
    objective = page.add_objective(priority, "Prévenir les conduites à risque")
    assert objective is not None
    sheet = page.add_action(objective, "Ateliers au collège")
    assert sheet is not None
    # A title cannot be emptied: told in French, the saved one shown again.
    page.action_title.setText("  ")
    page.action_title.editingFinished.emit()
    assert any("Donnez un intitulé de la fiche action" in text for text in messages(page))
    close_messages(page)
    assert page.action_title.text() == "Ateliers au collège"
    # Partners typed in the table.
    page.partners_table.setRowCount(1)
    page.partners_table.setItem(0, 1, QTableWidgetItem("animation"))
    page.partners_table.setItem(0, 0, QTableWidgetItem("Maison des adolescents"))
    assert stored(sqlite_database, sheet.id, window).draft.partners == (
        hp.Partner("Maison des adolescents", "animation"),
    )
    # Deleting the priority takes its objective and fiche along, once confirmed.
    page.select_item("priority", priority)
    page.delete_selected()
    click_confirm(page, "Annuler")
    assert len(hp.list_priorities(UnitOfWork(sqlite_database), project_id)) == 1
    page.delete_selected()
    click_confirm(page, "Supprimer")
    assert hp.list_priorities(UnitOfWork(sqlite_database), project_id) == []
    assert page.tree.topLevelItemCount() == 0 and page.current_sheet() is None


def test_gantt_chart_of_fiches() -> None:
    from santeloc.exports.gantt import gantt_chart, month_label

    def sheet(action_id: int, priority_id: int, title: str, start: date | None, end: date | None) -> hp.ActionSheet:
        milestones = (hp.Milestone(date(2026, 6, 1), "Choix de l'architecte"),) if action_id == 1 else ()
        draft = hp.ActionDraft(title=title, starts_on=start, ends_on=end, milestones=milestones)
        return hp.ActionSheet(action_id, 1, 1, "Objectif", priority_id, f"Priorité {priority_id}", draft)

    sheets = [
        sheet(1, 1, "Maison de santé", date(2026, 1, 15), date(2028, 12, 31)),
        sheet(2, 1, "Accueil des internes", date(2026, 9, 1), date(2026, 3, 1)),
        sheet(3, 2, "Transport solidaire", None, None),
    ]
    figure = gantt_chart(sheets, today=date(2026, 11, 22))
    axes = figure.axes[0]
    labels = [label.get_text() for label in axes.get_yticklabels()]
    assert labels == ["Priorité 1", "Maison de santé", "Accueil des internes", "Priorité 2", "Transport solidaire"]
    texts = [text.get_text() for text in axes.texts]
    assert "Aujourd'hui (22/11/2026)" in " ".join(texts)
    assert "fin avant le début" in texts and "dates à préciser" in texts
    assert "Choix de l'architecte" in texts
    ticks = [label.get_text() for label in axes.get_xticklabels()]
    assert ticks[0] == "janv. 2026" and all(t.split()[0] in ("janv.", "juil.") for t in ticks)
    assert month_label(date(2027, 8, 1)) == "août 2027"
    empty = gantt_chart([sheets[2]])
    assert "dates" in empty.axes[0].texts[0].get_text()
