"""Step 5: the summary of the mobilisation."""

from __future__ import annotations

import textwrap

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.formatting import format_int, plural
from santeloc.gui.ops import run_action
from santeloc.gui.pages.base import cell as item
from santeloc.gui.pages.base import wrapped
from santeloc.gui.pages.mobilisation.common import (
    MISSING_STYLE,
    REACHED_STYLE,
    TITLE,
)
from santeloc.gui.pages.mobilisation.host import Host
from santeloc.gui.widgets import names_get_width
from santeloc.services import mobilisation as svc


class SummaryMixin(Host):
    """The summary tab."""

    def _summary_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.msp_label = wrapped("")
        self.msp_label.setObjectName("mspSentence")
        font = QFont(self.msp_label.font())
        font.setPointSizeF(max(font.pointSizeF(), 10) * 1.45)
        font.setBold(True)
        self.msp_label.setFont(font)
        layout.addWidget(self.msp_label)
        self.counts_label = wrapped("")
        self.counts_label.setObjectName("summaryCounts")
        layout.addWidget(self.counts_label)
        self.leaders_label = wrapped("")
        self.leaders_label.setObjectName("leadersLabel")
        layout.addWidget(self.leaders_label)
        self.summary_table = QTableWidget(0, 0)
        self.summary_table.setObjectName("summaryTable")
        self.summary_table.verticalHeader().setVisible(False)
        self.summary_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary_table.setAlternatingRowColors(True)
        layout.addWidget(self.summary_table, 1)
        layout.addWidget(
            wrapped(
                "Sont comptés comme engagés les professionnels qui ont envoyé une lettre d'intention ou signé le "
                "projet de santé. Minimum d'une maison de santé pluriprofessionnelle : 2 médecins généralistes et "
                "1 professionnel paramédical.",
                hint=True,
            )
        )
        return tab

    def refresh_summary(self) -> None:
        """Counts by profession and status, leaders, and the MSP minimum."""
        if self.project is None:
            return
        summary = run_action(self, TITLE, lambda: svc.mobilisation_summary(self.ctx.uow(), self._project_id()))
        if summary is None:
            return
        self.summary = summary
        self.msp_label.setText(summary.sentence)
        self.msp_label.setStyleSheet(
            f"QLabel {{ {REACHED_STYLE if summary.reaches_msp_minimum else MISSING_STYLE} "
            "padding: 12px; border-radius: 6px; }"
        )
        self.counts_label.setText(
            f"{plural(summary.total, 'professionnel recensé', 'professionnels recensés')} au registre, dont "
            f"<b>{plural(summary.committed, 'engagé', 'engagés')}</b> (lettre d'intention ou signature du projet "
            "de santé)."
        )
        if summary.leaders:
            self.leaders_label.setText("<b>Leaders</b> : " + ", ".join(summary.leaders) + ".")
        else:
            self.leaders_label.setText(
                "<b>Aucun leader identifié</b> : un ou deux professionnels moteurs, reconnus de leurs confrères, "
                "sont la clé de la réussite du projet."
            )
        statuses = summary.statuses
        headers = [
            "Profession",
            "Recensés",
            *[textwrap.fill(label, 14) for _s, label in statuses],
            "Engagés",
            "Leaders",
        ]
        table = self.summary_table
        table.clear()
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setRowCount(len(summary.professions) + 1)
        lines: list[tuple[str, int, list[int], int, int]] = [
            (p.plural_label, p.total, [p.by_status.get(s, 0) for s, _l in statuses], p.committed, p.leaders)
            for p in summary.professions
        ]
        lines.append(
            (
                "Ensemble",
                summary.total,
                [sum(p.by_status.get(s, 0) for p in summary.professions) for s, _l in statuses],
                summary.committed,
                len(summary.leaders),
            )
        )
        bold = QFont(table.font())
        bold.setBold(True)
        for index, (label, total, counts, committed, leaders) in enumerate(lines):
            values = [label, format_int(total), *[format_int(c) if c else "" for c in counts], format_int(committed)]
            values.append(format_int(leaders) if leaders else "")
            for column, text in enumerate(values):
                cell = item(text, right=column > 0)
                if index == len(lines) - 1 or column == len(values) - 2:
                    cell.setFont(bold)
                table.setItem(index, column, cell)
        names_get_width(table)
