"""Constants, style and small widgets of the workshop window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from matplotlib.figure import Figure
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QStyle,
    QWidget,
)

from santeloc.gui.map_canvas import FigureView
from santeloc.services import health_project as priorities_svc
from santeloc.services.workshop import number_text, points_text  # noqa: F401 (used by the workshop modules)

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
