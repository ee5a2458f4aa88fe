"""Long work off the GUI thread, with progress and cancellation.

``run_in_background(parent, title, job, on_done)`` shows a progress dialog, runs
``job(report)`` in a worker thread and calls ``on_done(result)`` (or shows the French message
of a :class:`DomainError`) back on the GUI thread. ``report(done, total)`` returns False once
the user has cancelled; the job then stops and nothing is saved (it must write, if at all,
in one transaction at its very end).
"""

from __future__ import annotations

import gc
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from santeloc.domain.errors import DomainError
from santeloc.gui.ops import acting, show_message
from santeloc.gui.widgets import fit_dialog

Report = Callable[[int, int], bool]


_collection_lock = threading.Lock()
_jobs_running = 0


def _pause_collections() -> None:
    """No automatic garbage collection while a background job runs.

    A job that reads a 100 000-row file keeps about a million new objects alive; each full
    collection on the way walks all of them, 0,3 to 0,5 s during which it holds the interpreter
    and the window is frozen (the GUI thread waits for it). Reference counting still frees the
    job's garbage as it goes.
    """
    global _jobs_running
    with _collection_lock:
        if _jobs_running == 0:
            gc.disable()
        _jobs_running += 1


def _resume_collections() -> None:
    """The last job over: what it left alive is frozen (later collections skip it, as the
    start-up's data), then collections resume with no pass over the job's objects."""
    global _jobs_running
    with _collection_lock:
        _jobs_running -= 1
        if _jobs_running == 0:
            gc.freeze()
            gc.enable()


class _Worker(QObject):
    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, job: Callable[[Report], Any], initiator: QWidget | None = None) -> None:
        super().__init__()
        self.job = job
        self.initiator = initiator
        self.cancelled = threading.Event()

    def report(self, done: int, total: int) -> bool:
        self.progressed.emit(done, total)
        return not self.cancelled.is_set()

    def run(self) -> None:
        _pause_collections()
        try:
            with acting(self.initiator):  # its commits are the initiating page's own changes
                result = self.job(self.report)
        except DomainError as exc:
            self.failed.emit(exc.message)
            return
        except Exception as exc:  # shown to the user rather than lost in a thread
            traceback.print_exc()
            self.failed.emit(f"Erreur inattendue : {exc}. Rien n'a été enregistré.")
            return
        finally:
            _resume_collections()
        self.finished.emit(result)


class BackgroundTask(QObject):
    """One job in its own thread, with its progress dialog; keep a reference while it runs."""

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QWidget, title: str, label: str, job: Callable[[Report], Any]) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.title = title
        self._thread = QThread(self)
        self.worker = _Worker(job, parent)
        self.worker.moveToThread(self._thread)
        self.dialog = QProgressDialog(label, "Annuler", 0, 0, parent)
        self.dialog.setObjectName("progressDialog")
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        fit_dialog(self.dialog, 420)
        self.dialog.canceled.connect(self.worker.cancelled.set)
        self._thread.started.connect(self.worker.run)
        self.worker.progressed.connect(self._progress)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)

    def start(self) -> None:
        """Start the job."""
        self._thread.start()

    @property
    def running(self) -> bool:
        """True while the job runs."""
        return self._thread.isRunning()

    def cancel(self) -> None:
        """Ask the job to stop at its next progress report."""
        self.worker.cancelled.set()

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))

    def _stop(self) -> None:
        self.dialog.reset()
        self.dialog.hide()
        self._thread.quit()
        self._thread.wait()

    def _finished(self, result: object) -> None:
        self._stop()
        self.done.emit(result)

    def _failed(self, message: str) -> None:
        self._stop()
        show_message(self.parent_widget, self.title, message)
        self.failed.emit(message)


def run_in_background(
    parent: QWidget, title: str, label: str, job: Callable[[Report], Any], on_done: Callable[[Any], None]
) -> BackgroundTask:
    """Run ``job`` off the GUI thread; ``on_done(result)`` runs on the GUI thread."""
    task = BackgroundTask(parent, title, label, job)
    task.done.connect(on_done)
    task.start()
    return task
