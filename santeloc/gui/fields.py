"""Entry fields that accept what people type and explain a refusal beside the field.

- :func:`explain` shows a refused value's French reason *inline*, under the field it came from
  (the field just left, or the one being typed in when an autosave refused it); the value stays
  on screen for correction — refills leave it alone (:mod:`santeloc.gui.editing`) — until the
  user edits it or goes to another line of a list. Only an action without a field gets a message box.
- :func:`select_all_on_focus`: a figure field selects its content when entered, so typing
  « 25 » replaces « 0,00 » rather than making « 0,0025 ».
- :class:`DateField`: a date typed « 1/9/2027 », « 01092027 », « 1 sept. 2027 » or picked in a calendar.
- :func:`tab_moves_on`: Tab leaves a comment box (Ctrl+Tab writes a tab).
"""

from __future__ import annotations

import weakref
from datetime import date

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QFocusEvent, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCalendarWidget,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_date, parse_date
from santeloc.gui.editing import text_editor

ERROR_STYLE = "border: 1px solid #a93226;"


class _FieldWatcher(QObject):
    """Knows which text field an edit just ended in (left by a click or Tab, or Enter pressed)."""

    def __init__(self) -> None:
        super().__init__(QApplication.instance())
        self.leaving: weakref.ref[QWidget] | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Note the field an edit ends in; forget it once the mouse click that left it is over."""
        kind = event.type()
        if kind == QEvent.Type.FocusOut and isinstance(watched, QWidget) and text_editor(watched) is not None:
            self._note(watched)
        elif (
            kind == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and isinstance(watched, QLineEdit)
        ):
            self._note(watched)
        elif kind == QEvent.Type.MouseButtonRelease:
            self.leaving = None  # a button's click (on release) is not the field's edit
        return False

    def _note(self, widget: QWidget) -> None:
        self.leaving = weakref.ref(widget)
        QTimer.singleShot(0, self._forget)

    def _forget(self) -> None:
        self.leaving = None


_watcher: _FieldWatcher | None = None
_errors: weakref.WeakKeyDictionary[QWidget, QLabel] = weakref.WeakKeyDictionary()


def watch_fields() -> None:
    """Install the field watcher on the application (once)."""
    global _watcher
    app = QApplication.instance()
    if _watcher is None and app is not None:
        _watcher = _FieldWatcher()
        app.installEventFilter(_watcher)


def current_field(parent: QWidget | None) -> QWidget | None:
    """The text field whose edit is being saved: the one just left, else the one with the focus
    (an autosave while typing); None for an action started elsewhere (a button, a menu)."""
    candidates = []
    if _watcher is not None and _watcher.leaving is not None:
        candidates.append(_watcher.leaving())
    candidates.append(text_editor(QApplication.focusWidget()))
    for field in candidates:
        if field is None:
            continue
        try:
            if parent is None or parent.window() is field.window():
                return field
        except RuntimeError:
            continue
    return None


class _Bubble(QLabel):
    """The explanation under a refused field, following it when the layout moves it."""

    def __init__(self, field: QWidget, message: str) -> None:
        host = field.parentWidget() or field
        super().__init__(message, host)
        self.field = field
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.setStyleSheet(
            "QLabel { background: #fdecea; color: #a93226; border: 1px solid #a93226; border-radius: 3px;"
            " padding: 2px 4px; }"
        )
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        field.installEventFilter(self)
        self.place()
        self.show()
        self.raise_()

    def place(self) -> None:
        """Just under the field (above it when the field is at the bottom of its parent)."""
        field, host = self.field, self.parentWidget() or self.field
        width = max(field.width(), 260)
        self.setFixedWidth(min(width, max(host.width() - 4, 120)))
        self.adjustSize()
        origin = field.mapTo(host, field.rect().bottomLeft()) if host is not field else field.rect().bottomLeft()
        x = min(origin.x(), max(host.width() - self.width() - 2, 0))
        y = origin.y() + 1
        if y + self.height() > host.height():
            y = max(origin.y() - field.height() - self.height() - 1, 0)
        self.move(x, y)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Follow the field; hide with it; go away when the user corrects the value."""
        kind = event.type()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete) or (
                event.text().isprintable()
                and event.text()
                and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
            ):
                clear_field_error(self.field)
        elif kind in (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show):
            self.place()
            self.setVisible(self.field.isVisible())
        elif kind == QEvent.Type.Hide:
            self.hide()
        return False


def show_field_error(field: QWidget, message: str) -> QLabel:
    """Explain beside ``field`` why its value is refused; the value stays as typed."""
    clear_field_error(field)
    bubble = _Bubble(field, message)
    _errors[field] = bubble
    bubble.setProperty("fieldStyle", field.styleSheet())
    bubble.setProperty("fieldTip", field.toolTip())
    field.setToolTip(message)
    field.setStyleSheet(f"{field.styleSheet()}\n{type(field).__name__} {{ {ERROR_STYLE} }}")
    return bubble


def clear_field_error(field: QWidget) -> None:
    """The field is accepted again (edited, saved or shown for another line)."""
    bubble = _errors.pop(field, None)
    if bubble is None:
        return
    try:
        field.removeEventFilter(bubble)
        field.setToolTip(str(bubble.property("fieldTip") or ""))
        field.setStyleSheet(str(bubble.property("fieldStyle") or ""))
        bubble.hide()
        bubble.deleteLater()
    except RuntimeError:  # deleted meanwhile
        pass


def refused_fields(root: QWidget) -> list[QWidget]:
    """The fields under ``root`` showing a refusal."""
    found = []
    for field in list(_errors.keys()):
        try:
            if root is field or root.isAncestorOf(field):
                found.append(field)
        except RuntimeError:
            continue
    return found


def field_error(field: QWidget) -> str:
    """The refusal shown beside ``field`` ("" when none)."""
    bubble = _errors.get(field)
    return bubble.text() if bubble is not None else ""


def shown_refusals(root: QWidget) -> list[str]:
    """The refusals explained beside the fields of ``root``'s window."""
    shown = []
    for field, bubble in list(_errors.items()):
        try:
            if field.window() is root.window():
                shown.append(bubble.text())
        except RuntimeError:  # deleted with its page
            continue
    return shown


def navigating(widget: QWidget | None) -> bool:
    """Whether the focus is on a list: the user is going to another line (refusals are dropped)."""
    return isinstance(widget, QAbstractItemView)


def explain(parent: QWidget | None, title: str, message: str) -> None:
    """A refusal: beside the field it came from when there is one, else in a message box."""
    field = current_field(parent)
    if field is not None:
        show_field_error(field, message)
        return
    from santeloc.gui.ops import show_message

    show_message(parent, title, message)


# --------------------------------------------------------------------------- dates


def calendar_icon(size: int = 16) -> QIcon:
    """A small calendar drawn for the date fields' button."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QColor("#4d5c57"))
    painter.setBrush(QColor("white"))
    painter.drawRect(1, 2, size - 3, size - 4)
    painter.fillRect(1, 2, size - 2, 4, QColor("#2e7d6b"))
    for row in range(2):
        for column in range(3):
            painter.fillRect(4 + 3 * column, 8 + 3 * row, 2, 2, QColor("#4d5c57"))
    painter.end()
    return QIcon(pixmap)


class DateField(QLineEdit):
    """A date typed jj/mm/aaaa or picked in a calendar; empty means "no date"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("jj/mm/aaaa")
        self.setToolTip("Date au format jj/mm/aaaa, ou choisie dans le calendrier")
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("00/00/00000") + 34)
        self.setMaximumWidth(self.minimumWidth() + 30)
        action = self.addAction(calendar_icon(), QLineEdit.ActionPosition.TrailingPosition)
        action.setToolTip("Choisir dans le calendrier")
        action.triggered.connect(self.show_calendar)
        self.calendar: QCalendarWidget | None = None

    def value(self) -> date | None:
        """The date typed (None when empty). Raises ValidationError when it is not one."""
        return parse_date(self.text())

    def set_value(self, value: date | None) -> None:
        """Show a date (or nothing)."""
        self.setText(format_date(value) if value is not None else "")

    def show_calendar(self) -> QCalendarWidget:
        """A calendar under the field; a click writes the date and ends the editing."""
        calendar = QCalendarWidget()
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        calendar.setLocale(QLocale(QLocale.Language.French, QLocale.Country.France))
        calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        calendar.setGridVisible(True)
        try:
            current = self.value() or date.today()
        except ValidationError:
            current = date.today()
        calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        calendar.clicked.connect(self._picked)
        calendar.activated.connect(self._picked)
        calendar.move(self.mapToGlobal(QPoint(0, self.height())))
        calendar.show()
        self.calendar = calendar
        return calendar

    def _picked(self, picked: QDate) -> None:
        self.set_value(date(picked.year(), picked.month(), picked.day()))
        if self.calendar is not None:
            self.calendar.close()
            self.calendar = None
        self.editingFinished.emit()


# --------------------------------------------------------------------------- typing helpers


class _SelectAll(QObject):
    """Select the field's content when it is entered: at once from the keyboard, after the
    click's release from the mouse (the click would place the cursor and undo the selection)."""

    clicked_in = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if not isinstance(watched, QLineEdit):
            return False
        kind = event.type()
        if kind == QEvent.Type.FocusIn and isinstance(event, QFocusEvent):
            if event.reason() == Qt.FocusReason.MouseFocusReason:
                self.clicked_in = True
            else:
                watched.selectAll()
        elif kind == QEvent.Type.MouseButtonRelease and self.clicked_in:
            self.clicked_in = False
            if not watched.hasSelectedText():  # not a drag that chose part of it
                watched.selectAll()
        elif kind in (QEvent.Type.KeyPress, QEvent.Type.FocusOut):
            self.clicked_in = False
        return False


def select_all_on_focus(*edits: QLineEdit) -> None:
    """Entering a figure field selects it: what is typed replaces it."""
    for edit in edits:
        if edit.findChild(_SelectAll) is None:
            edit.installEventFilter(_SelectAll(edit))


class _TabMovesOn(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Tab
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
            and isinstance(watched, QPlainTextEdit | QTextEdit)
        ):
            watched.insertPlainText("\t")
            return True
        return False


def tab_moves_on(root: QWidget) -> None:
    """Every text box under ``root``: Tab goes to the next field, Ctrl+Tab writes a tab."""
    boxes: list[QPlainTextEdit | QTextEdit] = [*root.findChildren(QPlainTextEdit), *root.findChildren(QTextEdit)]
    for box in boxes:
        if not box.tabChangesFocus() and box.findChild(_TabMovesOn) is None:
            box.setTabChangesFocus(True)
            box.installEventFilter(_TabMovesOn(box))
