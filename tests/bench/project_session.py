"""One fresh santeloc process for bench_project.py: start, open the demo, visit every step and tab.

Prints one JSON line: time from the click to the first page shown, longest event-loop stall
while opening and while navigating (a 10 ms QTimer heartbeat measures its own lateness; each
action is measured until its charts, drawn in a rendering thread, are shown), the
time of each step's first visit, and the peak memory (VmHWM) at the end. After each action the
user reads for a second (santeloc prepares the next step meanwhile): the stalls of that second
count too, in the action's worst.

    python tests/bench/project_session.py [--cold]

``--cold`` clicks as soon as the list is usable; otherwise the click comes once the start-up's
background loading is over and the user has read the list for a second. Runs whatever
santeloc is first on ``PYTHONPATH`` (this checkout, or another one for comparison).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QTabWidget

HEARTBEAT_MS = 10
OPEN_WAIT_S = 60.0  # the longest a click waits for its first page
READING_MS = 1000  # the user reads each step for a second before the next click


def vm_hwm_mib() -> float:
    """Peak resident memory of this process (VmHWM), MiB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class Heartbeat:
    """Measures how late a 10 ms timer fires: the longest time the event loop was blocked."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.worst = 0.0
        self.timer = QTimer()
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._beat)
        self.timer.start()

    def _beat(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last - HEARTBEAT_MS / 1000)
        self.last = now

    def reset(self) -> float:
        """Worst lateness since the last reset (s), then start again."""
        worst, self.worst = self.worst, 0.0
        self.last = time.perf_counter()
        return worst


def bare_wizard_page() -> float:
    """Baseline: build and paint a bare QWizard of nine labelled pages, in this process."""
    from PySide6.QtWidgets import QLabel, QVBoxLayout, QWizard, QWizardPage

    started = time.perf_counter()
    wizard = QWizard()
    for number in range(9):
        page = QWizardPage()
        page.setTitle(f"Étape {number}")
        QVBoxLayout(page).addWidget(QLabel("Contenu de l'étape"))
        wizard.addPage(page)
    wizard.resize(1280, 820)
    wizard.show()
    wizard.repaint()
    elapsed = time.perf_counter() - started
    wizard.close()
    return elapsed


def run_events_until(done: Callable[[], bool], seconds: float) -> None:
    """Run the event loop until ``done()`` or for ``seconds`` at most."""
    from PySide6.QtWidgets import QApplication

    deadline = time.perf_counter() + seconds
    while not done() and time.perf_counter() < deadline:
        QApplication.processEvents()
        time.sleep(0.002)


def main() -> None:
    cold = "--cold" in sys.argv
    from santeloc.gui import app as app_module
    from santeloc.persistence.config import resolve_database_url

    data = os.environ.get("SANTELOC_DATA_DIR") or tempfile.mkdtemp()
    os.environ["SANTELOC_DATA_DIR"] = data
    app = app_module.create_application(sys.argv[:1])
    from santeloc.gui.main_window import MainWindow

    window = MainWindow()
    window.show()
    app.processEvents()
    ctx = app_module.boot(window, resolve_database_url(None), interactive=False)
    assert ctx is not None
    app.processEvents()
    if not cold:
        for thread in threading.enumerate():
            if thread.name == "santeloc-warm-up":
                thread.join()
        run_events_until(lambda: False, READING_MS / 1000)  # the user reads the list for a second
    project_id = window.home.projects[0].id
    result: dict[str, object] = {"cold": cold, "baseline_s": bare_wizard_page()}
    heartbeat = Heartbeat()
    actions: list[tuple[str, Callable[[], None]]] = []

    painted: list[float] = []

    class FirstPaint(QObject):
        """Notes when the step title of the opened project is first painted."""

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
            if not painted and event.type() == QEvent.Type.Paint and watched.objectName() == "stepTitle":
                painted.append(time.perf_counter())
            return False

    first_paint = FirstPaint()
    # Watched on the title itself when it exists (the frame is built once the loading ends): a
    # filter on the whole application would run Python for each of the thousands of events the
    # opening sends, and lengthen what it measures (by 0,02 to 0,04 s).
    from PySide6.QtWidgets import QLabel

    title = window._workspace.findChild(QLabel, "stepTitle") if window._workspace is not None else None
    watched = title if title is not None else app
    watched.installEventFilter(first_paint)

    def click() -> None:
        started = time.perf_counter()
        window.home.open_requested.emit(project_id)
        app.processEvents()
        if not painted:
            window.repaint()
        # Clicked while the start-up still loads (--cold): the project opens when it ends,
        # the event loop running meanwhile (its stalls count).
        run_events_until(lambda: bool(painted), OPEN_WAIT_S - (time.perf_counter() - started))
        result["first_page_s"] = painted[0] - started
        result["open_total_s"] = time.perf_counter() - started
        watched.removeEventFilter(first_paint)

    actions.append(("open", click))
    from santeloc.workflow.steps import STEPS

    visits: dict[str, float] = {}

    def visit(step_index: int) -> Callable[[], None]:
        def run() -> None:
            started = time.perf_counter()
            window.workspace.nav.setCurrentRow(step_index)
            app.processEvents()
            visits[str(step_index)] = time.perf_counter() - started
            page = window.workspace.pages[window.workspace.current_step()]
            for tabs in page.findChildren(QTabWidget):
                for index in range(tabs.count()):
                    tabs.setCurrentIndex(index)
                    app.processEvents()

        return run

    for step in STEPS[1:]:
        actions.append((f"step {int(step.id)}", visit(int(step.id))))
    actions.append(("back to step 0", visit(0)))
    stalls: dict[str, float] = {}

    from santeloc.gui.map_canvas import FigureView

    def next_action() -> None:
        name, action = actions.pop(0)
        heartbeat.reset()
        action()
        QTimer.singleShot(60, lambda: finish(name))

    def finish(name: str) -> None:
        # The step is read once its charts are drawn (in the rendering thread): the stall counts
        # the whole of it, drawing included.
        if not all(view.settled() for view in window.findChildren(FigureView)):
            QTimer.singleShot(20, lambda: finish(name))
            return
        stalls[name] = heartbeat.reset()
        QTimer.singleShot(READING_MS, lambda: read(name))

    def read(name: str) -> None:
        # The user reads the step before the next click; what santeloc does meanwhile (it
        # prepares the next step) is measured too, as its own entry.
        if not all(view.settled() for view in window.findChildren(FigureView)):
            QTimer.singleShot(20, lambda: read(name))
            return
        stalls[f"reading after {name}"] = heartbeat.reset()
        if actions:
            QTimer.singleShot(0, next_action)
        else:
            app.quit()

    QTimer.singleShot(50, next_action)
    app.exec()
    # The heartbeat also fires inside the processEvents() of an action: its lateness is the
    # longest stretch during which no event was processed.
    result["open_stall_s"] = max(stalls["open"], stalls["reading after open"])
    worst = max((k for k in stalls if not k.endswith("open")), key=lambda k: stalls[k])
    result["navigation_stall_s"] = stalls[worst]
    result["navigation_worst"] = worst
    result["visits_s"] = visits
    result["stalls_s"] = {k: round(v, 3) for k, v in stalls.items()}
    result["vm_hwm_mib"] = vm_hwm_mib()
    print(json.dumps(result))
    window.close()


if __name__ == "__main__":
    main()
