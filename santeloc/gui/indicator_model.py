"""The indicators of step 1 as a two-level Qt model: themes, then their indicators.

A model rather than a QTreeWidget: Qt asks only for the rows on screen, so a 100 000-row
import displays at once, and the cells' text is built when painted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QTreeView

from santeloc.services.indicators import IndicatorRow

ModelIndex = QModelIndex | QPersistentModelIndex
NO_PARENT = 0  # internal id of a theme row; an indicator row carries its theme's number + 1
ABOVE = QColor("#a93226")
BELOW = QColor("#1f618d")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
EXPANDED_UP_TO = 2_000  # indicators of a theme opened when shown (see expand_in)


class IndicatorTreeModel(QAbstractItemModel):
    """Themes as parents, indicators as children; ``cells(row)`` gives a row's texts."""

    def __init__(self, headers: Sequence[str], cells: Callable[[IndicatorRow], list[str]]) -> None:
        super().__init__()
        self.headers = list(headers)
        self.cells = cells
        self.themes: list[tuple[str, list[IndicatorRow]]] = []
        self._cache: dict[int, list[str]] = {}

    def set_rows(self, rows: Sequence[IndicatorRow]) -> None:
        """Replace the content (rows already in display order)."""
        self.beginResetModel()
        grouped: dict[str, list[IndicatorRow]] = {}
        for row in rows:
            grouped.setdefault(row.theme_label, []).append(row)
        self.themes = list(grouped.items())
        self._cache.clear()
        self.endResetModel()

    def expand_in(self, tree: QTreeView) -> None:
        """Open every theme of up to :data:`EXPANDED_UP_TO` indicators in ``tree``.

        Opening a theme makes Qt ask this Python model about each of its rows (index, flags,
        children): about 0,4 s of the GUI thread for a theme of 100 000 imported rows, during
        which the window is frozen. Larger themes stay closed until the user opens one.
        """
        for number, (_label, rows) in enumerate(self.themes):
            if len(rows) <= EXPANDED_UP_TO:
                tree.expand(self.index(number, 0))

    def indicator(self, index: ModelIndex) -> IndicatorRow | None:
        """The indicator of an index (None for a theme row)."""
        if not index.isValid() or index.internalId() == NO_PARENT:
            return None
        return self.themes[index.internalId() - 1][1][index.row()]

    def index_of(self, indicator_id: int) -> QModelIndex:
        """The index (first column) of an indicator, or an invalid index."""
        for theme_number, (_label, rows) in enumerate(self.themes):
            for row_number, row in enumerate(rows):
                if row.id == indicator_id:
                    return self.createIndex(row_number, 0, theme_number + 1)
        return QModelIndex()

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        """Qt: index of a cell."""
        if not parent.isValid():
            return self.createIndex(row, column, NO_PARENT) if 0 <= row < len(self.themes) else QModelIndex()
        if parent.internalId() != NO_PARENT:
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        """Qt: parent of a cell."""
        if not index.isValid() or index.internalId() == NO_PARENT:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, NO_PARENT)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Qt: number of children."""
        if not parent.isValid():
            return len(self.themes)
        if parent.internalId() == NO_PARENT and parent.column() == 0:
            return len(self.themes[parent.row()][1])
        return 0

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        """Qt: number of columns."""
        return len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:  # noqa: N802
        """Qt: column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        """Theme rows are headings, not selectable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == NO_PARENT:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Qt: what a cell shows."""
        if not index.isValid():
            return None
        if index.internalId() == NO_PARENT:
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return self.themes[index.row()][0]
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        row = self.themes[index.internalId() - 1][1][index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            cells = self._cache.get(row.id)
            if cells is None:
                cells = self._cache[row.id] = self.cells(row)
            return cells[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and 2 <= index.column() <= 8:
            return int(RIGHT.value)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 8 and row.smr is not None:
            if row.smr.low > 100:
                return QBrush(ABOVE)
            if row.smr.high < 100:
                return QBrush(BELOW)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return row.source or "Source non renseignée"
        return None
