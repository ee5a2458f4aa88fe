"""Step 5 — Mobilisation des professionnels: the page assembling its tabs."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QVBoxLayout,
    QWidget,
)

from santeloc.gui.context import AppContext
from santeloc.gui.pages.base import StepPage
from santeloc.gui.pages.inhabitants.common import PageTabs
from santeloc.gui.pages.mobilisation.contacts import ContactsMixin
from santeloc.gui.pages.mobilisation.meetings import MeetingsMixin
from santeloc.gui.pages.mobilisation.professionals import ProfessionalsMixin
from santeloc.gui.pages.mobilisation.summary import SummaryMixin
from santeloc.gui.pages.mobilisation.tasks import TasksMixin
from santeloc.gui.widgets import tidy_combo
from santeloc.services import meetings as meeting_svc
from santeloc.services import mobilisation as svc
from santeloc.services.changes import Kind
from santeloc.services.projects import ProjectInfo


class MobilisationPage(ProfessionalsMixin, SummaryMixin, ContactsMixin, MeetingsMixin, TasksMixin, StepPage):
    """The page of step 5. Fields are saved as soon as they are left."""

    WATCHES = frozenset({Kind.MOBILISATION, Kind.OFFER})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.professionals: list[svc.MobilisationRow] = []
        self.history: list[svc.CommitmentEventRow] = []
        self.contacts: list[svc.ContactRow] = []
        self.meetings: list[meeting_svc.MeetingRow] = []
        self.meeting: meeting_svc.MeetingDetail | None = None
        self.pending: list[meeting_svc.TaskRow] = []
        self.summary: svc.MobilisationSummary | None = None
        self.dialog: QDialog | None = None
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = PageTabs()
        self.tabs.setObjectName("mobilisationTabs")
        self.tabs.addTab(self._professionals_tab(), "Professionnels")
        self.tabs.addTab(self._summary_tab(), "Synthèse")
        self.tabs.addTab(self._contacts_tab(), "Contacts")
        self.tabs.addTab(self._meetings_tab(), "Réunions")
        self.tabs.addTab(self._pending_tab(), "Tâches en cours")
        layout.addWidget(self.tabs)
        for combo in self.findChildren(QComboBox):
            tidy_combo(combo)

    def load(self, project: ProjectInfo) -> None:
        """Show a project's step 5."""
        self.project = project
        self.refresh()

    def refresh(self) -> None:
        """Re-read everything of the step."""
        if self.project is None:
            return
        self.refresh_professionals()
        self.refresh_summary()
        self.refresh_contacts()
        self.refresh_meetings()
        self.refresh_pending()

    def _after_change(self) -> None:
        self.ctx.saved.emit("Enregistré")
