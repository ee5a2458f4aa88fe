"""Step 7: the loan and the rent paid by the occupants."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain import financing as rules
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_cents, format_decimal, parse_cents, parse_percent_bp
from santeloc.exports.financing_charts import loan_chart
from santeloc.gui.fields import select_all_on_focus
from santeloc.gui.map_canvas import FigureView
from santeloc.gui.ops import attempt, explain
from santeloc.gui.pages.base import cell, header_tips
from santeloc.gui.pages.financing.common import (
    TITLE,
    bp_text,
    euros_text,
    table,
)
from santeloc.gui.pages.financing.host import Host
from santeloc.gui.widgets import names_get_width
from santeloc.services import financing as svc


class LoanRentMixin(Host):
    """The loan and rent tab."""

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
        self.loan_button.setToolTip("Le capital devient la recette « Emprunt » du plan (créée ou mise à jour)")
        form.addRow("Capital emprunté", self.loan_principal)
        form.addRow("Taux annuel", self.loan_rate)
        form.addRow("Durée", self.loan_years)
        form.addRow("Mode", self.loan_mode)
        form.addRow(self.loan_button)
        loan_layout.addLayout(form)
        # Amounts in euros with cents: the « € » goes in the headers, so that the figures fit a
        # half-page column on a laptop screen.
        self.schedule = table(["N°", "Montant (€)", "Intérêts (€)", "Capital (€)", "Restant dû (€)"], 0)
        header_tips(self.schedule, dict(enumerate((
            "Numéro de l'échéance", "Montant de l'échéance : intérêts et capital", "Intérêts payés à cette échéance",
            "Capital remboursé à cette échéance", "Capital restant dû après cette échéance"))))  # fmt: skip
        self.schedule.setObjectName("scheduleTable")
        names_get_width(self.schedule, name_minimum=40)  # the instalment number needs little room
        loan_layout.addWidget(self.schedule, 1)
        self.loan_chart_view = FigureView()
        loan_layout.addWidget(self.loan_chart_view, 1)
        splitter.addWidget(loan_box)

        rent_box = QGroupBox("Loyers des professionnels")
        rent_layout = QVBoxLayout(rent_box)
        rent_form = QFormLayout()
        rent_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # labels above fields when narrow
        self.rent_charges = QLineEdit()
        self.rent_charges.setObjectName("rentCharges")
        self.rent_charges.setPlaceholderText("charges annuelles en euros")
        self.rent_market = QLineEdit()
        select_all_on_focus(self.loan_principal, self.loan_rate, self.rent_charges, self.rent_market)
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
        rent_layout.addLayout(occupant_buttons)
        compute_row = QHBoxLayout()  # on its own row: the box fits beside the loan at 1366 × 768
        compute_row.addStretch(1)
        compute_row.addWidget(self.rent_button)
        rent_layout.addLayout(compute_row)
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
            amounts = (period.payment_cents, period.interest_cents, period.principal_cents, period.remaining_cents)
            numbers = [str(period.number)] + [format_cents(a, with_cents=True, unit=False) for a in amounts]
            for column, value in enumerate(numbers):
                self.schedule.setItem(row, column, cell(value, right=True))
        self.loan_chart_view.show_figure(lambda: loan_chart(schedule))
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

    def save_loan(self) -> bool:
        """Check and save the loan, then show its schedule."""
        if self.view is None:
            return False
        try:
            principal = parse_cents(self.loan_principal.text() or "0")
            rate = parse_percent_bp(self.loan_rate.text() or "0")
        except ValidationError as exc:
            explain(self, TITLE, exc.message)
            return False
        plan_id = self.view.plan.id
        # The capital goes into the plan as its loan resource (created or updated): one action.
        done = attempt(self, TITLE, lambda: svc.set_loan_and_resource(
            self.ctx.uow(), plan_id, principal_cents=principal, rate_bp=rate, years=self.loan_years.value(),
            constant_annuity=self.loan_mode.currentData()))  # fmt: skip
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
            explain(self, TITLE, exc.message)
            return False
        plan_id = self.view.plan.id
        done = attempt(self, TITLE, lambda: svc.set_rent(self.ctx.uow(), plan_id, annual_charges_cents=charges,
                                                          market_rent_cents_per_m2_month=market,
                                                          split=self.rent_split.currentData(), occupants=occupants))  # fmt: skip
        if done:
            self.reload()
        return done
