"""What the user is typing stays as typed: a refill never touches the field being edited.

A page saves a field, then refreshes what depends on it (a list row, a reading). The refresh
refills its widgets from the database, and a plain ``setText``/``setPlainText`` on the field the
user is in would move the cursor to the start, replace what was typed since the save, or (when
a list is regrouped and the form briefly disabled) take the focus away — keystrokes then land in
another field.

One mechanism for every page: :func:`keeping_editor` wraps any refill. Before it, the field
with the focus (a line edit, a text box, the editor of a spin box or an editable combo) is
noted with its text, cursor, selection and scroll; after it, that field gets them back, and the
focus too. Pages do nothing but refill inside it; :class:`~santeloc.gui.pages.base.StepPage`
wraps its ``load``/``refresh``/``reload`` (and every method named ``_fill_*``) in it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

F = TypeVar("F", bound=Callable[..., Any])

_depth = 0  # refills nest (a page's refresh calls its panels'): only the outermost restores


def text_editor(widget: QWidget | None) -> QWidget | None:
    """The text editor ``widget`` is or holds (a spin box's or an editable combo's line edit)."""
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        return widget
    if isinstance(widget, QAbstractSpinBox | QComboBox):
        edit = widget.lineEdit()
        return edit if isinstance(edit, QLineEdit) and not edit.isReadOnly() else None
    return None


def _spaced(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@dataclass
class _Typing:
    """A text editor and what the user had in it."""

    editor: QWidget
    focus: QWidget
    text: str
    position: int
    anchor: int
    vertical: int
    horizontal: int

    @classmethod
    def now(cls, root: QWidget) -> _Typing | None:
        focus = QApplication.focusWidget()
        editor = text_editor(focus)
        if editor is None or focus is None or not (root is focus or root.isAncestorOf(focus)):
            return None
        return cls.of(editor, focus)

    @classmethod
    def of(cls, editor: QWidget, focus: QWidget) -> _Typing | None:
        """What ``editor`` holds now (``focus``: the widget to give the focus back to)."""
        if isinstance(editor, QLineEdit):
            if editor.isReadOnly():
                return None
            start = editor.selectionStart()
            position = editor.cursorPosition()
            anchor = position if start < 0 else (start + editor.selectionLength() if start == position else start)
            return cls(editor, focus, editor.text(), position, anchor, 0, 0)
        if isinstance(editor, QPlainTextEdit | QTextEdit):
            if editor.isReadOnly():
                return None
            cursor = editor.textCursor()
            return cls(
                editor,
                focus,
                editor.toPlainText(),
                cursor.position(),
                cursor.anchor(),
                editor.verticalScrollBar().value(),
                editor.horizontalScrollBar().value(),
            )
        return None

    def restore(self, refocus: bool = True) -> None:
        """Put back the text, cursor and (with ``refocus``) focus if a refill changed them."""
        editor = self.editor
        try:
            if isinstance(editor, QLineEdit):
                if editor.text() != self.text:
                    blocked = editor.blockSignals(True)  # what was typed is not a new edit
                    editor.setText(self.text)
                    editor.blockSignals(blocked)
                if (editor.cursorPosition(), editor.selectionStart()) != (self.position, -1):
                    editor.setSelection(self.anchor, self.position - self.anchor)
                    if self.anchor == self.position:
                        editor.setCursorPosition(self.position)
            elif isinstance(editor, QPlainTextEdit | QTextEdit):
                if _spaced(editor.toPlainText()) != _spaced(self.text):  # (toPlainText drops no-break spaces)
                    blocked = editor.blockSignals(True)
                    editor.setPlainText(self.text)
                    editor.blockSignals(blocked)
                cursor = editor.textCursor()
                if (cursor.position(), cursor.anchor()) != (self.position, self.anchor):
                    length = len(editor.toPlainText())
                    cursor.setPosition(min(self.anchor, length))
                    cursor.setPosition(min(self.position, length), QTextCursor.MoveMode.KeepAnchor)
                    editor.setTextCursor(cursor)
                editor.verticalScrollBar().setValue(self.vertical)
                editor.horizontalScrollBar().setValue(self.horizontal)
            if refocus:
                self.refocus()
        except RuntimeError:  # the field was deleted by the refill: nothing to keep
            pass

    def refocus_if_lost(self) -> None:
        """Take the focus back if nothing the user types into has it (never from another field)."""
        try:
            if text_editor(QApplication.focusWidget()) is None:
                self.refocus()
        except RuntimeError:
            pass

    def refocus(self) -> None:
        """Give the focus back to the field, if it is still there to take it."""
        try:
            focus = self.focus
            if QApplication.focusWidget() is focus or not focus.isVisible() or not focus.isEnabled():
                return
            window = focus.window()
            if QApplication.activeModalWidget() not in (None, window) and not window.isAncestorOf(
                cast(QWidget, QApplication.activeModalWidget())
            ):
                return
            focus.setFocus()
        except RuntimeError:
            pass


@contextmanager
def keeping_editor(root: QWidget) -> Iterator[None]:
    """Refill widgets under ``root`` without touching the field the user is typing in."""
    global _depth
    if _depth:
        _depth += 1
        try:
            yield
        finally:
            _depth -= 1
        return
    from santeloc.gui import fields  # (fields builds on this module)

    typing = _Typing.now(root)
    focus = QApplication.focusWidget()
    refused = fields.refused_fields(root)
    if fields.navigating(focus):  # going to another line of a list: its values replace the refused ones
        for field in refused:
            fields.clear_field_error(field)
        refused = []
    kept = [(field, _Typing.of(field, field)) for field in refused if field is not (typing and typing.editor)]
    _depth = 1
    try:
        yield
    finally:
        _depth = 0
        for _field, held in kept:
            if held is not None:
                held.restore(refocus=False)
        if typing is not None:
            typing.restore()
            # A view reset or a disabled-then-enabled form may hand the focus on only once the
            # events the refill queued are processed: take it back once, then.
            QTimer.singleShot(0, typing.refocus_if_lost)


def keeps_editor(method: F) -> F:
    """Decorate a widget's method that refills it: :func:`keeping_editor` around it."""

    @functools.wraps(method)
    def wrapper(self: QWidget, *args: Any, **kwargs: Any) -> Any:
        with keeping_editor(self):
            return method(self, *args, **kwargs)

    wrapper.__keeps_editor__ = True  # type: ignore[attr-defined]
    return cast(F, wrapper)
