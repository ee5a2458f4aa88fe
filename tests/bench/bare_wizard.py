"""Baseline for the start-up benchmark: a bare PySide6 window holding a QWizard, shown, then quit.

With ``--import MODULE`` the window also imports MODULE once shown (``--import sqlalchemy``:
the floor of any start-up that reads a database through SQLAlchemy).
"""

from __future__ import annotations

import importlib
import sys
import time

_started = time.perf_counter()

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QWizard, QWizardPage  # noqa: E402

app = QApplication([])
window = QMainWindow()
wizard = QWizard()
for title in ("Projet et territoire", "État de santé", "Offre de soins"):
    page = QWizardPage()
    page.setTitle(title)
    wizard.addPage(page)
window.setCentralWidget(wizard)
window.resize(1280, 820)
window.show()
if "--import" in sys.argv:
    app.processEvents()
    importlib.import_module(sys.argv[sys.argv.index("--import") + 1])
QTimer.singleShot(0, app.quit)
app.exec()
print(f"shown_after_s={time.perf_counter() - _started:.4f}", flush=True)
