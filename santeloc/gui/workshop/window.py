"""Workshop mode: the full-screen window assembling slides, vote and saving."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QWidget,
)

from santeloc.gui.context import AppContext
from santeloc.gui.ops import run_action
from santeloc.gui.workshop.common import (
    POINTS,
    TITLE,
    Candidate,
    _clean,
    _Slide,
)
from santeloc.gui.workshop.saving import SavingMixin
from santeloc.gui.workshop.slides import SlidesMixin
from santeloc.gui.workshop.vote import VoteMixin
from santeloc.services import health_project as priorities_svc
from santeloc.services import indicators as indicators_svc
from santeloc.services.indicators import ConstatRow, IndicatorRow
from santeloc.services.projects import get_project
from santeloc.services.territory import TerritorySummary, territory_summary


class WorkshopWindow(SlidesMixin, VoteMixin, SavingMixin, QWidget):
    """The diagnostic of a project presented slide by slide, then the vote on its priorities.

    Open it with :meth:`open` (full screen). Public methods drive it like the keyboard and the
    facilitator do, for tests and for a remote: :meth:`next_slide`, :meth:`previous_slide`,
    :meth:`start_vote`, :meth:`set_candidates`, :meth:`set_points`, :meth:`set_rank`,
    :meth:`results`, :meth:`save_priorities`.
    """

    saved = Signal(list)  # ids of the priorities voted on, in their new order

    def __init__(self, ctx: AppContext, project_id: int, parent: QWidget | None = None, *, today: date | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.project_id = project_id
        self.today = today or date.today()
        self.setObjectName("workshop")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._scale = 1.0
        self._slides: list[_Slide] = []
        self._index = 0
        self.candidates: list[Candidate] = []
        self.participants: list[str] = []
        self.mode = POINTS
        self._points: dict[tuple[str, str], float] = {}
        self._ranks: dict[tuple[str, str], int] = {}
        self._filling = False
        self._meeting_id: int | None = None
        self._saved_rows: list[priorities_svc.PriorityRow] = []
        self._current_scores: dict[str, float] = {}

        uow = ctx.uow
        self.project = get_project(uow(), project_id)
        self.summary: TerritorySummary = territory_summary(uow(), project_id, ctx.refdata)
        dep, region = self.summary.reference_departement, self.summary.reference_region
        labels = indicators_svc.reference_labels(
            f"la valeur départementale ({dep.name}, {dep.code})" if dep else None,
            f"la valeur régionale ({region.name})" if region else None,
        )
        self.constats: list[ConstatRow] = indicators_svc.list_constats(uow(), project_id)
        self.indicators: dict[int, IndicatorRow] = {
            row.id: row for row in indicators_svc.list_indicators(uow(), project_id, labels)
        }
        for constat in self.constats:  # two constats worded alike make one candidate (and one priority)
            if self._find_candidate(constat.title) is None:
                self.candidates.append(Candidate(_clean(constat.title), constat.id, constat.comment.strip()))
        self.setWindowTitle(f"Atelier — {self.project.name}")
        self._build()
        self._apply_scale(force=True)
        self._go(0)

    @classmethod
    def open(cls, ctx: AppContext, project_id: int, parent: QWidget | None = None) -> WorkshopWindow | None:
        """Build the workshop of a project and show it full screen (None, with a message, if the
        project cannot be read). The window deletes itself when closed."""
        window = run_action(parent, TITLE, lambda: cls(ctx, project_id, parent))
        if window is not None:
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.showFullScreen()
            window.activateWindow()
            window.setFocus()
        return window

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._apply_scale()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_PageDown, Qt.Key.Key_Down):
            self.next_slide()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_PageUp, Qt.Key.Key_Up, Qt.Key.Key_Backspace):
            self.previous_slide()
        elif key == Qt.Key.Key_Home:
            self._go(0)
        elif key == Qt.Key.Key_End:
            self._go(len(self._slides) - 1)
        elif key == Qt.Key.Key_Escape:
            self.close()  # asks nothing, saves nothing: only "Enregistrer" writes to the database
        else:
            super().keyPressEvent(event)
            return
        event.accept()
