"""Step 7 — Plan de financement: expenses, resources, live rules, loan and rent, scenarios."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain import financing as rules
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_cents, format_date, format_decimal, parse_cents, parse_percent_bp
from santeloc.exports.financing_charts import loan_chart, resources_by_stage
from santeloc.gui.context import AppContext, DataKind
from santeloc.gui.map_canvas import FigureView
from santeloc.gui.ops import attempt, confirm, run_action, show_message
from santeloc.gui.widgets import tidy_combos
from santeloc.services import financing as svc
from santeloc.services.projects import ProjectInfo

TITLE = "Plan de financement"
SEVERITY = {"erreur": ("Erreur", "#a93226"), "alerte": ("Alerte", "#b9770e"), "info": ("Information", "#1f618d")}
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def cell(text: str, data: object = None, right: bool = False, editable: bool = False) -> QTableWidgetItem:
    """A table cell, read-only unless told otherwise."""
    item = QTableWidgetItem(text)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    if right:
        item.setTextAlignment(RIGHT)
    if not editable:
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def check_cell(checked: bool, data: object) -> QTableWidgetItem:
    """A yes/no cell the user ticks."""
    item = QTableWidgetItem("oui" if checked else "non")
    item.setData(Qt.ItemDataRole.UserRole, data)
    item.setFlags((item.flags() | Qt.ItemFlag.ItemIsUserCheckable) & ~Qt.ItemFlag.ItemIsEditable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    return item


def stages_from_text(text: str) -> str:
    """« Investissement, ingénierie » (or « toutes ») → the stored list of stage codes."""
    labels = {label.lower(): value for value, label in svc.STAGE_CHOICES}
    values = {value for value, _label in svc.STAGE_CHOICES}
    chosen = []
    for part in text.replace(";", ",").split(","):
        word = part.strip().lower()
        if not word or word in ("toutes", "tous"):
            continue
        code = labels.get(word) or (word if word in values else None)
        if code is None:
            choices = ", ".join(label for _value, label in svc.STAGE_CHOICES)
            raise ValidationError(f"Étape inconnue : « {part.strip()} ». Étapes possibles : {choices} (ou « toutes »).")
        chosen.append(code)
    return rules.code_list_text(chosen)


def bp_text(bp: int | None) -> str:
    """Basis points as a French percentage, or empty."""
    return "" if bp is None else rules.format_bp(bp)


def euros_text(cents: int | None) -> str:
    """Cents as euros for an input field (``12 500,50``), or empty."""
    if cents is None:
        return ""
    return format_decimal(Decimal(cents) / 100, 2).removesuffix(",00")


def parse_date(text: str) -> date | None:
    """``jj/mm/aaaa`` → date; empty → None."""
    if not text.strip():
        return None
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise ValidationError(f"Date « {text.strip()} » illisible : écrivez-la jj/mm/aaaa.") from None


def table(columns: list[str], stretch: int = 0) -> QTableWidget:
    """A read-only, row-selecting table."""
    widget = QTableWidget(0, len(columns))
    widget.setHorizontalHeaderLabels(columns)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    widget.verticalHeader().setVisible(False)
    widget.setAlternatingRowColors(True)
    header = widget.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return widget


class FinancingPage(QWidget):
    """The page of step 7. Each field is saved when left; the rules never block a draft."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.project: ProjectInfo | None = None
        self.view: svc.PlanView | None = None
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Scénario :"))
        self.plan_combo = QComboBox()
        self.plan_combo.setObjectName("planCombo")
        self.plan_combo.setMinimumWidth(200)
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
        layout.addWidget(self.summary)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("financingTabs")
        self.tabs.addTab(self._expenses_tab(), "Dépenses")
        self.tabs.addTab(self._resources_tab(), "Recettes")
        self.tabs.addTab(self._balance_tab(), "Équilibre et règles")
        self.tabs.addTab(self._loan_tab(), "Emprunt et loyers")
        self.tabs.addTab(self._scenarios_tab(), "Scénarios")
        self.tabs.addTab(self._funders_tab(), "Financeurs")
        layout.addWidget(self.tabs, 1)
        # Long funder and scenario names must not widen the page beyond the window.
        tidy_combos(self)

        self.plan_combo.activated.connect(lambda _i: self.show_plan(self.plan_combo.currentData()))
        self.duplicate_button.clicked.connect(self._ask_duplicate)
        self.rename_button.clicked.connect(self._ask_rename)
        self.reference_button.clicked.connect(self.make_reference)
        self.delete_plan_button.clicked.connect(self._ask_delete_plan)

    # --- building -------------------------------------------------------------------------

    def _expenses_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        buttons = QHBoxLayout()
        self.add_expense_button = QPushButton("Nouvelle dépense")
        self.delete_expense_button = QPushButton("Supprimer la dépense")
        buttons.addWidget(self.add_expense_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_expense_button)
        layout.addLayout(buttons)
        self.expenses = table(["Étape", "Catégorie", "Libellé", "Montant HT", "TVA", "Montant TTC", "Année"], 2)
        self.expenses.setObjectName("expensesTable")
        layout.addWidget(self.expenses, 1)
        box = QGroupBox("Dépense sélectionnée")
        form = QGridLayout(box)
        self.expense_stage = QComboBox()
        for value, label in svc.STAGE_CHOICES:
            self.expense_stage.addItem(label, value)
        self.expense_category = QComboBox()
        self.expense_category.setEditable(True)
        self.expense_category.addItems(list(svc.EXPENSE_CATEGORIES))
        self.expense_label = QLineEdit()
        self.expense_amount = QLineEdit()
        self.expense_amount.setObjectName("expenseAmount")
        self.expense_amount.setPlaceholderText("montant HT en euros, ex. 250 000")
        self.expense_vat = QLineEdit()
        self.expense_vat.setPlaceholderText("ex. 20")
        self.expense_year = QLineEdit()
        self.expense_year.setPlaceholderText("ex. 2027")
        for row, (caption, widget) in enumerate(
            (("Étape", self.expense_stage), ("Catégorie", self.expense_category), ("Libellé", self.expense_label))
        ):
            form.addWidget(QLabel(caption), row, 0)
            form.addWidget(widget, row, 1)
        for row, (caption, widget) in enumerate(
            (("Montant HT (€)", self.expense_amount), ("TVA (%)", self.expense_vat), ("Année", self.expense_year))
        ):
            form.addWidget(QLabel(caption), row, 2)
            form.addWidget(widget, row, 3)
        layout.addWidget(box)
        self.expense_box = box
        self.add_expense_button.clicked.connect(self.add_expense)
        self.delete_expense_button.clicked.connect(self.delete_expense)
        self.expenses.itemSelectionChanged.connect(self._fill_expense_form)
        self.expense_stage.activated.connect(lambda _i: self._save_expense("stage", self.expense_stage.currentData()))
        self.expense_category.activated.connect(
            lambda _i: self._save_expense("category", self.expense_category.currentText())
        )
        category_edit = self.expense_category.lineEdit()
        assert category_edit is not None
        category_edit.editingFinished.connect(
            lambda: self._save_expense("category", self.expense_category.currentText())
        )
        self.expense_label.editingFinished.connect(lambda: self._save_expense("label", self.expense_label.text()))
        self.expense_amount.editingFinished.connect(
            lambda: self._save_expense_text("amount_ht_cents", self.expense_amount.text())
        )
        self.expense_vat.editingFinished.connect(
            lambda: self._save_expense_text("vat_rate_bp", self.expense_vat.text())
        )
        self.expense_year.editingFinished.connect(lambda: self._save_expense_text("year", self.expense_year.text()))
        return tab

    def _resources_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        buttons = QHBoxLayout()
        self.add_resource_button = QPushButton("Nouvelle recette")
        self.delete_resource_button = QPushButton("Supprimer la recette")
        buttons.addWidget(self.add_resource_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_resource_button)
        layout.addLayout(buttons)
        self.resources = table(
            ["Financeur", "Nature", "Libellé", "Étape", "Taux", "Montant", "Part de l'étape", "Statut", "À vérifier"], 2
        )
        self.resources.setObjectName("resourcesTable")
        layout.addWidget(self.resources, 1)
        box = QGroupBox("Recette sélectionnée")
        grid = QGridLayout(box)
        self.resource_funder = QComboBox()
        self.resource_kind = QComboBox()
        for value, label in svc.KIND_CHOICES:
            self.resource_kind.addItem(label, value)
        self.resource_label = QLineEdit()
        self.resource_stage = QComboBox()
        for value, label in svc.STAGE_CHOICES:
            self.resource_stage.addItem(label, value)
        self.by_amount = QRadioButton("Montant")
        self.by_rate = QRadioButton("Taux de l'assiette")
        mode = QButtonGroup(box)
        mode.addButton(self.by_amount)
        mode.addButton(self.by_rate)
        self.resource_amount = QLineEdit()
        self.resource_amount.setObjectName("resourceAmount")
        self.resource_amount.setPlaceholderText("en euros")
        self.resource_rate = QLineEdit()
        self.resource_rate.setObjectName("resourceRate")
        self.resource_rate.setPlaceholderText("en %, ex. 35")
        self.resource_status = QComboBox()
        for value, label in svc.STATUS_CHOICES:
            self.resource_status.addItem(label, value)
        self.resource_requested = QLineEdit()
        self.resource_requested.setPlaceholderText("jj/mm/aaaa")
        self.resource_decided = QLineEdit()
        self.resource_decided.setPlaceholderText("jj/mm/aaaa")
        self.resource_base = QListWidget()
        self.resource_base.setObjectName("resourceBase")
        self.resource_base.setMaximumHeight(110)
        self.resource_findings = QLabel()
        self.resource_findings.setWordWrap(True)
        left = (("Financeur", self.resource_funder), ("Nature", self.resource_kind), ("Libellé", self.resource_label),
                ("Étape", self.resource_stage), ("Statut", self.resource_status))  # fmt: skip
        for row, (caption, widget) in enumerate(left):
            grid.addWidget(QLabel(caption), row, 0)
            grid.addWidget(widget, row, 1)
        amounts = QHBoxLayout()
        amounts.addWidget(self.by_amount)
        amounts.addWidget(self.resource_amount)
        amounts.addWidget(self.by_rate)
        amounts.addWidget(self.resource_rate)
        grid.addLayout(amounts, 0, 2, 1, 2)
        grid.addWidget(QLabel("Assiette (dépenses financées)"), 1, 2)
        grid.addWidget(self.resource_base, 2, 2, 2, 2)
        dates = QHBoxLayout()
        dates.addWidget(QLabel("Sollicitée le"))
        dates.addWidget(self.resource_requested)
        dates.addWidget(QLabel("Décision le"))
        dates.addWidget(self.resource_decided)
        grid.addLayout(dates, 4, 2, 1, 2)
        grid.addWidget(self.resource_findings, 5, 0, 1, 4)
        layout.addWidget(box)
        self.resource_box = box
        self.add_resource_button.clicked.connect(self.add_resource)
        self.delete_resource_button.clicked.connect(self.delete_resource)
        self.resources.itemSelectionChanged.connect(self._fill_resource_form)
        self.resource_funder.activated.connect(
            lambda _i: self._save_resource(funder_code=self.resource_funder.currentData())
        )
        self.resource_kind.activated.connect(lambda _i: self._save_resource(kind=self.resource_kind.currentData()))
        self.resource_stage.activated.connect(lambda _i: self._save_resource(stage=self.resource_stage.currentData()))
        self.resource_status.activated.connect(
            lambda _i: self._save_resource(status=self.resource_status.currentData())
        )
        self.resource_label.editingFinished.connect(lambda: self._save_resource(label=self.resource_label.text()))
        self.resource_amount.editingFinished.connect(self._save_resource_amount)
        self.resource_rate.editingFinished.connect(self._save_resource_rate)
        self.by_amount.clicked.connect(self._save_resource_amount)
        self.by_rate.clicked.connect(self._save_resource_rate)
        self.resource_requested.editingFinished.connect(
            lambda: self._save_resource_date("requested_on", self.resource_requested)
        )
        self.resource_decided.editingFinished.connect(
            lambda: self._save_resource_date("decided_on", self.resource_decided)
        )
        self.resource_base.itemChanged.connect(self._save_base)
        return tab

    def _balance_tab(self) -> QWidget:
        tab = QWidget()
        layout = QHBoxLayout(tab)
        left = QVBoxLayout()
        self.stages = table(["Étape", "Dépenses", "Ressources", "Solde", "Financement public", "Part du porteur¹"], 0)
        self.stages.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.stages.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.stages.setObjectName("stagesTable")
        self.stages.setMaximumHeight(150)
        left.addWidget(self.stages)
        note = QLabel(
            "¹ Part du maître d'ouvrage (autofinancement et emprunt) dans le financement public (CGCT, art. L1111-10)."
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #4d5c57; font-size: 8pt;")
        left.addWidget(note)
        left.addWidget(QLabel("<b>Règles</b> (elles n'empêchent jamais d'enregistrer un brouillon)"))
        self.findings = QListWidget()
        self.findings.setObjectName("findingsList")
        self.findings.setWordWrap(True)
        left.addWidget(self.findings, 1)
        layout.addLayout(left, 3)
        self.plan_chart = FigureView()
        self.plan_chart.setObjectName("planChart")
        layout.addWidget(self.plan_chart, 2)
        return tab

    def _loan_tab(self) -> QWidget:
        tab = QWidget()
        layout = QHBoxLayout(tab)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        loan_box = QGroupBox("Emprunt")
        loan_layout = QVBoxLayout(loan_box)
        form = QFormLayout()
        self.loan_principal = QLineEdit()
        self.loan_principal.setObjectName("loanPrincipal")
        self.loan_principal.setPlaceholderText("en euros")
        self.loan_rate = QLineEdit()
        self.loan_rate.setObjectName("loanRate")
        self.loan_rate.setPlaceholderText("en %, ex. 3,5")
        self.loan_years = QSpinBox()
        self.loan_years.setObjectName("loanYears")
        self.loan_years.setRange(0, 60)
        self.loan_years.setValue(20)
        self.loan_years.setSuffix(" ans")
        self.loan_mode = QComboBox()
        self.loan_mode.addItem("Annuités constantes", True)
        self.loan_mode.addItem("Amortissement constant", False)
        self.loan_button = QPushButton("Calculer et enregistrer l'emprunt")
        self.loan_button.setObjectName("loanButton")
        form.addRow("Capital emprunté", self.loan_principal)
        form.addRow("Taux annuel", self.loan_rate)
        form.addRow("Durée", self.loan_years)
        form.addRow("Mode", self.loan_mode)
        form.addRow(self.loan_button)
        loan_layout.addLayout(form)
        self.schedule = table(["Échéance", "Annuité", "Intérêts", "Capital", "Capital restant dû"], 0)
        self.schedule.setObjectName("scheduleTable")
        loan_layout.addWidget(self.schedule, 1)
        self.loan_chart_view = FigureView()
        loan_layout.addWidget(self.loan_chart_view, 1)
        splitter.addWidget(loan_box)

        rent_box = QGroupBox("Loyers des professionnels")
        rent_layout = QVBoxLayout(rent_box)
        rent_form = QFormLayout()
        self.rent_charges = QLineEdit()
        self.rent_charges.setObjectName("rentCharges")
        self.rent_charges.setPlaceholderText("charges annuelles en euros")
        self.rent_market = QLineEdit()
        self.rent_market.setObjectName("rentMarket")
        self.rent_market.setPlaceholderText("€ par m² et par mois, ex. 9,50")
        self.rent_split = QComboBox()
        self.rent_split.addItem("au prorata des surfaces occupées", "area")
        self.rent_split.addItem("selon des quotes-parts", "share")
        rent_form.addRow("Charges annuelles", self.rent_charges)
        rent_form.addRow("Valeur locative du marché", self.rent_market)
        rent_form.addRow("Répartition", self.rent_split)
        rent_layout.addLayout(rent_form)
        self.occupants = QTableWidget(0, 3)
        self.occupants.setObjectName("occupantsTable")
        self.occupants.setHorizontalHeaderLabels(["Occupant", "Surface (m²)", "Quote-part (%)"])
        self.occupants.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.occupants.verticalHeader().setVisible(False)
        rent_layout.addWidget(self.occupants, 1)
        occupant_buttons = QHBoxLayout()
        self.add_occupant_button = QPushButton("Ajouter un occupant")
        self.remove_occupant_button = QPushButton("Retirer")
        self.rent_button = QPushButton("Calculer et enregistrer les loyers")
        self.rent_button.setObjectName("rentButton")
        occupant_buttons.addWidget(self.add_occupant_button)
        occupant_buttons.addWidget(self.remove_occupant_button)
        occupant_buttons.addStretch(1)
        occupant_buttons.addWidget(self.rent_button)
        rent_layout.addLayout(occupant_buttons)
        self.rent_result = QTableWidget(0, 4)
        self.rent_result.setObjectName("rentResult")
        self.rent_result.setHorizontalHeaderLabels(["Occupant", "Loyer annuel", "Loyer mensuel", "Par m² et par mois"])
        self.rent_result.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.rent_result.verticalHeader().setVisible(False)
        self.rent_result.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        rent_layout.addWidget(self.rent_result, 1)
        self.rent_sentence = QLabel()
        self.rent_sentence.setObjectName("rentSentence")
        self.rent_sentence.setWordWrap(True)
        rent_layout.addWidget(self.rent_sentence)
        splitter.addWidget(rent_box)
        layout.addWidget(splitter)
        self.loan_button.clicked.connect(self.save_loan)
        self.rent_button.clicked.connect(self.save_rent)
        self.add_occupant_button.clicked.connect(lambda: self._add_occupant_row("", "", ""))
        self.remove_occupant_button.clicked.connect(lambda: self.occupants.removeRow(self.occupants.currentRow()))
        return tab

    def _scenarios_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        intro = QLabel(
            "Chaque scénario est une copie du plan que vous modifiez librement (par exemple « avec DSIL » "
            "et « sans DSIL ») ; le plan de référence est celui que reprendront les dossiers."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.comparison = QTableWidget()
        self.comparison.setObjectName("comparisonTable")
        self.comparison.verticalHeader().setVisible(True)
        self.comparison.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.comparison, 1)
        return tab

    def _funders_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        hint = QLabel(
            "Les règles des financeurs sont préremplies avec les repères du guide ; adaptez-les aux appels à "
            "projets de votre région et de votre département (taux maximal, plafond, étapes et catégories "
            "éligibles, base HT ou TTC). Double-cliquez une case pour la modifier."
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.funders = QTableWidget(0, 8)
        self.funders.setObjectName("fundersTable")
        self.funders.setHorizontalHeaderLabels(
            [
                "Code",
                "Financeur",
                "Public",
                "Taux max (%)",
                "Plafond (€)",
                "Étapes éligibles",
                "Base TTC",
                "Conditions à mentionner",
            ]
        )
        header = self.funders.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        self.funders.verticalHeader().setVisible(False)
        self.funders.itemChanged.connect(self._funder_edited)
        layout.addWidget(self.funders, 1)
        return tab

    # --- loading --------------------------------------------------------------------------

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
            self._fill_scenarios()
            self._fill_funders()
        finally:
            self._loading = False

    def reload(self) -> None:
        """Re-read the plan shown, after a change."""
        if self.view is not None:
            self.show_plan(self.view.plan.id)
            self.ctx.saved.emit("Enregistré")
            self.ctx.notify(DataKind.PROJECT, self.view.plan.project_id)
            self.changed.emit()

    def _fill_plans(self) -> None:
        assert self.view is not None and self.project is not None
        plans = svc.list_plans(self.ctx.uow(), self.project.id)
        self.plan_combo.clear()
        for plan in plans:
            self.plan_combo.addItem(plan.name + ("  (référence)" if plan.is_reference else ""), plan.id)
        self.plan_combo.setCurrentIndex(self.plan_combo.findData(self.view.plan.id))
        self.reference_button.setEnabled(not self.view.plan.is_reference)
        self.delete_plan_button.setEnabled(not self.view.plan.is_reference)

    def _fill_summary(self) -> None:
        assert self.view is not None
        overall = self.view.analysis.overall
        parts = [
            f"<b>Dépenses</b> {format_cents(overall.expenses_cents)}",
            f"<b>Ressources</b> {format_cents(overall.resources_cents)}",
        ]
        if overall.balance_cents < 0:
            parts.append(f"<b style='color:#a93226'>Reste à financer {format_cents(-overall.balance_cents)}</b>")
        elif overall.balance_cents > 0:
            parts.append(f"<b style='color:#b9770e'>Excédent {format_cents(overall.balance_cents)}</b>")
        else:
            parts.append("<b style='color:#2e7d6b'>Plan équilibré</b>" if overall.expenses_cents else "Plan vide")
        parts.append(
            f"<b>Financement public</b> {format_cents(overall.public_funding_cents)} ({bp_text(overall.public_funding_share_bp) or '—'})"
        )
        errors, alerts = len(self.view.analysis.errors), len(self.view.analysis.alerts)
        if errors or alerts:
            parts.append(
                f"<span style='color:#a93226'>{errors} erreur(s), {alerts} alerte(s) : voir « Équilibre et règles »</span>"
            )
        self.summary.setText(" · ".join(parts))

    def _fill_expenses(self) -> None:
        assert self.view is not None
        selected = self._selected_id(self.expenses)
        self.expenses.setRowCount(len(self.view.expenses))
        for row, line in enumerate(self.view.expenses):
            e = line.expense
            cells = (
                cell(rules.stage_label(e.stage), e.id),
                cell(e.category),
                cell(e.label),
                cell(format_cents(e.amount_ht_cents, with_cents=e.amount_ht_cents % 100 != 0), right=True),
                cell(bp_text(e.vat_rate_bp), right=True),
                cell(format_cents(e.amount_ttc_cents, with_cents=e.amount_ttc_cents % 100 != 0), right=True),
                cell(str(e.year or ""), right=True),
            )
            for column, item in enumerate(cells):
                self.expenses.setItem(row, column, item)
        self._reselect(self.expenses, selected)
        self._fill_expense_form()

    def _fill_resources(self) -> None:
        assert self.view is not None
        selected = self._selected_id(self.resources)
        results = {r.id: r for stage in self.view.analysis.stages for r in stage.resources}
        self.resources.setRowCount(len(self.view.resources))
        for row, line in enumerate(self.view.resources):
            r = line.resource
            result = results.get(r.id)
            amount = result.amount_cents if result is not None else line.stored_amount_cents
            findings = self.view.analysis.findings_for(r.id)
            flag = "; ".join(SEVERITY[f.severity][0] for f in findings if f.severity != "info")
            cells = (
                cell(r.funder_code or "—", r.id),
                cell(dict(svc.KIND_CHOICES).get(r.kind, r.kind)),
                cell(r.label),
                cell(rules.stage_label(r.stage)),
                cell(
                    bp_text(r.rate_bp if r.rate_bp is not None else (result.effective_rate_bp if result else None)),
                    right=True,
                ),
                cell(format_cents(amount), right=True),
                cell(bp_text(result.share_of_stage_bp if result else None), right=True),
                cell(dict(svc.STATUS_CHOICES).get(r.status, r.status)),
                cell(flag),
            )
            for column, item in enumerate(cells):
                if column == 0:
                    item.setToolTip(self.view.funder_name(r.funder_code))
                if flag and column == 8:
                    item.setForeground(QBrush(QColor("#a93226")))
                    item.setToolTip("\n".join(f.message for f in findings))
                self.resources.setItem(row, column, item)
        self.resource_funder.clear()
        for funder in self.view.funders:
            self.resource_funder.addItem(f"{funder.rule.code} — {funder.rule.name}", funder.rule.code)
        self.resource_funder.addItem("— aucun (emprunt, autofinancement) —", "")
        self._reselect(self.resources, selected)
        self._fill_resource_form()

    def _fill_balance(self) -> None:
        assert self.view is not None
        analysis = self.view.analysis
        scopes = [*[s for s in analysis.stages if not s.is_empty], analysis.overall]
        self.stages.setRowCount(len(scopes))
        for row, scope in enumerate(scopes):
            balance = "équilibré" if scope.balance_cents == 0 else (
                f"reste {format_cents(-scope.balance_cents)}" if scope.balance_cents < 0 else f"excédent {format_cents(scope.balance_cents)}"
            )  # fmt: skip
            owner = bp_text(scope.owner_share_of_public_bp) if self.view.owner_is_public else "—"
            values = (scope.label if scope.stage else "Ensemble du plan", format_cents(scope.expenses_cents),
                      format_cents(scope.resources_cents), balance,
                      f"{format_cents(scope.public_funding_cents)} ({bp_text(scope.public_funding_share_bp) or '—'})", owner)  # fmt: skip
            for column, text in enumerate(values):
                item = cell(text, right=column > 0)
                if column == 3 and scope.balance_cents:
                    item.setForeground(QBrush(QColor("#a93226")))
                self.stages.setItem(row, column, item)
        self.findings.clear()
        for finding in analysis.findings:
            label, colour = SEVERITY[finding.severity]
            entry = QListWidgetItem(f"{label} — {finding.message}")
            entry.setForeground(QBrush(QColor(colour)))
            self.findings.addItem(entry)
        if not analysis.findings:
            self.findings.addItem("Aucune remarque : le plan respecte les règles connues.")
        self.plan_chart.set_figure(resources_by_stage(analysis))

    def _fill_loan(self) -> None:
        assert self.view is not None
        loan = self.view.loan
        if loan is None:
            suggested = sum(r.stored_amount_cents for r in self.view.resources if r.resource.kind == "emprunt")
            self.loan_principal.setText(euros_text(suggested) if suggested else "")
            self.loan_rate.clear()
        else:
            self.loan_principal.setText(euros_text(loan.principal_cents))
            self.loan_rate.setText(bp_text(loan.rate_bp).replace("\u00a0%", "").replace(" %", ""))
            self.loan_years.setValue(loan.years)
            self.loan_mode.setCurrentIndex(0 if loan.constant_annuity else 1)
        schedule = self.view.schedule
        self.schedule.setRowCount(len(schedule))
        for row, period in enumerate(schedule):
            for column, value in enumerate((str(period.number), format_cents(period.payment_cents, with_cents=True),
                                            format_cents(period.interest_cents, with_cents=True),
                                            format_cents(period.principal_cents, with_cents=True),
                                            format_cents(period.remaining_cents, with_cents=True))):  # fmt: skip
                self.schedule.setItem(row, column, cell(value, right=True))
        self.loan_chart_view.set_figure(loan_chart(schedule))
        rent = self.view.rent
        self.occupants.setRowCount(0)
        if rent is not None:
            self.rent_charges.setText(euros_text(rent.annual_charges_cents))
            self.rent_market.setText(euros_text(rent.market_rent_cents_per_m2_month))
            self.rent_split.setCurrentIndex(self.rent_split.findData(rent.split))
            for occupant in rent.occupants:
                self._add_occupant_row(
                    occupant.name,
                    format_decimal(occupant.area_m2, 2).removesuffix(",00") if occupant.area_m2 is not None else "",
                    bp_text(occupant.share_bp).replace("\u00a0%", "") if occupant.share_bp is not None else "",
                )
        result = None
        try:
            result = self.view.rent_plan()
        except ValidationError as exc:
            self.rent_sentence.setText(exc.message)
        self.rent_result.setRowCount(len(result.per_occupant) if result else 0)
        if result is not None:
            for row, share in enumerate(result.per_occupant):
                values = (share.name, format_cents(share.annual_cents, with_cents=True), format_cents(share.monthly_cents, with_cents=True),
                          format_cents(share.per_m2_cents, with_cents=True) if share.per_m2_cents is not None else "—")  # fmt: skip
                for column, value in enumerate(values):
                    self.rent_result.setItem(row, column, cell(value, right=column > 0))
            self.rent_sentence.setText(
                f"Loyer total nécessaire : {format_cents(result.total_annual_cents, with_cents=True)} par an "
                f"(première annuité de l'emprunt et charges). {result.comparison_sentence}"
            )
        elif rent is None:
            self.rent_sentence.setText("Indiquez les occupants et leurs surfaces pour calculer les loyers.")

    def _fill_scenarios(self) -> None:
        assert self.project is not None
        comparison = run_action(self, TITLE, lambda: svc.compare_scenarios(self.ctx.uow(), self.project.id))  # type: ignore[union-attr]
        if comparison is None:
            return
        self.comparison.setColumnCount(len(comparison.columns))
        self.comparison.setHorizontalHeaderLabels(list(comparison.columns))
        self.comparison.setRowCount(len(comparison.rows))
        self.comparison.setVerticalHeaderLabels([row.label for row in comparison.rows])
        for row_index, row in enumerate(comparison.rows):
            for column, text in enumerate(row.cells()):
                self.comparison.setItem(row_index, column, cell(text, right=True))
        self.comparison.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

    def _fill_funders(self) -> None:
        assert self.view is not None
        self.funders.blockSignals(True)
        self.funders.setRowCount(len(self.view.funders))
        for row, funder in enumerate(self.view.funders):
            rule = funder.rule
            values = (
                cell(rule.code, funder.id),
                cell(rule.name, funder.id, editable=True),
                check_cell(rule.is_public, funder.id),
                cell(bp_text(rule.max_rate_bp).replace("\u00a0%", ""), funder.id, right=True, editable=True),
                cell(euros_text(rule.ceiling_cents), funder.id, right=True, editable=True),
                cell(
                    ", ".join(rules.stage_label(s) for s in sorted(rule.eligible_stages)) or "toutes",
                    funder.id,
                    editable=True,
                ),
                check_cell(rule.counts_ttc, funder.id),
                cell(rule.conditions, funder.id, editable=True),
            )
            for column, item in enumerate(values):
                self.funders.setItem(row, column, item)
        self.funders.resizeRowsToContents()
        self.funders.blockSignals(False)

    # --- helpers ---------------------------------------------------------------------------

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

    # --- expenses --------------------------------------------------------------------------

    def current_expense(self) -> svc.ExpenseRow | None:
        """The expense selected."""
        wanted = self._selected_id(self.expenses)
        if self.view is None or wanted is None:
            return None
        return next((e for e in self.view.expenses if e.expense.id == wanted), None)

    def _fill_expense_form(self) -> None:
        line = self.current_expense()
        self.expense_box.setEnabled(line is not None)
        self.delete_expense_button.setEnabled(line is not None)
        if line is None:
            return
        was_loading, self._loading = self._loading, True
        e = line.expense
        self.expense_stage.setCurrentIndex(self.expense_stage.findData(e.stage))
        self.expense_category.setCurrentText(e.category)
        self.expense_label.setText(e.label)
        self.expense_amount.setText(euros_text(e.amount_ht_cents))
        self.expense_vat.setText(bp_text(e.vat_rate_bp).replace("\u00a0%", ""))
        self.expense_year.setText(str(e.year or ""))
        self._loading = was_loading

    def add_expense(self) -> int | None:
        """Add an expense line to fill in (investment, 0 €)."""
        if self.view is None:
            return None
        plan_id = self.view.plan.id
        new_id = run_action(self, TITLE, lambda: svc.add_expense(self.ctx.uow(), plan_id, stage="investissement",
                                                                 category="travaux", label="Nouvelle dépense", amount_ht_cents=0))  # fmt: skip
        if new_id is not None:
            self.reload()
            self.select_row_of(self.expenses, new_id)
            self.expense_label.setFocus()
            self.expense_label.selectAll()
        return new_id

    def delete_expense(self) -> None:
        """Delete the selected expense after confirmation."""
        line = self.current_expense()
        if line is None:
            return

        def delete() -> None:
            if attempt(self, TITLE, lambda: svc.delete_expense(self.ctx.uow(), line.expense.id)):
                self.reload()

        confirm(self, "Supprimer la dépense", f"Supprimer la dépense « {line.expense.label} » ?", "Supprimer", delete)

    def _save_expense_text(self, field: str, text: str) -> None:
        if self._loading:
            return
        try:
            if field == "amount_ht_cents":
                value: object = parse_cents(text or "0")
            elif field == "vat_rate_bp":
                value = parse_percent_bp(text or "0")
            else:
                value = int(text) if text.strip() else None
        except (ValidationError, ValueError) as exc:
            show_message(
                self, TITLE, exc.message if isinstance(exc, ValidationError) else f"« {text} » n'est pas une année."
            )
            self._fill_expense_form()
            return
        self._save_expense(field, value)

    def _save_expense(self, field: str, value: object) -> None:
        line = self.current_expense()
        if line is None or self._loading or getattr(line.expense, field) == value:
            return
        if attempt(
            self, TITLE, lambda: svc.update_expense(self.ctx.uow(), line.expense.id, line.version, **{field: value})
        ):
            self.reload()
        else:
            self.show_plan(line_plan_id(self))

    # --- resources -------------------------------------------------------------------------

    def current_resource(self) -> svc.ResourceRow | None:
        """The resource selected."""
        wanted = self._selected_id(self.resources)
        if self.view is None or wanted is None:
            return None
        return next((r for r in self.view.resources if r.resource.id == wanted), None)

    def _fill_resource_form(self) -> None:
        line = self.current_resource()
        self.resource_box.setEnabled(line is not None)
        self.delete_resource_button.setEnabled(line is not None)
        if line is None or self.view is None:
            return
        was_loading, self._loading = self._loading, True
        r = line.resource
        self.resource_funder.setCurrentIndex(max(0, self.resource_funder.findData(r.funder_code)))
        self.resource_kind.setCurrentIndex(self.resource_kind.findData(r.kind))
        self.resource_label.setText(r.label)
        self.resource_stage.setCurrentIndex(self.resource_stage.findData(r.stage))
        self.resource_status.setCurrentIndex(self.resource_status.findData(r.status))
        by_rate = r.rate_bp is not None
        self.by_rate.setChecked(by_rate)
        self.by_amount.setChecked(not by_rate)
        self.resource_amount.setText("" if by_rate else euros_text(r.amount_cents))
        self.resource_rate.setText(bp_text(r.rate_bp).replace("\u00a0%", "") if by_rate else "")
        self.resource_requested.setText(format_date(line.requested_on) if line.requested_on else "")
        self.resource_decided.setText(format_date(line.decided_on) if line.decided_on else "")
        self.resource_base.blockSignals(True)
        self.resource_base.clear()
        for expense in self.view.expenses:
            e = expense.expense
            item = QListWidgetItem(f"{e.label} — {rules.stage_label(e.stage)} — {format_cents(e.amount_ht_cents)} HT")
            item.setData(Qt.ItemDataRole.UserRole, e.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if e.id in r.base_expense_ids else Qt.CheckState.Unchecked)
            self.resource_base.addItem(item)
        self.resource_base.blockSignals(False)
        messages = [f"{SEVERITY[f.severity][0]} : {f.message}" for f in self.view.analysis.findings_for(r.id)]
        self.resource_findings.setText("\n".join(messages))
        self._loading = was_loading

    def add_resource(self) -> int | None:
        """Add a grant to fill in (amount 0, to request)."""
        if self.view is None:
            return None
        plan_id = self.view.plan.id
        new_id = run_action(self, TITLE, lambda: svc.add_resource(self.ctx.uow(), plan_id, kind="subvention", funder_code="DETR",
                                                                  label="Nouvelle subvention", stage="investissement", amount_cents=0))  # fmt: skip
        if new_id is not None:
            self.reload()
            self.select_row_of(self.resources, new_id)
        return new_id

    def delete_resource(self) -> None:
        """Delete the selected resource after confirmation."""
        line = self.current_resource()
        if line is None:
            return

        def delete() -> None:
            if attempt(self, TITLE, lambda: svc.delete_resource(self.ctx.uow(), line.resource.id)):
                self.reload()

        confirm(self, "Supprimer la recette", f"Supprimer la recette « {line.resource.label} » ?", "Supprimer", delete)

    def _save_resource(self, base: list[int] | None = None, /, **changes: object) -> None:
        line = self.current_resource()
        if line is None or self._loading:
            return
        if attempt(self, TITLE, lambda: svc.update_resource(self.ctx.uow(), line.resource.id, line.version,
                                                            base_expense_ids=base, **changes)):  # fmt: skip
            self.reload()
        else:
            self.show_plan(line_plan_id(self))

    def _save_resource_amount(self) -> None:
        if self._loading or not self.by_amount.isChecked():
            return
        try:
            cents = parse_cents(self.resource_amount.text() or "0")
        except ValidationError as exc:
            show_message(self, TITLE, exc.message)
            self._fill_resource_form()
            return
        self._save_resource(amount_cents=cents, rate_bp=None)

    def _save_resource_rate(self) -> None:
        if self._loading or not self.by_rate.isChecked():
            return
        text = self.resource_rate.text().strip()
        if not text:
            return
        try:
            rate = parse_percent_bp(text)
        except ValidationError as exc:
            show_message(self, TITLE, exc.message)
            self._fill_resource_form()
            return
        self._save_resource(rate_bp=rate)

    def _save_resource_date(self, field: str, edit: QLineEdit) -> None:
        if self._loading:
            return
        try:
            value = parse_date(edit.text())
        except ValidationError as exc:
            show_message(self, TITLE, exc.message)
            self._fill_resource_form()
            return
        self._save_resource(None, **{field: value})

    def _save_base(self, _item: QListWidgetItem) -> None:
        if self._loading:
            return
        chosen = [
            self.resource_base.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.resource_base.count())
            if self.resource_base.item(i).checkState() == Qt.CheckState.Checked
        ]
        self._save_resource(chosen)

    # --- loan and rent ---------------------------------------------------------------------

    def save_loan(self) -> bool:
        """Check and save the loan, then show its schedule."""
        if self.view is None:
            return False
        try:
            principal = parse_cents(self.loan_principal.text() or "0")
            rate = parse_percent_bp(self.loan_rate.text() or "0")
        except ValidationError as exc:
            show_message(self, TITLE, exc.message)
            return False
        plan_id = self.view.plan.id
        done = attempt(self, TITLE, lambda: svc.set_loan(self.ctx.uow(), plan_id, principal_cents=principal, rate_bp=rate,
                                                          years=self.loan_years.value(), constant_annuity=self.loan_mode.currentData()))  # fmt: skip
        if done:
            self.reload()
        return done

    def _add_occupant_row(self, name: str, area: str, share: str) -> None:
        row = self.occupants.rowCount()
        self.occupants.insertRow(row)
        for column, text in enumerate((name, area, share)):
            self.occupants.setItem(row, column, QTableWidgetItem(text))

    def _occupant_text(self, row: int, column: int) -> str:
        item = self.occupants.item(row, column)
        return item.text().strip() if item is not None else ""

    def save_rent(self) -> bool:
        """Check and save the rent settings and occupants, then show each one's rent."""
        if self.view is None:
            return False
        try:
            charges = parse_cents(self.rent_charges.text() or "0")
            market = parse_cents(self.rent_market.text()) if self.rent_market.text().strip() else None
            occupants = []
            for row in range(self.occupants.rowCount()):
                texts = [self._occupant_text(row, column) for column in range(3)]
                if not any(texts):
                    continue
                if not texts[0]:
                    raise ValidationError(f"Ligne {row + 1} des occupants : indiquez un nom.")
                try:
                    area = Decimal(texts[1].replace(",", ".").replace(" ", "")) if texts[1] else None
                except InvalidOperation:
                    raise ValidationError(f"Surface « {texts[1]} » illisible pour {texts[0]}.") from None
                share = parse_percent_bp(texts[2]) if texts[2] else None
                occupants.append(rules.Occupant(texts[0], area, share))
        except ValidationError as exc:
            show_message(self, TITLE, exc.message)
            return False
        plan_id = self.view.plan.id
        done = attempt(self, TITLE, lambda: svc.set_rent(self.ctx.uow(), plan_id, annual_charges_cents=charges,
                                                          market_rent_cents_per_m2_month=market,
                                                          split=self.rent_split.currentData(), occupants=occupants))  # fmt: skip
        if done:
            self.reload()
        return done

    # --- funders ---------------------------------------------------------------------------

    def _funder_edited(self, item: QTableWidgetItem) -> None:
        funder_id = item.data(Qt.ItemDataRole.UserRole)
        text = item.text().strip()
        try:
            if item.column() == 1:
                change: dict[str, object] = {"name": text}
            elif item.column() == 3:
                change = {"max_rate_bp": parse_percent_bp(text) if text else None}
            elif item.column() == 4:
                change = {"ceiling_cents": parse_cents(text) if text else None}
            elif item.column() == 7:
                change = {"conditions": text}
            elif item.column() in (2, 6):
                key = "is_public" if item.column() == 2 else "counts_ttc"
                change = {key: item.checkState() == Qt.CheckState.Checked}
            elif item.column() == 5:
                change = {"eligible_stages": stages_from_text(text)}
            else:
                return
        except ValidationError as exc:
            show_message(self, TITLE, exc.message)
            self._fill_funders()
            return
        seen = next((f.version for f in (self.view.funders if self.view else ()) if f.id == funder_id), None)  # refuse a stale save
        if attempt(self, TITLE, lambda: svc.update_funder(self.ctx.uow(), funder_id, seen, **change)):
            self.reload()
        else:
            self._fill_funders()

    # --- scenarios -------------------------------------------------------------------------

    def _ask_duplicate(self) -> None:
        name, ok = QInputDialog.getText(self, "Nouveau scénario", "Nom du scénario (par exemple « sans DSIL ») :")
        if ok:
            self.duplicate(name)

    def duplicate(self, name: str) -> svc.PlanInfo | None:
        """Copy the plan shown into a new scenario and show it."""
        if self.view is None:
            return None
        plan_id = self.view.plan.id
        copy = run_action(self, TITLE, lambda: svc.duplicate_plan(self.ctx.uow(), plan_id, name))
        if copy is not None:
            self.show_plan(copy.id)
            self.ctx.saved.emit("Scénario créé")
        return copy

    def _ask_rename(self) -> None:
        if self.view is None:
            return
        name, ok = QInputDialog.getText(self, "Renommer le scénario", "Nouveau nom :", text=self.view.plan.name)
        if ok and attempt(self, TITLE, lambda: svc.rename_plan(self.ctx.uow(), self.view.plan.id, name)):  # type: ignore[union-attr]
            self.reload()

    def make_reference(self) -> None:
        """Make the scenario shown the reference plan."""
        if self.view is not None and attempt(self, TITLE, lambda: svc.set_reference(self.ctx.uow(), self.view.plan.id)):  # type: ignore[union-attr]
            self.reload()

    def _ask_delete_plan(self) -> None:
        if self.view is None:
            return
        plan = self.view.plan

        def delete() -> None:
            if attempt(self, TITLE, lambda: svc.delete_plan(self.ctx.uow(), plan.id)) and self.project is not None:
                self.load(self.project)
                self.changed.emit()

        confirm(
            self,
            "Supprimer le scénario",
            f"Supprimer le scénario « {plan.name} » et toutes ses lignes ?",
            "Supprimer",
            delete,
        )


def line_plan_id(page: FinancingPage) -> int:
    """Id of the plan a page shows (after a refused edit, to show the saved values again)."""
    assert page.view is not None
    return page.view.plan.id
