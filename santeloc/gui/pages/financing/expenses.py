"""Step 7: the expenses of the plan."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain import financing as rules
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_cents, parse_cents, parse_percent_bp
from santeloc.gui.fields import select_all_on_focus
from santeloc.gui.ops import attempt, confirm, explain, run_action
from santeloc.gui.pages.base import cell
from santeloc.gui.pages.financing.common import (
    TITLE,
    bp_text,
    euros_text,
    line_plan_id,
    table,
)
from santeloc.gui.pages.financing.host import Host
from santeloc.gui.widgets import bring_into_view
from santeloc.services import financing as svc


class ExpensesMixin(Host):
    """The expenses tab."""

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
        select_all_on_focus(self.expense_amount, self.expense_vat)
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
            bring_into_view(self.expense_box)  # the form to fill shows at once, not below the fold
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
            explain(
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
