"""Step 8 — Dossiers: relecture of each document, choose documents, produce them off the GUI thread.

The relecture (computed by :mod:`santeloc.exports.review`) lists, per document, what is missing
or contradictory and where to fix it; a double click goes there. Producing anyway is allowed,
after a confirmation: such documents say « PROJET — document incomplet » in their header.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.errors import DomainError
from santeloc.domain.formatting import format_date, parse_date
from santeloc.exports import pdf as pdf_export
from santeloc.exports.documents import DOCUMENTS
from santeloc.exports.review import INCOMPLETE_MARK, Review, document_keys, review_project
from santeloc.gui.context import AppContext
from santeloc.gui.fields import DateField, show_field_error
from santeloc.gui.ops import attempt, show_message
from santeloc.gui.pages.base import StepPage
from santeloc.gui.widgets import names_get_width, wrapped_rows
from santeloc.gui.workers import BackgroundTask, Report
from santeloc.services import financing as financing_svc
from santeloc.services.changes import Kind
from santeloc.services.projects import ProjectInfo

TITLE = "Dossiers"
REVIEW_WAIT_S = 30.0  # the longest « Produire » waits for a relecture under way


def default_folder(project: ProjectInfo) -> Path:
    """``~/Documents/santeloc/<project name>`` (created on export)."""
    documents = Path.home() / "Documents"
    safe = "".join(c if c.isalnum() or c in " -_" else "-" for c in project.name).strip() or "projet"
    return (documents if documents.exists() else Path.home()) / "santeloc" / safe


class DossiersPage(StepPage):
    """The page of step 8."""

    WATCHES = frozenset(Kind)  # the dossiers show everything
    navigate = Signal(int, str, str)  # step, tab and field (object name, or "") where a relecture item is fixed
    _reviewed = Signal(int, object)  # generation, Review or French message (from the worker thread)

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
        dates_box = QGroupBox("Calendrier de l'opération (repris dans les demandes de subvention)")
        dates_row = QGridLayout(dates_box)  # two dates a line: with their calendar buttons, four are too wide
        self.date_edits: dict[str, QLineEdit] = {}
        for index, (key, label) in enumerate(financing_svc.WORKS_DATE_KEYS):
            dates_row.addWidget(QLabel(label + " :"), index // 2, 3 * (index % 2))
            edit = DateField()  # typed as people write dates, or picked in a calendar
            edit.setObjectName(f"date_{key}")
            edit.editingFinished.connect(self.save_dates)
            dates_row.addWidget(edit, index // 2, 3 * (index % 2) + 1)
            self.date_edits[key] = edit
        dates_row.setColumnStretch(2, 1)
        dates_row.setColumnStretch(5, 1)
        layout.addWidget(dates_box)
        review_row = QHBoxLayout()
        self.review_label = QLabel()
        self.review_label.setObjectName("reviewSummary")
        self.review_label.setWordWrap(True)
        review_row.addWidget(self.review_label, 1)
        self.review_button = QPushButton("Relire à nouveau")
        self.review_button.setObjectName("reviewButton")
        review_row.addWidget(self.review_button)
        layout.addLayout(review_row)
        self.review_tree = QTreeWidget()
        self.review_tree.setObjectName("reviewTree")
        self.review_tree.setHeaderLabels(["Relecture : à compléter ou à corriger", "Où corriger"])
        self.review_tree.setToolTip("Double-cliquez sur une ligne pour aller à l'endroit où la corriger.")
        # What to correct gets the width and wraps (up to three lines); where to correct takes what it needs.
        names_get_width(self.review_tree, name_column=0, name_minimum=320)
        wrapped_rows(self.review_tree, max_lines=3)
        self.review_tree.setMinimumHeight(self.review_tree.fontMetrics().lineSpacing() * 12)
        layout.addWidget(self.review_tree, 3)  # what to fix gets the height; the produced files list less
        self.review: Review | None = None
        self._review_generation = 0
        self._review_shown = 0  # the generation of the relecture shown
        self._review_thread: threading.Thread | None = None
        self._reviewed.connect(self._show_review, Qt.ConnectionType.QueuedConnection)
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
        self.review_button.clicked.connect(self.refresh_review)
        self.review_tree.itemDoubleClicked.connect(self._go_to_item)

    def _history_key(self) -> str:
        """Where this machine remembers the files last produced for the project (per database)."""
        assert self.project is not None
        return f"dossiers/{self.ctx.database.url}/{self.project.id}"

    def load(self, project: ProjectInfo) -> None:
        """Show the page for a project, with the files last produced on this computer."""
        self.project = project
        settings = QSettings()
        folder = settings.value(f"{self._history_key()}/folder", "")
        self.folder_edit.setText(str(folder) if folder else str(default_folder(project)))
        listed = settings.value(f"{self._history_key()}/files", [])
        names = listed if isinstance(listed, list) else [listed]
        existing = [Path(str(p)) for p in names if p and Path(str(p)).is_file()]
        self._list_files(existing)
        dates = financing_svc.get_works_dates(self.ctx.uow(), project.id)
        for key, edit in self.date_edits.items():
            day = dates.get(key)
            edit.setText(format_date(day) if day else "")
        self.refresh_review()

    def save_dates(self) -> bool:
        """Store the dates typed (a wrong date is explained in French and nothing is changed)."""
        if self.project is None:
            return False
        values = {}
        for (key, label), edit in zip(financing_svc.WORKS_DATE_KEYS, self.date_edits.values(), strict=True):
            try:
                values[key] = parse_date(edit.text(), label)
            except DomainError as error:  # explained beside the date, which keeps what was typed
                show_field_error(edit, error.message)
                return False
        if not attempt(
            self, TITLE, lambda: financing_svc.set_works_dates(self.ctx.uow(), self._project_id(), **values)
        ):
            return False
        self.refresh_review()
        return True

    def refresh_review(self) -> None:
        """Recompute the relecture of every document, in a worker thread (it reads the whole
        project: 0,1 s on the example); shown when done."""
        if self.project is None:
            self.review_tree.clear()
            return
        self._review_generation += 1
        generation, project_id, ctx = self._review_generation, self.project.id, self.ctx
        self.review_label.setText("Relecture en cours…")
        self.review_button.setEnabled(False)

        def run() -> None:
            try:
                result: Review | str = review_project(ctx.uow(), project_id, ctx.refdata)
            except DomainError as error:
                result = error.message
            except Exception as error:  # shown in the page rather than lost in a thread
                result = f"La relecture n'a pas pu être faite : {error}"
            self._reviewed.emit(generation, result)

        self._review_thread = threading.Thread(target=run, name="santeloc-relecture", daemon=True)
        self._review_thread.start()

    @property
    def review_pending(self) -> bool:
        """True while a relecture is being computed."""
        return self._review_shown != self._review_generation

    def wait_review(self, timeout: float = REVIEW_WAIT_S) -> None:
        """Wait for the relecture under way (if any) and show it (before producing documents)."""
        if self._review_thread is not None:
            self._review_thread.join(timeout)
        QCoreApplication.sendPostedEvents(self)

    def _show_review(self, generation: int, result: Review | str) -> None:
        if generation != self._review_generation:
            return  # an older relecture, overtaken by a newer one
        self._review_shown = generation
        self.review_button.setEnabled(True)
        self.review_tree.clear()
        if isinstance(result, str):
            self.review_label.setText(result)
            return
        review = result
        self.review = review
        for key, items in review.documents.items():
            if not items:
                continue
            parent = QTreeWidgetItem([f"{review.labels.get(key, key)} ({len(items)})", ""])
            self.review_tree.addTopLevelItem(parent)
            for item in items:
                child = QTreeWidgetItem([item.message, item.where])
                child.setToolTip(0, item.message)
                child.setData(0, Qt.ItemDataRole.UserRole, (item.step, item.tab, item.field))
                parent.addChild(child)
            parent.setExpanded(True)
        if review.total:
            self.review_label.setText(
                f"Relecture : {review.total} point(s) à compléter ou corriger avant d'envoyer les documents. "
                f"Produits quand même, ils porteront la mention « {INCOMPLETE_MARK} »."
            )
        else:
            self.review_label.setText("Relecture : chaque document est complet, rien ne manque.")
        self.review_tree.setVisible(bool(review.total))

    def _go_to_item(self, item: QTreeWidgetItem, _column: int) -> None:
        target = item.data(0, Qt.ItemDataRole.UserRole)
        if target:
            step, tab, field = target
            self.navigate.emit(int(step), str(tab), str(field))

    def confirm_incomplete(self, count: int) -> bool:
        """Ask before producing documents the relecture finds incomplete (True: produce anyway)."""
        answer = QMessageBox.question(
            self,
            TITLE,
            f"{count} document(s) choisi(s) sont incomplets (voir la relecture). Les produire quand même ? "
            f"Ils porteront la mention « {INCOMPLETE_MARK} » en en-tête.",
        )
        return answer == QMessageBox.StandardButton.Yes

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
        self.wait_review()
        if self.review is not None:
            incomplete = [k for k in document_keys(self.review, self.chosen()) if self.review.items(k)]
            if incomplete and not self.confirm_incomplete(len(incomplete)):
                return None
        folder = Path(self.folder_edit.text().strip()).expanduser()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            show_message(self, TITLE, f"Impossible de créer le dossier « {folder} » : {exc.strerror}.")
            return None
        documents, pdf, project_id, ctx = self.chosen(), self.pdf_check.isChecked(), self.project.id, self.ctx

        def job(report: Report) -> list[Path]:
            from santeloc.exports.dossier import export_dossier  # Word and Excel libraries: loaded when needed

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
        self._list_files(produced)
        if self.project is not None:  # listed again after a restart (files still there)
            settings = QSettings()
            settings.setValue(f"{self._history_key()}/folder", self.folder_edit.text())
            settings.setValue(f"{self._history_key()}/files", [str(p) for p in produced])
        self.ctx.saved.emit(f"{len(produced)} fichier(s) produit(s)")
        show_message(
            self,
            TITLE,
            f"{len(produced)} fichier(s) produit(s) dans « {self.folder_edit.text()} ».",
            QMessageBox.Icon.Information,
        )

    def _list_files(self, produced: list[Path]) -> None:
        self.produced = produced
        self.files.clear()
        for path in produced:  # the folder is shown above: the names alone, the full path as a tooltip
            self.files.addItem(path.name)
            self.files.item(self.files.count() - 1).setToolTip(str(path))
        self.open_button.setEnabled(bool(produced))

    def open_folder(self) -> None:
        """Open the destination folder in the file manager."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder_edit.text()))
