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
