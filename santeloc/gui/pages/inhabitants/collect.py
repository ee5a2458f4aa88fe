"""Step 4: collecting the answers (printable questionnaire, entry sheet, import)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.errors import DomainError
from santeloc.domain.formatting import plural
from santeloc.gui.ops import attempt, confirm, explain, run_action, show_message
from santeloc.gui.pages.base import wrapped
from santeloc.gui.pages.inhabitants.common import (
    TITLE,
    quoted,
)
from santeloc.gui.pages.inhabitants.dialogs import (
    ImportErrorsDialog,
)
from santeloc.gui.pages.inhabitants.host import Host
from santeloc.services import survey as svc


class CollectMixin(Host):
    """The collect tab."""

    def _collect_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        intro = wrapped(
            "Une fois le questionnaire prêt : imprimez-le et distribuez-le (mairies, cabinets, pharmacie, "
            "marché…), puis recopiez les réponses reçues dans la feuille de saisie Excel et importez-la ici. "
            "Exportez la feuille de saisie après la dernière modification des questions : une feuille faite pour "
            "une version précédente du questionnaire ne peut plus être importée."
        )
        layout.addWidget(intro)
        printable = QGroupBox("1. Le questionnaire à imprimer")
        printable_layout = QHBoxLayout(printable)
        printable_layout.addWidget(
            wrapped("Un document Word, une case à cocher par réponse, à relire et à mettre à vos couleurs.", True), 1
        )
        self.printable_button = QPushButton("Enregistrer le questionnaire (Word)…")
        self.printable_button.setObjectName("printableButton")
        printable_layout.addWidget(self.printable_button)
        layout.addWidget(printable)
        sheet = QGroupBox("2. La feuille de saisie des réponses")
        sheet_layout = QHBoxLayout(sheet)
        sheet_layout.addWidget(
            wrapped(
                "Un classeur Excel : une ligne par questionnaire reçu (numérotez-les), une colonne par question, "
                "avec la liste des réponses possibles. Pour un choix multiple, séparez les réponses par « ; ».",
                True,
            ),
            1,
        )
        self.sheet_button = QPushButton("Exporter la feuille de saisie (Excel)…")
        self.sheet_button.setObjectName("sheetButton")
        sheet_layout.addWidget(self.sheet_button)
        layout.addWidget(sheet)
        entry = QGroupBox("3. Les réponses saisies")
        entry_layout = QVBoxLayout(entry)
        row = QHBoxLayout()
        self.responses_label = wrapped("")
        self.responses_label.setObjectName("responsesLabel")
        row.addWidget(self.responses_label, 1)
        self.import_button = QPushButton("Importer la feuille remplie…")
        self.import_button.setObjectName("importButton")
        self.clear_responses_button = QPushButton("Supprimer les réponses importées")
        row.addWidget(self.import_button)
        row.addWidget(self.clear_responses_button)
        entry_layout.addLayout(row)
        entry_layout.addWidget(
            wrapped(
                "La feuille est vérifiée ligne par ligne avant tout enregistrement : si une réponse n'est pas prévue "
                "ou un nombre mal écrit, rien n'est importé et les lignes à corriger sont listées.",
                True,
            )
        )
        layout.addWidget(entry)
        layout.addStretch(1)
        self.printable_button.clicked.connect(self.choose_printable_file)
        self.sheet_button.clicked.connect(self.choose_entry_sheet_file)
        self.import_button.clicked.connect(self.choose_import_file)
        self.clear_responses_button.clicked.connect(self.delete_responses)
        return tab

    def _show_responses(self) -> None:
        if self.responses:
            self.responses_label.setText(
                f"<b>{plural(self.responses, 'questionnaire importé', 'questionnaires importés')}</b> : "
                f"voyez leurs résultats dans l'onglet {quoted('Résultats')}."
            )
        else:
            self.responses_label.setText("Aucun questionnaire importé pour l'instant.")
        self.clear_responses_button.setEnabled(bool(self.responses))
        has_questions = bool(self.questions)
        for button in (self.printable_button, self.sheet_button, self.import_button):
            button.setEnabled(has_questions)

    def _save_path(self, caption: str, name: str, file_filter: str, suffix: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, caption, str(Path.home() / name), file_filter)
        if not path:
            return None
        chosen = Path(path)
        return chosen if chosen.suffix.lower() == suffix else chosen.with_name(chosen.name + suffix)

    def choose_printable_file(self) -> None:
        """Ask where to save the questionnaire to print."""
        path = self._save_path(
            "Questionnaire à imprimer", "questionnaire-habitants.docx", "Document Word (*.docx)", ".docx"
        )
        if path is not None:
            self.export_printable(path)

    def export_printable(self, path: Path) -> Path | None:
        """Write the printable questionnaire (Word)."""
        written = run_action(self, TITLE, lambda: svc.export_printable(self.ctx.uow(), self._project_id(), path))
        if written is not None:
            show_message(
                self, TITLE, f"Questionnaire enregistré : {written}.\nRelisez-le avant de l'imprimer.",
                QMessageBox.Icon.Information,
            )  # fmt: skip
        return written

    def choose_entry_sheet_file(self) -> None:
        """Ask where to save the entry sheet."""
        path = self._save_path("Feuille de saisie", "saisie-questionnaire.xlsx", "Classeur Excel (*.xlsx)", ".xlsx")
        if path is not None:
            self.export_entry_sheet(path)

    def export_entry_sheet(self, path: Path) -> Path | None:
        """Write the Excel entry sheet."""
        written = run_action(self, TITLE, lambda: svc.export_entry_sheet(self.ctx.uow(), self._project_id(), path))
        if written is not None:
            show_message(
                self, TITLE, f"Feuille de saisie enregistrée : {written}.\nSaisissez-y une ligne par questionnaire reçu, "
                "puis importez-la ici.", QMessageBox.Icon.Information,
            )  # fmt: skip
        return written

    def choose_import_file(self) -> None:
        """Ask for the filled entry sheet, then import it (asking first whether to replace)."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Importer la feuille de saisie", str(Path.home()), "Classeur Excel (*.xlsx)"
        )
        if path:
            self.start_import(Path(path))

    def start_import(self, path: Path) -> QMessageBox | None:
        """Import ``path``; when answers were imported before, ask whether to add to or replace them."""
        if not self.responses:
            self.import_sheet(path)
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            TITLE,
            f"{plural(self.responses, 'questionnaire est déjà importé', 'questionnaires sont déjà importés')}. "
            "Ajouter ceux de cette feuille, ou remplacer les réponses précédentes par cette feuille (complétée "
            "depuis le dernier import) ?",
            QMessageBox.StandardButton.NoButton,
            self,
        )
        add = box.addButton("Ajouter", QMessageBox.ButtonRole.AcceptRole)
        replace = box.addButton("Remplacer", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Annuler", QMessageBox.ButtonRole.RejectRole)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished() -> None:
            if box.clickedButton() is add:
                self.import_sheet(path)
            elif box.clickedButton() is replace:
                self.import_sheet(path, replace=True)

        box.finished.connect(finished)
        box.open()
        return box

    def import_sheet(self, path: Path, replace: bool = False) -> svc.SurveyImportReport | None:
        """Import a filled entry sheet: all of it or nothing; faulty lines are listed in a dialog."""
        try:
            report = svc.import_entry_sheet(self.ctx.uow(), self._project_id(), path, self.ctx.refdata, replace=replace)
        except svc.SurveyImportError as exc:
            self.errors_dialog = ImportErrorsDialog(Path(path).name, exc.errors, self)
            self.errors_dialog.open()
            return None
        except DomainError as exc:
            explain(self, TITLE, exc.message)
            return None
        self.refresh()
        self._after_change("Import enregistré")
        show_message(self, TITLE, report.summary(), QMessageBox.Icon.Information)
        return report

    def delete_responses(self) -> None:
        """Remove every imported questionnaire after confirmation (the questions stay)."""

        def delete() -> None:
            if attempt(self, TITLE, lambda: svc.delete_responses(self.ctx.uow(), self._project_id())):
                self.refresh()
                self._after_change()

        confirm(
            self,
            "Supprimer les réponses",
            f"Supprimer les {plural(self.responses, 'questionnaire importé', 'questionnaires importés')} ? "
            "Les questions restent ; les constats déjà retenus aussi.",
            "Supprimer",
            delete,
        )
