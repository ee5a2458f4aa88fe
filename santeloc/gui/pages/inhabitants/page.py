"""Step 4 — Ressenti des habitants: the page assembling its tabs."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QVBoxLayout,
    QWidget,
)

from santeloc.gui.context import AppContext
from santeloc.gui.ops import run_action
from santeloc.gui.pages.base import StepPage
from santeloc.gui.pages.base import cell as item
from santeloc.gui.pages.inhabitants.collect import CollectMixin
from santeloc.gui.pages.inhabitants.common import (
    CROSS_LABELS,
    TITLE,
    PageTabs,
)
from santeloc.gui.pages.inhabitants.dialogs import (
    ImportErrorsDialog,
    QuestionDialog,
)
from santeloc.gui.pages.inhabitants.questions import QuestionsMixin
from santeloc.gui.pages.inhabitants.results import ResultsMixin
from santeloc.gui.widgets import tidy_combo
from santeloc.services import survey as svc
from santeloc.services.changes import Kind
from santeloc.services.projects import ProjectInfo


class InhabitantsPage(QuestionsMixin, CollectMixin, ResultsMixin, StepPage):
    """The page of step 4. The selected question's fields are saved as soon as they are left."""

    WATCHES = frozenset({Kind.SURVEY, Kind.TERRITORY})

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

    def _after_change(self, message: str = "Enregistré") -> None:
        self.ctx.saved.emit(message)
