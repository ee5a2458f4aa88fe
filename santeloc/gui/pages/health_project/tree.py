"""Step 6, the priority → objective → action tree: building it, selecting in it, the small forms."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.formatting import plural
from santeloc.gui.ops import run_action
from santeloc.gui.pages.health_project.common import (
    ACTION,
    ALERT_COLOUR,
    MUTED_COLOUR,
    OBJECTIVE,
    PRIORITY,
    TITLE,
    TextEdit,
    number_text,
    wrapped,
    wrapping_tree,
)
from santeloc.gui.pages.health_project.host import Host
from santeloc.gui.widgets import sizes_when_shown
from santeloc.services import health_project as hp


class TreeMixin(Host):
    """The tree of priorities, objectives and actions and the priority/objective forms."""

    def _actions_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("actionsSplitter")
        splitter.setChildrenCollapsible(False)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        buttons = QGridLayout()
        buttons.setHorizontalSpacing(4)
        buttons.setVerticalSpacing(4)
        self.add_priority_button = QPushButton("Priorité…")
        self.add_priority_button.setToolTip("Ajouter une priorité librement rédigée")
        self.from_constats_button = QPushButton("Priorités des constats…")
        self.from_constats_button.setToolTip("Faire des constats du diagnostic (étapes 1 à 3) des priorités")
        self.add_objective_button = QPushButton("Objectif…")
        self.add_objective_button.setToolTip("Ajouter un objectif à la priorité sélectionnée")
        self.add_action_button = QPushButton("Fiche action…")
        self.add_action_button.setToolTip("Ajouter une fiche action vide à l'objectif sélectionné")
        self.from_lever_button = QPushButton("Fiche action d'un levier du guide…")
        self.from_lever_button.setToolTip("Partir d'un levier du guide : installation, MSP, télémédecine, transport…")
        self.up_button = QPushButton("▲ Monter")
        self.up_button.setToolTip("Monter la priorité ou l'objectif sélectionné")
        self.down_button = QPushButton("▼ Descendre")
        self.down_button.setToolTip("Descendre la priorité ou l'objectif sélectionné")
        self.delete_button = QPushButton("Supprimer")
        adds = QLabel("Ajouter :")
        adds.setStyleSheet(f"color: {MUTED_COLOUR};")
        buttons.addWidget(adds, 0, 0, 1, 2)
        buttons.addWidget(self.add_priority_button, 1, 0)
        buttons.addWidget(self.from_constats_button, 1, 1)
        buttons.addWidget(self.add_objective_button, 2, 0)
        buttons.addWidget(self.add_action_button, 2, 1)
        buttons.addWidget(self.from_lever_button, 3, 0, 1, 2)
        left_layout.addLayout(buttons)
        moves = QHBoxLayout()
        moves.setSpacing(4)
        moves.addWidget(self.up_button)
        moves.addWidget(self.down_button)
        moves.addStretch(1)
        moves.addWidget(self.delete_button)
        left_layout.addLayout(moves)

        left_split = QSplitter(Qt.Orientation.Vertical)
        self.tree = QTreeWidget()
        self.tree.setObjectName("projectTree")
        self.tree.setHeaderLabels(["Priorités › objectifs › fiches", "État"])
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        wrapping_tree(self.tree)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.empty_label = wrapped(
            "Aucune priorité. Partez des constats du diagnostic (« Priorités des constats… ») ou rédigez-en une ; "
            "ajoutez-lui des objectifs, puis les fiches action qui les servent."
        )
        self.empty_label.setStyleSheet(f"color: {MUTED_COLOUR};")
        tree_box = QWidget()
        tree_layout = QVBoxLayout(tree_box)
        tree_layout.setContentsMargins(0, 0, 0, 0)
        tree_layout.addWidget(self.empty_label)
        tree_layout.addWidget(self.tree, 1)
        left_split.addWidget(tree_box)

        findings_box = QWidget()
        findings_layout = QVBoxLayout(findings_box)
        findings_layout.setContentsMargins(0, 4, 0, 0)
        self.findings_title = wrapped("", "font-weight: 600;")
        self.findings_title.setObjectName("findingsTitle")
        findings_layout.addWidget(self.findings_title)
        self.findings_list = QListWidget()
        self.findings_list.setObjectName("findingsList")
        self.findings_list.setWordWrap(True)
        self.findings_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.findings_list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.findings_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.findings_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.findings_list.setSpacing(3)
        findings_layout.addWidget(self.findings_list)
        left_split.addWidget(findings_box)
        sizes_when_shown(left_split, [330, 220])
        left_layout.addWidget(left_split, 1)
        self.findings_box = findings_box

        self.detail_stack = QStackedWidget()
        self.detail_stack.setObjectName("detailStack")
        hint = wrapped(
            "Sélectionnez une priorité, un objectif ou une fiche action pour le modifier.\n\n"
            "Une fiche action dit ce qui sera fait, par qui (le pilote), avec qui, où, quand et avec quel budget, "
            "à quel constat du diagnostic elle répond, quel objectif du plan régional de santé elle sert et "
            "comment elle sera évaluée."
        )
        hint.setAlignment(Qt.AlignmentFlag.AlignTop)
        hint.setStyleSheet(f"color: {MUTED_COLOUR}; padding: 12px;")
        self.detail_stack.addWidget(hint)
        self.detail_stack.addWidget(self._priority_form())
        self.detail_stack.addWidget(self._objective_form())
        scroll = QScrollArea()
        self.action_scroll = scroll
        scroll.setObjectName("actionScroll")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self._action_form())
        self.detail_stack.addWidget(scroll)

        splitter.addWidget(left)
        splitter.addWidget(self.detail_stack)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        sizes_when_shown(splitter, [380, 600])  # the tree's long priority titles wrap on fewer lines
        layout.addWidget(splitter)

        self.add_priority_button.clicked.connect(self.ask_priority)
        self.from_constats_button.clicked.connect(self.ask_priorities_from_constats)
        self.add_objective_button.clicked.connect(self.ask_objective)
        self.add_action_button.clicked.connect(self.ask_action)
        self.from_lever_button.clicked.connect(self.ask_lever)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.delete_button.clicked.connect(self.delete_selected)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        return tab

    def _priority_form(self) -> QWidget:
        box = QGroupBox("Priorité sélectionnée")
        form = QFormLayout(box)
        self.priority_title = QLineEdit()
        self.priority_title.setObjectName("priorityTitle")
        self.priority_description = TextEdit(4)
        self.priority_description.setObjectName("priorityDescription")
        self.priority_description.setPlaceholderText("Ce que le diagnostic a montré, pourquoi c'est une priorité")
        self.priority_score = QLabel()
        self.priority_hint = wrapped("", f"color: {MUTED_COLOUR};")
        form.addRow("Intitulé", self.priority_title)
        form.addRow("Description", self.priority_description)
        form.addRow("Score du vote", self.priority_score)
        form.addRow(self.priority_hint)
        self.priority_title.editingFinished.connect(lambda: self._save_priority(title=self.priority_title.text()))
        self.priority_description.editingFinished.connect(
            lambda: self._save_priority(description=self.priority_description.toPlainText())
        )
        return box

    def _objective_form(self) -> QWidget:
        box = QGroupBox("Objectif sélectionné")
        form = QFormLayout(box)
        self.objective_title = QLineEdit()
        self.objective_title.setObjectName("objectiveTitle")
        self.objective_priority = QComboBox()
        self.objective_priority.setObjectName("objectivePriority")
        self.objective_hint = wrapped("", f"color: {MUTED_COLOUR};")
        form.addRow("Intitulé", self.objective_title)
        form.addRow("Priorité", self.objective_priority)
        form.addRow(self.objective_hint)
        self.objective_title.editingFinished.connect(self._save_objective_title)
        self.objective_priority.activated.connect(lambda _i: self._move_objective())
        return box

    def reload_tree(self, select: tuple[str, int] | None = None) -> None:
        """Re-read priorities and fiches action, rebuild the tree and keep (or set) the selection."""
        if self.project is None:
            return
        project_id = self._project_id()
        priorities = run_action(self, TITLE, lambda: hp.list_priorities(self.ctx.uow(), project_id))
        sheets = run_action(self, TITLE, lambda: hp.list_actions(self.ctx.uow(), project_id, self.ctx.refdata))
        if priorities is None or sheets is None:
            return
        self.priorities = priorities
        self.sheets = {s.id: s for s in sheets}
        wanted = select or self.selected()
        by_objective: dict[int, list[hp.ActionSheet]] = {}
        for sheet in sheets:
            by_objective.setdefault(sheet.objective_id, []).append(sheet)
        bold = QFont(self.tree.font())
        bold.setBold(True)
        with QSignalBlocker(self.tree):
            self.tree.clear()
            for priority in priorities:
                p_item = QTreeWidgetItem([priority.title, self._score_text(priority.score)])
                p_item.setData(0, Qt.ItemDataRole.UserRole, (PRIORITY, priority.id))
                p_item.setFont(0, bold)
                p_item.setToolTip(0, priority.description or priority.title)
                self.tree.addTopLevelItem(p_item)
                for objective in priority.objectives:
                    o_item = QTreeWidgetItem([objective.title, ""])
                    o_item.setData(0, Qt.ItemDataRole.UserRole, (OBJECTIVE, objective.id))
                    o_item.setToolTip(0, objective.title)
                    p_item.addChild(o_item)
                    for sheet in by_objective.get(objective.id, []):
                        a_item = QTreeWidgetItem(["", ""])
                        a_item.setData(0, Qt.ItemDataRole.UserRole, (ACTION, sheet.id))
                        self._decorate_action(a_item, sheet)
                        o_item.addChild(a_item)
            self.tree.expandAll()
        self.empty_label.setVisible(not priorities)
        self._fill_parent_combos()
        if wanted is not None and self._find_item(*wanted) is not None:
            self.select_item(*wanted)
        else:
            self._selection_changed()

    @staticmethod
    def _score_text(score: float | None) -> str:
        if score is None:
            return ""
        return f"{number_text(score)} pt" + ("s" if abs(score) >= 2 else "")

    def _decorate_action(self, item: QTreeWidgetItem, sheet: hp.ActionSheet) -> None:
        item.setText(0, sheet.title)
        alerts = len(sheet.alerts)
        state = sheet.status_label + (f" · ⚠ {alerts}" if alerts else "")
        item.setText(1, state)
        item.setForeground(1, QBrush(QColor(ALERT_COLOUR if alerts else MUTED_COLOUR)))
        tips = [sheet.title] + [f"• {f.message}" for f in sheet.alerts]
        item.setToolTip(0, "\n".join(tips))
        item.setToolTip(1, "\n".join(tips[1:]) or "Rien à corriger")

    def _find_item(self, kind: str, item_id: int) -> QTreeWidgetItem | None:
        iterator = QTreeWidgetItemIterator(self.tree)
        while iterator.value():
            item = iterator.value()
            if tuple(item.data(0, Qt.ItemDataRole.UserRole)) == (kind, item_id):
                return item
            iterator += 1
        return None

    def select_item(self, kind: str, item_id: int) -> None:
        """Select a priority, an objective or a fiche action in the tree."""
        item = self._find_item(kind, item_id)
        if item is not None:
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)
            self._selection_changed()

    def select_action(self, action_id: int) -> None:
        """Select a fiche action and show its form."""
        self.select_item(ACTION, action_id)

    def selected(self) -> tuple[str, int] | None:
        """(kind, id) of the item selected in the tree."""
        items = self.tree.selectedItems()
        if not items:
            return None
        kind, item_id = items[0].data(0, Qt.ItemDataRole.UserRole)
        return str(kind), int(item_id)

    def _priority_of(self, kind: str, item_id: int) -> int | None:
        if kind == PRIORITY:
            return item_id
        if kind == OBJECTIVE:
            return next((p.id for p in self.priorities for o in p.objectives if o.id == item_id), None)
        sheet = self.sheets.get(item_id)
        return sheet.priority_id if sheet else None

    def _objective_of(self, kind: str, item_id: int) -> int | None:
        if kind == OBJECTIVE:
            return item_id
        if kind == ACTION:
            sheet = self.sheets.get(item_id)
            return sheet.objective_id if sheet else None
        priority = next((p for p in self.priorities if p.id == item_id), None)
        return priority.objectives[0].id if priority and len(priority.objectives) == 1 else None

    def _objective_choices(self) -> list[tuple[int, str]]:
        # The objective first: a long priority title would otherwise push it out of the combo box.
        return [(o.id, f"{o.title} (priorité : {p.title})") for p in self.priorities for o in p.objectives]

    def _fill_parent_combos(self) -> None:
        with QSignalBlocker(self.action_parent), QSignalBlocker(self.objective_priority):
            self.action_parent.clear()
            for objective_id, label in self._objective_choices():
                self.action_parent.addItem(label, objective_id)
            self.objective_priority.clear()
            for priority in self.priorities:
                self.objective_priority.addItem(priority.title, priority.id)

    def _selection_changed(self) -> None:
        chosen = self.selected()
        kind = chosen[0] if chosen else None
        self.add_objective_button.setEnabled(bool(self.priorities))
        self.add_action_button.setEnabled(any(p.objectives for p in self.priorities))
        self.from_lever_button.setEnabled(any(p.objectives for p in self.priorities))
        self.delete_button.setEnabled(chosen is not None)
        self.up_button.setEnabled(kind in (PRIORITY, OBJECTIVE))
        self.down_button.setEnabled(kind in (PRIORITY, OBJECTIVE))
        self._loading = True
        try:
            if chosen is None:
                self.form_action_id = None
                self.detail_stack.setCurrentIndex(0)
                self._show_findings(None)
            elif kind == PRIORITY:
                self.form_action_id = None
                self._fill_priority_form(chosen[1])
                self.detail_stack.setCurrentIndex(1)
                self._show_findings(None)
            elif kind == OBJECTIVE:
                self.form_action_id = None
                self._fill_objective_form(chosen[1])
                self.detail_stack.setCurrentIndex(2)
                self._show_findings(None)
            else:
                if self.form_action_id != chosen[1]:
                    self.action_scroll.verticalScrollBar().setValue(0)
                self.form_action_id = chosen[1]
                self.fill_action_form()
                self.detail_stack.setCurrentIndex(3)
        finally:
            self._loading = False

    def _fill_priority_form(self, priority_id: int) -> None:
        priority = next((p for p in self.priorities if p.id == priority_id), None)
        if priority is None:
            return
        self.priority_title.setText(priority.title)
        self.priority_description.set_text(priority.description)
        self.priority_score.setText(self._score_text(priority.score) or "pas de vote enregistré")
        count = len(priority.objectives)
        self.priority_hint.setText(
            f"{plural(count, 'objectif')} sous cette priorité. Ajoutez-en avec « Objectif… » ; l'ordre des "
            "priorités (▲ ▼) est celui du projet de santé."
        )

    def _fill_objective_form(self, objective_id: int) -> None:
        for priority in self.priorities:
            for objective in priority.objectives:
                if objective.id == objective_id:
                    self.objective_title.setText(objective.title)
                    self.objective_priority.setCurrentIndex(self.objective_priority.findData(priority.id))
                    self.objective_hint.setText(
                        f"{plural(objective.action_count, 'fiche action', 'fiches action')} sert cet objectif. "
                        "Changer de priorité déplace l'objectif avec ses fiches."
                        if objective.action_count < 2
                        else f"{plural(objective.action_count, 'fiche action', 'fiches action')} servent cet "
                        "objectif. Changer de priorité déplace l'objectif avec ses fiches."
                    )
                    return

    def _after_change(self, select: tuple[str, int] | None = None) -> None:
        self.reload_tree(select)
        self.ctx.saved.emit("Enregistré")
