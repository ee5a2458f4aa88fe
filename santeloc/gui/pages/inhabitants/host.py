"""What the InhabitantsPage mixins may use of each other (for the type checker only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import (
        QComboBox,
        QGroupBox,
        QLabel,
        QPushButton,
        QSplitter,
        QTableWidget,
        QWidget,
    )

    from santeloc.gui.map_canvas import FigureView
    from santeloc.gui.pages.base import StepPage
    from santeloc.gui.pages.inhabitants.common import (
        PageTabs,
        TextArea,
    )
    from santeloc.gui.pages.inhabitants.dialogs import (
        ImportErrorsDialog,
        QuestionDialog,
    )
    from santeloc.services import survey as svc

    class Host(StepPage):
        """The attributes and methods of :class:`InhabitantsPage`."""

        questions: list[svc.QuestionRow]
        responses: int
        tabulation: svc.Tabulation | None
        cross: svc.CrossTabulation | None
        question_dialog: QuestionDialog | None
        errors_dialog: ImportErrorsDialog | None
        _loading: bool
        tabs: PageTabs
        starter_button: QPushButton
        add_button: QPushButton
        up_button: QPushButton
        down_button: QPushButton
        delete_button: QPushButton
        empty_label: QLabel
        table: QTableWidget
        text_edit: TextArea
        kind_combo: QComboBox
        role_combo: QComboBox
        choices_edit: TextArea
        choices_hint: QLabel
        form_box: QGroupBox
        printable_button: QPushButton
        sheet_button: QPushButton
        responses_label: QLabel
        import_button: QPushButton
        clear_responses_button: QPushButton
        result_question: QComboBox
        cross_combo: QComboBox
        results_table: QTableWidget
        note_label: QLabel
        constat_box: QGroupBox
        answer_combo: QComboBox
        constat_button: QPushButton
        chart_view: FigureView
        results_splitter: QSplitter

        def _questions_tab(self) -> QWidget: ...
        def _collect_tab(self) -> QWidget: ...
        def _results_tab(self) -> QWidget: ...
        def refresh(self) -> None: ...
        def current(self) -> svc.QuestionRow | None: ...
        def select_question(self, question_id: int) -> None: ...
        def _fill_form(self) -> None: ...
        def _show_responses(self) -> None: ...
        def _after_change(self, message: str = "Enregistré") -> None: ...
        def _fill_result_questions(self) -> None: ...
        def show_results(self) -> None: ...

else:
    Host = object
