"""Running a user action: call the service, show a French message if it refuses.

Messages are shown window-modal with ``open()`` rather than ``exec()``: the event loop keeps
running (autosave timers, tests driving the window) and the box is a child of its window.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from santeloc.domain.errors import DomainError

T = TypeVar("T")

_acting = threading.local()


def current_initiator() -> object:
    """The widget whose action is running on this thread (None outside :func:`acting`)."""
    stack = getattr(_acting, "stack", None)
    return stack[-1] if stack else None


@contextmanager
def acting(widget: QWidget | None) -> Iterator[None]:
    """Mark the changes committed inside as ``widget``'s own (it already shows them), with a
    busy cursor for as long as the action runs."""
    from PySide6.QtGui import QCursor
    from PySide6.QtWidgets import QApplication

    stack = getattr(_acting, "stack", None)
    if stack is None:
        stack = _acting.stack = []
    stack.append(widget)
    on_gui_thread = threading.current_thread() is threading.main_thread()
    if on_gui_thread:
        QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
    try:
        yield
    finally:
        stack.pop()
        if on_gui_thread:
            QApplication.restoreOverrideCursor()


def show_message(
    parent: QWidget | None, title: str, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Warning
) -> QMessageBox:
    """Show a message without blocking; returns the box (closed by the user or a test)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("santelocMessage")
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def confirm(parent: QWidget, title: str, text: str, accept_label: str, on_accept: Callable[[], None]) -> QMessageBox:
    """Ask a yes/no question without blocking; ``on_accept`` runs only if the user accepts."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("santelocConfirm")
    yes = box.addButton(accept_label, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("Annuler", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def finished() -> None:
        if box.clickedButton() is yes:
            on_accept()

    box.finished.connect(finished)
    box.open()
    return box


def run_action(parent: QWidget | None, title: str, action: Callable[[], T]) -> T | None:
    """Run ``action``; on a :class:`DomainError` show its French message and return None.

    One call is one user action: the service behind it commits all or nothing, so after a
    refusal the database is exactly as it was. A refused field edit is explained beside the
    field (:func:`santeloc.gui.fields.explain`), which keeps the value typed. The wait cursor shows while it runs.
    """
    try:
        with acting(parent):
            return action()
    except DomainError as exc:
        explain(parent, title, exc.message)
    return None


def attempt(parent: QWidget | None, title: str, action: Callable[[], object]) -> bool:
    """Like :func:`run_action` for actions that return nothing: True when it went through."""
    try:
        with acting(parent):
            action()
    except DomainError as exc:
        explain(parent, title, exc.message)
        return False
    return True


def explain(parent: QWidget | None, title: str, message: str) -> None:
    """A refusal: beside the field whose edit was refused (kept as typed), else in a message box."""
    from santeloc.gui.fields import explain as explain_inline

    explain_inline(parent, title, message)
