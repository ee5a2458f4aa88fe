"""Step 4 — Ressenti des habitants: the questionnaire, its Word and Excel exports, the import of
the filled entry sheet, tabulations, cross-tabulations and answers kept as constats."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.enums import QuestionKind
from santeloc.domain.errors import DomainError
from santeloc.domain.formatting import format_decimal, format_int, plural
from santeloc.exports.survey_charts import cross_tabulation_chart, empty_chart, tabulation_chart
from santeloc.gui.context import AppContext, DataKind
from santeloc.gui.map_canvas import FigureView
from santeloc.gui.ops import attempt, confirm, run_action, show_message
from santeloc.gui.pages.base import StepPage, wrapped
from santeloc.gui.pages.base import cell as item
from santeloc.gui.widgets import tidy_combo
from santeloc.services import survey as svc
from santeloc.services.projects import ProjectInfo

TITLE = "Ressenti des habitants"
COLUMNS = ["N°", "Question", "Type", "Réponses possibles", "Croisement"]
CROSS_LABELS = {svc.ROLE_COMMUNE: "Commune", svc.ROLE_AGE_GROUP: "Tranche d'âge"}
NBSP = "\u00a0"
NO_CROSS = ""
CHOICE_HINTS = {
    QuestionKind.SINGLE.value: "Une réponse possible par ligne.",
    QuestionKind.MULTIPLE.value: "Une réponse possible par ligne ; la personne peut en cocher plusieurs.",
    QuestionKind.SCALE.value: "Les niveaux de l'échelle, du plus bas au plus haut, un par ligne (vide : de 1 à 5).",
    QuestionKind.NUMBER.value: "Pas de réponses à proposer : la personne écrit un nombre.",
    QuestionKind.TEXT.value: "Pas de réponses à proposer : la personne répond librement.",
}


def quoted(text: str) -> str:
    """« text » with no-break spaces, so that a line never breaks inside the quotes."""
    return f"«{NBSP}{text}{NBSP}»"


class PageTabs(QTabWidget):
    """The tabs of a step page. They ask no height for their width: a page sits in the workspace's
    scroll area, which otherwise sizes it by the tallest tab's preferred height (word-wrapped labels
    make a layout height-for-width) and scrolls even when everything would fit."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return False


class TextArea(QPlainTextEdit):
    """A multi-line field with ``editingFinished``, emitted when it loses focus after a change
    (as a QLineEdit does), so that it is saved like the other fields of a form."""

    editingFinished = Signal()  # noqa: N815 (named as QLineEdit's)

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)

    def set_text(self, text: str) -> None:
        """Replace the text without it counting as an edit."""
        self.setPlainText(text)
        self.document().setModified(False)

    def text(self) -> str:
        """The text typed."""
        return self.toPlainText()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        super().focusOutEvent(event)
        if self.document().isModified():
            self.document().setModified(False)
            self.editingFinished.emit()


class QuestionDialog(QDialog):
    """A new question: its kind, its text and, for choices and scales, the possible answers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("questionDialog")
        self.setWindowTitle("Nouvelle question")
        self.resize(560, 460)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.kind_combo = tidy_combo(QComboBox())
        for value, label in QuestionKind.choices():
            self.kind_combo.addItem(label, value)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setPlaceholderText("Par exemple : Avez-vous un médecin traitant ?")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setMaximumHeight(70)
        self.choices_edit = QPlainTextEdit()
        self.choices_edit.setPlaceholderText("Oui\nNon")
        self.choices_edit.setTabChangesFocus(True)
        self.choices_hint = wrapped("", hint=True)
        form.addRow("Type de question", self.kind_combo)
        form.addRow("Intitulé", self.text_edit)
        form.addRow("Réponses possibles", self.choices_edit)
        form.addRow("", self.choices_hint)
        layout.addLayout(form)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("Ajouter la question", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = self.kind_combo.currentData()
        self.choices_edit.setEnabled(kind in svc.CHOICE_KINDS)
        self.choices_hint.setText(CHOICE_HINTS.get(kind, ""))
        placeholder = "1\n2\n3\n4\n5" if kind == QuestionKind.SCALE.value else "Oui\nNon"
        self.choices_edit.setPlaceholderText(placeholder if kind in svc.CHOICE_KINDS else "")

    def values(self) -> tuple[str, str, str]:
        """(kind, text, choices one per line)."""
        return self.kind_combo.currentData(), self.text_edit.toPlainText(), self.choices_edit.toPlainText()


class ImportErrorsDialog(QDialog):
    """The faulty lines of a refused entry sheet: nothing was imported."""

    def __init__(self, file_name: str, errors: Sequence[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("surveyImportErrors")
        self.setWindowTitle("Feuille de saisie refusée")
        self.resize(760, 460)
        layout = QVBoxLayout(self)
        self.summary = wrapped(
            f"<b>Rien n'a été importé</b> de « {file_name} » : {plural(len(errors), 'erreur')}. "
            "Corrigez ces lignes dans la feuille de saisie, enregistrez-la, puis importez-la à nouveau."
        )
        self.summary.setStyleSheet("color: #a33;")
        layout.addWidget(self.summary)
        self.errors = QListWidget()
        self.errors.setObjectName("surveyErrors")
        self.errors.setWordWrap(True)
        for line, message in errors[:1000]:
            self.errors.addItem(f"Ligne {line} : {message}" if line else message)
        if len(errors) > 1000:
            self.errors.addItem(f"… et {plural(len(errors) - 1000, 'autre erreur', 'autres erreurs')}.")
        layout.addWidget(self.errors, 1)
        buttons = QDialogButtonBox()
        buttons.addButton("Fermer", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class InhabitantsPage(StepPage):
    """The page of step 4. The selected question's fields are saved as soon as they are left."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.questions: list[svc.QuestionRow] = []
        self.responses = 0
        self.tabulation: svc.Tabulation | None = None
        self.cross: svc.CrossTabulation | None = None
        self.question_dialog: QuestionDialog | None = None
        self.errors_dialog: ImportErrorsDialog | None = None
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = PageTabs()
        self.tabs.setObjectName("inhabitantsTabs")
        self.tabs.addTab(self._questions_tab(), "Questionnaire")
        self.tabs.addTab(self._collect_tab(), "Diffusion et saisie")
        self.tabs.addTab(self._results_tab(), "Résultats")
        self.tabs.currentChanged.connect(lambda index: self.show_results() if index == 2 else None)
        layout.addWidget(self.tabs)
        for combo in self.findChildren(QComboBox):
            tidy_combo(combo)

    # --- building ------------------------------------------------------------------------

    def _questions_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        buttons = QHBoxLayout()
        self.starter_button = QPushButton("Partir du questionnaire type")
        self.starter_button.setToolTip(
            "Ajoute les questions types sur l'usage et le ressenti des soins (renoncement, délais, horaires, "
            "distance, prévention), avec la commune et la tranche d'âge"
        )
        self.add_button = QPushButton("Nouvelle question…")
        self.up_button = QPushButton("▲ Monter")
        self.down_button = QPushButton("▼ Descendre")
        self.delete_button = QPushButton("Supprimer")
        for button in (self.starter_button, self.add_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        self.empty_label = wrapped(
            "Aucune question pour l'instant. Partez du questionnaire type (usage et ressenti des soins : besoins "
            "non satisfaits, délais, horaires, distance, prévention), puis adaptez-le à votre territoire ; ou "
            "ajoutez vos propres questions une à une.",
            hint=True,
        )
        top_layout.addWidget(self.empty_label)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("questionsTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 45), (2, 110), (3, 240)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        top_layout.addWidget(self.table)
        splitter.addWidget(top)
        splitter.addWidget(self._question_form())
        splitter.setSizes([330, 240])
        layout.addWidget(splitter, 1)
        self.starter_button.clicked.connect(self.add_starter_questions)
        self.add_button.clicked.connect(self.open_question_dialog)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.delete_button.clicked.connect(self.delete_selected)
        self.table.itemSelectionChanged.connect(self._fill_form)
        return tab

    def _question_form(self) -> QWidget:
        box = QGroupBox("Question sélectionnée")
        grid = QGridLayout(box)
        self.text_edit = TextArea("Intitulé de la question")
        self.text_edit.setObjectName("questionText")
        self.text_edit.setMaximumHeight(64)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("questionKind")
        for value, label in QuestionKind.choices():
            self.kind_combo.addItem(label, value)
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("questionRole")
        self.role_combo.addItem("— aucun —", "")
        for role, label in svc.ROLE_LABELS.items():
            self.role_combo.addItem(label, role)
        self.role_combo.setToolTip(
            "La question qui donne la commune ou la tranche d'âge de chaque personne sert aux croisements"
        )
        self.choices_edit = TextArea("Une réponse possible par ligne")
        self.choices_edit.setObjectName("questionChoices")
        self.choices_hint = wrapped("", hint=True)
        grid.addWidget(QLabel("Intitulé"), 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.text_edit, 0, 1)
        grid.addWidget(QLabel("Type"), 1, 0)
        grid.addWidget(self.kind_combo, 1, 1)
        grid.addWidget(QLabel("Sert au croisement"), 2, 0)
        grid.addWidget(self.role_combo, 2, 1)
        grid.addWidget(self.choices_hint, 3, 0, 1, 2)
        grid.setRowStretch(4, 1)
        grid.addWidget(QLabel("Réponses possibles"), 0, 2, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.choices_edit, 0, 3, 5, 1)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        self.text_edit.editingFinished.connect(lambda: self._save(text=self.text_edit.text()))
        self.choices_edit.editingFinished.connect(lambda: self._save(choices=self.choices_edit.text()))
        self.kind_combo.activated.connect(lambda _i: self._save(kind=self.kind_combo.currentData()))
        self.role_combo.activated.connect(lambda _i: self._save_role(self.role_combo.currentData() or None))
        self.form_box = box
        box.setEnabled(False)
        return box

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

    def _results_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row = QHBoxLayout()
        row.addWidget(QLabel("Question :"))
        self.result_question = QComboBox()
        self.result_question.setObjectName("resultQuestion")
        row.addWidget(self.result_question, 1)
        row.addWidget(QLabel("Croiser par :"))
        self.cross_combo = QComboBox()
        self.cross_combo.setObjectName("crossCombo")
        self.cross_combo.addItem("Ne pas croiser", NO_CROSS)
        self.cross_combo.addItem("Commune", svc.ROLE_COMMUNE)
        self.cross_combo.addItem("Tranche d'âge", svc.ROLE_AGE_GROUP)
        row.addWidget(self.cross_combo)
        layout.addLayout(row)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.results_table = QTableWidget(0, 3)
        self.results_table.setObjectName("resultsTable")
        self.results_table.verticalHeader().setVisible(False)
        self.results_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results_table.setWordWrap(False)
        self.results_table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        left_layout.addWidget(self.results_table, 1)
        self.note_label = wrapped("", hint=True)
        self.note_label.setObjectName("resultsNote")
        left_layout.addWidget(self.note_label)
        constat = QGroupBox("Constat du diagnostic")
        self.constat_box = constat
        constat_layout = QVBoxLayout(constat)
        constat_layout.addWidget(wrapped("La part des habitants qui ont donné cette réponse :", hint=True))
        self.answer_combo = QComboBox()
        self.answer_combo.setObjectName("constatAnswer")
        constat_layout.addWidget(self.answer_combo)
        self.constat_button = QPushButton("Retenir comme constat")
        self.constat_button.setObjectName("constatButton")
        self.constat_button.setToolTip("Le constat rejoint ceux du diagnostic, qui nourriront le choix des priorités")
        button_row = QHBoxLayout()
        button_row.addStretch(1)
        button_row.addWidget(self.constat_button)
        constat_layout.addLayout(button_row)
        left_layout.addWidget(constat)
        left_layout.addStretch(0)
        splitter.addWidget(left)
        self.chart_view = FigureView()
        self.chart_view.setObjectName("surveyChart")
        splitter.addWidget(self.chart_view)
        splitter.setSizes([430, 540])
        self.results_splitter = splitter
        layout.addWidget(splitter, 1)
        self.result_question.currentIndexChanged.connect(lambda _i: self.show_results())
        self.cross_combo.currentIndexChanged.connect(lambda _i: self.show_results())
        self.constat_button.clicked.connect(lambda: self.make_constat())
        return tab

    # --- loading -------------------------------------------------------------------------

    def load(self, project: ProjectInfo) -> None:
        """Show a project's step 4."""
        self.project = project
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self.project is not None and self.tabs.currentIndex() == 2:
            self.show_results()

    def refresh(self) -> None:
        """Re-read the questionnaire and how many answers were imported."""
        if self.project is None:
            return
        questions = run_action(self, TITLE, lambda: svc.list_questions(self.ctx.uow(), self._project_id()))
        if questions is None:
            return
        selected = self.current()
        self.questions = questions
        self.responses = svc.response_count(self.ctx.uow(), self._project_id())
        self.table.setRowCount(len(questions))
        for index, question in enumerate(questions):
            choices = " ; ".join(question.choices) if question.has_choices else "—"
            cells = (
                item(question.code, question.id),
                item(" ".join(question.text.split())),
                item(question.kind_label),
                item(choices),
                item(CROSS_LABELS.get(question.role, "")),
            )
            cells[1].setToolTip(question.text)
            cells[3].setToolTip("\n".join(question.choices))
            for column, cell in enumerate(cells):
                self.table.setItem(index, column, cell)
        self.empty_label.setVisible(not questions)
        if selected is not None:
            self.select_question(selected.id)
        self._fill_form()
        self._fill_result_questions()
        self._show_responses()
        if self.tabs.currentIndex() == 2:
            self.show_results()

    def current(self) -> svc.QuestionRow | None:
        """The question selected."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        cell = self.table.item(rows[0].row(), 0)
        wanted = cell.data(Qt.ItemDataRole.UserRole) if cell is not None else None
        return next((q for q in self.questions if q.id == wanted), None)

    def select_question(self, question_id: int) -> None:
        """Select a question's line."""
        for index in range(self.table.rowCount()):
            cell = self.table.item(index, 0)
            if cell is not None and cell.data(Qt.ItemDataRole.UserRole) == question_id:
                self.table.selectRow(index)
                return

    def _fill_form(self) -> None:
        question = self.current()
        self.form_box.setEnabled(question is not None)
        for button in (self.up_button, self.down_button, self.delete_button):
            button.setEnabled(question is not None)
        if question is None:
            self._loading = True
            self.text_edit.set_text("")
            self.choices_edit.set_text("")
            self.choices_hint.setText("")
            self._loading = False
            return
        self._loading = True
        try:
            self.text_edit.set_text(question.text)
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(question.kind)))
            self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(question.role)))
            self.choices_edit.set_text("\n".join(question.choices))
            self.choices_edit.setEnabled(question.has_choices)
            self.choices_hint.setText(CHOICE_HINTS.get(question.kind, ""))
        finally:
            self._loading = False

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

    # --- questions -------------------------------------------------------------------------

    def _after_change(self, message: str = "Enregistré") -> None:
        self.ctx.saved.emit(message)
        self.ctx.notify(DataKind.PROJECT, self._project_id())
        self.changed.emit()

    def add_starter_questions(self) -> list[int] | None:
        """Add the starter questionnaire (questions already there are skipped)."""
        created = run_action(
            self, TITLE, lambda: svc.add_starter_questions(self.ctx.uow(), self._project_id(), self.ctx.refdata)
        )
        if created is None:
            return None
        self.refresh()
        if created:
            self.select_question(created[0])
            self._after_change()
        else:
            show_message(
                self, TITLE, "Les questions du questionnaire type sont déjà toutes là.", QMessageBox.Icon.Information
            )
        return created

    def open_question_dialog(self) -> QuestionDialog:
        """The new-question dialog (non-blocking)."""
        dialog = QuestionDialog(self)
        for combo in dialog.findChildren(QComboBox):
            tidy_combo(combo)

        def add() -> None:
            if self.add_question(*dialog.values(), parent=dialog) is not None:
                dialog.accept()

        dialog.ok_button.clicked.connect(add)
        dialog.open()
        self.question_dialog = dialog
        return dialog

    def add_question(self, kind: str, text: str, choices: str = "", parent: QWidget | None = None) -> int | None:
        """Add a question at the end of the questionnaire; refused in French when incomplete."""
        new_id = run_action(
            parent or self, TITLE, lambda: svc.add_question(self.ctx.uow(), self._project_id(), kind, text, choices)
        )
        if new_id is not None:
            self.refresh()
            self.select_question(new_id)
            self._after_change()
        return new_id

    def _save(self, **changes: object) -> bool:
        question = self.current()
        if question is None or self._loading:
            return False
        current = {"kind": question.kind, "text": question.text, "choices": "\n".join(question.choices)}
        if all(str(current[key]).strip() == str(value).strip() for key, value in changes.items()):
            return True
        done = attempt(self, TITLE, lambda: svc.update_question(self.ctx.uow(), question.id, **changes))  # type: ignore[arg-type]
        self.refresh()
        self.select_question(question.id)
        if done:
            self._after_change()
        return done

    def edit_question(self, kind: str | None = None, text: str | None = None, choices: str | None = None) -> bool:
        """Change the selected question (what the form does when a field is left)."""
        changes = {
            key: value for key, value in (("kind", kind), ("text", text), ("choices", choices)) if value is not None
        }
        return self._save(**changes)

    def _save_role(self, role: str | None) -> bool:
        question = self.current()
        if question is None or self._loading:
            return False
        done = attempt(self, TITLE, lambda: svc.set_question_role(self.ctx.uow(), question.id, role))
        self.refresh()
        self.select_question(question.id)
        if done:
            self._after_change()
        return done

    def set_role(self, role: str | None) -> bool:
        """Make the selected question the commune (``commune``) or age-group (``age_group``) one."""
        return self._save_role(role)

    def move_selected(self, offset: int) -> None:
        """Move the selected question up (-1) or down (+1)."""
        question = self.current()
        if question is None:
            return
        if attempt(self, TITLE, lambda: svc.move_question(self.ctx.uow(), question.id, offset)):
            self.refresh()
            self.select_question(question.id)
            self._after_change()

    def delete_selected(self) -> None:
        """Delete the selected question (and its answers) after confirmation."""
        question = self.current()
        if question is None:
            return
        text = f"Supprimer la question {question.code} « {question.short_text} » ?"
        if self.responses:
            text += " Ses réponses déjà importées seront supprimées avec elle."

        def delete() -> None:
            if attempt(self, TITLE, lambda: svc.delete_question(self.ctx.uow(), question.id)):
                self.refresh()
                self._after_change()

        confirm(self, "Supprimer", text, "Supprimer", delete)

    # --- exports and import ------------------------------------------------------------------

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
            show_message(self, TITLE, exc.message)
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

    # --- results ---------------------------------------------------------------------------

    def _fill_result_questions(self) -> None:
        current = self.result_question.currentData()
        self.result_question.blockSignals(True)
        self.result_question.clear()
        for question in self.questions:
            self.result_question.addItem(f"{question.code}. {question.short_text}", question.id)
            self.result_question.setItemData(
                self.result_question.count() - 1, question.text, Qt.ItemDataRole.ToolTipRole
            )
        index = self.result_question.findData(current)
        self.result_question.setCurrentIndex(max(index, 0) if self.questions else -1)
        self.result_question.blockSignals(False)

    def select_result_question(self, question_id: int, by: str = NO_CROSS) -> None:
        """Show the results of a question, crossed by ``commune`` or ``age_group`` if asked."""
        self.tabs.setCurrentIndex(2)
        self.result_question.blockSignals(True)
        self.cross_combo.blockSignals(True)
        self.result_question.setCurrentIndex(max(0, self.result_question.findData(question_id)))
        self.cross_combo.setCurrentIndex(max(0, self.cross_combo.findData(by)))
        self.result_question.blockSignals(False)
        self.cross_combo.blockSignals(False)
        self.show_results()

    def _set_table(
        self, headers: Sequence[str], rows: Sequence[Sequence[str]], right_from: int = 1, stretch_first: bool = True
    ) -> None:
        table = self.results_table
        table.clear()
        table.setColumnCount(len(headers))
        # Long answers head their column on a few short lines rather than widening it.
        table.setHorizontalHeaderLabels(["\n".join(textwrap.wrap(h, 12)) or h for h in headers])
        for column, name in enumerate(headers):
            cell = table.horizontalHeaderItem(column)
            if cell is not None:
                cell.setToolTip(name)
        table.setRowCount(len(rows))
        for index, values in enumerate(rows):
            for column, text in enumerate(values):
                table.setItem(index, column, item(text, right=column >= right_from))
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if stretch_first:
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        else:
            header.setStretchLastSection(False)
        table.resizeRowsToContents()
        # As tall as its lines (the note and the constat then sit right under it), at most the space left.
        height = (
            max(header.height(), header.sizeHint().height())
            + 2 * table.frameWidth()
            + sum(table.rowHeight(r) for r in range(len(rows)))
        )
        fits = stretch_first or self._widen_for_table(len(headers))
        scrollbar = 0 if fits else table.horizontalScrollBar().sizeHint().height()
        table.setMaximumHeight(max(height + scrollbar + 4, 80))

    def _widen_for_table(self, columns: int) -> bool:
        """Give a cross-tabulation the width of its columns (up to 60 % of the tab) rather than a scroll
        bar; True when it then fits."""
        table, header = self.results_table, self.results_table.horizontalHeader()
        needed = 2 * table.frameWidth() + table.verticalScrollBar().sizeHint().width() + 4
        needed += sum(max(header.sectionSizeHint(c), table.sizeHintForColumn(c)) for c in range(columns))
        sizes = self.results_splitter.sizes()
        total = sum(sizes)
        if total <= 0:  # not laid out yet: keep room for a scroll bar
            return False
        if needed > sizes[0]:
            left = min(needed, int(total * 0.6))
            self.results_splitter.setSizes([left, total - left])
            return needed <= left
        return True

    def show_results(self) -> None:
        """Tabulate (or cross-tabulate) the chosen question and draw its chart."""
        if self.project is None:
            return
        question_id = self.result_question.currentData()
        self.tabulation = self.cross = None
        self.answer_combo.clear()
        self.constat_button.setEnabled(False)
        if question_id is None:
            self._set_table(["Réponse", "Nombre", "Part"], [])
            self.note_label.setText("Ajoutez des questions, puis importez les réponses saisies.")
            self.chart_view.set_figure(empty_chart("Aucune question pour l'instant."))
            return
        tab = run_action(self, TITLE, lambda: svc.tabulate(self.ctx.uow(), question_id))
        if tab is None:
            return
        self.tabulation = tab
        by = self.cross_combo.currentData()
        question = tab.question
        free = question.kind == QuestionKind.TEXT.value
        self.chart_view.setVisible(not free)  # free answers are read, not charted: the list takes the width
        self.constat_box.setVisible(not free)
        self.cross_combo.setEnabled(not free)
        if by and question.kind != QuestionKind.TEXT.value:
            cross = run_action(
                self, TITLE, lambda: svc.cross_tabulate(self.ctx.uow(), question_id, by, self.ctx.refdata)
            )
            if cross is None:
                return
            self.cross = cross
            self._show_cross(cross)
        else:
            self._show_tabulation(tab)
        self._fill_answers(tab)

    def _show_tabulation(self, tab: svc.Tabulation) -> None:
        question = tab.question
        if question.kind == QuestionKind.TEXT.value:
            self._set_table(["Réponses libres"], [[text] for text in sorted(tab.texts, key=str.casefold)], right_from=1)
            self.note_label.setText(
                f"{plural(tab.answered, 'réponse libre', 'réponses libres')} sur "
                f"{plural(tab.respondents, 'questionnaire')}. Une réponse libre ne se compte pas : relisez-les et "
                f"rédigez vous-même les constats qu'elles inspirent (étape{NBSP}1, onglet {quoted('Constats')})."
            )
        else:
            self._set_table(
                ["Réponse" if question.kind != QuestionKind.NUMBER.value else "Valeur", "Nombre", "Part"],
                [[r.label, format_int(r.count), f"{format_decimal(r.share, 1)} %"] for r in tab.rows],
            )
            note = tab.note if tab.respondents else "Aucun questionnaire importé pour l'instant."
            if tab.answered and question.kind == QuestionKind.NUMBER.value and tab.mean is not None:
                note += (
                    f" Moyenne : {format_decimal(tab.mean, 1)} ; médiane : {_number(tab.median)} ; "
                    f"de {_number(tab.minimum)} à {_number(tab.maximum)}."
                )
            elif tab.answered and question.kind == QuestionKind.SCALE.value and tab.mean is not None:
                note += f" Niveau moyen : {format_decimal(tab.mean, 1)} sur {len(question.choices)}."
            self.note_label.setText(note)
        self.chart_view.set_figure(tabulation_chart(tab))

    def _show_cross(self, cross: svc.CrossTabulation) -> None:
        question = cross.question
        rows = [*cross.rows, cross.total]
        if question.kind == QuestionKind.NUMBER.value or not cross.categories:
            headers = [cross.by_label, "Répondants", "Moyenne"]
            values = [[r.group, format_int(r.answered), _number(r.mean, 1)] for r in rows]
        else:
            headers = [cross.by_label, "Répondants", *cross.categories]
            if question.kind == QuestionKind.SCALE.value:
                headers.append("Niveau moyen")
            values = []
            for r in rows:
                line = [r.group, format_int(r.answered)]
                line += [f"{format_decimal(s, 0)} % ({format_int(c)})" for s, c in zip(r.shares, r.counts, strict=True)]
                if question.kind == QuestionKind.SCALE.value:
                    line.append(_number(r.mean, 1))
                values.append(line)
        self._set_table(headers, values, stretch_first=False)
        self.note_label.setText(
            f"Parts calculées sur les répondants de chaque groupe ; {quoted('Ensemble')} rassemble les "
            f"{plural(cross.total.answered, 'répondant')} à la question."
            + (
                " Plusieurs réponses possibles : le total d'une ligne dépasse 100 %."
                if question.kind == QuestionKind.MULTIPLE.value
                else ""
            )
        )
        self.chart_view.set_figure(cross_tabulation_chart(cross))

    def _fill_answers(self, tab: svc.Tabulation) -> None:
        question = tab.question
        self.answer_combo.clear()
        if question.kind == QuestionKind.TEXT.value:
            self.answer_combo.addItem("Réponse libre : rédigez le constat vous-même")
            self.answer_combo.setEnabled(False)
            return
        if question.kind == QuestionKind.NUMBER.value:
            self.answer_combo.addItem("Moyenne et médiane", None)
        else:
            for row in tab.rows:
                self.answer_combo.addItem(f"{row.label} ({format_decimal(row.share, 0)} %)", row.label)
        self.answer_combo.setEnabled(question.kind != QuestionKind.NUMBER.value and bool(tab.answered))
        self.constat_button.setEnabled(bool(tab.answered))

    def make_constat(self, choice: str | None = None, comment: str = "") -> int | None:
        """Keep an answer's share (the one chosen in the list unless ``choice`` is given) as a constat."""
        tab = self.tabulation
        if tab is None:
            return None
        answer = choice if choice is not None else self.answer_combo.currentData()
        new_id = run_action(
            self, TITLE, lambda: svc.answer_to_constat(self.ctx.uow(), tab.question.id, answer, comment)
        )
        if new_id is not None:
            self.ctx.saved.emit("Constat retenu")
            self.ctx.notify(DataKind.CONSTATS, self._project_id())
            self.changed.emit()
            show_message(
                self, TITLE, "Constat retenu : il figure désormais parmi les constats du diagnostic, qui "
                "nourriront le choix des priorités.", QMessageBox.Icon.Information,
            )  # fmt: skip
        return new_id


def _number(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    if float(value).is_integer():
        return format_int(int(value))
    return format_decimal(value, digits).rstrip("0").rstrip(",")
