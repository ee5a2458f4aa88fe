"""Constants and small widgets of step 6 (parsing, formatting, wrapping tables and trees)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSignalBlocker, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLayout,
    QPlainTextEdit,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTreeView,
    QTreeWidget,
    QWidget,
)

from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_decimal, format_int
from santeloc.domain.formatting import parse_date as parse_day  # noqa: F401 (the one French date parser)
from santeloc.gui.widgets import tidy_combo
from santeloc.services import health_project as hp

TITLE = "Priorités et projet de santé"


PRIORITY, OBJECTIVE, ACTION = "priority", "objective", "action"


ALERT_COLOUR, INFO_COLOUR, OK_COLOUR, MUTED_COLOUR = "#a93226", "#b9770e", "#2e7d6b", "#4d5c57"


SEVERITY = {hp.ALERTE: ("Alerte", ALERT_COLOUR), hp.INFO: ("À compléter", INFO_COLOUR)}


TAB_ACTIONS, TAB_TEXT, TAB_GANTT, TAB_COHERENCE, TAB_READY = range(5)


SIGNATORIES = "signataires"


INDICATOR_COLUMNS = ["Indicateur", "Unité", "Réf.", "Année", "Cible", "Année", "Source"]


INDICATOR_TIPS = [
    "Libellé de l'indicateur d'évaluation",
    "Unité (nombre, %, jours, pour 10 000 habitants…)",
    "Valeur de référence (point de départ)",
    "Année de la valeur de référence",
    "Valeur cible",
    "Année de la cible (après celle de la référence)",
    "Source des données (RPPS, CPAM, registre de la structure…)",
]


SECTION_AUTOSAVE_MS = 800


_CODE_IN_PARENS = re.compile(r"\(\s*(\w{5})\s*\)\s*$")


def parse_year(text: str, what: str) -> int | None:
    """A year typed in a cell; empty → None."""
    value = text.strip()
    if not value:
        return None
    if not value.isdigit():
        raise ValidationError(f"{what} : « {value} » n'est pas une année (par exemple 2027).")
    return int(value)


def number_text(value: float | None) -> str:
    """A value the French way, with the decimals it has (up to 2)."""
    if value is None:
        return ""
    if float(value).is_integer():
        return format_int(int(value))
    return format_decimal(value, 2).rstrip("0").rstrip(",")


def euros_text(cents: int | None) -> str:
    """Cents as euros for an input field (``12 500`` or ``12 500,50``), or empty."""
    if cents is None:
        return ""
    return format_decimal(Decimal(cents) / 100, 2).removesuffix(",00")


def wrapped(text: str, style: str = "") -> QLabel:
    """A word-wrapped label (long French sentences must never widen the page)."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.AutoText)
    if style:
        label.setStyleSheet(style)
    return label


def clear_layout(layout: QLayout) -> None:
    """Remove and delete every widget and sub-layout of ``layout``."""
    while layout.count():
        child = layout.takeAt(0)
        if child is None:
            break
        widget = child.widget()
        sub = child.layout()
        if widget is not None:
            widget.setParent(None)
            widget.deleteLater()
        elif sub is not None:
            clear_layout(sub)


def edit_table(columns: list[str], stretch: Sequence[int], object_name: str) -> QTableWidget:
    """An editable table of a fiche's lines (partners, milestones, indicators)."""
    table = QTableWidget(0, len(columns))
    table.setObjectName(object_name)
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    table.setMinimumHeight(96)
    table.setWordWrap(True)
    # Queued: the new column widths are known only once the header has finished resizing.
    header.sectionResized.connect(lambda *_a: QTimer.singleShot(0, table.resizeRowsToContents))
    return table


class TextEdit(QPlainTextEdit):
    """A plain-text editor that says when it is left (like ``QLineEdit.editingFinished``)."""

    editingFinished = Signal()  # noqa: N815 (Qt naming)

    def __init__(self, lines: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        height = self.fontMetrics().lineSpacing() * lines + 14
        self.setMinimumHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_text(self, text: str) -> None:
        """Show ``text`` without announcing an edit."""
        with QSignalBlocker(self):
            self.setPlainText(text)
        self.document().setModified(False)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        hint = super().sizeHint()
        if self.sizePolicy().verticalPolicy() != QSizePolicy.Policy.Expanding:
            hint.setHeight(self.minimumHeight())
        return hint

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        super().focusOutEvent(event)
        self.editingFinished.emit()


class WrapDelegate(QStyledItemDelegate):
    """Row heights that follow the column width, so that long titles wrap instead of being cut."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        base = super().sizeHint(option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        width = self.view.columnWidth(index.column()) - 10
        if index.column() == 0:
            depth = 0
            parent = index.parent()
            while parent.isValid():
                depth += 1
                parent = parent.parent()
            width -= self.view.indentation() * (depth + (1 if self.view.rootIsDecorated() else 0))
        if opt.features & QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator:
            width -= 24
        if width <= 40 or not opt.text:
            return base
        bounds = QFontMetrics(opt.font).boundingRect(
            QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), opt.text
        )
        return QSize(base.width(), max(base.height(), bounds.height() + 6))


def wrapping_tree(tree: QTreeWidget) -> QTreeWidget:
    """Make a tree wrap its long titles (row heights follow the column width)."""
    tree.setWordWrap(True)
    tree.setUniformRowHeights(False)
    tree.setTextElideMode(Qt.TextElideMode.ElideNone)
    tree.setItemDelegate(WrapDelegate(tree))
    tree.header().sectionResized.connect(lambda *_a: tree.doItemsLayout())
    return tree


style_combo = tidy_combo  # long labels must not widen the page
