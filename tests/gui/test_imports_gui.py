"""Issue 14 imports through the real window: FINESS number field, FINESS and RPPS zip imports."""

from __future__ import annotations

import zipfile
from pathlib import Path

from pytestqt.qtbot import QtBot

from santeloc.gui.main_window import MainWindow
from santeloc.persistence.engine import Database
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import offer as svc
from tests.gui.conftest import messages
from tests.gui.test_offer_page import open_step_2
from tests.integration.test_offer import rpps_file

REAL_FINESS = Path(__file__).parents[1] / "data" / "real" / "etalab-cs1100507-stock-extrait.csv"


def test_finess_field_and_import(window: MainWindow, qtbot: QtBot, sqlite_database: Database, tmp_path: Path) -> None:
    project_id, page = open_step_2(window, sqlite_database)
    page.kind_combo.setCurrentIndex(page.kind_combo.findData("ehpad"))  # type: ignore[attr-defined]
    page.establishment_name.setText("EHPAD Les Tilleuls")  # type: ignore[attr-defined]
    page.establishment_commune.setText("58227")  # type: ignore[attr-defined]
    page.establishment_finess.setText("580000000")  # type: ignore[attr-defined]
    assert page.add_establishment() is not None  # type: ignore[attr-defined]
    (row,) = svc.list_establishments(UnitOfWork(sqlite_database), project_id)
    assert row.finess == "580000000"
    assert page.establishments.item(0, 3).text() == "580000000"  # type: ignore[attr-defined]
    # The real extraction moved to the territory (Saint-Amand-en-Puisaye, 58227) by its routing line only.
    lines = REAL_FINESS.read_bytes().decode("cp1252").splitlines()
    cells = lines[1].split(";")
    cells[12], cells[13], cells[15] = "", "58", "58310 SAINT AMAND EN PUISAYE"
    path = tmp_path / "etalab-cs1100507-stock-20261201-0400.csv"
    path.write_bytes("\r\n".join([lines[0], ";".join(cells), *lines[2:]]).encode("cp1252"))
    task = page.import_finess(path)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not task.running, timeout=60_000)
    assert page.establishments.rowCount() == 2  # type: ignore[attr-defined]
    assert any("1 établissement(s) importé(s)" in text for text in messages(window))


def test_rpps_zip_through_the_page(window: MainWindow, qtbot: QtBot, sqlite_database: Database, tmp_path: Path) -> None:
    _project_id, page = open_step_2(window, sqlite_database)
    text = rpps_file(tmp_path)
    archive = tmp_path / "PS_LibreAcces.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(text, text.name)
    task = page.import_rpps(archive, 15)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not task.running, timeout=60_000)
    assert page.table.rowCount() == 3  # type: ignore[attr-defined]
    assert any("3 professionnel(s) importé(s)" in t and "ligne(s) lue(s)" in t for t in messages(window))


def test_wide_table_and_workbook_sheets(
    window: MainWindow, qtbot: QtBot, sqlite_database: Database, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    from santeloc.gui.dialogs.wide_table_dialog import WideTableDialog
    from santeloc.services import indicators as indicator_svc
    from tests.gui.test_health_page import open_step_1

    project_id, page = open_step_1(window, sqlite_database)
    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Notes"
    notes.append(["Source : Insee, Statistiques locales"])
    notes.append(["Lecture : …"])
    data = book.create_sheet("Données")
    data.append(["Statistiques locales - Commune"])
    data.append([])
    data.append(["Code", "Libellé", "Médecin généraliste (en nombre) 2024", "Taux de mortalité 2015-2019"])
    data.append(["58227", "Saint-Amand-en-Puisaye", 3, "N/A - secret statistique"])
    data.append(["58012", "Arquian", 1, 9.5])
    path = tmp_path / "statistiques-locales.xlsx"
    book.save(path)
    task = page.read_import_file(path)
    qtbot.waitUntil(lambda: not task.running, timeout=60_000)
    first = page.import_dialog
    from PySide6.QtWidgets import QComboBox

    assert first.findChild(QComboBox, "sheetCombo") is not None
    # The first sheet holds notes: the user picks the data sheet and gets the territory dialog.
    from santeloc.gui.dialogs.wide_table_dialog import reopen_on_sheet

    wide = reopen_on_sheet(first, "Données")
    assert isinstance(wide, WideTableDialog)
    assert wide.level_combo.currentData() == "commune" and wide.columns.count() == 2
    assert wide.check_and_import() == 2
    rows = {r.label: r for r in indicator_svc.list_indicators(UnitOfWork(sqlite_database), project_id)}
    assert rows["Médecin généraliste (en nombre)"].value_territory == 3
    assert rows["Taux de mortalité"].value_territory is None  # secret in the territory's only commune
    assert any("case(s) « non disponible »" in text for text in messages(window))
    qtbot.waitUntil(lambda: len(page.rows) == 2, timeout=10_000)


def test_period_typed_in_the_year_field(window: MainWindow, sqlite_database: Database) -> None:
    from santeloc.services import indicators as indicator_svc
    from tests.gui.test_health_page import open_step_1

    project_id, page = open_step_1(window, sqlite_database)
    uow = UnitOfWork(sqlite_database)
    new_id = indicator_svc.add_custom(uow, project_id, "Taux de mortalité prématurée", "mortalite", "pour_100000")
    page.refresh()
    page.select_indicator(new_id)
    page.year_edit.setText("2015-2019")
    page.year_edit.editingFinished.emit()
    (row,) = [r for r in indicator_svc.list_indicators(uow, project_id) if r.id == new_id]
    assert (row.period, row.year, row.year_label) == ("2015-2019", 2019, "2015-2019")
    page.year_edit.setText("2015 - 2030")
    page.year_edit.editingFinished.emit()
    assert any("futur" in text for text in messages(window))
    page.year_edit.setText("2021")
    page.year_edit.editingFinished.emit()
    (row,) = [r for r in indicator_svc.list_indicators(uow, project_id) if r.id == new_id]
    assert (row.period, row.year) == ("", 2021)


def test_headerless_travel_table_asks_and_insee_age_table_feeds_the_pyramid(
    window: MainWindow, sqlite_database: Database, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QLabel

    from santeloc.services import indicators as indicator_svc
    from santeloc.services.territory import add_communes
    from santeloc.workflow.steps import StepId

    info = window.home.create_named("Distancier sans titres")
    assert info is not None
    uow = UnitOfWork(sqlite_database)
    add_communes(uow, info.id, ["58227", "58012"], refdata=window.ctx.refdata)
    window.open_project(info.id, StepId.ACCESSIBILITE)
    page = window.workspace.access_page
    path = tmp_path / "distancier.csv"
    path.write_text("58012;58227;9,5;12;15\n58227;58012;9,5;12;15\n", encoding="utf-8")
    dialog = page.import_matrix(path)
    assert dialog is not None and dialog.mapping() == {}
    question = dialog.findChild(QLabel, "mappingQuestion")
    assert question is not None and "pas de ligne de titres" in question.text()
    for key, index in (("origin", 0), ("destination", 1), ("minutes", 3)):
        dialog.combos[key].setCurrentIndex(dialog.combos[key].findData(index))
    dialog.ok_button.click()
    assert sorted(m for _o, _d, m in svc.travel_times(uow, info.id)) == [12.0, 12.0]
    # An INSEE table by single year of age (204 columns) for the pyramid of step 1.
    window.open_project(info.id, StepId.ETAT_SANTE)
    health = window.workspace.health_page
    ages = [f"SEXE{s}_AGED100{a:03d}" for s in (1, 2) for a in range(101)]
    table = tmp_path / "TD_POP1B.csv"
    rows = [["CODGEO", "LIBGEO", *ages], ["58227", "Saint-Amand", *(["2"] * 202)], ["58012", "Arquian", *(["1"] * 202)]]
    table.write_text("\n".join(";".join(r) for r in rows) + "\n", encoding="utf-8")
    assert health.import_age_file(table, "territoire")
    groups = indicator_svc.age_table(uow, info.id, "territoire")
    assert len(groups) == 101 and groups[0].men == 3 and groups[-1].label == "100 ans ou plus"


def test_bassin_de_vie_table_lists_and_ticks_the_territory_rows(
    window: MainWindow, qtbot: QtBot, sqlite_database: Database
) -> None:
    """Issue 23: a CartoSanté table by bassin de vie is recognised; its rows are listed, the
    territory's pre-ticked; a second click imports them."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from santeloc.gui.dialogs.wide_table_dialog import WideTableDialog
    from santeloc.services import indicators as indicator_svc
    from tests.gui.test_health_page import open_step_1

    path = Path(__file__).parents[1] / "data" / "layouts" / "cartosante_bassins_de_vie.csv"
    project_id, page = open_step_1(window, sqlite_database)
    task = page.read_import_file(path)
    qtbot.waitUntil(lambda: not task.running and hasattr(page, "import_dialog"), timeout=60_000)
    dialog = page.import_dialog
    assert isinstance(dialog, WideTableDialog) and dialog.level_combo.currentData() == "autre"
    note = dialog.findChild(QLabel, "wideLevelNote")
    assert note is not None and "bassins de vie" in note.text() and "Référentiel géographique" in note.text()
    assert not dialog.rows_list.isHidden() and dialog.rows_list.count() == 5
    assert dialog.check_and_import() == 0  # nothing ticked: the dialog asks, ticks the candidate
    assert "Cochez-les dans la liste" in dialog.message.text() and "--lignes" not in dialog.message.text()
    ticked = [dialog.rows_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.rows_list.count())
              if dialog.rows_list.item(i).checkState() == Qt.CheckState.Checked]  # fmt: skip
    assert ticked == ["58227"]
    assert dialog.check_and_import() == 4
    rows = {r.label: r for r in indicator_svc.list_indicators(UnitOfWork(sqlite_database), project_id)}
    assert rows["Médecins généralistes libéraux (en nombre)"].value_territory == 3
    assert any("Niveau géographique : bassins de vie" in text for text in messages(window))
