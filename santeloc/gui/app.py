"""Composition root of the desktop application: options, database, reference data, window."""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from santeloc import __version__, fontcache
from santeloc.domain.errors import DatabaseError, DomainError
from santeloc.gui.main_window import MainWindow
from santeloc.persistence.config import ENV_DATA_DIR, default_database_url, resolve_database_url, user_data_dir

if TYPE_CHECKING:
    from concurrent.futures import Future

    from santeloc.gui.context import AppContext
    from santeloc.persistence.engine import Database
    from santeloc.refdata.geo import RefData

_started = time.perf_counter()
GUI_SWITCH_INTERVAL_S = 0.0002


def _import_database_layer() -> None:
    """Background thread: import the database layer while Qt creates and paints the window.

    SQLAlchemy takes about 0,3 s to import; the GUI thread would otherwise pay it after the
    window is shown and before the project list can be read. Started once the GUI thread has
    imported everything it needs to show the window, and joined before that thread touches the
    database layer: two threads importing modules that import each other could otherwise meet
    half-initialised modules. A failure is left for the GUI thread to meet (and report) when it
    imports the same modules.
    """
    try:
        importlib.import_module("santeloc.services.overview")  # SQLAlchemy Core and the list reader
        importlib.import_module("santeloc.persistence.engine")
    except Exception:  # re-raised where the GUI thread imports it
        return


def build_parser() -> argparse.ArgumentParser:
    """Command-line options of the GUI (French help)."""
    parser = argparse.ArgumentParser(prog="santeloc", description="santeloc : du diagnostic local au projet de santé.")
    parser.add_argument("--version", action="version", version=f"santeloc {__version__}")
    parser.add_argument(
        "--database-url", help="base partagée (postgresql://…) ou fichier SQLite ; sinon la base locale"
    )
    parser.add_argument("--data-dir", help="dossier des données de l'utilisateur (base locale, réglages)")
    parser.add_argument("--demo", action="store_true", help="crée le projet d'exemple s'il manque et l'ouvre")
    parser.add_argument("--smoke", action="store_true", help="vérifie que l'application démarre, puis quitte")
    parser.add_argument("--quit-after-show", action="store_true", help=argparse.SUPPRESS)  # benchmarks
    parser.add_argument("--quit-when-ready", action="store_true", help=argparse.SUPPRESS)  # benchmarks
    parser.add_argument("--quit-when-loaded", action="store_true", help=argparse.SUPPRESS)  # benchmarks
    return parser


def install_french(app: QApplication) -> None:
    """French locale for numbers and dates, and Qt's own French translations (dialog buttons…)."""
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.French), "qtbase", "_", folder):
        app.installTranslator(translator)
    from santeloc.gui.qt_french import MissingQtFrench  # what qtbase_fr.qm lacks ("&Look in:"…)

    app.installTranslator(MissingQtFrench(app))


def create_application(argv: Sequence[str]) -> QApplication:
    """The QApplication, named so that QSettings and the window manager find it."""
    # Charts are drawn, and the start-up's modules imported, in threads: the GUI thread must get
    # the interpreter back at once when it needs it (0,2 ms rather than Python's 5 ms), or every
    # database row it reads waits for those threads' turn.
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv))
    app.setOrganizationName("santeloc")
    app.setApplicationName("santeloc")
    app.setApplicationDisplayName("santeloc")
    app.setApplicationVersion(__version__)
    font = app.font()
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
        app.setFont(font)
    app.setFont(QFont(app.font()))
    install_french(app)
    return app


def open_or_explain(url: str, interactive: bool) -> Database | None:
    """Open the database; explain a failure in French and offer the local database instead."""
    from santeloc.persistence.engine import open_database  # imported by then (see main)

    try:
        return open_database(url)
    except DatabaseError as exc:
        if not interactive:
            print(f"Erreur : {exc.message}", file=sys.stderr)
            return None
        local = default_database_url()
        box = QMessageBox(QMessageBox.Icon.Critical, "Base de données", exc.message)
        use_local = None
        if url != local:
            use_local = box.addButton("Utiliser la base locale", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Quitter", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if use_local is not None and box.clickedButton() is use_local:
            return open_or_explain(local, interactive)
        return None


# Modules a project needs, imported behind the shown list so that opening a project does not
# pay for them: the ORM and the use cases, then the workspace, its first page and matplotlib.
WARM_UP_MODULES = (
    "santeloc.gui.glossary",
    "santeloc.services.projects",
    "santeloc.services.progress",
    "santeloc.workflow.readiness",
    "santeloc.gui.workspace",
    "santeloc.gui.pages.territory_page",
)


WARM_UP_THREAD = "santeloc-warm-up"
WARM_UP_WAIT_S = 1.0  # the longest the background loading waits for the list to be painted
SMOKE_DRAW_WAIT_S = 60.0  # the longest --smoke waits for the map drawn in its thread


def _warm_up(refdata: Future[RefData], list_shown: threading.Event, done: Callable[[], object]) -> None:
    """Background thread: load the reference data, then import what opening a project needs.

    It starts once the project list is painted (or the reference data are asked for), so that
    it does not compete with the list for the interpreter. Only imports and pure data here,
    never a widget. A failure to import is left for the GUI thread to meet (and report) when it
    imports the same module.
    """
    list_shown.wait(WARM_UP_WAIT_S)
    # The reference data and the modules are a few million objects that live as long as the
    # application. No garbage collection while they load (each full one would walk them all,
    # 0,1 s during which the GUI thread waits for the interpreter); then they are frozen, so
    # that later collections skip them.
    gc.disable()
    try:
        _load_behind(refdata)
    finally:
        gc.freeze()
        gc.enable()
        done()


def _load_behind(refdata: Future[RefData]) -> None:
    from santeloc.refdata.geo import load_refdata

    try:
        data = load_refdata()
        refdata.set_result(data)
        data.prepare()  # indexes and outlines, for the map of the first page
        from santeloc.refdata.apl import load_apl_baseline

        load_apl_baseline().latest.prepare()  # the DREES's APL of step 3, etat and the diagnostic
    except BaseException as exc:  # handed to whoever waits for the data
        if not refdata.done():
            refdata.set_exception(exc)
    for name in WARM_UP_MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # re-raised where the GUI thread imports it
            continue
    try:
        from sqlalchemy.orm import configure_mappers

        configure_mappers()  # done once, under SQLAlchemy's lock; else the first query pays it
    except Exception:  # the first query on the GUI thread meets it again and reports it
        return


def boot(window: MainWindow, url: str, interactive: bool) -> AppContext | None:
    """Open the database behind the shown window, fill the project list, load the rest behind it.

    The list needs the database only: the reference data (about 0,1 s) and the modules of a
    project (ORM, pages, matplotlib: about 1 s) load in a background thread while the user
    reads the list; the first use of ``ctx.refdata`` waits for them if needed.
    """
    database = open_or_explain(url, interactive)
    if database is None:
        return None
    from concurrent.futures import Future

    from santeloc.gui.context import AppContext
    from santeloc.refdata.geo import COMMUNES_FILE, resources_dir

    if not (resources_dir() / "refdata" / COMMUNES_FILE).is_file():
        message = "Les données de référence de santeloc sont introuvables. Réinstallez santeloc."
        if interactive:
            QMessageBox.critical(window, "Données de référence", message)
        else:
            print(f"Erreur : {message}", file=sys.stderr)
        return None
    refdata: Future[RefData] = Future()
    ctx = AppContext(database, refdata)
    window.attach(ctx)
    ctx.begin_loading()
    threading.Thread(
        target=_warm_up, args=(refdata, ctx.list_shown, ctx.end_loading), name=WARM_UP_THREAD, daemon=True
    ).start()
    return ctx


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``santeloc`` command."""
    # No garbage collection until the start-up's background loading ends (it then freezes what
    # was loaded and enables it again, see _warm_up): the imports and the window create a few
    # hundred thousand objects and almost no garbage (about 2 000 objects), yet each full
    # collection on the way walks them all — 0,05 to 0,08 s before the list is usable.
    gc.disable()
    args = build_parser().parse_args(list(argv) if argv is not None else sys.argv[1:])
    if args.data_dir:
        os.environ[ENV_DATA_DIR] = args.data_dir
    database_layer = threading.Thread(target=_import_database_layer, name="santeloc-import-db", daemon=True)
    database_layer.start()
    fonts_ready = fontcache.configure()  # before anything imports matplotlib
    app = create_application(sys.argv[:1])
    # The window first (it imports only Qt), then the database and data behind it; until the
    # list shows, the window says what is being prepared.
    window = MainWindow()
    url = resolve_database_url(args.database_url)
    window.loading_label.setText(_preparing_text(url))
    window.show()
    app.processEvents()
    database_layer.join()
    if args.quit_after_show:
        print(f"shown_after_s={time.perf_counter() - _started:.4f}", flush=True)
        return 0
    ctx = boot(window, url, interactive=not args.smoke)
    if ctx is None:
        return 1
    if not fonts_ready:
        _say_fonts_building(window, ctx)
    if args.quit_when_loaded:
        while not ctx.loaded.wait(0.01):
            app.processEvents()
        for thread in threading.enumerate():  # its last signal sent before Python shuts down
            if thread.name == WARM_UP_THREAD:
                thread.join()
        app.processEvents()
        print(f"loaded_after_s={time.perf_counter() - _started:.4f}", flush=True)
        return 0
    if args.quit_when_ready:
        app.processEvents()
        print(f"ready_after_s={time.perf_counter() - _started:.4f}", flush=True)
        return 0
    if args.demo or args.smoke:
        from santeloc.persistence.uow import UnitOfWork
        from santeloc.services.demo import create_demo_project

        try:
            info = create_demo_project(UnitOfWork(ctx.database), ctx.refdata)
        except DomainError as exc:
            print(f"Erreur : {exc.message}", file=sys.stderr)
            return 1
        window.open_project(info.id)
    if args.smoke:
        return _smoke(app, window, ctx.database)
    from PySide6.QtCore import QTimer

    from santeloc.gui.onboarding import should_show_onboarding

    if should_show_onboarding():
        QTimer.singleShot(0, window.start_tour)
    return int(app.exec())


def _preparing_text(url: str) -> str:
    """What the start-up screen says while the database opens (a new one is created)."""
    from santeloc.persistence.config import default_database_url

    if url == default_database_url() and not (user_data_dir() / "santeloc.db").exists():
        return "Premier démarrage : création de votre base de données locale…"
    return "Ouverture de santeloc : base de données et données de référence…"


def _say_fonts_building(window: MainWindow, ctx: AppContext) -> None:
    """First run without a prepared font cache (packaged app): say it, with a busy bar, until
    the start-up's loading (which builds it on importing matplotlib) ends."""
    from PySide6.QtWidgets import QProgressBar

    bar = QProgressBar()
    bar.setRange(0, 0)  # busy: matplotlib gives no progress of its own
    bar.setMaximumWidth(160)
    window.statusBar().addWidget(bar)
    label = QLabel("Première ouverture : préparation des polices des graphiques (une seule fois)…")
    window.statusBar().addWidget(label)

    for widget in (bar, label):  # slots of GUI-thread objects: queued from the loading thread
        ctx.warmed_up.connect(widget.deleteLater)
        if ctx.loaded.is_set():
            widget.deleteLater()


def _smoke(app: QApplication, window: MainWindow, database: Database) -> int:
    """Start-up check for packaged builds: window shown, demo open, map drawn, French loaded."""
    from santeloc.persistence.uow import UnitOfWork
    from santeloc.services.projects import get_project

    deadline = time.monotonic() + SMOKE_DRAW_WAIT_S

    def run_events_until(done: Callable[[], bool]) -> None:
        while not done() and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)

    # The demo, opened during the start-up loading, opens once it ends.
    run_events_until(lambda: window.ctx.loaded.is_set() and not window.opening_pending)
    app.processEvents()
    project = window.workspace.project
    problems = []
    if project is None:
        problems.append("le projet d'exemple ne s'est pas ouvert")
    else:
        info = get_project(UnitOfWork(database), project.id)
        if info.commune_count == 0:
            problems.append("le territoire de l'exemple est vide")
    map_view = window.workspace.territory_page.map_view
    # The map is drawn in its own thread and delivered through events.
    run_events_until(lambda: map_view.image is not None or bool(map_view.message))
    if map_view.image is None:
        problems.append("la carte n'a pas été dessinée" + (f" ({map_view.message})" if map_view.message else ""))
    if QApplication.translate("QPlatformTheme", "Cancel") != "Annuler":
        problems.append("traductions Qt françaises absentes")
    window.close()
    database.dispose()
    if problems:
        print("Démarrage : ÉCHEC — " + " ; ".join(problems), file=sys.stderr)
        return 1
    print(f"Démarrage : OK ({time.perf_counter() - _started:.2f} s)".replace(".", ","))
    return 0


if __name__ == "__main__":
    sys.exit(main())
