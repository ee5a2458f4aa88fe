"""Step 7 — Plan de financement: the page assembling its tabs."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from santeloc.gui.context import AppContext
from santeloc.gui.ops import run_action
from santeloc.gui.pages.base import StepPage
from santeloc.gui.pages.financing.common import (
    TITLE,
)
from santeloc.gui.pages.financing.expenses import ExpensesMixin
from santeloc.gui.pages.financing.loan_rent import LoanRentMixin
from santeloc.gui.pages.financing.resources import ResourcesMixin
from santeloc.gui.pages.financing.rules import RulesMixin
from santeloc.gui.pages.financing.scenarios import ScenariosMixin
from santeloc.gui.widgets import keep_scroll, tidy_combos
from santeloc.services import financing as svc
from santeloc.services.changes import Kind
from santeloc.services.projects import ProjectInfo

TAB_SCENARIOS = 4  # index of the « Scénarios » tab


class FinancingPage(ExpensesMixin, ResourcesMixin, RulesMixin, LoanRentMixin, ScenariosMixin, StepPage):
    """The page of step 7. Each field is saved when left; the rules never block a draft."""

    WATCHES = frozenset({Kind.FINANCING, Kind.PROJECT})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.view: svc.PlanView | None = None
        self._loading = False
        self._scenarios_stale = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Scénario :"))
        self.plan_combo = QComboBox()
        self.plan_combo.setObjectName("planCombo")
        self.plan_combo.setMinimumWidth(140)
        bar.addWidget(self.plan_combo, 1)
        self.duplicate_button = QPushButton("Dupliquer…")
        self.duplicate_button.setToolTip("Copier ce plan dans un nouveau scénario (par exemple « sans DSIL »)")
        self.rename_button = QPushButton("Renommer…")
        self.reference_button = QPushButton("Référence")
        self.reference_button.setToolTip("Faire de ce scénario le plan de référence, repris par les dossiers")
        self.delete_plan_button = QPushButton("Supprimer")
        self.delete_plan_button.setToolTip("Supprimer ce scénario")
        for button in (self.duplicate_button, self.rename_button, self.reference_button, self.delete_plan_button):
            bar.addWidget(button)
        layout.addLayout(bar)

        self.summary = QLabel()
        self.summary.setObjectName("planSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("background: #eef2f0; padding: 6px; border-radius: 4px;")
        self.summary.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # Room for two lines whatever the text: the tabs below never move when it grows.
        self.summary.setFixedHeight(self.summary.fontMetrics().lineSpacing() * 2 + 14)
        layout.addWidget(self.summary)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("financingTabs")
        self.tabs.addTab(self._expenses_tab(), "Dépenses")
        self.tabs.addTab(self._resources_tab(), "Recettes")
        self.tabs.addTab(self._balance_tab(), "Équilibre et règles")
        self.tabs.addTab(self._loan_tab(), "Emprunt et loyers")
        self.tabs.addTab(self._scenarios_tab(), "Scénarios")
        self.tabs.addTab(self._funders_tab(), "Financeurs")
        self.tabs.currentChanged.connect(self._tab_shown)
        layout.addWidget(self.tabs, 1)
        # Long funder and scenario names must not widen the page beyond the window.
        tidy_combos(self)

        self.plan_combo.activated.connect(lambda _i: self.show_plan(self.plan_combo.currentData()))
        self.duplicate_button.clicked.connect(self._ask_duplicate)
        self.rename_button.clicked.connect(self._ask_rename)
        self.reference_button.clicked.connect(self.make_reference)
        self.delete_plan_button.clicked.connect(self._ask_delete_plan)

    def load(self, project: ProjectInfo) -> None:
        """Show a project's financing plan (created on first visit)."""
        self.project = project
        plan = run_action(self, TITLE, lambda: svc.ensure_plan(self.ctx.uow(), project.id))
        if plan is not None:
            self.show_plan(plan.id)

    def show_plan(self, plan_id: int) -> None:
        """Read and show a plan or scenario."""
        view = run_action(self, TITLE, lambda: svc.load_plan(self.ctx.uow(), plan_id))
        if view is None:
            return
        self.view = view
        self._loading = True
        try:
            self._fill_plans()
            self._fill_summary()
            self._fill_expenses()
            self._fill_resources()
            self._fill_balance()
            self._fill_loan()
            self._fill_funders()
        finally:
            self._loading = False
        # The comparison of scenarios reads every plan again: it is read when its tab is shown,
        # or just after this page is painted, not in the same stretch as the plan itself.
        self._scenarios_stale = True
        if self.tabs.currentIndex() == TAB_SCENARIOS:
            self._fill_stale_scenarios()
        else:
            QTimer.singleShot(0, self._fill_stale_scenarios)

    def _tab_shown(self, index: int) -> None:
        if index == TAB_SCENARIOS:
            self._fill_stale_scenarios()

    def _fill_stale_scenarios(self) -> None:
        if self._scenarios_stale and self.view is not None and self.project is not None:
            self._scenarios_stale = False
            self._fill_scenarios()

    def reload(self) -> None:
        """Re-read the plan shown, after a change."""
        if self.view is not None:
            with keep_scroll(self.tabs):  # a saved field never sends the user back to the top
                self.show_plan(self.view.plan.id)
            self.ctx.saved.emit("Enregistré")

    def _fill_plans(self) -> None:
        assert self.view is not None and self.project is not None
        plans = svc.list_plans(self.ctx.uow(), self.project.id)
        self.plan_combo.clear()
        for plan in plans:
            self.plan_combo.addItem(plan.name + ("  (référence)" if plan.is_reference else ""), plan.id)
        self.plan_combo.setCurrentIndex(self.plan_combo.findData(self.view.plan.id))
        self.reference_button.setEnabled(not self.view.plan.is_reference)
        self.delete_plan_button.setEnabled(not self.view.plan.is_reference)

    @staticmethod
    def _selected_id(widget: QTableWidget) -> int | None:
        rows = widget.selectionModel().selectedRows()
        if not rows:
            return None
        item = widget.item(rows[0].row(), 0)
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    @staticmethod
    def _reselect(widget: QTableWidget, wanted: int | None) -> None:
        if wanted is None:
            return
        for row in range(widget.rowCount()):
            item = widget.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == wanted:
                widget.selectRow(row)
                return

    def select_row_of(self, widget: QTableWidget, line_id: int) -> None:
        """Select the line of an expense or resource."""
        self._reselect(widget, line_id)
