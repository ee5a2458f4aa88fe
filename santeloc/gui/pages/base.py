"""What every step page shares: the project it shows, loading it, and the table-cell helpers."""

from __future__ import annotations

import inspect

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem, QWidget

from santeloc.gui.context import AppContext
from santeloc.gui.editing import keeps_editor
from santeloc.gui.fields import tab_moves_on, watch_fields
from santeloc.services.changes import Kind, OpChanges
from santeloc.services.projects import ProjectInfo

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def cell(text: str, data: object = None, right: bool = False, editable: bool = False) -> QTableWidgetItem:
    """A table cell carrying ``data`` (user role), read-only unless told otherwise."""
    item = QTableWidgetItem(text)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    if right:
        item.setTextAlignment(RIGHT)
    if not editable:
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def header_tips(table: QTableWidget, tips: dict[int, str]) -> None:
    """Tooltips on a table's column headers (the full wording of a short header)."""
    for column, tip in tips.items():
        header = table.horizontalHeaderItem(column)
        if header is not None:
            header.setToolTip(tip)


def check_cell(checked: bool, data: object) -> QTableWidgetItem:
    """A yes/no cell the user ticks."""
    item = QTableWidgetItem("oui" if checked else "non")
    item.setData(Qt.ItemDataRole.UserRole, data)
    item.setFlags((item.flags() | Qt.ItemFlag.ItemIsUserCheckable) & ~Qt.ItemFlag.ItemIsEditable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    return item


def wrapped(text: str, hint: bool = False) -> QLabel:
    """A label that wraps its text (a hint in grey when ``hint``)."""
    label = QLabel(text)
    label.setWordWrap(True)
    if hint:
        label.setStyleSheet("color: #4d5c57;")
    return label


REFILLS = frozenset({"load", "reload", "refresh", "ensure_fresh", "show_plan"})
REFILL_PREFIXES = ("_fill", "refresh_", "_refresh", "select_")


class StepPage(QWidget):
    """A page of the workspace showing one step of one project.

    Subclasses build their widgets in ``__init__`` (after calling this one), fill them in
    :meth:`refresh` and may override :meth:`load` when showing a project needs more than a refresh.

    Typing: every method that refills the page (``load``, ``reload``, ``refresh*``, ``_fill*``)
    runs inside :func:`~santeloc.gui.editing.keeping_editor`, so a save followed by a refresh
    never moves the cursor, replaces what is being typed or takes the focus away.

    Changes: the page listens to the application's one change signal. When a change touches one
    of :attr:`WATCHES` and was not made by the page itself, the page refreshes at once if shown,
    else on its next display (:meth:`ensure_fresh`, called by the workspace).
    """

    ctx: AppContext
    project: ProjectInfo | None
    WATCHES: frozenset[Kind] = frozenset()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        for name in dir(cls):
            if name in REFILLS or name.startswith(REFILL_PREFIXES):
                if isinstance(inspect.getattr_static(cls, name), staticmethod | classmethod):
                    continue
                method = getattr(cls, name, None)
                if callable(method) and not getattr(method, "__keeps_editor__", False):
                    setattr(cls, name, keeps_editor(method))

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx.owned_by(self)  # what the page commits is its own change
        self.project = None
        self.outdated = False
        self._equipped = False
        ctx.changed.connect(self._on_changes)
        watch_fields()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """On first display, every text box of the page lets Tab move on (Ctrl+Tab for a tab)."""
        if not self._equipped:
            self._equipped = True
            tab_moves_on(self)
        super().showEvent(event)

    def _on_changes(self, changes: OpChanges) -> None:
        if self.project is None or not changes.touches(*self.WATCHES):
            return
        initiator = changes.initiator
        if isinstance(initiator, QWidget) and (initiator is self or self.isAncestorOf(initiator)):
            return  # the page made this change and already shows it
        if self.isVisible():
            self.reload()
        else:
            self.outdated = True

    def reload(self) -> None:
        """Show the same project again from the database (after someone else's change)."""
        if self.project is not None:
            self.outdated = False
            self.load(self.project)

    def ensure_fresh(self) -> None:
        """Before being shown: catch up with the changes made elsewhere meanwhile."""
        if self.outdated:
            self.reload()

    def load(self, project: ProjectInfo) -> None:
        """Show ``project`` on this page."""
        self.project = project
        self.refresh()

    def refresh(self) -> None:
        """Read the project's data again and show it (nothing to do by default)."""

    def _project_id(self) -> int:
        """The id of the project shown (a page is only used once a project is loaded)."""
        assert self.project is not None
        return self.project.id
