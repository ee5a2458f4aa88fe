"""Workshop mode: the diagnostic presented full screen to a meeting, then the priority vote.

The facilitator (an elected official, the chargé(e) de mission) opens it from a project: a
title slide, one slide per constat of the diagnostic (its chart when it comes from an
indicator, its text otherwise), the territory's map; the keyboard moves between slides like a
presentation remote (→, Espace, Page suivante / ←, Page précédente, Début, Fin; Échap leaves
without asking nor saving anything). Then the **vote**: the constats are the candidate
priorities (the room may add some), each participant or group gives points or ranks them
(Borda count); the result is charted and, on request, saved as the project's priorities with
their scores and order, and the session recorded among the project's meetings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from matplotlib.figure import Figure
from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.errors import DomainError, ValidationError
from santeloc.domain.formatting import NBSP, format_date, format_decimal, format_int, plural
from santeloc.domain.indicators import parse_french_number
from santeloc.domain.levers import plain_text
from santeloc.exports.maps import territory_map
from santeloc.exports.workshop_charts import indicator_chart, vote_chart
from santeloc.gui.context import AppContext, DataKind
from santeloc.gui.map_canvas import FigureView
from santeloc.gui.ops import confirm, run_action, show_message
from santeloc.services import health_project as priorities_svc
from santeloc.services import indicators as indicators_svc
from santeloc.services import meetings as meetings_svc
from santeloc.services.indicators import ConstatRow, IndicatorRow
from santeloc.services.projects import get_project
from santeloc.services.territory import TerritorySummary, territory_summary
from santeloc.workflow.steps import STEPS_BY_ID, StepId

TITLE = "Atelier"
SAVE_TITLE = "Enregistrer les priorités"
POINTS = "points"
RANKS = "rangs"
ACCENT = "#2e7d6b"
INK = "#1b1b1b"
MUTED = "#4a4a4a"
PAPER = "#fbfaf6"
ERROR = "#a93226"
MAX_CANDIDATE = priorities_svc.MAX_TITLE
MAX_PARTICIPANT = 60
NO_RECORD = ""
RECORD_KINDS: tuple[tuple[str, str], ...] = (
    ("comite_pilotage", "Consigner comme comité de pilotage"),
    ("atelier_habitants", "Consigner comme atelier habitants"),
    (NO_RECORD, "Ne pas consigner la séance"),
)
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
HINT = "→ ou Espace : suivant   ·   ← : précédent   ·   Échap : quitter"
# Base sizes in pixels for a 1280 × 720 screen; everything grows with the screen.
BASE_WIDTH, BASE_HEIGHT = 1280, 720
CHART_DPI = 100.0


def long_date(day: date) -> str:
    """``2026-03-12`` → ``jeudi 12 mars 2026`` (independent of the system's locale)."""
    return f"{DAYS[day.weekday()]} {'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def number_text(value: float) -> str:
    """A score or a value the French way: ``12``, ``2,5``, ``1 012,3``."""
    if float(value).is_integer():
        return format_int(int(value))
    return format_decimal(value, 2 if abs(value) < 100 else 1).rstrip("0").rstrip(",")


def points_text(score: float) -> str:
    """``9`` → ``9 points``, ``1`` → ``1 point`` (French: under 2, singular)."""
    return f"{number_text(score)}{NBSP}{'point' if abs(score) < 2 else 'points'}"


def _clean(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Candidate:
    """A priority the room votes on: drawn from a constat, or proposed during the meeting."""

    title: str
    constat_id: int | None = None
    description: str = ""
    checked: bool = True


@dataclass
class _Slide:
    kind: str  # "title", "constat", "map", "vote", "results", "done"
    widget: QWidget
    views: list[tuple[FigureView, Callable[[], Figure], float]] = field(default_factory=list)
    rendered_at: float = 0.0  # scale the figures were drawn for (0: not yet)


def _label(text: str, role: str, *, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", role)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


def _stylesheet(scale: float) -> str:
    def px(size: float) -> int:
        return max(9, round(size * scale))

    return f"""
QWidget#workshop {{ background: {PAPER}; color: {INK}; }}
QLabel {{ color: {INK}; }}
QFrame#band {{ background: {ACCENT}; border: none; }}
QLabel[role="hero"] {{ font-size: {px(54)}px; font-weight: 700; }}
QLabel[role="subtitle"] {{ font-size: {px(30)}px; color: {ACCENT}; font-weight: 600; }}
QLabel[role="rank"] {{ font-size: {px(28)}px; color: {ACCENT}; font-weight: 700; }}
QLabel[role="kicker"] {{ font-size: {px(22)}px; color: {ACCENT}; font-weight: 700; }}
QLabel[role="title"] {{ font-size: {px(40)}px; font-weight: 700; }}
QLabel[role="body"] {{ font-size: {px(28)}px; }}
QLabel[role="strong"] {{ font-size: {px(28)}px; font-weight: 700; }}
QLabel[role="note"] {{ font-size: {px(20)}px; color: {MUTED}; }}
QLabel[role="counter"] {{ font-size: {px(20)}px; color: {MUTED}; font-weight: 600; }}
QLabel[role="hint"] {{ font-size: {px(16)}px; color: {MUTED}; }}
QLabel[role="error"] {{ font-size: {px(20)}px; color: {ERROR}; font-weight: 600; }}
QLabel[role="section"] {{ font-size: {px(22)}px; font-weight: 700; }}
QListWidget, QTableWidget, QLineEdit, QComboBox, QRadioButton, QPushButton {{ font-size: {px(20)}px; }}
QListWidget, QTableWidget {{ background: white; border: 1px solid #b8c4bf; }}
QListWidget::indicator, QRadioButton::indicator {{ width: {px(20)}px; height: {px(20)}px; }}
QHeaderView::section {{ font-size: {px(18)}px; font-weight: 700; background: #e8efec; padding: {px(6)}px;
    border: none; border-right: 1px solid #c9d4cf; }}
QTableCornerButton::section {{ background: #e8efec; border: none; }}
QListWidget {{ font-size: {px(18)}px; }}
QLineEdit {{ padding: {px(6)}px; background: white; border: 1px solid #b8c4bf; border-radius: 4px; }}
QPushButton {{ padding: {px(8)}px {px(18)}px; background: #e8efec; border: 1px solid #b8c4bf; border-radius: 6px; }}
QPushButton:hover {{ background: #dbe6e1; }}
QPushButton[role="primary"] {{ background: {ACCENT}; color: white; font-weight: 700; border: 1px solid {ACCENT}; }}
QPushButton[role="primary"]:hover {{ background: #256656; }}
QPushButton:disabled {{ color: #8a8a8a; background: #eeeeee; border-color: #dddddd; }}
"""


class _WrappingList(QListWidget):
    """A checkable list whose long items wrap over as many lines as they need.

    Qt measures wrapped items without their check box and then elides their last line; the
    heights are computed here for the width the text really gets, again on every resize.
    """

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.fit_items()

    def fit_items(self) -> None:
        """Give every item the height its wrapped text needs at the current width."""
        metrics = QFontMetrics(self.font())
        indicator = self.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, self)
        # The delegate's text box: the item less the check box and small margins on each side.
        width = max(80, self.viewport().width() - indicator - 2 * self.spacing() - 18)
        full = max(1, self.viewport().width() - 2 * self.spacing())
        flags = int(Qt.TextFlag.TextWordWrap)
        blocked = self.blockSignals(True)  # a size hint is not a change of the candidates
        try:
            for row in range(self.count()):
                item = self.item(row)
                if item is None:
                    continue
                text = metrics.boundingRect(QRect(0, 0, width, 10_000), flags, item.text())
                item.setSizeHint(QSize(full, text.height() + metrics.height() // 3))
        finally:
            self.blockSignals(blocked)


class WorkshopWindow(QWidget):
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

    # --- opening -----------------------------------------------------------------------------

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

    # --- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        band = QFrame()
        band.setObjectName("band")
        band.setFixedHeight(10)
        outer.addWidget(band)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        footer = QHBoxLayout()
        footer.setContentsMargins(40, 6, 40, 14)
        self.hint = _label(HINT, "hint", wrap=False)
        self.counter = _label("", "counter", wrap=False)
        self.counter.setObjectName("counter")
        footer.addWidget(self.hint)
        footer.addStretch(1)
        footer.addWidget(self.counter)
        outer.addLayout(footer)

        self._add_slide(self._title_slide())
        if self.constats:
            for number, constat in enumerate(self.constats, start=1):
                self._add_slide(self._constat_slide(number, constat))
        else:
            page, layout = self._page()
            layout.addWidget(_label("Le diagnostic", "kicker"))
            layout.addWidget(_label("Aucun constat n'a encore été retenu", "title"))
            layout.addWidget(
                _label(
                    "Les constats se retiennent à l'étape 1 (indicateurs de santé) et à l'étape 4 (questionnaire "
                    "des habitants). Pendant le vote, la salle peut proposer ses propres priorités.",
                    "body",
                )
            )
            layout.addStretch(1)
            self._add_slide(_Slide("constat", page))
        self._add_slide(self._map_slide())
        self._add_slide(self._vote_slide())
        self._add_slide(self._results_slide())
        self._done_slide = self._make_done_slide()

    def _page(self) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(72, 36, 72, 12)
        layout.setSpacing(14)
        return page, layout

    def _add_slide(self, slide: _Slide) -> None:
        self._slides.append(slide)
        self.stack.addWidget(slide.widget)

    def _title_slide(self) -> _Slide:
        page, layout = self._page()
        layout.addStretch(2)
        layout.addWidget(_label("Diagnostic local de santé · atelier de priorisation", "subtitle"))
        layout.addWidget(_label(self.project.name, "hero"))
        layout.addSpacing(18)
        summary = self.summary
        if summary.is_empty:
            layout.addWidget(_label("Territoire à définir (étape 0).", "body"))
        else:
            names = [row.name for row in summary.communes]
            shown = ", ".join(names[:8]) + (f" et {plural(len(names) - 8, 'autre commune')}" if len(names) > 8 else "")
            layout.addWidget(_label(f"{plural(len(names), 'commune')} : {shown}", "body"))
            layout.addWidget(
                _label(
                    f"{format_int(summary.population)}{NBSP}habitants "
                    f"(population légale {summary.population_year}, INSEE)",
                    "strong",
                )
            )
        if self.project.porteur_name:
            layout.addWidget(_label(f"Porteur : {self.project.porteur_name}", "body"))
        layout.addSpacing(18)
        date_text = long_date(self.today)
        layout.addWidget(_label(date_text[0].upper() + date_text[1:], "note"))
        layout.addStretch(3)
        return _Slide("title", page)

    def _constat_slide(self, number: int, constat: ConstatRow) -> _Slide:
        page, layout = self._page()
        try:
            step_title = STEPS_BY_ID[StepId(constat.step)].title
        except ValueError:
            step_title = "Diagnostic"
        layout.addWidget(_label(f"Constat {number} sur {len(self.constats)} · {step_title}", "kicker"))
        row = self.indicators.get(constat.indicator_id) if constat.indicator_id is not None else None
        slide = _Slide("constat", page)
        comment = constat.comment.strip()
        if row is not None and row.has_values:
            layout.addWidget(_label(constat.title, "title"))
            reading = self._reading(row)
            if reading:
                layout.addWidget(_label(reading, "body"))
            view = FigureView()
            layout.addWidget(view, 1)
            dep, region = self.summary.reference_departement, self.summary.reference_region
            build = partial(
                indicator_chart,
                row,
                departement=dep.name if dep else "Département",
                region=region.name if region else "Région",
            )
            slide.views.append((view, build, 1.0))
            if comment:
                layout.addWidget(_label(comment, "note"))
            origin = ", ".join(part for part in (row.source, str(row.year) if row.year else "") if part)
            if origin:
                layout.addWidget(_label(f"Source : {origin}" if row.source else f"Données {row.year}", "note"))
        else:
            # A finding in words: set in the middle of the slide, the comment as its explanation.
            layout.addStretch(1)
            layout.addWidget(_label(constat.title, "title"))
            if comment:
                layout.addSpacing(12)
                layout.addWidget(_label(comment, "body"))
            layout.addStretch(2)
        return slide

    @staticmethod
    def _reading(row: IndicatorRow) -> str:
        """One sentence the room can read aloud (the chart shows the figures)."""
        if row.smr is not None:
            smr = row.smr
            cases = "cas observé" if smr.observed < 2 else "cas observés"
            return (
                f"{format_int(smr.observed)} {cases} sur le territoire, pour {format_decimal(smr.expected, 1)} "
                "attendus s'il avait les taux de la référence."
            )
        main = row.comparisons.get("value_departement") or next(iter(row.comparisons.values()), None)
        return main.sentence if main is not None else ""

    def _map_slide(self) -> _Slide:
        page, layout = self._page()
        layout.addWidget(_label("Le territoire du projet", "title"))
        summary = self.summary
        if not summary.is_empty:
            layout.addWidget(
                _label(
                    f"{plural(len(summary.communes), 'commune')} · {format_int(summary.population)}{NBSP}habitants",
                    "body",
                )
            )
        view = FigureView()
        layout.addWidget(view, 1)
        codes = summary.codes
        slide = _Slide("map", page)
        slide.views.append((view, lambda: territory_map(self.ctx.refdata, codes, figsize=(8.0, 5.0)), 1.9))
        return slide

    def _vote_slide(self) -> _Slide:
        page, layout = self._page()
        layout.setSpacing(10)
        layout.addWidget(_label("Vote des priorités", "title"))
        columns = QHBoxLayout()
        columns.setSpacing(32)

        left = QVBoxLayout()
        left.addWidget(_label("Priorités soumises au vote", "section"))
        self.candidate_list = _WrappingList()
        self.candidate_list.setWordWrap(True)
        self.candidate_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.candidate_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.candidate_list.setSpacing(4)
        self.candidate_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.candidate_list.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.candidate_list.itemChanged.connect(self._on_candidate_checked)
        left.addWidget(self.candidate_list, 1)
        add_row = QHBoxLayout()
        self.candidate_edit = QLineEdit()
        self.candidate_edit.setPlaceholderText("Proposition de la salle")
        self.candidate_edit.setMaxLength(MAX_CANDIDATE)
        self.candidate_edit.returnPressed.connect(self._add_candidate_from_edit)
        self.add_candidate_button = QPushButton("Ajouter")
        self.add_candidate_button.clicked.connect(self._add_candidate_from_edit)
        add_row.addWidget(self.candidate_edit, 1)
        add_row.addWidget(self.add_candidate_button)
        left.addLayout(add_row)
        columns.addLayout(left, 4)

        right = QVBoxLayout()
        mode_row = QHBoxLayout()
        mode_row.addWidget(_label("Mode :", "section", wrap=False))
        self.points_radio = QRadioButton("Points")
        self.ranks_radio = QRadioButton("Classement (1 = la plus importante)")
        self.points_radio.setChecked(True)
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.points_radio)
        self.mode_group.addButton(self.ranks_radio)
        self.points_radio.toggled.connect(self._on_mode_toggled)
        mode_row.addWidget(self.points_radio)
        mode_row.addWidget(self.ranks_radio)
        mode_row.addStretch(1)
        right.addLayout(mode_row)
        participant_row = QHBoxLayout()
        self.participant_edit = QLineEdit()
        self.participant_edit.setPlaceholderText("Participant ou groupe")
        self.participant_edit.setMaxLength(MAX_PARTICIPANT)
        self.participant_edit.returnPressed.connect(self._add_participant_from_edit)
        self.add_participant_button = QPushButton("Ajouter")
        self.add_participant_button.clicked.connect(self._add_participant_from_edit)
        self.remove_participant_button = QPushButton("Retirer")
        self.remove_participant_button.clicked.connect(self._remove_current_participant)
        participant_row.addWidget(self.participant_edit, 1)
        participant_row.addWidget(self.add_participant_button)
        participant_row.addWidget(self.remove_participant_button)
        right.addLayout(participant_row)
        self.table = QTableWidget()
        self.table.setWordWrap(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.itemChanged.connect(self._on_cell_changed)
        right.addWidget(self.table, 1)
        self.mode_hint = _label("", "note")
        right.addWidget(self.mode_hint)
        self.vote_error = _label("", "error")
        self.vote_error.hide()
        right.addWidget(self.vote_error)
        columns.addLayout(right, 6)
        layout.addLayout(columns, 1)

        buttons = QHBoxLayout()
        back = QPushButton("← Revoir le diagnostic")
        back.clicked.connect(lambda: self._go(self._vote_index() - 1))
        self.results_button = QPushButton("Voir les résultats →")
        self.results_button.setProperty("role", "primary")
        self.results_button.clicked.connect(self.next_slide)
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(self.results_button)
        layout.addLayout(buttons)
        self._fill_candidates()
        self._fill_table()
        return _Slide("vote", page)

    def _results_slide(self) -> _Slide:
        page, layout = self._page()
        layout.addWidget(_label("Résultat du vote", "title"))
        self.results_summary = _label("", "body")
        self.record_combo = QComboBox()
        for key, label in RECORD_KINDS:
            self.record_combo.addItem(label, key)
        self.record_combo.setToolTip("Consigner la séance parmi les réunions du projet, avec le résultat du vote")
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.results_summary, 1)
        summary_row.addWidget(self.record_combo)
        layout.addLayout(summary_row)
        view = FigureView()
        layout.addWidget(view, 1)
        buttons = QHBoxLayout()
        back = QPushButton("← Modifier les votes")
        back.clicked.connect(self.start_vote)
        self.save_button = QPushButton("Enregistrer comme priorités du projet")
        self.save_button.setProperty("role", "primary")
        self.save_button.clicked.connect(self.save_priorities)
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        slide = _Slide("results", page)
        slide.views.append((view, self._vote_figure, 1.45))
        self.results_view = view
        return slide

    def _make_done_slide(self) -> _Slide:
        page, layout = self._page()
        layout.addWidget(_label("Priorités du projet enregistrées", "title"))
        self.done_box = QWidget()
        self.done_rows = QVBoxLayout(self.done_box)
        self.done_rows.setContentsMargins(0, 8, 0, 8)
        self.done_rows.setSpacing(10)
        layout.addWidget(self.done_box)
        self.done_note = _label("", "note")
        layout.addWidget(self.done_note)
        layout.addStretch(1)
        layout.addWidget(_label("Appuyez sur Échap pour quitter l'atelier.", "note"))
        return _Slide("done", page)

    # --- scale -------------------------------------------------------------------------------

    def _compute_scale(self) -> float:
        width, height = max(self.width(), 1), max(self.height(), 1)
        return max(0.6, min(width / BASE_WIDTH, height / BASE_HEIGHT))

    def _apply_scale(self, *, force: bool = False) -> None:
        scale = self._compute_scale()
        if not force and abs(scale - self._scale) < 0.03:
            return
        self._scale = scale
        self.setStyleSheet(_stylesheet(scale))
        if hasattr(self, "candidate_list"):
            # Wrapped items keep the height measured in the former font: lay them out again.
            self._fill_candidates()
            self._fill_table()
        for slide in self._slides:
            slide.rendered_at = 0.0
        if self._slides:
            self._render(self._slides[self._index])

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._apply_scale()

    def _render(self, slide: _Slide) -> None:
        """Draw the slide's charts for the current screen size (fonts grow with the screen)."""
        if slide.rendered_at == self._scale:
            return
        for view, build, zoom in slide.views:
            figure = build()
            figure.set_facecolor(PAPER)
            for axes in figure.axes:
                axes.set_facecolor("none")
            figure.set_dpi(CHART_DPI * zoom * self._scale)
            view.set_figure(figure)
            if view.canvas is not None:
                view.canvas.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        slide.rendered_at = self._scale

    # --- navigation --------------------------------------------------------------------------

    def current_index(self) -> int:
        """Index of the slide shown (0: the title slide)."""
        return self._index

    def slide_count(self) -> int:
        """Number of slides: title, constats, map, vote, results (and the confirmation once saved)."""
        return len(self._slides)

    def current_kind(self) -> str:
        """Kind of the slide shown: title, constat, map, vote, results or done."""
        return self._slides[self._index].kind

    def next_slide(self) -> None:
        """Go to the next slide (the results are counted when the vote is left)."""
        self._go(self._index + 1)

    def previous_slide(self) -> None:
        """Go back one slide."""
        self._go(self._index - 1)

    def start_vote(self) -> None:
        """Go straight to the vote."""
        self._go(self._vote_index())

    def _vote_index(self) -> int:
        return next(i for i, slide in enumerate(self._slides) if slide.kind == "vote")

    def _go(self, index: int) -> None:
        index = max(0, min(index, len(self._slides) - 1))
        if self._slides[index].kind == "results" and not self._prepare_results():
            index = self._vote_index()
        self._index = index
        slide = self._slides[index]
        self.stack.setCurrentWidget(slide.widget)
        if slide.kind == "vote":
            self.candidate_list.fit_items()  # measured for the width they are shown at
        self._render(slide)
        self.counter.setText(f"{index + 1} / {len(self._slides)}")
        self.hint.setVisible(slide.kind in ("title", "constat", "map"))
        if slide.kind != "vote" or self.focusWidget() is None:
            self.setFocus()

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

    # --- candidates --------------------------------------------------------------------------

    def checked_candidates(self) -> list[str]:
        """Titles of the priorities submitted to the vote, in their order."""
        return [c.title for c in self.candidates if c.checked]

    def _find_candidate(self, title: str) -> Candidate | None:
        key = plain_text(title)
        return next((c for c in self.candidates if plain_text(c.title) == key), None)

    def add_candidate(self, title: str) -> None:
        """Add a priority proposed by the room (checked); French error if empty or already listed."""
        cleaned = _clean(title)
        if not cleaned:
            raise ValidationError("Donnez un intitulé à la priorité proposée.")
        if len(cleaned) > MAX_CANDIDATE:
            raise ValidationError(f"Intitulé trop long ({len(cleaned)} caractères, {MAX_CANDIDATE} au plus).")
        existing = self._find_candidate(cleaned)
        if existing is not None:
            if existing.checked:
                raise ValidationError(f"« {existing.title} » est déjà soumise au vote.")
            existing.checked = True
        else:
            self.candidates.append(Candidate(cleaned))
        self._fill_candidates()
        self._fill_table()

    def set_candidates(self, titles: list[str]) -> None:
        """Submit exactly these priorities to the vote, in this order: titles of constats keep
        their link to the constat, others are proposals of the room; the constats left out stay
        listed, unchecked."""
        chosen: list[Candidate] = []
        for title in titles:
            cleaned = _clean(title)
            if not cleaned:
                raise ValidationError("Donnez un intitulé à chaque priorité soumise au vote.")
            if any(plain_text(c.title) == plain_text(cleaned) for c in chosen):
                raise ValidationError(f"« {cleaned} » figure deux fois parmi les priorités soumises au vote.")
            candidate = self._find_candidate(cleaned) or Candidate(cleaned)
            candidate.checked = True
            chosen.append(candidate)
        rest = [c for c in self.candidates if all(c is not k for k in chosen)]
        for candidate in rest:
            candidate.checked = False
        self.candidates = chosen + [c for c in rest if c.constat_id is not None]
        self._fill_candidates()
        self._fill_table()

    def _fill_candidates(self) -> None:
        self._filling = True
        try:
            self.candidate_list.clear()
            number = 0
            for candidate in self.candidates:
                label = candidate.title if candidate.constat_id is not None else f"{candidate.title} (proposée)"
                if candidate.checked:
                    number += 1
                    label = f"{number}. {label}"
                item = QListWidgetItem(label)
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
                )
                item.setCheckState(Qt.CheckState.Checked if candidate.checked else Qt.CheckState.Unchecked)
                if not candidate.checked:
                    item.setForeground(QColor(MUTED))
                self.candidate_list.addItem(item)
        finally:
            self._filling = False
        self.candidate_list.fit_items()

    def _on_candidate_checked(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        row = self.candidate_list.row(item)
        checked = item.checkState() == Qt.CheckState.Checked
        if 0 <= row < len(self.candidates) and self.candidates[row].checked != checked:
            self.candidates[row].checked = checked
            self._fill_candidates()  # renumbers
            self._fill_table()

    def _add_candidate_from_edit(self) -> None:
        try:
            self.add_candidate(self.candidate_edit.text())
        except ValidationError as exc:
            self._show_vote_error(exc.message)
            return
        self.candidate_edit.clear()
        self._show_vote_error("")

    # --- participants and votes --------------------------------------------------------------

    def add_participant(self, name: str) -> str:
        """Add a participant or a group (a row of the table); French error if empty or twice."""
        cleaned = _clean(name)
        if not cleaned:
            raise ValidationError("Donnez le nom du participant ou du groupe.")
        if len(cleaned) > MAX_PARTICIPANT:
            raise ValidationError(f"Nom trop long ({len(cleaned)} caractères, {MAX_PARTICIPANT} au plus).")
        if any(p.casefold() == cleaned.casefold() for p in self.participants):
            raise ValidationError(f"« {cleaned} » participe déjà au vote : donnez un autre nom (ou un numéro).")
        self.participants.append(cleaned)
        self._fill_table()
        return cleaned

    def remove_participant(self, name: str) -> None:
        """Remove a participant and their votes."""
        self.participants = [p for p in self.participants if p != name]
        self._points = {k: v for k, v in self._points.items() if k[0] != name}
        self._ranks = {k: v for k, v in self._ranks.items() if k[0] != name}
        self._fill_table()

    def _participant(self, name: str) -> str:
        cleaned = _clean(name)
        existing = next((p for p in self.participants if p.casefold() == cleaned.casefold()), None)
        return existing if existing is not None else self.add_participant(cleaned)

    def _candidate_for_vote(self, title: str) -> Candidate:
        candidate = self._find_candidate(title)
        if candidate is None or not candidate.checked:
            raise ValidationError(f"« {_clean(title)} » ne fait pas partie des priorités soumises au vote.")
        return candidate

    def _ensure_mode(self, mode: str) -> None:
        if self.mode == mode:
            return
        if self._points or self._ranks:
            raise ValidationError(
                "Le vote a commencé dans l'autre mode : changez de mode (les votes saisis seront effacés) "
                "avant de saisir des " + ("points." if mode == POINTS else "rangs.")
            )
        self.set_mode(mode)

    def set_mode(self, mode: str) -> None:
        """Vote by points (``"points"``) or by ranks (``"rangs"``, Borda count); clears the votes."""
        if mode not in (POINTS, RANKS):
            raise ValueError(f"unknown vote mode: {mode}")
        self.mode = mode
        self._points.clear()
        self._ranks.clear()
        radio = self.points_radio if mode == POINTS else self.ranks_radio
        radio.blockSignals(True)
        radio.setChecked(True)
        radio.blockSignals(False)
        self._fill_table()

    def set_points(self, participant: str, candidate_title: str, points: float) -> None:
        """Record the points a participant (or group) gives a candidate (0 or empty: none)."""
        self._ensure_mode(POINTS)
        candidate = self._candidate_for_vote(candidate_title)
        if points < 0:
            raise ValidationError(f"Des points négatifs ({number_text(points)}) ne sont pas permis.")
        name = self._participant(participant)
        if points:
            self._points[(name, candidate.title)] = float(points)
        else:
            self._points.pop((name, candidate.title), None)
        self._fill_table()

    def set_rank(self, participant: str, candidate_title: str, rank: int | None) -> None:
        """Record the rank a participant (or group) gives a candidate (1 = most important; None
        removes it)."""
        self._ensure_mode(RANKS)
        candidate = self._candidate_for_vote(candidate_title)
        count = len(self.checked_candidates())
        if rank is not None and (int(rank) != rank or not 1 <= rank <= count):
            raise ValidationError(f"Le rang doit être un nombre entier de 1 à {count} (reçu : {rank}).")
        name = self._participant(participant)
        if rank is None:
            self._ranks.pop((name, candidate.title), None)
        else:
            self._ranks[(name, candidate.title)] = int(rank)
        self._fill_table()

    def _has_votes(self) -> bool:
        titles = set(self.checked_candidates())
        store: dict[tuple[str, str], float] | dict[tuple[str, str], int] = (
            self._points if self.mode == POINTS else self._ranks
        )
        return any(title in titles for (_p, title) in store)

    def _scores(self, *, strict: bool) -> dict[str, float]:
        titles = self.checked_candidates()
        index = {title: i for i, title in enumerate(titles)}
        if self.mode == POINTS:
            ballots = [
                {index[t]: v for (p, t), v in self._points.items() if p == participant and t in index}
                for participant in self.participants
            ]
            raw = priorities_svc.tally_points(ballots)
        else:
            rankings: list[list[int]] = []
            for participant in self.participants:
                given = sorted((r, index[t]) for (p, t), r in self._ranks.items() if p == participant and t in index)
                ranks = [r for r, _i in given]
                if strict:
                    twice = next((r for r in ranks if ranks.count(r) > 1), None)
                    if twice is not None:
                        raise ValidationError(
                            f"« {participant} » a donné le rang {twice} à plusieurs priorités : corrigez son classement."
                        )
                rankings.append([i for _r, i in given])
            raw = priorities_svc.tally_ranks(rankings, list(range(len(titles))))
        scores = {title: float(raw.get(i, 0.0)) for title, i in index.items()}
        return dict(sorted(scores.items(), key=lambda item: -item[1]))

    def results(self) -> dict[str, float]:
        """Score of each priority submitted to the vote, best first (ties keep the list's order).

        Points are summed; ranks give Borda points (among n priorities, rank 1 earns n…).
        Raises :class:`ValidationError` when a participant gave the same rank twice.
        """
        return self._scores(strict=True)

    # --- the table ---------------------------------------------------------------------------

    def _fill_table(self) -> None:
        """Participants (or groups) in rows, the priorities by their number in columns, totals below."""
        titles = self.checked_candidates()
        self._filling = True
        try:
            self.table.clear()
            self.table.setRowCount(len(self.participants) + 1)
            self.table.setColumnCount(len(titles))
            self.table.setVerticalHeaderLabels([*self.participants, "Total"])
            for column, title in enumerate(titles):
                header = QTableWidgetItem(str(column + 1))
                header.setToolTip(title)
                self.table.setHorizontalHeaderItem(column, header)
            totals = self._scores(strict=False) if titles else {}
            duplicated = self._duplicated_ranks()
            for column, title in enumerate(titles):
                for row, participant in enumerate(self.participants):
                    key = (participant, title)
                    if self.mode == POINTS:
                        text = number_text(self._points[key]) if key in self._points else ""
                    else:
                        text = str(self._ranks[key]) if key in self._ranks else ""
                    cell = QTableWidgetItem(text)
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    cell.setToolTip(f"{participant} — {title}")
                    if key in duplicated:
                        cell.setForeground(QColor(ERROR))
                        cell.setBackground(QColor("#f6dcd9"))
                    self.table.setItem(row, column, cell)
                total = QTableWidgetItem(number_text(totals.get(title, 0.0)))
                total.setFlags(Qt.ItemFlag.ItemIsEnabled)
                total.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                total.setBackground(QColor("#e8efec"))
                font = total.font()
                font.setBold(True)
                total.setFont(font)
                self.table.setItem(len(self.participants), column, total)
            self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        finally:
            self._filling = False
        self._update_mode_hint(duplicated)

    def _duplicated_ranks(self) -> set[tuple[str, str]]:
        if self.mode != RANKS:
            return set()
        titles = set(self.checked_candidates())
        seen: dict[tuple[str, int], list[tuple[str, str]]] = {}
        for (participant, title), rank in self._ranks.items():
            if title in titles:
                seen.setdefault((participant, rank), []).append((participant, title))
        return {key for keys in seen.values() if len(keys) > 1 for key in keys}

    def _update_mode_hint(self, duplicated: set[tuple[str, str]]) -> None:
        count = len(self.checked_candidates())
        if self.mode == POINTS:
            text = "Chaque participant ou groupe répartit ses points entre les priorités ; les points sont additionnés."
        else:
            text = (
                f"Chaque participant ou groupe classe les priorités de 1 (la plus importante) à {count} ; "
                f"le rang 1 rapporte {plural(count, 'point')}, le rang 2 un de moins… (méthode de Borda)."
            )
        if not self.participants:
            text = "Ajoutez les participants ou les groupes, un par ligne. " + text
        self.mode_hint.setText(text)
        if duplicated:
            names = sorted({participant for participant, _title in duplicated})
            self._show_vote_error(f"Même rang donné deux fois par : {', '.join(names)}.")
        elif self.vote_error.text().startswith("Même rang"):
            self._show_vote_error("")

    def _show_vote_error(self, text: str) -> None:
        self.vote_error.setText(text)
        self.vote_error.setVisible(bool(text))

    def _on_cell_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        row, column = item.row(), item.column()
        titles = self.checked_candidates()
        if not (0 <= row < len(self.participants) and 0 <= column < len(titles)):
            return
        participant, title = self.participants[row], titles[column]
        text = item.text().strip()
        try:
            if self.mode == POINTS:
                value = parse_french_number(text) if text else None
                self.set_points(participant, title, value or 0.0)
            else:
                number = parse_french_number(text) if text else None
                if number is not None and not float(number).is_integer():
                    raise ValidationError(f"Le rang doit être un nombre entier (reçu : {text}).")
                self.set_rank(participant, title, int(number) if number is not None else None)
        except ValidationError as exc:
            self._fill_table()
            self._show_vote_error(exc.message)
            return
        if not self.vote_error.text().startswith("Même rang"):
            self._show_vote_error("")

    def _add_participant_from_edit(self) -> None:
        try:
            self.add_participant(self.participant_edit.text())
        except ValidationError as exc:
            self._show_vote_error(exc.message)
            return
        self.participant_edit.clear()
        self._show_vote_error("")

    def _remove_current_participant(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.participants):
            self._show_vote_error("Choisissez d'abord une case de la ligne du participant à retirer.")
            return
        name = self.participants[row]
        confirm(
            self,
            "Retirer un participant",
            f"Retirer « {name} » du vote ? Ses votes seront effacés.",
            "Retirer",
            lambda: self.remove_participant(name),
        )

    def _on_mode_toggled(self, _checked: bool) -> None:
        wanted = POINTS if self.points_radio.isChecked() else RANKS
        if wanted == self.mode:
            return
        if not (self._points or self._ranks):
            self.set_mode(wanted)
            return
        # Put the radio back until the facilitator confirms: the votes typed would be lost.
        previous = self.points_radio if self.mode == POINTS else self.ranks_radio
        previous.blockSignals(True)
        previous.setChecked(True)
        previous.blockSignals(False)
        label = "par points" if wanted == POINTS else "par classement"
        confirm(
            self,
            "Changer de mode de vote",
            f"Passer au vote {label} efface les votes déjà saisis. Continuer ?",
            "Changer et effacer",
            lambda: self.set_mode(wanted),
        )

    # --- results and saving ------------------------------------------------------------------

    def _prepare_results(self) -> bool:
        if not self.checked_candidates():
            self._show_vote_error("Cochez ou ajoutez au moins une priorité à soumettre au vote.")
            return False
        try:
            scores = self.results()
        except ValidationError as exc:
            self._show_vote_error(exc.message)
            return False
        self._show_vote_error("")
        mode = "vote par points" if self.mode == POINTS else "classement (méthode de Borda)"
        voters = plural(len(self.participants), "participant ou groupe", "participants ou groupes")
        text = f"{mode[:1].upper()}{mode[1:]} · {voters}"
        if not self._has_votes():
            text += " · aucun vote saisi pour l'instant"
        self.results_summary.setText(text)
        self._current_scores = scores
        slide = next(s for s in self._slides if s.kind == "results")
        slide.rendered_at = 0.0  # the votes may have changed since last time
        return True

    def _vote_figure(self) -> Figure:
        unit = "points" if self.mode == POINTS else "points (méthode de Borda)"
        return vote_chart(self._current_scores, unit=unit)

    def save_priorities(self) -> list[int]:
        """Save the result as the project's priorities: create those not yet listed (from their
        constat, or free), store every score and order the priorities by score; record the
        session among the meetings if asked. Returns the ids of the priorities voted on, best
        first ([] after a refusal, explained in French)."""
        try:
            scores = self.results()
        except ValidationError as exc:
            show_message(self, SAVE_TITLE, exc.message)
            return []
        if not scores:
            show_message(self, SAVE_TITLE, "Aucune priorité n'est soumise au vote : rien n'a été enregistré.")
            return []
        if not self._has_votes():
            show_message(self, SAVE_TITLE, "Aucun vote n'a été saisi : rien n'a été enregistré.")
            return []
        ids = run_action(self, SAVE_TITLE, lambda: self._create_priorities(list(scores)))
        if ids is None:
            return []
        by_title = dict(zip(scores, ids, strict=True))
        try:
            rows = priorities_svc.apply_vote(
                self.ctx.uow(), self.project_id, {by_title[t]: s for t, s in scores.items()}, reorder=True
            )
        except DomainError as exc:
            self.ctx.notify(DataKind.PROJECT, self.project_id)
            show_message(
                self,
                SAVE_TITLE,
                "Les priorités ont été créées, mais leurs scores n'ont pas pu être enregistrés : "
                f"{exc.message} Revenez aux résultats et enregistrez de nouveau.",
            )
            return []
        voted = set(ids)
        self._saved_rows = [row for row in rows if row.id in voted]
        meeting_note = self._record_meeting()
        self.ctx.notify(DataKind.PROJECT, self.project_id)
        ordered = [row.id for row in self._saved_rows]
        self._show_done(meeting_note)
        self.saved.emit(ordered)
        return ordered

    def _create_priorities(self, titles: list[str]) -> list[int]:
        """Priorities for these candidates (created when the project has none of that title), in
        the candidates' order; one transaction per service call."""
        uow = self.ctx.uow
        existing = {plain_text(p.title): p.id for p in priorities_svc.list_priorities(uow(), self.project_id)}
        candidates = [self._candidate_for_vote(title) for title in titles]
        # Created in the list's order (runs of constats in one call), so that equal scores keep it.
        run: list[int] = []
        for candidate in [*candidates, None]:
            if candidate is not None and plain_text(candidate.title) in existing:
                continue
            if candidate is not None and candidate.constat_id is not None:
                run.append(candidate.constat_id)
                continue
            if run:
                priorities_svc.add_priorities_from_constats(uow(), self.project_id, run)
                run = []
            if candidate is not None:
                existing[plain_text(candidate.title)] = priorities_svc.add_priority(
                    uow(), self.project_id, candidate.title, candidate.description
                )
        existing = {plain_text(p.title): p.id for p in priorities_svc.list_priorities(uow(), self.project_id)}
        missing = [c.title for c in candidates if plain_text(c.title) not in existing]
        if missing:
            raise ValidationError(f"La priorité « {missing[0]} » n'a pas pu être créée : rien n'a été noté pour elle.")
        return [existing[plain_text(c.title)] for c in candidates]

    def _decisions_text(self) -> str:
        mode = "vote par points" if self.mode == POINTS else "classement, méthode de Borda"
        lines = [f"Priorités retenues par vote ({mode} ; {', '.join(self.participants)}) :"]
        lines += [
            f"{position}. {row.title} — {points_text(row.score or 0.0)}"
            for position, row in enumerate(self._saved_rows, start=1)
        ]
        return "\n".join(lines)

    def _record_meeting(self) -> str:
        kind = str(self.record_combo.currentData() or "")
        if not kind:
            return ""
        agenda = (
            f"Présentation du diagnostic ({plural(len(self.constats), 'constat')}, carte du territoire).\n"
            "Vote des priorités du projet de santé."
        )
        decisions = self._decisions_text()
        label = meetings_svc.MEETING_LABELS.get(kind, "Réunion")
        try:
            if self._meeting_id is None:
                self._meeting_id = meetings_svc.add_meeting(
                    self.ctx.uow(),
                    self.project_id,
                    kind=kind,
                    held_on=self.today,
                    title="Atelier de priorisation du projet de santé",
                    agenda=agenda,
                    decisions=decisions,
                )
            else:
                meetings_svc.update_meeting(self.ctx.uow(), self._meeting_id, kind=kind, decisions=decisions)
        except DomainError as exc:
            self._meeting_id = None
            return f"Les priorités sont enregistrées, mais la séance n'a pas pu être consignée : {exc.message}"
        return f"La séance est consignée dans les réunions du projet ({label.lower()} du {format_date(self.today)})."

    def _show_done(self, meeting_note: str) -> None:
        while self.done_rows.count():
            item = self.done_rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for position, row in enumerate(self._saved_rows, start=1):
            line = QWidget()
            cells = QHBoxLayout(line)
            cells.setContentsMargins(0, 0, 0, 0)
            cells.setSpacing(16)
            rank = _label(f"{position}.", "rank", wrap=False)
            rank.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            rank.setMinimumWidth(round(36 * self._scale))
            title = _label(row.title, "body")
            score = _label(points_text(row.score or 0.0), "strong", wrap=False)
            score.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            cells.addWidget(rank, 0, Qt.AlignmentFlag.AlignTop)
            cells.addWidget(title, 1)
            cells.addWidget(score, 0, Qt.AlignmentFlag.AlignTop)
            self.done_rows.addWidget(line)
        note = "Elles sont reprises à l'étape 6, Projet de santé, dans cet ordre, avec leurs scores."
        self.done_note.setText(f"{note}\n{meeting_note}" if meeting_note else note)
        if self._done_slide not in self._slides:
            self._add_slide(self._done_slide)
        self._go(self._slides.index(self._done_slide))

    def saved_priorities(self) -> list[priorities_svc.PriorityRow]:
        """The priorities as saved by the last :meth:`save_priorities` (best first)."""
        return list(self._saved_rows)
