"""Regenerates the screenshots of docs/ from the real application, offscreen, on the demo project.

QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [--out docs]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_home = tempfile.mkdtemp(prefix="santeloc-shots-")
os.environ["SANTELOC_DATA_DIR"] = _home
os.environ["XDG_CONFIG_HOME"] = _home

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from santeloc.gui.app import create_application  # noqa: E402
from santeloc.gui.context import AppContext  # noqa: E402
from santeloc.gui.main_window import MainWindow  # noqa: E402
from santeloc.persistence.engine import open_database  # noqa: E402
from santeloc.persistence.uow import UnitOfWork  # noqa: E402
from santeloc.refdata.geo import load_refdata  # noqa: E402
from santeloc.services.demo import create_demo_project  # noqa: E402
from santeloc.services.projects import create_project  # noqa: E402
from santeloc.workflow.steps import StepId  # noqa: E402


def grab(widget: QWidget, path: Path) -> None:
    """Let Qt lay out and paint, then save the widget as PNG."""
    for _ in range(5):
        QApplication.processEvents()
    widget.grab().save(str(path))
    print(f"écrit : {path}")


def _fill_example(database: object, refdata: object, project_id: int) -> None:
    """The illustrative (fictitious) files of docs/exemples, imported as a user would."""
    from santeloc.analysis.tabular import guess_mapping, read_table
    from santeloc.services import indicators
    from santeloc.services.territory import add_epci

    uow = UnitOfWork(database)  # type: ignore[arg-type]
    add_epci(uow, project_id, refdata.communes["58227"].epci, refdata)  # type: ignore[attr-defined]
    examples = Path(__file__).resolve().parents[1] / "docs" / "exemples"
    table = read_table(examples / "indicateurs-ors-exemple.csv")
    indicators.import_indicators(uow, project_id, indicators.prepare_import(table, guess_mapping(table.headers)))
    rows = indicators.list_indicators(uow, project_id)
    for row in rows:
        if row.label.startswith(("Mortalité prématurée", "Décès par suicide")):
            indicators.constat_from_indicator(uow, row)
    indicators.add_constat(uow, project_id, "Les habitants du nord du territoire disent renoncer aux soins dentaires")
    from santeloc.services import offer

    table = read_table(examples / "professionnels-exemple.csv")
    mapping = {"profession": 0, "last_name": 1, "first_name": 2, "commune": 3, "age": 4, "fte": 5}
    rows, errors = offer.prepare_professionals(table, mapping, refdata)  # type: ignore[arg-type]
    assert not errors, errors
    offer.import_professionals(uow, project_id, rows)
    ages = indicators.age_groups_from_table(read_table(examples / "ages-territoire-exemple.csv"))
    indicators.set_age_table(uow, project_id, "territoire", ages, year=2021, source="exemple")


def main() -> None:
    """Take every screenshot."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs"))
    out = Path(parser.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    app = create_application(["santeloc"])
    database = open_database(f"sqlite:///{_home}/santeloc.db")
    refdata = load_refdata()
    ctx = AppContext(database, refdata)
    window = MainWindow(ctx)
    window.resize(1366, 860)
    window.show()
    grab(window, out / "accueil-premier-demarrage.png")
    demo = create_demo_project(UnitOfWork(database), refdata)
    other = create_project(UnitOfWork(database), "MSP du Val de Loire", porteur_name="Communauté de communes du Val")
    _fill_example(database, refdata, other.id)
    window.home.refresh()
    grab(window, out / "accueil-projets.png")
    window.open_project(demo.id)
    grab(window, out / "etape-0-territoire.png")
    window.workspace.territory_page.ui.searchEdit.setText("saint amand")
    grab(window, out / "etape-0-recherche.png")
    window.workspace.go_to(StepId.HABITANTS)
    grab(window, out / "etape-4-a-venir.png")
    window.workspace.go_to(StepId.FINANCEMENT)
    finance = window.workspace.financing_page
    for index, name in enumerate(("depenses", "recettes", "equilibre", "emprunt-loyers", "scenarios", "financeurs")):
        finance.tabs.setCurrentIndex(index)
        if name == "recettes":
            finance.resources.selectRow(0)
        grab(window, out / f"etape-7-{name}.png")
    window.open_project(other.id, StepId.ETAT_SANTE)
    page = window.workspace.health_page
    target = next(r for r in page.rows if r.label.startswith("Mortalité prématurée"))
    page.select_indicator(target.id)
    grab(window, out / "etape-1-indicateurs.png")
    page.tabs.setCurrentIndex(1)
    grab(window, out / "etape-1-graphiques.png")
    page.tabs.setCurrentIndex(2)
    grab(window, out / "etape-1-population.png")
    page.tabs.setCurrentIndex(3)
    grab(window, out / "etape-1-constats.png")
    window.workspace.go_to(StepId.OFFRE)
    offer_page = window.workspace.offer_page
    offer_page.table.selectRow(0)
    grab(window, out / "etape-2-professionnels.png")
    offer_page.tabs.setCurrentIndex(2)
    grab(window, out / "etape-2-demographie.png")
    window.workspace.go_to(StepId.ACCESSIBILITE)
    access_page = window.workspace.access_page
    access_page.tabs.setCurrentIndex(1)
    access_page.compute()
    grab(window, out / "etape-3-accessibilite.png")
    figure = window.workspace.territory_page.map_view.figure
    assert figure is not None
    figure.savefig(out / "carte-territoire-exemple.png", dpi=120)
    print(f"écrit : {out / 'carte-territoire-exemple.png'}")
    window.close()
    database.dispose()
    app.quit()


if __name__ == "__main__":
    main()
