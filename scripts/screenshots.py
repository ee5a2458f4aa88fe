"""Regenerates the screenshots of docs/ from the real application.

Two projects: the demo (steps 0, 7 and 8) and an illustrative one filled from the fictitious
files of docs/exemples (steps 1 to 6, the help panel, the workshop), reached through the real
navigation of the window. The workshop is shown at 1280 × 720 (a projector).

Offscreen, the window is 1366 × 768 less a taskbar and a title bar. In a real window under a
virtual X server, the window opens as it would for the user on that screen (maximised below
1600 × 900), and ``--tour`` also takes every step and every tab of both projects, help panel
closed and open, into ``docs/ecrans/<largeur>x<hauteur>/`` (PNG reduced to 256 colours):

QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [--out docs]
QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots.py --tour
QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python scripts/screenshots.py --tour --only-tour
"""

from __future__ import annotations

import argparse
import io
import os
import re
import tempfile
import unicodedata
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_home = tempfile.mkdtemp(prefix="santeloc-shots-")
os.environ["SANTELOC_DATA_DIR"] = _home
os.environ["XDG_CONFIG_HOME"] = _home

from collections.abc import Callable  # noqa: E402

from PySide6.QtCore import QBuffer, QIODevice, QPoint, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QScrollArea, QTabWidget, QWidget  # noqa: E402

from santeloc.gui.app import create_application  # noqa: E402
from santeloc.gui.context import AppContext  # noqa: E402
from santeloc.gui.main_window import MainWindow  # noqa: E402
from santeloc.gui.map_canvas import FigureView  # noqa: E402
from santeloc.gui.pages.dossiers_page import DossiersPage  # noqa: E402
from santeloc.gui.pages.inhabitants import InhabitantsPage  # noqa: E402
from santeloc.gui.widgets import scroll_areas_around  # noqa: E402
from santeloc.persistence.engine import Database, open_database  # noqa: E402
from santeloc.persistence.uow import UnitOfWork  # noqa: E402
from santeloc.refdata.geo import RefData, load_refdata  # noqa: E402
from santeloc.services import indicators  # noqa: E402
from santeloc.services.demo import create_demo_project  # noqa: E402
from santeloc.services.projects import create_project  # noqa: E402
from santeloc.workflow.steps import StepId  # noqa: E402


def _charts_drawn(widget: QWidget) -> None:
    """Let Qt lay out, then wait for the charts shown (drawn in their own thread)."""
    for _ in range(5):
        QApplication.processEvents()
    window = widget.window()
    _wait_for(lambda: all(view.settled() for view in window.findChildren(FigureView) if view.isVisible()), 30.0)
    # The relecture of step 8 is read in a worker thread too.
    _wait_for(lambda: not any(page.review_pending for page in window.findChildren(DossiersPage)), 30.0)
    for _ in range(3):
        QApplication.processEvents()


def grab(widget: QWidget, path: Path) -> None:
    """Let Qt lay out and paint, then save the widget as PNG (reduced to 256 colours)."""
    _charts_drawn(widget)
    _save_small(widget.grab(), path)
    print(f"écrit : {path}")


def _save_small(pixmap: QPixmap, path: Path) -> None:
    """A screenshot as a 256-colour PNG: the same picture for a user, a third of the bytes."""
    from PIL import Image

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pixmap.save(buffer, "PNG")
    image = Image.open(io.BytesIO(bytes(buffer.data().data()))).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)


def grab_screen(window: QWidget, path: Path) -> None:
    """What the user sees: the screen itself in a real window, the window offscreen."""
    _charts_drawn(window)
    screen = window.screen()
    if QGuiApplication.platformName() == "offscreen" or screen is None:
        pixmap = window.grab()
    else:
        pixmap = screen.grabWindow(0)
    _save_small(pixmap, path)
    print(f"écrit : {path}")


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.replace("&", ""))
    ascii_text = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:40] or "onglet"


def _top_tabs(page: QWidget) -> list[QTabWidget]:
    """The tab widgets of a page that are not inside another tab widget of the page."""
    found = [t for t in page.findChildren(QTabWidget)]
    top = []
    for tabs in found:
        parent = tabs.parentWidget()
        nested = False
        while parent is not None and parent is not page:
            if isinstance(parent, QTabWidget):
                nested = True
                break
            parent = parent.parentWidget()
        if not nested:
            top.append(tabs)
    return top


def tour(
    window: MainWindow,
    project_id: int,
    steps: list[StepId],
    folder: Path,
    prefix: str = "",
    help_states: tuple[bool, ...] = (False, True),
) -> None:
    """Every step of ``steps`` and every tab (nested tabs too), with the help closed and/or open."""
    folder.mkdir(parents=True, exist_ok=True)
    window.open_project(project_id)
    workspace = window.workspace
    for help_open in help_states:
        workspace.help_panel.set_open(help_open, remember=False)
        suffix = "-aide" if help_open else ""
        for step in steps:
            workspace.go_to(step)
            page = workspace.pages[step]
            tabs_list = _top_tabs(page)
            if not tabs_list:
                grab_screen(window, folder / f"{prefix}etape-{int(step)}{suffix}.png")
                continue
            for tabs in tabs_list:
                for index in range(tabs.count()):
                    tabs.setCurrentIndex(index)
                    inner = [t for t in tabs.widget(index).findChildren(QTabWidget) if t.isVisibleTo(page)]
                    name = f"{prefix}etape-{int(step)}-{index + 1}-{_slug(tabs.tabText(index))}"
                    if not inner:
                        grab_screen(window, folder / f"{name}{suffix}.png")
                    for sub in inner[:1]:
                        for sub_index in range(sub.count()):
                            sub.setCurrentIndex(sub_index)
                            grab_screen(window, folder / f"{name}-{_slug(sub.tabText(sub_index))}{suffix}.png")
                        sub.setCurrentIndex(0)
                tabs.setCurrentIndex(0)
    workspace.help_panel.set_open(False, remember=False)


def _fill_example(database: Database, refdata: RefData, project_id: int) -> None:
    """The illustrative (fictitious) files of docs/exemples, imported as a user would."""
    from santeloc.analysis.tabular import guess_mapping, read_table
    from santeloc.services import offer
    from santeloc.services.territory import add_epci

    uow = UnitOfWork(database)
    epci = refdata.communes["58227"].epci
    assert epci is not None
    add_epci(uow, project_id, epci, refdata)
    examples = Path(__file__).resolve().parents[1] / "docs" / "exemples"
    table = read_table(examples / "indicateurs-ors-exemple.csv")
    indicators.import_indicators(uow, project_id, indicators.prepare_import(table, guess_mapping(table.headers)))
    for row in indicators.list_indicators(uow, project_id):
        if row.label.startswith(("Mortalité prématurée", "Décès par suicide")):
            indicators.constat_from_indicator(uow, row)
    indicators.add_constat(uow, project_id, "Les habitants du nord du territoire disent renoncer aux soins dentaires")
    table = read_table(examples / "professionnels-exemple.csv")
    mapping = {"profession": 0, "last_name": 1, "first_name": 2, "commune": 3, "age": 4, "fte": 5}
    professionals, errors = offer.prepare_professionals(table, mapping, refdata)
    assert not errors, errors
    offer.import_professionals(uow, project_id, professionals)
    ages = indicators.age_groups_from_table(read_table(examples / "ages-territoire-exemple.csv"))
    indicators.set_age_table(uow, project_id, "territoire", ages, year=2021, source="exemple")


def _answer_survey(page: InhabitantsPage, folder: Path) -> None:
    """Fictitious answers typed into the entry sheet, then imported as a user would (seeded: stable)."""
    import random

    import openpyxl

    sheet_path = page.export_entry_sheet(folder / "saisie.xlsx")
    _close_messages(page)
    assert sheet_path is not None
    questions = {q.number: q for q in page.questions}
    draw = random.Random(8)
    workbook = openpyxl.load_workbook(sheet_path)
    sheet = workbook["Saisie"]
    weights = {
        "Au cours des douze": (3, 5, 1),
        "Avez-vous un médecin": (6, 3, 1),
        "En général, sous quel": (1, 4, 3, 3, 1),
    }
    for row in range(2, 2 + 64):
        sheet.cell(row=row, column=1, value=str(row - 1))
        for number, question in questions.items():
            if question.kind not in ("single", "scale") or not question.choices:
                continue
            if draw.random() < 0.06:
                continue  # a few questions left blank, as on paper
            weight = next((w for start, w in weights.items() if question.text.startswith(start)), None)
            value = draw.choices(question.choices, weights=weight)[0]
            sheet.cell(row=row, column=number + 1, value=value)
    workbook.save(sheet_path)
    report = page.import_sheet(sheet_path)
    assert report is not None
    _close_messages(page)


def _close_messages(widget: QWidget) -> None:
    """Close the message boxes a page opened (a user would read and close them)."""
    from PySide6.QtWidgets import QMessageBox

    for box in widget.window().findChildren(QMessageBox):
        if box.isVisible():
            box.close()
    QApplication.processEvents()


def _commitments(database: Database, project_id: int) -> None:
    """A few professionals of the example met, then committed (lettre d'intention, signature)."""
    from datetime import date, timedelta

    from santeloc.services import mobilisation

    uow = UnitOfWork(database)
    rows = mobilisation.list_mobilisation(uow, project_id)
    today = date.today()
    by_profession: dict[str, list[int]] = {}
    for row in rows:
        by_profession.setdefault(row.profession, []).append(row.professional_id)
    path = ("contacte", "rencontre", "interesse", "lettre_intention", "signataire")
    plan = {  # profession: statuses reached by its first professionals
        "medecin_generaliste": ("signataire", "signataire", "lettre_intention", "interesse", "rencontre"),
        "infirmier": ("signataire", "lettre_intention", "lettre_intention", "rencontre"),
        "masseur_kinesitherapeute": ("lettre_intention", "interesse"),
        "chirurgien_dentiste": ("rencontre",),
        "pharmacien": ("contacte",),
    }
    for profession, statuses in plan.items():
        ids = by_profession.get(profession, [])
        for professional_id, reached in zip(ids, statuses, strict=False):
            steps = path[: path.index(reached) + 1]
            for offset, status in enumerate(steps):
                mobilisation.set_commitment(uow, professional_id, status, today - timedelta(days=120 - 25 * offset))
            if path.index(reached) >= 2:  # met, then interested: their answers to the guide's questions
                row = next(
                    r for r in mobilisation.list_mobilisation(uow, project_id) if r.professional_id == professional_id
                )
                mobilisation.update_mobilisation(
                    uow,
                    professional_id,
                    row.version,
                    wants_group_practice=True,
                    wants_pluriprofessional=True,
                    ready_to_move=reached != "interesse",
                    horizon="2027",
                    is_leader=professional_id == by_profession["medecin_generaliste"][0],
                )


def _wait_for(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    """Run the event loop until ``condition()`` holds (a background export, for instance)."""
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        QApplication.processEvents()
        time.sleep(0.02)
        if time.monotonic() > deadline:
            raise TimeoutError("l'opération attendue n'a pas abouti")


def _prepare_steps_4_to_6(window: MainWindow, database: Database, project_id: int) -> None:
    """Steps 4 to 6 of the illustrative project filled as the named pictures show them (for --only-tour)."""
    window.open_project(project_id, StepId.ACCESSIBILITE)
    workspace = window.workspace
    task = workspace.access_page.compute()
    if task is not None:
        _wait_for(lambda: not task.running)
    workspace.go_to(StepId.HABITANTS)
    inhabitants = workspace.inhabitants_page
    assert inhabitants.add_starter_questions()
    _answer_survey(inhabitants, Path(_home))
    renounce = next(q for q in inhabitants.questions if q.text.startswith("Au cours des douze"))
    inhabitants.select_result_question(renounce.id, "age_group")
    inhabitants.make_constat("Oui")
    _close_messages(inhabitants)
    workspace.go_to(StepId.PROJET_SANTE)
    project_page = workspace.health_project_page
    constats = indicators.list_constats(UnitOfWork(database), project_id)
    priorities = project_page.add_priorities_from_constats([c.id for c in constats])
    objective = project_page.add_objective(priorities[0], "Attirer et garder des médecins généralistes")
    assert objective is not None
    project_page.add_action_from_lever(objective, "maison_sante", link_suggested=True)
    _close_messages(project_page)


def main() -> None:
    """Take every screenshot."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs"))
    parser.add_argument("--tour", action="store_true", help="every step and tab into docs/ecrans/<taille>/")
    parser.add_argument("--only-tour", action="store_true", help="only the tour (not the named pictures)")
    parser.add_argument("--help-states", choices=("both", "closed", "open"), default="both",
                        help="the tour with the help panel closed, open or both")  # fmt: skip
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = create_application(["santeloc"])
    database = open_database(f"sqlite:///{_home}/santeloc.db")
    refdata = load_refdata()
    ctx = AppContext(database, refdata)
    window = MainWindow(ctx)
    if QGuiApplication.platformName() == "offscreen":  # no screen to fit: a 1366 × 768 laptop's window
        window.setWindowState(Qt.WindowState.WindowNoState)
        window.resize(1366, 768 - 40 - 30)
    window.show()
    size = window.screen().size()
    states = {"both": (False, True), "closed": (False,), "open": (True,)}[args.help_states]
    tour_folder = out / "ecrans" / f"{size.width()}x{size.height()}"
    if args.only_tour:
        demo = create_demo_project(UnitOfWork(database), refdata)
        other = create_project(
            UnitOfWork(database), "MSP du Val de Loire", porteur_name="Communauté de communes du Val"
        )
        _fill_example(database, refdata, other.id)
        _commitments(database, other.id)
        _prepare_steps_4_to_6(window, database, other.id)
        tour(window, demo.id, [StepId.TERRITOIRE, StepId.FINANCEMENT, StepId.DOSSIERS], tour_folder, "exemple-", states)
        tour(window, other.id, [StepId(n) for n in range(1, 7)], tour_folder, "", states)
        window.close()
        database.dispose()
        app.quit()
        return
    grab(window, out / "accueil-premier-demarrage.png")
    demo = create_demo_project(UnitOfWork(database), refdata)
    other = create_project(UnitOfWork(database), "MSP du Val de Loire", porteur_name="Communauté de communes du Val")
    _fill_example(database, refdata, other.id)
    _commitments(database, other.id)
    window.home.refresh()
    grab(window, out / "accueil-projets.png")
    window.open_project(demo.id)
    workspace = window.workspace
    help_panel = workspace.help_panel
    help_panel.set_open(False, remember=False)  # the pages at full width; the help has its own picture
    grab(window, out / "etape-0-territoire.png")
    workspace.territory_page.ui.searchEdit.setText("saint amand")
    grab(window, out / "etape-0-recherche.png")
    workspace.territory_page.ui.searchEdit.clear()
    workspace.go_to(StepId.FINANCEMENT)
    finance = workspace.financing_page
    for index, name in enumerate(("depenses", "recettes", "equilibre", "emprunt-loyers", "scenarios", "financeurs")):
        finance.tabs.setCurrentIndex(index)
        if name == "recettes":
            finance.resources.selectRow(0)
        grab(window, out / f"etape-7-{name}.png")
    finance.tabs.setCurrentIndex(0)

    window.open_project(other.id, StepId.ETAT_SANTE)
    page = workspace.health_page
    target = next(r for r in page.rows if r.label.startswith("Mortalité prématurée"))
    page.select_indicator(target.id)
    grab(window, out / "etape-1-indicateurs.png")
    page.tabs.setCurrentIndex(1)
    grab(window, out / "etape-1-graphiques.png")
    page.tabs.setCurrentIndex(2)
    grab(window, out / "etape-1-population.png")
    page.tabs.setCurrentIndex(3)
    grab(window, out / "etape-1-constats.png")
    workspace.go_to(StepId.OFFRE)
    offer_page = workspace.offer_page
    offer_page.table.selectRow(0)
    grab(window, out / "etape-2-professionnels.png")
    offer_page.tabs.setCurrentIndex(2)
    grab(window, out / "etape-2-demographie.png")
    workspace.go_to(StepId.ACCESSIBILITE)
    access_page = workspace.access_page
    access_page.tabs.setCurrentIndex(0)  # the DREES's APL, the official figure first
    grab(window, out / "etape-3-apl-officielle.png")
    access_page.tabs.setCurrentIndex(2)
    task = access_page.compute()
    if task is not None:
        _wait_for(lambda: not task.running)
    grab(window, out / "etape-3-accessibilite.png")
    # The mayor's question: two doctors in the bourg, then where they would lift most people above 2,5.
    panel = access_page.scenarios
    access_page.tabs.setCurrentWidget(panel)
    panel.create_named("Deux médecins au bourg")
    panel.kind.setCurrentIndex(panel.kind.findData("arrivee"))
    panel.count.setValue(2)
    panel.add_change()
    _wait_for(lambda: panel.result is not None and bool(panel.result.changes))
    panel.rank()
    _wait_for(lambda: panel.ranking is not None)
    grab(window, out / "etape-3-scenarios.png")

    # Step 4: the starter questionnaire, then fictitious answers, crossed by age group.
    workspace.go_to(StepId.HABITANTS)
    inhabitants = workspace.inhabitants_page
    created = inhabitants.add_starter_questions()
    assert created
    inhabitants.select_question(created[3])
    grab(window, out / "etape-4-questionnaire.png")
    _answer_survey(inhabitants, Path(_home))
    inhabitants.tabs.setCurrentIndex(1)
    grab(window, out / "etape-4-saisie.png")
    renounce = next(q for q in inhabitants.questions if q.text.startswith("Au cours des douze"))
    inhabitants.select_result_question(renounce.id, "age_group")
    grab(window, out / "etape-4-resultats.png")
    inhabitants.make_constat("Oui")
    _close_messages(inhabitants)

    # Step 5: the commitments recorded above.
    workspace.go_to(StepId.PROFESSIONNELS)
    mobilisation_page = workspace.mobilisation_page
    mobilisation_page.tabs.setCurrentIndex(0)
    leader = next(r for r in mobilisation_page.professionals if r.is_leader)
    mobilisation_page.select_professional(leader.professional_id)
    grab(window, out / "etape-5-professionnels.png")
    mobilisation_page.tabs.setCurrentIndex(1)
    grab(window, out / "etape-5-synthese.png")

    # Step 6: priorities from the constats, an objective, a fiche action from a lever.
    workspace.go_to(StepId.PROJET_SANTE)
    project_page = workspace.health_project_page
    constats = indicators.list_constats(UnitOfWork(database), other.id)
    priorities = project_page.add_priorities_from_constats([c.id for c in constats])
    assert priorities
    objective = project_page.add_objective(priorities[0], "Attirer et garder des médecins généralistes")
    assert objective is not None
    sheet = project_page.add_action_from_lever(objective, "maison_sante", link_suggested=True)
    assert sheet is not None
    _close_messages(project_page)
    grab(window, out / "etape-6-priorites.png")
    project_page.tabs.setCurrentIndex(4)
    grab(window, out / "etape-6-pret-ars.png")
    project_page.tabs.setCurrentIndex(0)

    # The help panel (F1), open on step 5.
    workspace.go_to(StepId.PROFESSIONNELS)
    mobilisation_page.tabs.setCurrentIndex(0)
    help_panel.set_open(True, remember=False)
    grab(window, out / "aide-etape-5.png")
    help_panel.set_open(False, remember=False)

    # The glossary (menu Aide).
    from santeloc.gui.glossary import GlossaryDialog

    glossary = GlossaryDialog(window, "CPTS")
    glossary.resize(1180, 640)  # wide enough for the long expansions in the list
    glossary.show()
    grab(glossary, out / "lexique.png")
    glossary.close()

    # Workshop mode, as a 1280 × 720 projector would show it.
    from santeloc.gui.workshop import WorkshopWindow

    workshop = WorkshopWindow(ctx, other.id, window)
    workshop.resize(1280, 720)
    workshop.show()
    workshop.next_slide()
    grab(workshop, out / "atelier-diapositive.png")
    workshop.start_vote()
    titles = workshop.checked_candidates()
    votes = {
        "Conseil municipal": (5, 2, 1, 2),
        "Professionnels de santé": (3, 4, 0, 3),
        "Habitants": (2, 1, 0, 7),
    }
    for participant, points in votes.items():
        for title, given in zip(titles, points, strict=False):
            workshop.set_points(participant, title, given)
    grab(workshop, out / "atelier-vote.png")
    workshop.close()

    figure = workspace.territory_page.map_view.figure
    assert figure is not None
    figure.savefig(out / "carte-territoire-exemple.png", dpi=120)
    print(f"écrit : {out / 'carte-territoire-exemple.png'}")

    # Step 8 on the example project: the relecture lists what its documents still miss.
    window.open_project(other.id, StepId.DOSSIERS)
    review = workspace.dossiers_page
    _charts_drawn(review)
    for area in scroll_areas_around(review.review_tree):  # the relecture at the top of the view
        if isinstance(area, QScrollArea) and area.widget() is not None:
            area.verticalScrollBar().setValue(review.review_label.mapTo(area.widget(), QPoint(0, 0)).y() - 8)
    _charts_drawn(review)
    grab(window, out / "etape-8-relecture.png")

    # Step 8 on the demo: its plan has four funders, hence four grant applications.
    window.open_project(demo.id, StepId.DOSSIERS)  # last: its footer would show on the pictures after it
    dossiers = workspace.dossiers_page
    dossiers.folder_edit.setText(str(Path(_home) / "Documents" / "santeloc" / "Maison de santé de Saint-Amand"))
    dossiers.pdf_check.setChecked(False)  # LibreOffice may be missing: the same picture everywhere
    dossiers.checks["zip"].setChecked(False)
    task = dossiers.export()
    assert task is not None
    _wait_for(lambda: dossiers.export_button.isEnabled())
    _close_messages(dossiers)
    assert dossiers.produced, "la production des dossiers a échoué"
    dossiers.files.setCurrentRow(0)
    grab(window, out / "etape-8-dossiers.png")
    if args.tour:
        tour(window, demo.id, [StepId.TERRITOIRE, StepId.FINANCEMENT, StepId.DOSSIERS], tour_folder, "exemple-", states)
        tour(window, other.id, [StepId(n) for n in range(1, 7)], tour_folder, "", states)
    window.close()
    database.dispose()
    app.quit()


if __name__ == "__main__":
    main()
