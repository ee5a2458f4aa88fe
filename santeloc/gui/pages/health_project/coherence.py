"""Step 6: coherence of the actions with a regional plan."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from santeloc.gui.ops import attempt, run_action
from santeloc.gui.pages.base import cell
from santeloc.gui.pages.health_project.common import (
    ALERT_COLOUR,
    INFO_COLOUR,
    MUTED_COLOUR,
    OK_COLOUR,
    TITLE,
    wrapped,
)
from santeloc.gui.pages.health_project.host import Host
from santeloc.gui.widgets import sizes_when_shown
from santeloc.services import health_project as hp
from santeloc.services.coherence import CoherenceTable, coherence_table


class CoherenceMixin(Host):
    """The coherence tab."""

    def _coherence_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        row = QHBoxLayout()
        row.addWidget(QLabel("Plan régional :"))
        self.coherence_pack_combo = QComboBox()
        self.coherence_pack_combo.setObjectName("coherencePackCombo")
        row.addWidget(self.coherence_pack_combo, 1)
        self.retain_pack_button = QPushButton("Retenir pour le projet")
        self.retain_pack_button.setObjectName("retainPackButton")
        self.retain_pack_button.setToolTip("Faire de ce plan celui auquel se réfèrent les fiches action du projet")
        row.addWidget(self.retain_pack_button)
        layout.addLayout(row)
        self.coherence_summary = wrapped("")
        self.coherence_summary.setObjectName("coherenceSummary")
        self.coherence_summary.setStyleSheet("background: #eef2f0; padding: 6px; border-radius: 4px;")
        layout.addWidget(self.coherence_summary)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.coherence_grid = QTableWidget()
        self.coherence_grid.setObjectName("coherenceTable")
        self.coherence_grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.coherence_grid.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.coherence_grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.coherence_grid.verticalHeader().setMaximumWidth(260)
        self.coherence_grid.verticalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        splitter.addWidget(self.coherence_grid)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        uncovered = QWidget()
        uncovered_layout = QVBoxLayout(uncovered)
        uncovered_layout.setContentsMargins(0, 0, 0, 0)
        self.uncovered_title = wrapped("<b>Objectifs du plan qu'aucune action ne couvre</b>")
        uncovered_layout.addWidget(self.uncovered_title)
        self.uncovered_list = QListWidget()
        self.uncovered_list.setObjectName("uncoveredList")
        self.uncovered_list.setWordWrap(True)
        self.uncovered_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.uncovered_list.setSpacing(2)
        self.uncovered_list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.uncovered_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        uncovered_layout.addWidget(self.uncovered_list)
        outside = QWidget()
        outside_layout = QVBoxLayout(outside)
        outside_layout.setContentsMargins(0, 0, 0, 0)
        outside_layout.addWidget(wrapped("<b>Actions hors du plan ou reliées à un niveau trop général</b>"))
        self.outside_list = QListWidget()
        self.outside_list.setObjectName("outsideList")
        self.outside_list.setWordWrap(True)
        self.outside_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.outside_list.setSpacing(2)
        self.outside_list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.outside_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outside_layout.addWidget(self.outside_list)
        bottom.addWidget(uncovered)
        bottom.addWidget(outside)
        splitter.addWidget(bottom)
        sizes_when_shown(splitter, [260, 240])
        layout.addWidget(splitter, 1)
        self.coherence_pack_combo.activated.connect(
            lambda _i: self.show_coherence(self.coherence_pack_combo.currentData())
        )
        self.retain_pack_button.clicked.connect(lambda: self.retain_pack(self.coherence_pack_combo.currentData()))
        return tab

    def show_coherence(self, pack_key: str | None = None) -> CoherenceTable | None:
        """The fiches action × the operational objectives of a plan (the project's by default)."""
        if self.project is None:
            return None
        project_id = self._project_id()
        if pack_key is not None:
            index = self.coherence_pack_combo.findData(pack_key)
            if index >= 0:
                self.coherence_pack_combo.setCurrentIndex(index)
        key = pack_key or None
        table = run_action(
            self, TITLE, lambda: coherence_table(self.ctx.uow(), project_id, pack_key=key, refdata=self.ctx.refdata)
        )
        if table is None:
            return None
        self.coherence = table
        self.retain_pack_button.setEnabled(table.pack is not None and table.pack.key != self.project_pack_key)
        summary = table.summary()
        if table.pack is None and self.region_codes:
            summary = (
                f"Aucun plan régional de la région {self.region_names} n'est fourni avec santeloc : chaque action "
                "doit porter une justification. Les plans d'autres régions, dans la liste, ne servent qu'à comparer."
            )
        if table.pack is not None and self.region_codes and table.pack.region_code not in self.region_codes:
            summary += (
                f" Ce plan concerne la région {table.pack.region_name}, pas celle du territoire "
                f"({self.region_names}) : il ne sert qu'à comparer."
            )
        self.coherence_summary.setText(summary)
        grid = self.coherence_grid
        grid.clear()
        grid.setColumnCount(len(table.objectives))
        grid.setRowCount(len(table.actions))
        for column, objective in enumerate(table.objectives):
            header = QTableWidgetItem(objective.code)
            header.setToolTip(
                f"{objective.level_label} {objective.code} : {objective.title}"
                + (f"\n{objective.parent_title}" if objective.parent_title else "")
            )
            grid.setHorizontalHeaderItem(column, header)
        matrix = table.matrix()
        for row, action in enumerate(table.actions):
            header = QTableWidgetItem(action.title if len(action.title) <= 40 else action.title[:39] + "…")
            header.setToolTip(f"{action.title}\n{action.priority_title} › {action.objective_title}")
            grid.setVerticalHeaderItem(row, header)
            for column, covered in enumerate(matrix[row]):
                item = cell("✓" if covered else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if covered:
                    item.setBackground(QBrush(QColor("#d4ebe3")))
                    item.setForeground(QBrush(QColor(OK_COLOUR)))
                    item.setToolTip(f"« {action.title} » sert {table.objectives[column].code}")
                grid.setItem(row, column, item)
        grid.resizeColumnsToContents()
        self.uncovered_list.clear()
        counts = f" ({len(table.uncovered)} sur {len(table.objectives)})" if table.pack is not None else ""
        self.uncovered_title.setText(f"<b>Objectifs du plan qu'aucune action ne couvre{counts}</b>")
        for objective in table.uncovered:
            entry = QListWidgetItem(f"{objective.code} — {objective.title}")
            entry.setData(Qt.ItemDataRole.UserRole, objective.code)
            entry.setToolTip(objective.parent_title)
            self.uncovered_list.addItem(entry)
        if table.pack is None:
            self.uncovered_list.addItem(
                f"Aucun plan de la région {self.region_names} : pas d'objectifs régionaux à couvrir."
                if self.region_codes
                else "Aucun plan régional : choisissez les communes du territoire à l'étape 0."
            )
        self.outside_list.clear()
        for action in table.outside_plan:
            if action.justified:
                text, colour = f"{action.title} — hors plan, justifiée : {action.justification}", MUTED_COLOUR
            else:
                text, colour = f"{action.title} — hors plan, sans justification", ALERT_COLOUR
            if action.other_links:
                text += f" (cite un autre plan : {', '.join(action.other_links)})"
            entry = QListWidgetItem(text)
            entry.setForeground(QBrush(QColor(colour)))
            entry.setData(Qt.ItemDataRole.UserRole, action.action_id)
            self.outside_list.addItem(entry)
        for action in table.too_general:
            entry = QListWidgetItem(
                f"{action.title} — reliée seulement à {', '.join(action.general_codes)}, un niveau trop général : "
                f"précisez l'{table.level_label.lower()}"
            )
            entry.setForeground(QBrush(QColor(INFO_COLOUR)))
            entry.setData(Qt.ItemDataRole.UserRole, action.action_id)
            self.outside_list.addItem(entry)
        if not table.outside_plan and not table.too_general:
            entry = QListWidgetItem(
                "Toutes les actions sont reliées à un objectif opérationnel du plan."
                if table.actions
                else "Aucune fiche action pour l'instant."
            )
            entry.setForeground(QBrush(QColor(OK_COLOUR if table.actions else MUTED_COLOUR)))
            self.outside_list.addItem(entry)
        return table

    def retain_pack(self, pack_key: str | None) -> bool:
        """Make a plan of the territory's région the project's plan."""
        if self.project is None or not pack_key:
            return False
        project_id = self._project_id()
        done = attempt(self, TITLE, lambda: hp.choose_plan_pack(self.ctx.uow(), project_id, pack_key, self.ctx.refdata))
        if done:
            self._read_context()
            self.reload_tree()
            self.show_coherence(pack_key)
            self.ctx.saved.emit("Plan régional retenu")
        return done
