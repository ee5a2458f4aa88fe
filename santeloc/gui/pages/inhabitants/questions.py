"""Step 4: the questionnaire (questions, their kind, role and order)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.enums import QuestionKind
from santeloc.gui.ops import attempt, confirm, run_action, show_message
from santeloc.gui.pages.base import wrapped
from santeloc.gui.pages.inhabitants.common import (
    CHOICE_HINTS,
    COLUMNS,
    TITLE,
    TextArea,
)
from santeloc.gui.pages.inhabitants.dialogs import (
    QuestionDialog,
)
from santeloc.gui.pages.inhabitants.host import Host
from santeloc.gui.widgets import tidy_combo
from santeloc.services import survey as svc


class QuestionsMixin(Host):
    """The questions tab."""

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
