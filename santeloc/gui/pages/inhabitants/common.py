"""Constants and small widgets of step 4 (tabs, text areas)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QPlainTextEdit,
    QTabWidget,
    QWidget,
)

from santeloc.domain.enums import QuestionKind
from santeloc.domain.formatting import format_decimal, format_int
from santeloc.services import survey as svc

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


def _number(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    if float(value).is_integer():
        return format_int(int(value))
    return format_decimal(value, digits).rstrip("0").rstrip(",")
