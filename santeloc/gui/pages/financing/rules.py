"""Step 7: the balance and the live funding rules."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.formatting import format_cents
from santeloc.exports.financing_charts import resources_by_stage
from santeloc.gui.map_canvas import FigureView
from santeloc.gui.pages.base import cell
from santeloc.gui.pages.financing.common import (
    SEVERITY,
    bp_text,
    table,
)
from santeloc.gui.pages.financing.host import Host
from santeloc.gui.widgets import names_get_width


class RulesMixin(Host):
    """The summary and the balance tab (rules checked live)."""

    def _balance_tab(self) -> QWidget:
        tab = QWidget()
        layout = QHBoxLayout(tab)
        left = QVBoxLayout()
        self.stages = table(["Étape", "Dépenses", "Ressources", "Solde", "Financement public", "Part du porteur¹"], 0)
        self.stages.setObjectName("stagesTable")
        names_get_width(self.stages, name_minimum=100)
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
        layout.addLayout(left, 2)  # the figures first: amounts are never cut, the chart adapts
        self.plan_chart = FigureView()
        self.plan_chart.setObjectName("planChart")
        layout.addWidget(self.plan_chart, 1)
        return tab

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
        self.plan_chart.show_figure(lambda: resources_by_stage(analysis))
