"""Step 2 driven in the real window: registry by hand, RPPS import, establishments, demography."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from santeloc.gui.fields import shown_refusals
from santeloc.gui.main_window import MainWindow
from santeloc.persistence.engine import Database
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import offer as svc
from santeloc.services.territory import add_communes
from santeloc.workflow.steps import StepId
from tests.gui.conftest import close_messages, drawn, messages
from tests.integration.test_offer import rpps_file


def open_step_2(window: MainWindow, database: Database) -> tuple[int, object]:
    info = window.home.create_named("MSP de Saint-Amand")
    assert info is not None
    add_communes(UnitOfWork(database), info.id, ["58227", "58012"], refdata=window.ctx.refdata)
    window.open_project(info.id, StepId.OFFRE)
    return info.id, window.workspace.offer_page


def test_registry_by_hand_and_demography(window: MainWindow, qtbot: QtBot, sqlite_database: Database) -> None:
    project_id, page = open_step_2(window, sqlite_database)
    assert page.empty_label.isVisible()  # type: ignore[attr-defined]
    year = date.today().year
    for age in (63, 61, 45):
        page.add_professional()  # type: ignore[attr-defined]
        page.birth_year.setText(str(year - age))  # type: ignore[attr-defined]
        page.birth_year.editingFinished.emit()  # type: ignore[attr-defined]
        page.commune_edit.setText("Saint-Amand-en-Puisaye")  # type: ignore[attr-defined]
        page.commune_edit.editingFinished.emit()  # type: ignore[attr-defined]
    rows = svc.list_professionals(UnitOfWork(sqlite_database), project_id)
    assert sorted(r.age(year) for r in rows) == [45, 61, 63]
    assert {r.commune_code for r in rows} == {"58227"}
    # An FTE of 2: refused in French, nothing saved.
    page.fte_edit.setText("2")  # type: ignore[attr-defined]
    page.fte_edit.editingFinished.emit()  # type: ignore[attr-defined]
    assert any("1,5" in text for text in messages(window) + shown_refusals(window))
    close_messages(window)
    assert all(r.fte is None for r in svc.list_professionals(UnitOfWork(sqlite_database), project_id))
    page.tabs.setCurrentIndex(2)  # type: ignore[attr-defined]
    table = page.demography_table  # type: ignore[attr-defined]
    assert table.item(0, 0).text() == "Médecins généralistes" and table.item(0, 1).text() == "3"
    assert table.item(0, 5).text() == "2"  # aged 60 or more
    assert "Départs prévisibles" in page.demography_text.toPlainText()  # type: ignore[attr-defined]
    drawn(qtbot, page.pyramid_view)  # type: ignore[attr-defined]
    assert page.pyramid_view.figure is not None  # type: ignore[attr-defined]
    # Three GPs only: the census is not complete until the other professions are listed too.
    qtbot.waitUntil(lambda: StepId.OFFRE in window.workspace.completeness, timeout=10_000)
    qtbot.waitUntil(lambda: "une seule profession" in window.workspace.completeness[StepId.OFFRE].detail)
    assert window.workspace.completeness[StepId.OFFRE].state.value == "partial"


def test_rpps_import_in_the_background(
    window: MainWindow, qtbot: QtBot, sqlite_database: Database, tmp_path: Path
) -> None:
    _project_id, page = open_step_2(window, sqlite_database)
    task = page.import_rpps(rpps_file(tmp_path), 15)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not task.running, timeout=60_000)
    assert page.table.rowCount() == 3  # type: ignore[attr-defined]
    assert any("3 professionnel(s) importé(s)" in text for text in messages(window))


def test_establishments(window: MainWindow, sqlite_database: Database) -> None:
    _project_id, page = open_step_2(window, sqlite_database)
    page.kind_combo.setCurrentIndex(page.kind_combo.findData("ehpad"))  # type: ignore[attr-defined]
    page.establishment_name.setText("EHPAD Les Tilleuls")  # type: ignore[attr-defined]
    page.establishment_commune.setText("58227")  # type: ignore[attr-defined]
    assert page.add_establishment() is not None  # type: ignore[attr-defined]
    assert page.establishments.item(0, 2).text() == "Saint-Amand-en-Puisaye"  # type: ignore[attr-defined]
    page.establishment_name.setText("")  # type: ignore[attr-defined]
    assert page.add_establishment() is None  # type: ignore[attr-defined]
    assert any("Donnez un nom" in text for text in messages(window))


def test_table_import_with_mapping(window: MainWindow, sqlite_database: Database, tmp_path: Path) -> None:
    project_id, page = open_step_2(window, sqlite_database)
    example = Path(__file__).resolve().parents[2] / "docs" / "exemples" / "professionnels-exemple.csv"
    dialog = page.open_table_import(example)  # type: ignore[attr-defined]
    assert dialog is not None and dialog.mapping()["profession"] == 0 and dialog.mapping()["age"] == 4
    dialog.ok_button.click()
    assert len(svc.list_professionals(UnitOfWork(sqlite_database), project_id)) == 37
    bad = tmp_path / "bad.csv"
    bad.write_text("Profession;Nom;Commune;Âge\n;X;58227;40\nInfirmier;Y;58227;200\n", encoding="utf-8")
    dialog = page.open_table_import(bad)  # type: ignore[attr-defined]
    assert dialog is not None
    dialog.ok_button.click()
    assert dialog.errors.count() == 2 and dialog.errors.item(0).text().startswith("Ligne 2 :")
    assert len(svc.list_professionals(UnitOfWork(sqlite_database), project_id)) == 37


def test_reference_densities_compare_the_territory(window: MainWindow, sqlite_database: Database) -> None:
    _project_id, page = open_step_2(window, sqlite_database)
    page.add_professional()  # type: ignore[attr-defined]
    page.commune_edit.setText("58227")  # type: ignore[attr-defined]
    page.commune_edit.editingFinished.emit()  # type: ignore[attr-defined]
    assert page.set_references({"medecin_generaliste": {"departement": 7.8, "france": 8.9}})  # type: ignore[attr-defined]
    page.tabs.setCurrentIndex(2)  # type: ignore[attr-defined]
    text = page.demography_text.toPlainText()  # type: ignore[attr-defined]
    assert "valeur départementale" in text and "valeur nationale" in text
    assert not page.set_references({"infirmier": {"france": -3.0}})  # type: ignore[attr-defined]
    assert any("invraisemblable" in t for t in messages(window) + shown_refusals(window))


@pytest.mark.qt_log_ignore("does not support grabbing the keyboard", r"does not support raise\(\)")  # the popup menu
def test_an_ambiguous_commune_offers_the_candidates_territory_first(
    window: MainWindow, sqlite_database: Database
) -> None:
    info = window.home.create_named("MSP de Puisaye")
    assert info is not None
    add_communes(UnitOfWork(sqlite_database), info.id, ["89365"], refdata=window.ctx.refdata)  # Saint-Privé (89)
    window.open_project(info.id, StepId.OFFRE)
    page = window.workspace.offer_page
    page.add_professional()
    page.commune_edit.setText("Saint-Privé")
    page.commune_edit.editingFinished.emit()
    assert not messages(page) and page.commune_edit.text() == "Saint-Privé"  # kept, not cleared
    menu = page.candidates_menu
    labels = [action.text() for action in menu.actions()]
    assert len(labels) == 2 and labels[0].startswith("Saint-Privé (89365)") and "dans le territoire" in labels[0]
    menu.actions()[1].trigger()  # the other one, in Saône-et-Loire
    (row,) = svc.list_professionals(UnitOfWork(sqlite_database), info.id)
    assert row.commune_code == "71471" and page.commune_edit.text() == "Saint-Privé (71471)"
    assert row.name == "(sans nom)"  # no name and no RPPS number: never a bare "RPPS"
