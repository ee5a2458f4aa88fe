"""Baseline for the start-up benchmark: a bare PySide6 window holding a QWizard, shown, then quit."""

from __future__ import annotations

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
QTimer.singleShot(0, app.quit)
app.exec()
print(f"shown_after_s={time.perf_counter() - _started:.4f}")
