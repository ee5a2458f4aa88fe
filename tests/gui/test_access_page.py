"""Step 3 driven in the real window: the guide's measures, travel times, APL and its maps."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from santeloc.gui.fields import field_error
from santeloc.gui.main_window import MainWindow
from santeloc.persistence.engine import Database
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import offer
from santeloc.services.territory import add_epci
from santeloc.workflow.steps import StepId
from tests.gui.conftest import close_messages, drawn, messages


def test_measures_and_apl(window: MainWindow, qtbot: QtBot, sqlite_database: Database) -> None:
    info = window.home.create_named("Pôle de santé")
    assert info is not None
    refdata = window.ctx.refdata
    uow = UnitOfWork(sqlite_database)
    add_epci(uow, info.id, refdata.communes["58227"].epci or "", refdata)
    year = date.today().year
    for commune, age in (("58227", 50), ("58227", 67), ("89346", 45), ("58086", 40)):
        if commune in refdata.communes:
            offer.add_professional(
                uow, info.id, refdata, profession="medecin_generaliste", commune_code=commune, birth_year=year - age
            )
    window.open_project(info.id, StepId.ACCESSIBILITE)
    page = window.workspace.access_page
    value, source = page.measure_edits["part_c2s"]
    value.setText("7,5")
    source.setText("CPAM de la Nièvre")
    value.editingFinished.emit()
    assert offer.list_measures(uow, info.id)["part_c2s"].value == 7.5
    value.setText("130")
    value.editingFinished.emit()
    assert "100" in field_error(value) and value.text() == "130"  # explained beside it, kept as typed
    assert not messages(window)
    assert offer.list_measures(uow, info.id)["part_c2s"].value == 7.5
    value.setText("8")
    value.editingFinished.emit()
    assert field_error(value) == "" and offer.list_measures(uow, info.id)["part_c2s"].value == 8
    # The official figure first: the DREES's APL of every commune, its unit, year and threshold.
    assert page.tabs.tabText(0) == "APL officielle (DREES)"
    official = page.official
    names = [official.table.item(row, 0).text() for row in range(official.table.rowCount())]
    saint_amand = names.index("Saint-Amand-en-Puisaye")
    assert official.table.item(saint_amand, 2).text() == "3,38"
    assert official.table.horizontalHeaderItem(2).text() == "APL 2023"
    summary = official.summary.toPlainText()
    assert "consultations ou visites accessibles par habitant standardisé et par an" in summary
    assert "Sous le seuil de 2,5" in summary and "DREES" in summary and "ETP" not in summary
    drawn(qtbot, official.map)
    page.tabs.setCurrentIndex(2)
    assert page.age_cap.text() == "aucun âge" and page.choice().age_cap is None  # the DREES's main APL
    page.age_cap.setValue(65)
    task = page.compute()
    assert task is not None
    qtbot.waitUntil(lambda: page.result is not None, timeout=30_000)  # computed off the GUI thread
    text = page.summary.toPlainText()
    assert "1,3" in text and "60 km/h" in text  # the parameters are printed with the results
    assert "Repère indicatif" in text
    assert page.table.rowCount() > 30
    drawn(qtbot, page.apl_map, page.time_map)
    assert page.apl_map.figure is not None and page.time_map.figure is not None
    # The GP aged 67 is over the age cap: excluded from the supply, and the description says so;
    # the official value beside it is then the DREES's « moins de 65 ans » variant.
    assert "65" in text and "médecins de moins de 65 ans" in text and "Les deux diffèrent par" in text
    row = next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == "Saint-Amand-en-Puisaye")
    assert page.table.item(row, 4).text() == "2,37"
    # The run is stored: reopening the project shows it without computing again.
    shown = [page.table.item(row, 3).text() for row in range(page.table.rowCount())]
    window.open_project(info.id, StepId.TERRITOIRE)
    window.workspace.go_to(StepId.ACCESSIBILITE)
    page = window.workspace.access_page
    assert "calculé le" in page.summary.toPlainText()
    assert [page.table.item(row, 3).text() for row in range(page.table.rowCount())] == shown


def test_no_professional_says_what_to_do(window: MainWindow, qtbot: QtBot, sqlite_database: Database) -> None:
    from santeloc.services.territory import add_communes

    info = window.home.create_named("Sans professionnel")
    assert info is not None
    add_communes(UnitOfWork(sqlite_database), info.id, ["58227"], refdata=window.ctx.refdata)
    window.open_project(info.id, StepId.ACCESSIBILITE)
    task = window.workspace.access_page.compute()
    assert task is not None
    qtbot.waitUntil(lambda: not task.running, timeout=30_000)
    qtbot.waitUntil(lambda: any("Aucun professionnel" in text for text in messages(window)), timeout=5_000)
    assert window.workspace.access_page.result is None


def test_imported_travel_times_replace_the_estimate(
    window: MainWindow, qtbot: QtBot, sqlite_database: Database, tmp_path: object
) -> None:
    from pathlib import Path

    info = window.home.create_named("Distancier")
    assert info is not None
    uow = UnitOfWork(sqlite_database)
    refdata = window.ctx.refdata
    from santeloc.services.territory import add_communes

    add_communes(uow, info.id, ["58227", "58012"], refdata=refdata)
    offer.add_professional(uow, info.id, refdata, profession="medecin_generaliste", commune_code="58227")
    window.open_project(info.id, StepId.ACCESSIBILITE)
    page = window.workspace.access_page
    bad = Path(str(tmp_path)) / "metric.csv"
    bad.write_text("Départ;Arrivée;Durée (minutes)\n58012;58227;12\n58012;99999;5\n", encoding="utf-8")
    dialog = page.import_matrix(bad)
    assert dialog is not None
    dialog.ok_button.click()
    assert dialog.errors.count() == 1 and "99999" in dialog.errors.item(0).text()
    assert offer.travel_times(uow, info.id) == []
    good = Path(str(tmp_path)) / "metric-ok.csv"
    good.write_text("Départ;Arrivée;Durée (minutes)\n58012;58227;12\n58227;58012;12\n", encoding="utf-8")
    dialog = page.import_matrix(good)
    assert dialog is not None
    dialog.ok_button.click()
    assert len(offer.travel_times(uow, info.id)) == 2
    assert "Distancier importé : 2 trajets" in page.matrix_label.text()
    page.tabs.setCurrentIndex(2)
    # The matrix lacks pairs the estimate needs (the surroundings): told in French, nothing computed.
    task = page.compute()
    assert task is not None
    qtbot.waitUntil(lambda: not task.running, timeout=30_000)
    qtbot.waitUntil(
        lambda: any("manque" in text or "absent" in text or "distancier" in text for text in messages(window)),
        timeout=5_000,
    )
    assert page.result is None


def test_a_drees_workbook_imported_from_the_page(window: MainWindow, qtbot: QtBot, sqlite_database: Database) -> None:
    """The real DREES rows (extract kept in tests/data/real) imported off the GUI thread."""
    from pathlib import Path

    from santeloc.services.territory import add_communes

    info = window.home.create_named("APL importée")
    assert info is not None
    add_communes(UnitOfWork(sqlite_database), info.id, ["58227", "58012"], refdata=window.ctx.refdata)
    window.open_project(info.id, StepId.ACCESSIBILITE)
    page = window.workspace.access_page
    real = Path(__file__).resolve().parents[1] / "data" / "real" / "drees_apl_generalistes_extrait.xlsx"
    task = page.official.import_file(real)
    assert task is not None
    qtbot.waitUntil(lambda: any("APL officielle importée" in text for text in messages(window)), timeout=30_000)
    close_messages(window)
    # The imported 2023 vintage replaces the shipped one: the same published values.
    assert "millésime 2023" in page.official.summary.toPlainText()
    assert "Licence Ouverte" not in page.official.summary.toPlainText()  # the imported source, not the shipped one
    names = [page.official.table.item(r, 0).text() for r in range(page.official.table.rowCount())]
    assert page.official.table.item(names.index("Saint-Amand-en-Puisaye"), 2).text() == "3,38"


def test_what_if_scenario_and_where_to_open(window: MainWindow, qtbot: QtBot) -> None:
    """The mayor's question on the demo: two doctors at Saint-Amand, then where to put them."""
    window.home.open_demo()
    window.workspace.go_to(StepId.ACCESSIBILITE)
    page = window.workspace.access_page
    page.tabs.setCurrentWidget(page.scenarios)
    panel = page.scenarios
    assert panel.create_named("Deux médecins à Saint-Amand") is not None
    panel.kind.setCurrentIndex(panel.kind.findData("arrivee"))
    assert panel.commune.isVisibleTo(panel) and not panel.professional.isVisibleTo(panel)
    panel.commune.setCurrentIndex(panel.commune.findData("58227"))
    panel.count.setValue(2)
    panel.add_change()
    qtbot.waitUntil(lambda: panel.result is not None and len(panel.result.changes) == 1, timeout=30_000)
    assert "passerait de 2,81 à" in panel.sentence.text()
    assert panel.table.rowCount() == 6
    assert panel.changes.item(0).text().startswith("2 médecins s'installent à Saint-Amand-en-Puisaye")
    drawn(qtbot, panel.map)
    # The selection in the form survives the refresh the save caused.
    assert panel.commune.currentData() == "58227"
    panel.rank()
    qtbot.waitUntil(lambda: panel.ranking is not None, timeout=30_000)
    assert "1. " in panel.sites.toPlainText() and "Où installer 2 médecins" in panel.sites.toPlainText()
    # Side by side: today, the demo's two scenarios and this one.
    panel.compare()
    qtbot.waitUntil(lambda: getattr(panel, "comparison", None) is not None, timeout=30_000)
    table = panel.comparison.findChild(QTableWidget)
    assert table is not None and table.rowCount() == 4
    names = [table.item(r, 0).text() for r in range(4)]
    assert names[0].startswith("Aujourd'hui") and "Deux médecins à Saint-Amand" in names
    assert table.item(0, 1).text() == "2,81"
    panel.comparison.accept()
