"""Step 6: the timeline (Gantt chart) of the actions."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QVBoxLayout,
    QWidget,
)

from santeloc.exports.gantt import gantt_chart
from santeloc.gui.map_canvas import FigureView
from santeloc.gui.ops import run_action
from santeloc.gui.pages.health_project.common import (
    MUTED_COLOUR,
    TITLE,
    wrapped,
)
from santeloc.gui.pages.health_project.host import Host
from santeloc.services import health_project as hp


class TimelineMixin(Host):
    """The timeline tab."""

    def _gantt_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(
            wrapped(
                "Chaque fiche action de sa date de début à sa date de fin, regroupées par priorité ; les losanges "
                "sont ses jalons, le trait rouge la date du jour. Les dates se saisissent dans la fiche action.",
                f"color: {MUTED_COLOUR};",
            )
        )
        self.gantt_view = FigureView()
        self.gantt_view.setObjectName("ganttView")
        layout.addWidget(self.gantt_view, 1)
        return tab

    def refresh_gantt(self) -> None:
        """Draw the timeline of the fiches action."""
        if self.project is None:
            return
        project_id = self._project_id()
        sheets = run_action(self, TITLE, lambda: hp.list_actions(self.ctx.uow(), project_id, self.ctx.refdata))
        if sheets is not None:
            self.gantt_view.show_figure(lambda: gantt_chart(sheets))
