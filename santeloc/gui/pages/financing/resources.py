"""Step 7: the resources of the plan."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain import financing as rules
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_cents, format_date, parse_cents, parse_percent_bp
from santeloc.domain.funder_names import funder_label, funder_short_name, resource_kind_for
from santeloc.gui.fields import DateField, select_all_on_focus
from santeloc.gui.ops import attempt, confirm, explain, run_action
from santeloc.gui.pages.base import cell
from santeloc.gui.pages.financing.common import (
    SEVERITY,
    TITLE,
    bp_text,
    euros_text,
    line_plan_id,
    parse_date,
    table,
)
from santeloc.gui.pages.financing.host import Host
from santeloc.gui.widgets import bring_into_view
from santeloc.services import financing as svc


class ResourcesMixin(Host):
    """The resources tab."""

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
        self.resource_requested = DateField()  # typed as people write dates, or picked in a calendar
        self.resource_decided = DateField()
        self.resource_base = QListWidget()
        self.resource_base.setObjectName("resourceBase")
        self.resource_base.setMaximumHeight(110)
        self.resource_findings = QLabel()
        self.resource_findings.setWordWrap(True)
        self.resource_findings.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        findings_area = QScrollArea()  # reserved room: the form above never moves when findings appear
        findings_area.setWidgetResizable(True)
        findings_area.setFrameShape(QFrame.Shape.NoFrame)
        findings_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        findings_area.setWidget(self.resource_findings)
        findings_area.setFixedHeight(self.resource_findings.fontMetrics().lineSpacing() * 3 + 6)
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
        grid.addWidget(findings_area, 5, 0, 1, 4)
        layout.addWidget(box)
        self.resource_box = box
        self.add_resource_button.clicked.connect(self.add_resource)
        self.delete_resource_button.clicked.connect(self.delete_resource)
        self.resources.itemSelectionChanged.connect(self._fill_resource_form)
        self.resource_funder.activated.connect(lambda _i: self._save_funder())
        self.resource_kind.activated.connect(lambda _i: self._save_resource(kind=self.resource_kind.currentData()))
        self.resource_stage.activated.connect(lambda _i: self._save_resource(stage=self.resource_stage.currentData()))
        self.resource_status.activated.connect(
            lambda _i: self._save_resource(status=self.resource_status.currentData())
        )
        self.resource_label.editingFinished.connect(lambda: self._save_resource(label=self.resource_label.text()))
        self.resource_amount.editingFinished.connect(self._save_resource_amount)
        self.resource_rate.editingFinished.connect(self._save_resource_rate)
        self.by_amount.clicked.connect(self._switch_to_amount)
        self.by_rate.clicked.connect(self._switch_to_rate)
        self.resource_requested.editingFinished.connect(
            lambda: self._save_resource_date("requested_on", self.resource_requested)
        )
        self.resource_decided.editingFinished.connect(
            lambda: self._save_resource_date("decided_on", self.resource_decided)
        )
        self.resource_base.itemChanged.connect(self._save_base)
        select_all_on_focus(self.resource_amount, self.resource_rate)
        return tab

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
                cell(
                    funder_short_name(r.funder_code, self.view.funder_name(r.funder_code)) if r.funder_code else "—",
                    r.id,
                ),
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
            self.resource_funder.addItem(funder_label(funder.rule.code, funder.rule.name), funder.rule.code)
        self.resource_funder.addItem("— aucun (emprunt, autofinancement) —", "")
        self._reselect(self.resources, selected)
        self._fill_resource_form()

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
            bring_into_view(self.resource_box)
            self.resource_label.setFocus()
            self.resource_label.selectAll()
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

    def _save_funder(self) -> None:
        """A new funder, and the nature it implies (a loan for "EMPRUNT", a grant for a funder)."""
        code = self.resource_funder.currentData()
        kind = resource_kind_for(code)
        line = self.current_resource()
        if kind is not None and line is not None and line.resource.kind != kind:
            self._save_resource(funder_code=code, kind=kind)
        else:
            self._save_resource(funder_code=code)

    def _effective(self) -> tuple[int | None, int | None]:
        """The selected line's amount and rate as the plan computes them (whichever way it is given)."""
        line = self.current_resource()
        if line is None or self.view is None:
            return None, None
        result = next((r for s in self.view.analysis.stages for r in s.resources if r.id == line.resource.id), None)
        if result is None:
            return line.stored_amount_cents, line.resource.rate_bp
        return (
            result.amount_cents,
            line.resource.rate_bp if line.resource.rate_bp is not None else result.effective_rate_bp,
        )

    def _switch_to_amount(self) -> None:
        """From a rate to an amount: the amount the rate gave, never 0 €."""
        if self._loading:
            return
        if not self.resource_amount.text().strip():
            amount, _rate = self._effective()
            self.resource_amount.setText(euros_text(amount or 0))
        self._save_resource_amount()

    def _switch_to_rate(self) -> None:
        """From an amount to a rate: the rate the amount makes of its base, if known."""
        if self._loading:
            return
        if not self.resource_rate.text().strip():
            _amount, rate = self._effective()
            if rate:  # never « 0,00 », which typing would extend into « 0,0025 »
                self.resource_rate.setText(bp_text(rate).replace("\u00a0%", ""))
        self._save_resource_rate()

    def _save_resource_amount(self) -> None:
        if self._loading or not self.by_amount.isChecked():
            return
        try:
            cents = parse_cents(self.resource_amount.text() or "0")
        except ValidationError as exc:
            explain(self, TITLE, exc.message)
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
            explain(self, TITLE, exc.message)
            self._fill_resource_form()
            return
        self._save_resource(rate_bp=rate)

    def _save_resource_date(self, field: str, edit: QLineEdit) -> None:
        if self._loading:
            return
        try:
            value = parse_date(edit.text())
        except ValidationError as exc:
            explain(self, TITLE, exc.message)
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
