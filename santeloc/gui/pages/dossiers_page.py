"""Step 8 — Dossiers: choose documents, produce them off the GUI thread, open the folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from santeloc.exports import pdf as pdf_export
from santeloc.exports.dossier import DOCUMENTS, export_dossier
from santeloc.gui.context import AppContext
from santeloc.gui.ops import show_message
from santeloc.gui.pages.base import StepPage
from santeloc.gui.workers import BackgroundTask, Report
from santeloc.services.changes import Kind
from santeloc.services.projects import ProjectInfo

TITLE = "Dossiers"


def default_folder(project: ProjectInfo) -> Path:
    """``~/Documents/santeloc/<project name>`` (created on export)."""
    documents = Path.home() / "Documents"
    safe = "".join(c if c.isalnum() or c in " -_" else "-" for c in project.name).strip() or "projet"
    return (documents if documents.exists() else Path.home()) / "santeloc" / safe


class DossiersPage(StepPage):
    """The page of step 8."""

    WATCHES = frozenset(Kind)  # the dossiers show everything

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.task: BackgroundTask | None = None
        self.produced: list[Path] = []
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Produisez les documents à remettre à l'ARS, à la préfecture, à la Région, au Département et à "
            "l'Europe. Ils reprennent ce que vous avez saisi aux étapes précédentes ; relisez-les avant envoi. "
            "Les modèles Word sont modifiables (voir le manuel, « Adapter les modèles »)."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        box = QGroupBox("Documents à produire")
        box_layout = QVBoxLayout(box)
        self.checks: dict[str, QCheckBox] = {}
        for key, label in DOCUMENTS.items():
            check = QCheckBox(label)
            check.setObjectName(f"doc_{key}")
            check.setChecked(True)
            box_layout.addWidget(check)
            self.checks[key] = check
        self.pdf_check = QCheckBox("Ajouter une version PDF de chaque document (LibreOffice)")
        self.pdf_check.setObjectName("pdfCheck")
        available = pdf_export.is_available()
        self.pdf_check.setEnabled(available)
        self.pdf_check.setChecked(available)
        if not available:
            self.pdf_check.setToolTip(pdf_export.MISSING_MESSAGE)
        box_layout.addWidget(self.pdf_check)
        layout.addWidget(box)
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel("Dossier de destination :"))
        self.folder_edit = QLineEdit()
        self.folder_edit.setObjectName("folderEdit")
        folder_row.addWidget(self.folder_edit, 1)
        self.browse_button = QPushButton("Choisir…")
        folder_row.addWidget(self.browse_button)
        layout.addLayout(folder_row)
        buttons = QHBoxLayout()
        self.export_button = QPushButton("Produire les dossiers")
        self.export_button.setObjectName("exportButton")
        self.open_button = QPushButton("Ouvrir le dossier")
        self.open_button.setEnabled(False)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("Fichiers produits :"))
        self.files = QListWidget()
        self.files.setObjectName("producedFiles")
        layout.addWidget(self.files, 1)
        self.browse_button.clicked.connect(self._browse)
        self.export_button.clicked.connect(self.export)
        self.open_button.clicked.connect(self.open_folder)

    def load(self, project: ProjectInfo) -> None:
        """Show the page for a project."""
        self.project = project
        self.folder_edit.setText(str(default_folder(project)))
        self.files.clear()
        self.open_button.setEnabled(False)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Dossier de destination", self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def chosen(self) -> set[str]:
        """The documents ticked."""
        return {key for key, check in self.checks.items() if check.isChecked()}

    def export(self) -> BackgroundTask | None:
        """Produce the chosen documents in the background, with progress and cancel."""
        if self.project is None:
            return None
        folder = Path(self.folder_edit.text().strip()).expanduser()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            show_message(self, TITLE, f"Impossible de créer le dossier « {folder} » : {exc.strerror}.")
            return None
        documents, pdf, project_id, ctx = self.chosen(), self.pdf_check.isChecked(), self.project.id, self.ctx

        def job(report: Report) -> list[Path]:
            return export_dossier(
                ctx.uow(), project_id, ctx.refdata, folder, documents, pdf, lambda d, t, _w: report(d, t)
            )

        self.export_button.setEnabled(False)
        self.task = BackgroundTask(self, TITLE, "Production des dossiers…", job)
        self.task.done.connect(self._done)
        self.task.failed.connect(lambda _m: self.export_button.setEnabled(True))
        self.task.start()
        return self.task

    def _done(self, produced: object) -> None:
        self.export_button.setEnabled(True)
        assert isinstance(produced, list)
        self.produced = produced
        self.files.clear()
        for path in produced:  # the folder is shown above: the names alone, the full path as a tooltip
            self.files.addItem(path.name)
            self.files.item(self.files.count() - 1).setToolTip(str(path))
        self.open_button.setEnabled(bool(produced))
        self.ctx.saved.emit(f"{len(produced)} fichier(s) produit(s)")
        show_message(
            self,
            TITLE,
            f"{len(produced)} fichier(s) produit(s) dans « {self.folder_edit.text()} ».",
            QMessageBox.Icon.Information,
        )

    def open_folder(self) -> None:
        """Open the destination folder in the file manager."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder_edit.text()))
