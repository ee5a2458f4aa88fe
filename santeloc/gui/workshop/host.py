"""What the WorkshopWindow mixins may use of each other (for the type checker only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

    from matplotlib.figure import Figure
    from PySide6.QtCore import Signal
    from PySide6.QtWidgets import (
        QButtonGroup,
        QComboBox,
        QLabel,
        QLineEdit,
        QListWidgetItem,
        QPushButton,
        QRadioButton,
        QStackedWidget,
        QTableWidget,
        QTableWidgetItem,
        QVBoxLayout,
        QWidget,
    )

    from santeloc.gui.context import AppContext
    from santeloc.gui.map_canvas import FigureView
    from santeloc.gui.workshop.common import (
        Candidate,
        _Slide,
        _WrappingList,
    )
    from santeloc.services import health_project as priorities_svc
    from santeloc.services.indicators import ConstatRow, IndicatorRow
    from santeloc.services.projects import ProjectInfo
    from santeloc.services.territory import TerritorySummary

    class Host(QWidget):
        """The attributes and methods of :class:`WorkshopWindow`."""

        ctx: AppContext
        project: ProjectInfo

        saved = Signal(list)  # ids of the priorities voted on, in their new order
        project_id: int
        today: date
        _scale: float
        _slides: list[_Slide]
        _index: int
        candidates: list[Candidate]
        participants: list[str]
        mode: str
        _points: dict[tuple[str, str], float]
        _ranks: dict[tuple[str, str], int]
        _filling: bool
        _meeting_id: int | None
        _saved_rows: list[priorities_svc.PriorityRow]
        _current_scores: dict[str, float]
        summary: TerritorySummary
        constats: list[ConstatRow]
        indicators: dict[int, IndicatorRow]
        stack: QStackedWidget
        hint: QLabel
        counter: QLabel
        _done_slide: _Slide
        candidate_list: _WrappingList
        candidate_edit: QLineEdit
        add_candidate_button: QPushButton
        points_radio: QRadioButton
        ranks_radio: QRadioButton
        mode_group: QButtonGroup
        participant_edit: QLineEdit
        add_participant_button: QPushButton
        remove_participant_button: QPushButton
        table: QTableWidget
        mode_hint: QLabel
        vote_error: QLabel
        results_button: QPushButton
        results_summary: QLabel
        record_combo: QComboBox
        save_button: QPushButton
        results_view: FigureView
        done_box: QWidget
        done_rows: QVBoxLayout
        done_note: QLabel

        def _build(self) -> None: ...
        def _add_slide(self, slide: _Slide) -> None: ...
        def _apply_scale(self, *, force: bool = False) -> None: ...
        def next_slide(self) -> None: ...
        def previous_slide(self) -> None: ...
        def _go(self, index: int) -> None: ...
        def checked_candidates(self) -> list[str]: ...
        def _find_candidate(self, title: str) -> Candidate | None: ...
        def _fill_candidates(self) -> None: ...
        def _on_candidate_checked(self, item: QListWidgetItem) -> None: ...
        def _add_candidate_from_edit(self) -> None: ...
        def _candidate_for_vote(self, title: str) -> Candidate: ...
        def _has_votes(self) -> bool: ...
        def results(self) -> dict[str, float]: ...
        def _fill_table(self) -> None: ...
        def _show_vote_error(self, text: str) -> None: ...
        def _on_cell_changed(self, item: QTableWidgetItem) -> None: ...
        def _add_participant_from_edit(self) -> None: ...
        def _remove_current_participant(self) -> None: ...
        def _on_mode_toggled(self, _checked: bool) -> None: ...
        def _prepare_results(self) -> bool: ...
        def _vote_figure(self) -> Figure: ...
        def save_priorities(self) -> list[int]: ...

else:
    Host = object
