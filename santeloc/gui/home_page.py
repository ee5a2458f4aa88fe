"""The list of projects: create, open, rename, duplicate, delete, and the demo project."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.formatting import format_datetime, format_int
from santeloc.gui.context import AppContext
from santeloc.gui.ops import confirm, run_action
from santeloc.gui.widgets import fit_dialog, names_get_width
from santeloc.services.changes import Kind, OpChanges
from santeloc.services.overview import ProjectInfo, list_projects

if TYPE_CHECKING:
    from pathlib import Path
    from types import ModuleType

    from santeloc.gui.workers import BackgroundTask


def _project_service() -> ModuleType:
    """The project use cases, imported on first use: they load the ORM, which the list does not need."""
    from santeloc.services import projects

    return projects


TITLE = "Projets"
COLUMNS = ("Projet", "Type", "Porteur", "Communes", "Dernière modification")


class HomePage(QWidget):
    """First screen: the user's projects."""

    open_requested = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.projects: list[ProjectInfo] = []
        self.task: BackgroundTask | None = None
        self.last_written: Path | None = None
        self.last_imported: ProjectInfo | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(14)

        title = QLabel("Vos projets de santé")
        title.setStyleSheet("font-size: 20pt; font-weight: 600; color: #1d4a40;")
        intro = QLabel(
            "Du diagnostic local de santé au projet de santé et à son plan de financement : "
            "chaque projet suit pas à pas la méthode du guide. Tout ce que vous saisissez est "
            "enregistré immédiatement sur cet ordinateur."
        )
        intro.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(intro)

        self.demo_banner = QFrame()
        self.demo_banner.setObjectName("demoBanner")
        self.demo_banner.setStyleSheet(
            "#demoBanner { background: #fff6dc; border: 1px solid #f2c14e; border-radius: 6px; }"
        )
        banner_layout = QHBoxLayout(self.demo_banner)
        banner_text = QLabel(
            "<b>Première visite ?</b> Découvrez santeloc avec un projet d'exemple : la maison de santé de "
            "Saint-Amand-en-Puisaye (Nièvre), cas réel décrit dans le guide, avec son territoire et son "
            "plan de financement."
        )
        banner_text.setWordWrap(True)
        self.demo_button = QPushButton("Ouvrir le projet d'exemple")
        self.demo_button.setObjectName("demoButton")
        self.demo_button.clicked.connect(self.open_demo)
        banner_layout.addWidget(banner_text, 1)
        banner_layout.addWidget(self.demo_button)
        layout.addWidget(self.demo_banner)

        buttons = QHBoxLayout()
        self.new_button = QPushButton("Nouveau projet…")
        self.open_button = QPushButton("Ouvrir")
        self.rename_button = QPushButton("Renommer…")
        self.duplicate_button = QPushButton("Dupliquer")
        self.delete_button = QPushButton("Supprimer…")
        self.export_button = QPushButton("Exporter le projet…")
        self.export_button.setToolTip("Tout le projet dans un fichier .santeloc, pour un collègue ou une autre machine")
        self.import_button = QPushButton("Importer un projet…")
        self.new_button.setDefault(True)
        for button in (
            self.new_button,
            self.open_button,
            self.rename_button,
            self.duplicate_button,
            self.delete_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.import_button)
        layout.addLayout(buttons)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("projectTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        names_get_width(self.table, name_minimum=200)
        self.table.setWordWrap(False)
        layout.addWidget(self.table, 1)
        self.empty_label = QLabel("Aucun projet pour l'instant : créez le vôtre avec « Nouveau projet… ».")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: #4d5c57; padding: 12px;")
        layout.addWidget(self.empty_label)

        self.new_button.clicked.connect(self.new_project)
        self.open_button.clicked.connect(self.open_selected)
        self.rename_button.clicked.connect(self.rename_selected)
        self.duplicate_button.clicked.connect(self.duplicate_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.export_button.clicked.connect(self._ask_export)
        self.import_button.clicked.connect(self._ask_import)
        self.table.itemDoubleClicked.connect(lambda _item: self.open_selected())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        ctx.changed.connect(self._on_changes)
        self.refresh()

    def _on_changes(self, changes: OpChanges) -> None:
        if changes.touches(Kind.PROJECTS):
            self.refresh()

    def refresh(self) -> None:
        """Re-read the projects from the database."""
        selected = self.selected_project()
        projects = run_action(self, TITLE, lambda: list_projects(self.ctx.uow()))
        if projects is None:
            return
        self.projects = projects
        self.table.setRowCount(len(projects))
        for row, info in enumerate(projects):
            name = info.name + ("  [exemple]" if info.is_demo else "")
            tooltip = "Projet d'exemple tiré du guide : modifiez-le librement." if info.is_demo else info.name
            if info.is_damaged:  # a value this version cannot read: listed, explained, never a crash
                name = "⚠ " + name
                tooltip = f"{info.name} — valeurs illisibles : {info.damage}."
            cells = (
                name,
                info.project_type.label,
                info.porteur_name,
                format_int(info.commune_count),
                format_datetime(info.updated_at.astimezone()),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, info.id)
                item.setToolTip(tooltip if column == 0 else text)
                if column == 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
            if selected is not None and info.id == selected.id:
                self.table.selectRow(row)
        if projects and not self.table.selectedItems():
            self.table.selectRow(0)
        self.demo_banner.setVisible(not any(p.is_demo for p in projects))
        self.empty_label.setVisible(not projects)
        self.table.setVisible(bool(projects))
        self._update_buttons()

    def selected_project(self) -> ProjectInfo | None:
        """The project selected in the table."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        project_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return next((p for p in self.projects if p.id == project_id), None)

    def select_project(self, project_id: int) -> None:
        """Select a project's row."""
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == project_id:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        has = self.selected_project() is not None
        for button in (
            self.open_button,
            self.rename_button,
            self.duplicate_button,
            self.delete_button,
            self.export_button,
        ):
            button.setEnabled(has)

    def _ask_name(self, title: str, label: str, initial: str = "") -> str | None:
        dialog = QInputDialog(self)
        dialog.setObjectName("nameDialog")
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setTextValue(initial)
        dialog.setOkButtonText("Valider")
        dialog.setCancelButtonText("Annuler")
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        fit_dialog(dialog, 460)
        if dialog.exec() != QInputDialog.DialogCode.Accepted:
            return None
        return dialog.textValue()

    def new_project(self) -> None:
        """Ask for a name and create the project, then open it."""
        name = self._ask_name("Nouveau projet", "Nom du projet (par exemple « MSP de Saint-Aubin ») :")
        if name is not None:
            self.create_named(name)

    def create_named(self, name: str) -> ProjectInfo | None:
        """Create a project called ``name`` and open it (refused names get a French message)."""
        info = run_action(self, "Nouveau projet", lambda: _project_service().create_project(self.ctx.uow(), name))
        if info is not None:
            self.open_requested.emit(info.id)
        return info

    def delete_project(self, project_id: int) -> bool:
        """Delete a project (already confirmed by the user)."""

        def delete() -> bool:
            _project_service().delete_project(self.ctx.uow(), project_id)
            return True

        done = run_action(self, "Supprimer", delete)
        return bool(done)

    def open_selected(self) -> None:
        """Open the selected project."""
        info = self.selected_project()
        if info is not None:
            self.open_requested.emit(info.id)

    def open_demo(self) -> None:
        """Create the demo project if needed and open it."""
        from santeloc.services.demo import create_demo_project

        info = run_action(self, "Projet d'exemple", lambda: create_demo_project(self.ctx.uow(), self.ctx.refdata))
        if info is not None:
            self.open_requested.emit(info.id)

    def rename_selected(self) -> None:
        """Rename the selected project."""
        info = self.selected_project()
        if info is None:
            return
        name = self._ask_name("Renommer le projet", "Nouveau nom du projet :", info.name)
        if name is not None and name != info.name:
            self.rename_to(info, name)

    def rename_to(self, info: ProjectInfo, name: str) -> ProjectInfo | None:
        """Rename a project (refused names get a French message)."""
        renamed = run_action(
            self, "Renommer", lambda: _project_service().rename_project(self.ctx.uow(), info.id, name, info.version)
        )
        return renamed

    def duplicate_selected(self) -> None:
        """Copy the selected project with everything it holds."""
        info = self.selected_project()
        if info is None:
            return
        copy = run_action(self, "Dupliquer", lambda: _project_service().duplicate_project(self.ctx.uow(), info.id))
        if copy is not None:
            self.select_project(copy.id)

    def delete_selected(self) -> None:
        """Delete the selected project after confirmation."""
        info = self.selected_project()
        if info is None:
            return

        def do_delete() -> None:
            self.delete_project(info.id)

        confirm(
            self,
            "Supprimer le projet",
            f"Supprimer définitivement le projet « {info.name} » et tout ce qu'il contient "
            "(territoire, diagnostic, plan de financement…) ? Cette action ne peut pas être annulée.",
            "Supprimer",
            do_delete,
        )

    def _ask_export(self) -> None:
        info = self.selected_project()
        if info is None:
            return
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        suggested = str(Path.home() / f"{info.name}.santeloc")
        path, _ = QFileDialog.getSaveFileName(self, "Exporter le projet", suggested, "Projet santeloc (*.santeloc)")
        if path:
            self.export_to(info.id, Path(path))

    def export_to(self, project_id: int, path: object) -> BackgroundTask:
        """Write a project to one file (a colleague imports it on another machine), off the GUI
        thread; :attr:`last_written` holds the file once written."""
        from pathlib import Path

        from santeloc.gui.workers import BackgroundTask
        from santeloc.services.project_file import export_project

        self.last_written = None
        uow = self.ctx.uow()

        def done(written: object) -> None:
            self.last_written = Path(str(written))
            self.ctx.saved.emit(f"Projet exporté dans {written}")

        task = BackgroundTask(
            self,
            "Exporter le projet",
            "Écriture du fichier…",
            lambda _r: export_project(uow, project_id, Path(str(path))),
        )
        task.done.connect(done)
        task.start()
        self.task = task
        return task

    def _ask_import(self) -> None:
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, "Importer un projet", str(Path.home()), "Projet santeloc (*.santeloc)"
        )
        if path:
            self.import_from(Path(path))

    def import_from(self, path: object) -> BackgroundTask:
        """Import a project file as a new project (a copy when its name is taken), off the GUI
        thread; :attr:`last_imported` holds the new project once imported."""
        from pathlib import Path

        from santeloc.gui.workers import BackgroundTask
        from santeloc.services.project_file import import_project

        self.last_imported = None
        uow = self.ctx.uow()

        def done(info: object) -> None:
            assert isinstance(info, ProjectInfo)
            self.last_imported = info
            self.refresh()
            self.select_project(info.id)

        task = BackgroundTask(
            self, "Importer un projet", "Lecture du fichier…", lambda _r: import_project(uow, Path(str(path)))
        )
        task.done.connect(done)
        task.start()
        self.task = task
        return task
