"""Small widget helpers shared by the step pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QCursor, QGuiApplication, QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QHeaderView,
    QMenu,
    QScrollArea,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QToolTip,
    QTreeView,
    QWidget,
)

SMALL_SCREEN = QSize(1600, 900)  # below this, the window is maximised and the help panel narrower


def tidy_combo(combo: QComboBox, length: int = 12) -> QComboBox:
    """A combo that never widens the page beyond its items' first ``length`` characters."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(length)
    # Qt still asks for the longest item as the minimum; an explicit minimum width lets it shrink.
    combo.setMinimumWidth(min(combo.minimumSizeHint().width(), combo.fontMetrics().averageCharWidth() * length + 40))
    return combo


def tidy_combos(root: QWidget, length: int = 12) -> None:
    """:func:`tidy_combo` on every combo box under ``root`` (long funder or theme names…)."""
    for combo in root.findChildren(QComboBox):
        tidy_combo(combo, length)


def available_screen(widget: QWidget | None = None) -> QRect:
    """The available area of the screen ``widget`` is on (the primary screen otherwise)."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 768)


def is_small_screen(available: QRect | QSize | None = None) -> bool:
    """Whether a screen's available area is below 1600 × 900 (a 1366 × 768 laptop, a projector)."""
    area = available if available is not None else available_screen()
    size = area.size() if isinstance(area, QRect) else area
    return size.width() < SMALL_SCREEN.width() or size.height() < SMALL_SCREEN.height()


# --------------------------------------------------------------------------- names get the width


class FullTextDelegate(QStyledItemDelegate):
    """A cell too narrow for its text shows the whole text as its tooltip (the model's tip below it)."""

    def helpEvent(  # noqa: N802 (Qt override)
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        """On a tooltip request over a cut cell, show its full text first."""
        if event is not None and event.type() == QEvent.Type.ToolTip and index.isValid():
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if text not in (None, "") and is_cut(view, option, index, str(text)):
                tip = index.data(Qt.ItemDataRole.ToolTipRole)
                full = str(text) if not tip or str(text) in str(tip) else f"{text}\n{tip}"
                QToolTip.showText(event.globalPos(), full, view)
                return True
        return super().helpEvent(event, view, option, index)


def is_cut(
    view: QAbstractItemView, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex, text: str
) -> bool:
    """Whether ``text`` is wider than its cell (each line of it, for a multi-line cell)."""
    metrics = view.fontMetrics()
    needed = max(metrics.horizontalAdvance(line) for line in text.splitlines() or [""])
    icon = option.decorationSize.width() + 4 if index.data(Qt.ItemDataRole.DecorationRole) is not None else 0
    return needed + icon + 12 > option.rect.width()


SAMPLE_ROWS = 200  # rows measured to size a column (the visible ones first)


class ColumnFitter(QObject):
    """Gives the name column of a table the width that is left, and keeps the table within its view.

    The name column (the first by default) takes what the other columns leave; when the view is
    too narrow for every column at its natural width, the other columns shrink (down to
    ``other_minimum``) before the names go below ``name_minimum``. Every column stays resizable by
    hand; a cut name shows in full as a tooltip (:class:`FullTextDelegate`).
    """

    def __init__(
        self, view: QTableView | QTreeView, name_column: int = 0, name_minimum: int = 140, other_minimum: int = 56
    ) -> None:
        super().__init__(view)
        self.view = view
        self.name_column = name_column
        self.name_minimum = name_minimum
        self.other_minimum = other_minimum
        self._fitting = False
        self._cell_widths: dict[int, int] = {}
        header = self.header()
        # Measure a sample of rows, not all of them: a table of 100 000 indicators would keep the
        # GUI thread busy for seconds at every fit (Qt measures the visible rows first).
        header.setResizeContentsPrecision(SAMPLE_ROWS)
        if isinstance(view, QTableView):
            view.verticalHeader().setResizeContentsPrecision(SAMPLE_ROWS)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(min(other_minimum, 40))
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        model = view.model()
        labels = (
            [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(header.count())] if model else []
        )
        if not any("\n" in label for label in labels):  # Qt elides a two-line header as one long line
            header.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        if type(view.itemDelegate()) is QStyledItemDelegate:
            view.setItemDelegate(FullTextDelegate(view))
        view.viewport().installEventFilter(self)
        model = view.model()
        if model is not None:
            for signal in (model.modelReset, model.layoutChanged, model.rowsInserted):
                signal.connect(self.schedule)
            model.headerDataChanged.connect(self.schedule)
            model.dataChanged.connect(self._forget_widths)
        self.fit()

    def _forget_widths(self, *_args: object) -> None:
        self._cell_widths = {}

    def header(self) -> QHeaderView:
        """The horizontal header of the table or tree."""
        view = self.view
        return view.header() if isinstance(view, QTreeView) else view.horizontalHeader()

    def schedule(self, *_args: object) -> None:
        """Measure the cells again and fit, once the current changes are laid out."""
        self._cell_widths = {}
        QTimer.singleShot(0, self.fit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Refit when the view's width changes."""
        if event.type() == QEvent.Type.Resize and not self._fitting:
            self.fit()
        return False

    def natural_width(self, column: int) -> int:
        """What a column needs for its header and its (visible) cells."""
        header = self.header()
        return max(header.sectionSizeHint(column), self._cells_width(column)) + 4

    def _cells_width(self, column: int) -> int:
        cache = self._cell_widths
        if column not in cache:
            cache[column] = self.view.sizeHintForColumn(column)
        return cache[column]

    def fit(self) -> None:
        """Share the view's width between the columns (see the class docstring)."""
        try:
            header = self.header()
        except RuntimeError:  # the view was deleted before a queued fit
            return
        count = header.count()
        if count == 0 or self._fitting:
            return
        self._fitting = True
        # The cells' widths are kept from one fit to the next (a resize changes only the room
        # given to the columns): they are measured again when the model's rows or cells change.
        try:
            available = self.view.viewport().width()
            others = {
                c: self.natural_width(c)
                for c in range(count)
                if c != self.name_column and not header.isSectionHidden(c)
            }
            total = sum(others.values())
            room = available - total
            # Shrink the other columns, each down to its minimum: first what only their header
            # needs (a cut header shows in its tooltip), then their cells, proportionally.
            contents = {c: max(self._cells_width(c) + 4, self.other_minimum) for c in others}
            # Names may take, up to their own width, what only the other headers were asking.
            natural = self.natural_width(self.name_column) if self.name_column < count else 0
            wanted = max(self.name_minimum, min(natural, available - sum(contents.values())))
            for floors, target in ((contents, wanted), (dict.fromkeys(others, self.other_minimum), self.name_minimum)):
                if room - 1 >= target:
                    break
                excess = target + 1 - room
                shrinkable = {c: max(w - floors[c], 0) for c, w in others.items()}
                pool = sum(shrinkable.values())
                if pool:
                    ratio = min(excess / pool, 1.0)
                    others = {c: w - int(shrinkable[c] * ratio + 0.999) for c, w in others.items()}
                room = available - sum(others.values())
            for column, width in others.items():
                header.resizeSection(column, width)
            if self.name_column < count:  # one pixel spare: a rounding never brings a scroll bar
                header.resizeSection(self.name_column, max(room - 1, min(self.name_minimum, available)))
        finally:
            self._fitting = False


class _SizesWhenShown(QObject):
    def __init__(self, splitter: QSplitter, sizes: list[int]) -> None:
        super().__init__(splitter)
        self.sizes = sizes
        splitter.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Show and isinstance(watched, QSplitter):
            watched.removeEventFilter(self)
            watched.setSizes(self.sizes)
            self.deleteLater()
        return False


def sizes_when_shown(splitter: QSplitter, sizes: list[int]) -> None:
    """``splitter.setSizes(sizes)``, once the splitter is first shown.

    Given to a splitter not shown yet, the sizes make Qt measure everything inside it at once
    (a few milliseconds for each form); a page building several splitters then waits for that.
    """
    _SizesWhenShown(splitter, sizes)


def names_get_width(view: QTableView | QTreeView, name_column: int = 0, name_minimum: int = 140) -> ColumnFitter:
    """Install a :class:`ColumnFitter` on ``view`` (call it once the model is set)."""
    existing = view.findChild(ColumnFitter)
    if existing is not None:
        existing.name_column = name_column
        existing.name_minimum = name_minimum
        existing.fit()
        return existing
    return ColumnFitter(view, name_column, name_minimum)


def wrapped_rows(view: QTableView | QTreeView, max_lines: int = 3) -> None:
    """Long texts wrap in their cells, and no row is taller than ``max_lines`` lines (the rest
    of a cut text shows in its tooltip): the first screen of a list shows many of its lines."""
    view.setWordWrap(True)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    limit = view.fontMetrics().lineSpacing() * max_lines + 8
    if isinstance(view, QTableView):
        header = view.verticalHeader()
        header.setMaximumSectionSize(limit)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    else:
        view.setUniformRowHeights(False)
        if type(view.itemDelegate()) in (QStyledItemDelegate, FullTextDelegate):
            view.setItemDelegate(_BoundedDelegate(limit, view))


class _BoundedDelegate(FullTextDelegate):
    """A tree's rows: as tall as their wrapped text, up to a limit."""

    def __init__(self, limit: int, parent: QObject) -> None:
        super().__init__(parent)
        self.limit = limit

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        """The wrapped text's height, bounded."""
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), min(hint.height(), self.limit))


# --------------------------------------------------------------------------- waits


@contextmanager
def busy() -> Iterator[None]:
    """The wait cursor at once, for as long as the block runs (nestable)."""
    QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


# --------------------------------------------------------------------------- a fresh view


def reset_view(root: QWidget) -> None:
    """Every tab widget under ``root`` on its first tab, every scroll area at its top left."""
    for tabs in root.findChildren(QTabWidget):
        if tabs.count():
            tabs.setCurrentIndex(0)
    for area in root.findChildren(QAbstractScrollArea):
        area.verticalScrollBar().setValue(0)
        area.horizontalScrollBar().setValue(0)


def fit_dialog(dialog: QWidget, width: int = 0, height: int = 0) -> None:
    """Open ``dialog`` at the size its content and title need (at least ``width`` × ``height``),
    never larger than the screen it opens on (a 1366 × 768 laptop keeps its taskbar and title bar).
    """
    available = available_screen(dialog.parentWidget() or dialog)
    hint = dialog.sizeHint()
    title = dialog.fontMetrics().horizontalAdvance(f"{dialog.windowTitle()} — santeloc") + 160
    wanted = QSize(max(width, hint.width(), title), max(height, hint.height()))
    dialog.resize(wanted.boundedTo(QSize(available.width() - 40, available.height() - 70)))


# --------------------------------------------------------------------------- choosing among candidates


def offer_choices(edit: QWidget, choices: Sequence[tuple[str, object]], on_choice: Callable[[object], None]) -> QMenu:
    """A menu under ``edit`` listing ``choices`` (label, value); picking one calls ``on_choice(value)``.

    Used when what was typed is ambiguous (two communes of the same name): the field keeps its
    text and the user picks, rather than being sent to look up a code.
    """
    menu = QMenu(edit)
    menu.setObjectName("candidatesMenu")
    for label, value in choices:
        action = menu.addAction(label)
        action.triggered.connect(lambda _checked=False, v=value: on_choice(v))
    menu.popup(edit.mapToGlobal(edit.rect().bottomLeft()))
    return menu


def scroll_areas_around(widget: QWidget) -> list[QAbstractScrollArea]:
    """The scroll areas that contain ``widget``, innermost first."""
    found = []
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            found.append(parent)
        parent = parent.parentWidget()
    return found


@contextmanager
def keep_scroll(widget: QWidget) -> Iterator[None]:
    """The scroll areas around ``widget`` stay where they are while the block refills it."""
    areas = scroll_areas_around(widget)
    positions = [(a, a.verticalScrollBar().value(), a.horizontalScrollBar().value()) for a in areas]

    def restore() -> None:
        for area, vertical, horizontal in positions:
            try:
                area.verticalScrollBar().setValue(vertical)
                area.horizontalScrollBar().setValue(horizontal)
            except RuntimeError:  # deleted meanwhile
                pass

    try:
        yield
    finally:
        restore()
        QTimer.singleShot(0, restore)  # after the layout the refill triggers


def bring_into_view(widget: QWidget) -> None:
    """Scroll every scroll area around ``widget`` so that its top shows (a new line's form, for one).

    Done now and again once the pending layout is done (a refilled table changes the heights).
    """

    def show() -> None:
        try:
            for area in scroll_areas_around(widget):
                content = area.widget() if isinstance(area, QScrollArea) else None
                if content is not None:
                    top = widget.mapTo(content, widget.rect().topLeft()).y()
                    bar = area.verticalScrollBar()
                    if not bar.value() <= top <= bar.value() + area.viewport().height() - 40:
                        bar.setValue(max(0, top - 8))
        except RuntimeError:  # deleted meanwhile
            pass

    show()
    QTimer.singleShot(0, show)
