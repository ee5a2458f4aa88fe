"""Step 6: is the project ready to be filed?"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from santeloc.gui.ops import run_action
from santeloc.gui.pages.health_project.common import (
    ALERT_COLOUR,
    MUTED_COLOUR,
    OK_COLOUR,
    TAB_ACTIONS,
    TITLE,
    clear_layout,
    wrapped,
)
from santeloc.gui.pages.health_project.host import Host
from santeloc.services import health_project as hp
from santeloc.workflow.readiness import Readiness, ReadinessItem, readiness_checklist
from santeloc.workflow.steps import StepId


class ReadinessMixin(Host):
    """The readiness tab."""

    def _readiness_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.readiness_summary = wrapped("")
        self.readiness_summary.setObjectName("readinessSummary")
        self.readiness_summary.setStyleSheet("background: #eef2f0; padding: 6px; border-radius: 4px;")
        layout.addWidget(self.readiness_summary)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        self.readiness_layout = QVBoxLayout(content)
        self.readiness_layout.setContentsMargins(0, 0, 4, 0)
        scroll.setWidget(content)
        layout.addWidget(scroll, 1)
        return tab

    def refresh_readiness(self) -> Readiness | None:
        """Compute the checklists again and show them."""
        if self.project is None:
            return None
        project_id = self._project_id()
        readiness = run_action(self, TITLE, lambda: readiness_checklist(self.ctx.uow(), project_id, self.ctx.refdata))
        if readiness is None:
            return None
        self.readiness = readiness
        self.readiness_summary.setText(
            f"<b>{readiness.summary()}</b> Chaque ligne se met à jour avec le projet ; le bouton d'une ligne non "
            "remplie mène à l'endroit où la compléter."
        )
        clear_layout(self.readiness_layout)
        self.readiness_buttons = {}
        groups = (
            ("Attendus de l'ARS et des financeurs", readiness.ars, readiness.ars_ready),
            ("Socle de l'accord conventionnel interprofessionnel (ACI)", readiness.aci, readiness.aci_ready),
        )
        for title, items, ready in groups:
            met = sum(1 for i in items if i.met)
            box = QGroupBox(f"{title} — {met} sur {len(items)}" + (" : prêt" if ready else ""))
            grid = QGridLayout(box)
            grid.setColumnStretch(1, 1)
            grid.setHorizontalSpacing(10)
            for row, entry in enumerate(items):
                self._readiness_row(grid, row, entry)
            self.readiness_layout.addWidget(box)
        self.readiness_layout.addStretch(1)
        return readiness

    def _readiness_row(self, grid: QGridLayout, row: int, entry: ReadinessItem) -> None:
        icon = QLabel("✔" if entry.met else "✘")
        icon.setObjectName(f"readinessIcon_{entry.key}")
        icon.setStyleSheet(f"font-size: 14pt; font-weight: 700; color: {OK_COLOUR if entry.met else ALERT_COLOUR};")
        icon.setToolTip("Rempli" if entry.met else "Manquant")
        icon.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        icon.setFixedWidth(24)
        text = wrapped(
            f"<b>{entry.label}</b><br>{entry.detail}"
            + ("" if entry.met else f"<br><span style='color:{MUTED_COLOUR}; font-size:8pt'>Où : {entry.where}</span>")
        )
        text.setObjectName(f"readinessText_{entry.key}")
        text.setTextFormat(Qt.TextFormat.RichText)
        grid.addWidget(icon, row, 0)
        grid.addWidget(text, row, 1)
        if not entry.met:
            step = int(entry.step)
            label = "Compléter ici" if entry.step == StepId.PROJET_SANTE else f"Aller à l'étape {step}"
            button = QPushButton(label)
            button.setObjectName(f"readinessButton_{entry.key}")
            button.setToolTip(entry.where)
            button.clicked.connect(lambda _c=False, e=entry: self.go_to_item(e))
            grid.addWidget(button, row, 2, Qt.AlignmentFlag.AlignTop)
            self.readiness_buttons[entry.key] = button

    def go_to_item(self, entry: ReadinessItem) -> None:
        """Take the user where a missing item is fixed: emits ``navigate`` with its step, and when
        the place is on this page, shows the right tab and section too."""
        self.navigate.emit(int(entry.step))
        if entry.step != StepId.PROJET_SANTE:
            return
        parts = [p.strip() for p in entry.where.split("›")]
        if len(parts) >= 3 and parts[0].endswith("Projet de santé"):
            key = next(
                (s.key for s in hp.SECTIONS if s.title == parts[2] and s.part_label == parts[1]),
                None,
            )
            if key is not None:
                self.show_section(key)
                return
        self.tabs.setCurrentIndex(TAB_ACTIONS)
        first_alert = next((s for s in self.sheets.values() if s.alerts), None)
        if first_alert is not None:
            self.select_action(first_alert.id)
