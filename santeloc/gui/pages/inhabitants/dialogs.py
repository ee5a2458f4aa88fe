"""The dialogs of step 4: a new question, the errors of an imported sheet."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.enums import QuestionKind
from santeloc.domain.formatting import plural
from santeloc.gui.pages.base import wrapped
from santeloc.gui.pages.inhabitants.common import (
    CHOICE_HINTS,
)
from santeloc.gui.widgets import tidy_combo
from santeloc.services import survey as svc


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
