"""Step 7: scenarios (plan copies) and funders."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QInputDialog,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain import financing as rules
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_date, parse_cents, parse_date, parse_percent_bp
from santeloc.gui.ops import attempt, confirm, explain, run_action
from santeloc.gui.pages.base import cell, check_cell, header_tips
from santeloc.gui.pages.financing.common import (
    TITLE,
    bp_text,
    euros_text,
    stages_from_text,
)
from santeloc.gui.pages.financing.host import Host
from santeloc.gui.widgets import names_get_width, wrapped_rows
from santeloc.services import financing as svc


class ScenariosMixin(Host):
    """The scenarios and funders tabs."""

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
        self.funders = QTableWidget(0, 13)
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
                "État",
                "Note pour vous (jamais imprimée)",
                "Mention pour le financeur (imprimée)",
                "Pièces à joindre (séparées par ;)",
                "Source",
                "Date",
            ]
        )
        header_tips(self.funders, {
            11: "Texte d'où viennent le taux maximal et le plafond (appel à projets, règlement…)", 12: "Date de ce texte"
        })  # fmt: skip
        names_get_width(self.funders, name_column=9, name_minimum=120)  # the printed mention takes what is left
        wrapped_rows(self.funders, max_lines=3)  # a long list of attachments no longer fills the screen
        self.funders.verticalHeader().setVisible(False)
        self.funders.itemChanged.connect(self._funder_edited)
        layout.addWidget(self.funders, 1)
        return tab

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
                check_cell(rule.is_state, funder.id),
                cell(rule.conditions, funder.id, editable=True),
                cell(rule.mention, funder.id, editable=True),
                cell(" ; ".join(rule.attachment_list), funder.id, editable=True),
                cell(rule.rule_source, funder.id, editable=True),
                cell(format_date(rule.rule_date) if rule.rule_date else "", funder.id, editable=True),
            )
            for column, item in enumerate(values):
                self.funders.setItem(row, column, item)
        self.funders.resizeRowsToContents()
        self.funders.blockSignals(False)

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
            elif item.column() == 8:
                change = {"conditions": text}
            elif item.column() == 9:
                change = {"mention": text}
            elif item.column() == 10:
                change = {"attachments": "\n".join(p.strip() for p in text.split(";") if p.strip())}
            elif item.column() == 11:
                change = {"rule_source": text}
            elif item.column() == 12:
                change = {"rule_date": parse_date(text) if text else None}
            elif item.column() in (2, 6, 7):
                key = {2: "is_public", 6: "counts_ttc", 7: "is_state"}[item.column()]
                change = {key: item.checkState() == Qt.CheckState.Checked}
            elif item.column() == 5:
                change = {"eligible_stages": stages_from_text(text)}
            else:
                return
        except ValidationError as exc:
            explain(self, TITLE, exc.message)
            self._fill_funders()
            return
        seen = next((f.version for f in (self.view.funders if self.view else ()) if f.id == funder_id), None)
        if attempt(self, TITLE, lambda: svc.update_funder(self.ctx.uow(), funder_id, seen, **change)):  # stale: refused
            self.reload()
        else:
            self._fill_funders()

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

        confirm(
            self,
            "Supprimer le scénario",
            f"Supprimer le scénario « {plan.name} » et toutes ses lignes ?",
            "Supprimer",
            delete,
        )
