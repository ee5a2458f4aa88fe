"""A step that this version does not equip yet: its purpose, what to gather, an honest empty state."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from santeloc.workflow.steps import Step


class StepPlaceholderPage(QWidget):
    """Explains the step and says plainly that nothing can be entered here yet."""

    def __init__(self, step: Step, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step = step
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(14)

        purpose_title = QLabel("<b>À quoi sert cette étape</b>")
        purpose = QLabel(step.purpose)
        gather_title = QLabel("<b>Ce qu'il faut rassembler</b>")
        gather = QLabel(step.gather)
        for label in (purpose, gather):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        empty = QFrame()
        empty.setObjectName("emptyState")
        empty.setStyleSheet("#emptyState { background: #f4f6f5; border: 1px dashed #9fb3ab; border-radius: 6px; }")
        empty_layout = QVBoxLayout(empty)
        empty_text = QLabel(
            "<b>Cette étape n'est pas encore outillée dans cette version de santeloc.</b><br>"
            "Rien n'y est saisi ni affiché pour l'instant, et aucune donnée de votre projet n'est perdue : "
            "ce que vous avez déjà enregistré aux autres étapes reste disponible. "
            "Vous pouvez préparer dès maintenant les documents listés ci-dessus."
        )
        empty_text.setObjectName("emptyStateText")
        empty_text.setWordWrap(True)
        empty_layout.addWidget(empty_text)

        for widget in (purpose_title, purpose, gather_title, gather, empty):
            layout.addWidget(widget)
        layout.addStretch(1)
