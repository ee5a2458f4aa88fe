"""Step 6 — Priorités et projet de santé: the page assembling the tree, forms and tabs."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from santeloc.gui.context import AppContext
from santeloc.gui.ops import run_action
from santeloc.gui.pages.base import StepPage
from santeloc.gui.pages.health_project.action_form import ActionFormMixin
from santeloc.gui.pages.health_project.action_saving import ActionSavingMixin
from santeloc.gui.pages.health_project.coherence import CoherenceMixin
from santeloc.gui.pages.health_project.common import (
    TAB_COHERENCE,
    TAB_GANTT,
    TAB_READY,
    TAB_TEXT,
    TITLE,
    style_combo,
)
from santeloc.gui.pages.health_project.plan_links import PlanLinksMixin
from santeloc.gui.pages.health_project.readiness import ReadinessMixin
from santeloc.gui.pages.health_project.sections import SectionsMixin
from santeloc.gui.pages.health_project.timeline import TimelineMixin
from santeloc.gui.pages.health_project.tree import TreeMixin
from santeloc.gui.pages.health_project.tree_edits import TreeEditsMixin
from santeloc.refdata.prs import PlanPack
from santeloc.services import health_project as hp
from santeloc.services import indicators as indicators_svc
from santeloc.services.changes import Kind
from santeloc.services.coherence import CoherenceTable
from santeloc.services.projects import ProjectInfo
from santeloc.services.territory import territory_summary
from santeloc.workflow.readiness import Readiness


class HealthProjectPage(
    TreeMixin,
    TreeEditsMixin,
    ActionFormMixin,
    ActionSavingMixin,
    PlanLinksMixin,
    SectionsMixin,
    TimelineMixin,
    CoherenceMixin,
    ReadinessMixin,
    StepPage,
):
    """The page of step 6.

    ``navigate(step)`` asks the workspace to show another step (from the readiness checklist
    or the list of signatories).
    """

    WATCHES = frozenset(
        {Kind.HEALTH_PROJECT, Kind.HEALTH, Kind.OFFER, Kind.MOBILISATION, Kind.TERRITORY, Kind.PROJECT, Kind.FINANCING}
    )

    navigate = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.priorities: list[hp.PriorityRow] = []
        self.sheets: dict[int, hp.ActionSheet] = {}
        self.constats: list[indicators_svc.ConstatRow] = []
        self.team: list[hp.TeamMember] = []
        self.packs: dict[str, PlanPack] = {}
        self.region_packs: list[str] = []
        self.region_codes: set[str] = set()
        self.project_pack_key: str | None = None
        self.region_names = ""
        self.sections: dict[str, str] = {}
        self.defaults: dict[str, str] = {}
        self.coherence: CoherenceTable | None = None
        self.readiness: Readiness | None = None
        self.readiness_buttons: dict[str, QPushButton] = {}
        self.form_action_id: int | None = None
        self.dialog: QDialog | None = None
        self._loading = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("healthProjectTabs")
        self.tabs.addTab(self._actions_tab(), "Priorités et actions")
        self.tabs.addTab(self._sections_tab(), "Projet de santé")
        self.tabs.addTab(self._gantt_tab(), "Calendrier")
        self.tabs.addTab(self._coherence_tab(), "Cohérence avec le PRS")
        self.tabs.addTab(self._readiness_tab(), "Prêt pour l'ARS ?")
        self.tabs.currentChanged.connect(self._tab_changed)
        layout.addWidget(self.tabs)
        for combo in self.findChildren(QComboBox):
            style_combo(combo)

    def load(self, project: ProjectInfo) -> None:
        """Show a project's step 6."""
        self.flush()
        same = self.project is not None and self.project.id == project.id
        self.project = project
        if not same:  # shown again after another change: the line and section chosen stay
            self.form_action_id = None
            self.tree.clearSelection()
        self.refresh()
        if not same:
            self.sections_nav.setCurrentRow(0)

    def refresh(self) -> None:
        """Re-read everything of step 6 and show it (the tab shown is refreshed too)."""
        if self.project is None:
            return
        self._read_context()
        self.reload_tree()
        self.refresh_sections()
        self._refresh_tab(self.tabs.currentIndex())

    def _read_context(self) -> None:
        """Constats, team, plan packs: what the forms offer to choose from."""
        project_id, uow = self._project_id(), self.ctx.uow
        self.constats = run_action(self, TITLE, lambda: indicators_svc.list_constats(uow(), project_id)) or []
        self.team = run_action(self, TITLE, lambda: hp.list_team(uow(), project_id, members_only=False)) or []
        self.packs = hp.plan_packs()
        summary = run_action(self, TITLE, lambda: territory_summary(uow(), project_id, self.ctx.refdata))
        regions = {r.code for r in summary.regions} if summary is not None else set()
        self.region_codes = regions
        self.region_names = " et ".join(r.name for r in summary.regions) if summary is not None else ""
        region_packs = sorted((p for p in self.packs.values() if p.region_code in regions), key=lambda p: p.key)
        region_packs.sort(key=lambda p: (p.period_end, p.period_start), reverse=True)
        self.region_packs = [p.key for p in region_packs]
        pack = run_action(self, TITLE, lambda: hp.project_pack(uow(), project_id, self.ctx.refdata))
        self.project_pack_key = pack.key if pack is not None else None
        names = [m.name for m in self.team]
        if self.project is not None and self.project.porteur_name:
            names.append(self.project.porteur_name)
        self.pilot_completer.model().setStringList(names)  # type: ignore[attr-defined]
        self._fill_pack_combo(self.link_pack_combo)
        self._fill_pack_combo(self.coherence_pack_combo)

    def _tab_changed(self, index: int) -> None:
        self.flush()
        self._refresh_tab(index)

    def _refresh_tab(self, index: int) -> None:
        if self.project is None:
            return
        if index == TAB_GANTT:
            self.refresh_gantt()
        elif index == TAB_COHERENCE:
            self.show_coherence(self.coherence_pack_combo.currentData())
        elif index == TAB_READY:
            self.refresh_readiness()
        elif index == TAB_TEXT:
            self._read_team()
