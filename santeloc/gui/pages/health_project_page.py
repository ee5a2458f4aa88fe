"""Step 6 — Priorités et projet de santé: priorities, objectives and fiches action, the projet de
santé text, the timeline of the actions, their coherence with the regional plan, and the live
readiness checklist for the ARS and the ACI socle.

Every field is saved as soon as it is left (texts of the projet de santé also after a short
pause); a fiche action is always saved as a draft, and what is missing or inconsistent is shown
in red (alerts) or orange (advice) next to its form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSignalBlocker, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFocusEvent, QFont, QFontMetrics, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLayout,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QTreeView,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.errors import ConflictError, DomainError, NotFoundError, ValidationError
from santeloc.domain.formatting import format_date, format_decimal, format_int, parse_cents, plural
from santeloc.domain.indicators import parse_french_number
from santeloc.domain.levers import FAMILIES, LEVERS, LEVERS_BY_KEY, Lever, plain_text
from santeloc.exports.gantt import gantt_chart
from santeloc.gui.context import AppContext, DataKind
from santeloc.gui.map_canvas import FigureView
from santeloc.gui.ops import attempt, confirm, run_action, show_message
from santeloc.gui.pages.base import StepPage, cell
from santeloc.gui.widgets import tidy_combo
from santeloc.refdata.prs import PlanObjective, PlanPack
from santeloc.services import health_project as hp
from santeloc.services import indicators as indicators_svc
from santeloc.services import offer as offer_svc
from santeloc.services.coherence import CoherenceTable, coherence_table
from santeloc.services.projects import ProjectInfo, get_project
from santeloc.services.territory import territory_summary
from santeloc.workflow.readiness import Readiness, ReadinessItem, readiness_checklist
from santeloc.workflow.steps import StepId

TITLE = "Priorités et projet de santé"
PRIORITY, OBJECTIVE, ACTION = "priority", "objective", "action"
ALERT_COLOUR, INFO_COLOUR, OK_COLOUR, MUTED_COLOUR = "#a93226", "#b9770e", "#2e7d6b", "#4d5c57"
SEVERITY = {hp.ALERTE: ("Alerte", ALERT_COLOUR), hp.INFO: ("À compléter", INFO_COLOUR)}
TAB_ACTIONS, TAB_TEXT, TAB_GANTT, TAB_COHERENCE, TAB_READY = range(5)
SIGNATORIES = "signataires"
INDICATOR_COLUMNS = ["Indicateur", "Unité", "Réf.", "Année", "Cible", "Année", "Source"]
INDICATOR_TIPS = [
    "Libellé de l'indicateur d'évaluation",
    "Unité (nombre, %, jours, pour 10 000 habitants…)",
    "Valeur de référence (point de départ)",
    "Année de la valeur de référence",
    "Valeur cible",
    "Année de la cible (après celle de la référence)",
    "Source des données (RPPS, CPAM, registre de la structure…)",
]
SECTION_AUTOSAVE_MS = 800
_CODE_IN_PARENS = re.compile(r"\(\s*(\w{5})\s*\)\s*$")


# --- small helpers ---------------------------------------------------------------------------


def parse_day(text: str, what: str) -> date | None:
    """``jj/mm/aaaa`` → date; empty → None; otherwise a French ValidationError naming ``what``."""
    value = text.strip()
    if not value:
        return None
    try:
        return datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        raise ValidationError(f"{what} : « {value} » n'est pas une date au format jj/mm/aaaa.") from None


def parse_year(text: str, what: str) -> int | None:
    """A year typed in a cell; empty → None."""
    value = text.strip()
    if not value:
        return None
    if not value.isdigit():
        raise ValidationError(f"{what} : « {value} » n'est pas une année (par exemple 2027).")
    return int(value)


def number_text(value: float | None) -> str:
    """A value the French way, with the decimals it has (up to 2)."""
    if value is None:
        return ""
    if float(value).is_integer():
        return format_int(int(value))
    return format_decimal(value, 2).rstrip("0").rstrip(",")


def euros_text(cents: int | None) -> str:
    """Cents as euros for an input field (``12 500`` or ``12 500,50``), or empty."""
    if cents is None:
        return ""
    return format_decimal(Decimal(cents) / 100, 2).removesuffix(",00")


def wrapped(text: str, style: str = "") -> QLabel:
    """A word-wrapped label (long French sentences must never widen the page)."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.AutoText)
    if style:
        label.setStyleSheet(style)
    return label


def clear_layout(layout: QLayout) -> None:
    """Remove and delete every widget and sub-layout of ``layout``."""
    while layout.count():
        child = layout.takeAt(0)
        if child is None:
            break
        widget = child.widget()
        sub = child.layout()
        if widget is not None:
            widget.setParent(None)
            widget.deleteLater()
        elif sub is not None:
            clear_layout(sub)


def edit_table(columns: list[str], stretch: Sequence[int], object_name: str) -> QTableWidget:
    """An editable table of a fiche's lines (partners, milestones, indicators)."""
    table = QTableWidget(0, len(columns))
    table.setObjectName(object_name)
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    table.setMinimumHeight(96)
    table.setWordWrap(True)
    # Queued: the new column widths are known only once the header has finished resizing.
    header.sectionResized.connect(lambda *_a: QTimer.singleShot(0, table.resizeRowsToContents))
    return table


class TextEdit(QPlainTextEdit):
    """A plain-text editor that says when it is left (like ``QLineEdit.editingFinished``)."""

    editingFinished = Signal()  # noqa: N815 (Qt naming)

    def __init__(self, lines: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        height = self.fontMetrics().lineSpacing() * lines + 14
        self.setMinimumHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_text(self, text: str) -> None:
        """Show ``text`` without announcing an edit."""
        with QSignalBlocker(self):
            self.setPlainText(text)
        self.document().setModified(False)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        hint = super().sizeHint()
        if self.sizePolicy().verticalPolicy() != QSizePolicy.Policy.Expanding:
            hint.setHeight(self.minimumHeight())
        return hint

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        super().focusOutEvent(event)
        self.editingFinished.emit()


class WrapDelegate(QStyledItemDelegate):
    """Row heights that follow the column width, so that long titles wrap instead of being cut."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        base = super().sizeHint(option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        width = self.view.columnWidth(index.column()) - 10
        if index.column() == 0:
            depth = 0
            parent = index.parent()
            while parent.isValid():
                depth += 1
                parent = parent.parent()
            width -= self.view.indentation() * (depth + (1 if self.view.rootIsDecorated() else 0))
        if opt.features & QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator:
            width -= 24
        if width <= 40 or not opt.text:
            return base
        bounds = QFontMetrics(opt.font).boundingRect(
            QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), opt.text
        )
        return QSize(base.width(), max(base.height(), bounds.height() + 6))


def wrapping_tree(tree: QTreeWidget) -> QTreeWidget:
    """Make a tree wrap its long titles (row heights follow the column width)."""
    tree.setWordWrap(True)
    tree.setUniformRowHeights(False)
    tree.setTextElideMode(Qt.TextElideMode.ElideNone)
    tree.setItemDelegate(WrapDelegate(tree))
    tree.header().sectionResized.connect(lambda *_a: tree.doItemsLayout())
    return tree


style_combo = tidy_combo  # long labels must not widen the page


# --- dialogs ---------------------------------------------------------------------------------


class ConstatsDialog(QDialog):
    """Choose the constats of the diagnostic that become priorities."""

    def __init__(self, constats: Sequence[indicators_svc.ConstatRow], taken: set[str], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("constatsDialog")
        self.setWindowTitle("Priorités à partir des constats")
        self.resize(620, 460)
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped(
                "Cochez les constats du diagnostic (étapes 1 à 3) qui deviennent des priorités du projet. Leur "
                "commentaire devient la description de la priorité ; vous pourrez les renommer et les classer ensuite."
            )
        )
        self.list = QListWidget()
        self.list.setObjectName("constatsChoice")
        self.list.setWordWrap(True)
        for constat in constats:
            already = plain_text(constat.title) in taken
            text = constat.title + (" — déjà une priorité" if already else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, constat.id)
            item.setToolTip(constat.comment or constat.title)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            if already:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(item)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("Créer les priorités", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> list[int]:
        """Ids of the constats checked."""
        return [
            int(self.list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]


class LeverDialog(QDialog):
    """The guide's levers, by family: choose one to start a fiche action with its defaults."""

    def __init__(
        self, objectives: Sequence[tuple[int, str]], current: int | None, has_plan: bool, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setObjectName("leverDialog")
        self.setWindowTitle("Catalogue des leviers du guide")
        self.resize(820, 600)
        layout = QVBoxLayout(self)
        layout.addWidget(
            wrapped(
                "Les leviers que le guide propose aux élus pour consolider l'offre de santé. La fiche action créée "
                "reprend l'objectif, le public, les partenaires habituels, une durée et des indicateurs à compléter."
            )
        )
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.tree = QTreeWidget()
        self.tree.setObjectName("leverTree")
        self.tree.setHeaderHidden(True)
        wrapping_tree(self.tree)
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for family, label in FAMILIES:
            parent_item = QTreeWidgetItem([label])
            parent_item.setFont(0, bold)
            parent_item.setFlags(parent_item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            for lever in (lv for lv in LEVERS if lv.family == family):
                child = QTreeWidgetItem([lever.title])
                child.setData(0, Qt.ItemDataRole.UserRole, lever.key)
                child.setToolTip(0, lever.summary)
                parent_item.addChild(child)
            self.tree.addTopLevelItem(parent_item)
        self.tree.expandAll()
        self.detail = QTextBrowser()
        self.detail.setObjectName("leverDetail")
        splitter.addWidget(self.tree)
        splitter.addWidget(self.detail)
        splitter.setSizes([360, 440])
        layout.addWidget(splitter, 1)
        form = QFormLayout()
        self.objective_combo = style_combo(QComboBox())
        for objective_id, label in objectives:
            self.objective_combo.addItem(label, objective_id)
        if current is not None:
            self.objective_combo.setCurrentIndex(max(0, self.objective_combo.findData(current)))
        self.start_edit = QLineEdit()
        self.start_edit.setPlaceholderText("jj/mm/aaaa (facultatif : la fin suit la durée du levier)")
        self.link_check = QCheckBox("Relier la fiche aux objectifs du plan régional qui lui correspondent (à vérifier)")
        self.link_check.setEnabled(has_plan)
        if not has_plan:
            self.link_check.setToolTip("Aucun plan régional n'est disponible pour le territoire du projet.")
        form.addRow("Sous l'objectif", self.objective_combo)
        form.addRow("Début de l'action", self.start_edit)
        form.addRow(self.link_check)
        layout.addLayout(form)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("Ajouter la fiche action", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.tree.currentItemChanged.connect(lambda *_a: self._show_detail())
        self.ok_button.setEnabled(False)

    def select(self, key: str) -> None:
        """Select a lever by key."""
        iterator = QTreeWidgetItemIterator(self.tree)
        while iterator.value():
            item = iterator.value()
            if item.data(0, Qt.ItemDataRole.UserRole) == key:
                self.tree.setCurrentItem(item)
                return
            iterator += 1

    def chosen(self) -> Lever | None:
        """The lever selected."""
        item = self.tree.currentItem()
        key = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return LEVERS_BY_KEY.get(key) if key else None

    def _show_detail(self) -> None:
        lever = self.chosen()
        self.ok_button.setEnabled(lever is not None)
        if lever is None:
            self.detail.clear()
            return
        partners = "".join(f"<li>{p.line}</li>" for p in lever.partners)
        indicators = "".join(f"<li>{i.label} ({i.unit})</li>" for i in lever.indicators)
        years = lever.duration_months / 12
        duration = plural(lever.duration_months, "mois", "mois")
        if years.is_integer():
            duration += f" ({plural(int(years), 'an')})"
        html = (
            f"<h3>{lever.title}</h3><p>{lever.summary}</p>"
            f"<p><b>Objectif :</b> {lever.objective}</p><p><b>Public :</b> {lever.target_public}</p>"
            f"<p><b>Partenaires habituels :</b></p><ul>{partners}</ul>"
            f"<p><b>Durée proposée :</b> {duration}</p>"
            f"<p><b>Indicateurs à renseigner :</b></p><ul>{indicators}</ul>"
        )
        if lever.example:
            html += f"<p><i>Exemple cité par le guide : {lever.example}</i></p>"
        self.detail.setHtml(html)


# --- the page --------------------------------------------------------------------------------


class HealthProjectPage(StepPage):
    """The page of step 6.

    ``navigate(step)`` asks the workspace to show another step (from the readiness checklist
    or the list of signatories).
    """

    changed = Signal()
    navigate = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.priorities: list[hp.PriorityRow] = []
        self.sheets: dict[int, hp.ActionSheet] = {}
        self.constats: list[indicators_svc.ConstatRow] = []
        self.team: list[hp.TeamMember] = []
        self.packs: dict[str, PlanPack] = {}
        self.region_packs: list[str] = []
        self.region_codes: set[str] = set()
        self.project_pack_key: str | None = None
        self.region_names = ""
        self.sections: dict[str, str] = {}
        self.defaults: dict[str, str] = {}
        self.coherence: CoherenceTable | None = None
        self.readiness: Readiness | None = None
        self.readiness_buttons: dict[str, QPushButton] = {}
        self.form_action_id: int | None = None
        self.dialog: QDialog | None = None
        self._loading = False
        self._stale = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("healthProjectTabs")
        self.tabs.addTab(self._actions_tab(), "Priorités et actions")
        self.tabs.addTab(self._sections_tab(), "Projet de santé")
        self.tabs.addTab(self._gantt_tab(), "Calendrier")
        self.tabs.addTab(self._coherence_tab(), "Cohérence avec le PRS")
        self.tabs.addTab(self._readiness_tab(), "Prêt pour l'ARS ?")
        self.tabs.currentChanged.connect(self._tab_changed)
        layout.addWidget(self.tabs)
        for combo in self.findChildren(QComboBox):
            style_combo(combo)
        ctx.data_changed.connect(self._on_data_changed)

    # === building: priorities and actions ========================================================

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
        left_split.setSizes([330, 220])
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
        splitter.setSizes([380, 600])  # the tree's long priority titles wrap on fewer lines
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

    def _action_form(self) -> QWidget:
        form_widget = QWidget()
        form_widget.setObjectName("actionForm")
        outer = QVBoxLayout(form_widget)
        outer.setContentsMargins(0, 0, 4, 0)

        main = QGroupBox("Fiche action")
        form = QFormLayout(main)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.action_title = QLineEdit()
        self.action_title.setObjectName("actionTitle")
        self.action_parent = QComboBox()
        self.action_parent.setObjectName("actionParent")
        self.action_objective = TextEdit(2)
        self.action_objective.setObjectName("actionObjective")
        self.action_objective.setPlaceholderText(
            "Ce que l'action doit changer pour les habitants ou les professionnels"
        )
        self.action_description = TextEdit(3)
        self.action_description.setObjectName("actionDescription")
        self.action_description.setPlaceholderText("Contenu de l'action, étapes, moyens")
        self.target_public = TextEdit(2)
        self.target_public.setObjectName("targetPublic")
        self.pilot_edit = QLineEdit()
        self.pilot_edit.setObjectName("pilotEdit")
        self.pilot_edit.setPlaceholderText("Personne ou structure qui conduit l'action et en rend compte")
        self.pilot_completer = QCompleter([], self.pilot_edit)
        self.pilot_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.pilot_edit.setCompleter(self.pilot_completer)
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("statusCombo")
        for key, label in hp.ACTION_STATUSES:
            self.status_combo.addItem(label, key)
        self.budget_edit = QLineEdit()
        self.budget_edit.setObjectName("budgetEdit")
        self.budget_edit.setPlaceholderText("coût total en euros, ex. 45 000")
        dates = QHBoxLayout()
        self.start_edit = QLineEdit()
        self.start_edit.setObjectName("startEdit")
        self.start_edit.setPlaceholderText("jj/mm/aaaa")
        self.end_edit = QLineEdit()
        self.end_edit.setObjectName("endEdit")
        self.end_edit.setPlaceholderText("jj/mm/aaaa")
        dates.addWidget(QLabel("du"))
        dates.addWidget(self.start_edit, 1)
        dates.addWidget(QLabel("au"))
        dates.addWidget(self.end_edit, 1)
        self.communes_edit = QLineEdit()
        self.communes_edit.setObjectName("communesEdit")
        self.communes_edit.setPlaceholderText(
            "vide : tout le territoire ; sinon noms ou codes INSEE séparés par des virgules"
        )
        form.addRow("Intitulé", self.action_title)
        form.addRow("Sous l'objectif", self.action_parent)
        form.addRow("Objectif de l'action", self.action_objective)
        form.addRow("Description", self.action_description)
        form.addRow("Public cible", self.target_public)
        form.addRow("Pilote", self.pilot_edit)
        form.addRow("Statut", self.status_combo)
        form.addRow("Budget (€)", self.budget_edit)
        form.addRow("Période", dates)
        form.addRow("Communes", self.communes_edit)
        outer.addWidget(main)

        partners = QGroupBox("Partenaires et leur rôle")
        partners_layout = QVBoxLayout(partners)
        self.partners_table = edit_table(["Partenaire", "Rôle"], (0, 1), "partnersTable")
        partners_layout.addWidget(self.partners_table)
        partners_layout.addLayout(self._row_buttons(self.partners_table, "Ajouter un partenaire", self._save_partners))
        outer.addWidget(partners)

        milestones = QGroupBox("Jalons")
        milestones_layout = QVBoxLayout(milestones)
        self.milestones_table = edit_table(["Date (jj/mm/aaaa)", "Jalon"], (1,), "milestonesTable")
        milestones_layout.addWidget(self.milestones_table)
        milestones_layout.addLayout(self._row_buttons(self.milestones_table, "Ajouter un jalon", self._save_milestones))
        outer.addWidget(milestones)

        constats = QGroupBox("Constats du diagnostic auxquels elle répond")
        constats_layout = QVBoxLayout(constats)
        self.constats_list = QListWidget()
        self.constats_list.setObjectName("actionConstats")
        self.constats_list.setWordWrap(True)
        self.constats_list.setMaximumHeight(120)
        self.constats_empty = wrapped(
            "Aucun constat n'est encore retenu : retenez-les à l'étape 1 (onglet « Constats »).",
            f"color: {MUTED_COLOUR};",
        )
        constats_layout.addWidget(self.constats_empty)
        constats_layout.addWidget(self.constats_list)
        outer.addWidget(constats)

        plan = QGroupBox("Objectifs du plan régional de santé qu'elle sert")
        plan_layout = QVBoxLayout(plan)
        pack_row = QHBoxLayout()
        pack_row.addWidget(QLabel("Plan :"))
        self.link_pack_combo = QComboBox()
        self.link_pack_combo.setObjectName("linkPackCombo")
        pack_row.addWidget(self.link_pack_combo, 1)
        plan_layout.addLayout(pack_row)
        self.plan_filter = QLineEdit()
        self.plan_filter.setObjectName("planFilter")
        self.plan_filter.setPlaceholderText("Chercher dans le plan (ex. premier recours, prévention)")
        self.plan_filter.setClearButtonEnabled(True)
        plan_layout.addWidget(self.plan_filter)
        self.plan_hint = wrapped("", f"color: {MUTED_COLOUR};")
        self.plan_hint.setObjectName("planHint")
        plan_layout.addWidget(self.plan_hint)
        self.plan_tree = QTreeWidget()
        self.plan_tree.setObjectName("planTree")
        self.plan_tree.setHeaderHidden(True)
        wrapping_tree(self.plan_tree)
        self.plan_tree.setMinimumHeight(200)
        self.plan_tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        plan_layout.addWidget(self.plan_tree)
        self.other_links = wrapped("", f"color: {INFO_COLOUR};")
        self.other_links.setObjectName("otherLinks")
        plan_layout.addWidget(self.other_links)
        plan_layout.addWidget(QLabel("Justification si l'action sort du plan régional :"))
        self.justification_edit = TextEdit(2)
        self.justification_edit.setObjectName("justificationEdit")
        self.justification_edit.setPlaceholderText("Par exemple : demande exprimée par les habitants lors de l'atelier")
        plan_layout.addWidget(self.justification_edit)
        outer.addWidget(plan)

        evaluation = QGroupBox("Indicateurs d'évaluation")
        evaluation_layout = QVBoxLayout(evaluation)
        self.indicators_table = edit_table(INDICATOR_COLUMNS, (0,), "indicatorsTable")
        self.indicators_table.setMinimumHeight(130)
        indicator_header = self.indicators_table.horizontalHeader()
        for column, tip in enumerate(INDICATOR_TIPS):
            header_item = self.indicators_table.horizontalHeaderItem(column)
            if header_item is not None:
                header_item.setToolTip(tip)
        for column, width in ((1, 72), (6, 84)):
            indicator_header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.indicators_table.setColumnWidth(column, width)
        evaluation_layout.addWidget(self.indicators_table)
        evaluation_layout.addLayout(
            self._row_buttons(self.indicators_table, "Ajouter un indicateur", self._save_indicators)
        )
        evaluation_layout.addWidget(
            wrapped(
                "Valeur de référence et cible, chacune avec son année (la cible après la référence) ; une ligne sans "
                "libellé n'est pas enregistrée.",
                f"color: {MUTED_COLOUR}; font-size: 8pt;",
            )
        )
        outer.addWidget(evaluation)
        outer.addStretch(1)

        self.action_title.editingFinished.connect(lambda: self._save_action(title=self.action_title.text()))
        self.action_parent.activated.connect(lambda _i: self._move_action())
        self.action_objective.editingFinished.connect(
            lambda: self._save_action(objective=self.action_objective.toPlainText())
        )
        self.action_description.editingFinished.connect(
            lambda: self._save_action(description=self.action_description.toPlainText())
        )
        self.target_public.editingFinished.connect(
            lambda: self._save_action(target_public=self.target_public.toPlainText())
        )
        self.pilot_edit.editingFinished.connect(lambda: self._save_action(pilot=self.pilot_edit.text()))
        self.status_combo.activated.connect(lambda _i: self._save_action(status=self.status_combo.currentData()))
        self.budget_edit.editingFinished.connect(self._save_budget)
        self.start_edit.editingFinished.connect(lambda: self._save_date("starts_on", self.start_edit, "Début"))
        self.end_edit.editingFinished.connect(lambda: self._save_date("ends_on", self.end_edit, "Fin"))
        self.communes_edit.editingFinished.connect(self._save_communes)
        self.partners_table.itemChanged.connect(lambda _i: self._save_partners())
        self.milestones_table.itemChanged.connect(lambda _i: self._save_milestones())
        self.indicators_table.itemChanged.connect(lambda _i: self._save_indicators())
        self.constats_list.itemChanged.connect(lambda _i: self._save_constats())
        self.plan_tree.itemChanged.connect(lambda _i, _c: self._save_plan_links())
        self.justification_edit.editingFinished.connect(
            lambda: self._save_action(plan_justification=self.justification_edit.toPlainText())
        )
        self.link_pack_combo.activated.connect(lambda _i: self._fill_plan_tree())
        self.plan_filter.textChanged.connect(self._filter_plan)
        self.field_widgets: dict[str, list[QWidget]] = {
            "pilot": [self.pilot_edit],
            "objective": [self.action_objective],
            "dates": [self.start_edit, self.end_edit],
            "milestones": [self.milestones_table],
            "indicators": [self.indicators_table],
            "constats": [self.constats_list],
            "plan_links": [self.plan_tree, self.justification_edit],
            "communes": [self.communes_edit],
        }
        return form_widget

    def _row_buttons(self, table: QTableWidget, add_label: str, save: Callable[[], object]) -> QHBoxLayout:
        row = QHBoxLayout()
        add = QPushButton(add_label)
        remove = QPushButton("Retirer la ligne")
        row.addWidget(add)
        row.addStretch(1)
        row.addWidget(remove)

        def add_row() -> None:
            with QSignalBlocker(table):
                index = table.rowCount()
                table.insertRow(index)
                for column in range(table.columnCount()):
                    table.setItem(index, column, QTableWidgetItem(""))
            table.setCurrentCell(index, 0)
            first = table.item(index, 0)
            if first is not None:
                table.editItem(first)

        def remove_row() -> None:
            index = table.currentRow()
            if index < 0:
                return
            with QSignalBlocker(table):
                table.removeRow(index)
            save()

        add.clicked.connect(add_row)
        remove.clicked.connect(remove_row)
        return row

    # === building: projet de santé ===============================================================

    def _sections_tab(self) -> QWidget:
        tab = QWidget()
        layout = QHBoxLayout(tab)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        self.sections_nav = QListWidget()
        self.sections_nav.setObjectName("sectionsNav")
        self.sections_nav.setWordWrap(True)
        self.sections_nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sections_nav.setSpacing(2)
        self.sections_nav.setMinimumWidth(180)
        self.sections_stack = QStackedWidget()
        self.section_widgets: dict[str, QWidget] = {}
        self.section_timers: dict[str, QTimer] = {}
        self._part_scrolls: dict[str, QScrollArea] = {}
        for part, label in hp.PARTS:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, part)
            self.sections_nav.addItem(item)
            self.sections_stack.addWidget(self._part_page(part, label))
        item = QListWidgetItem("Signataires du projet de santé")
        item.setData(Qt.ItemDataRole.UserRole, SIGNATORIES)
        self.sections_nav.addItem(item)
        self.sections_stack.addWidget(self._signatories_page())
        splitter.addWidget(self.sections_nav)
        splitter.addWidget(self.sections_stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([230, 730])
        layout.addWidget(splitter)
        self.sections_nav.currentRowChanged.connect(self._show_part)
        self.sections_nav.setCurrentRow(0)
        return tab

    def _part_page(self, part: str, label: str) -> QWidget:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        page = QWidget()
        layout = QVBoxLayout(page)
        title = QLabel(label)
        title.setWordWrap(True)
        title.setStyleSheet("font-size: 12pt; font-weight: 600; color: #1d4a40;")
        layout.addWidget(title)
        if part == "diagnostic":
            row = QHBoxLayout()
            row.addWidget(
                wrapped(
                    "Le résumé des étapes 1 à 3 (territoire, indicateurs et constats, offre de soins, accessibilité) "
                    "sert de point de départ : complétez et réécrivez le texte autour des chiffres.",
                    f"color: {MUTED_COLOUR};",
                ),
                1,
            )
            self.diagnostic_button = QPushButton("Reprendre le diagnostic")
            self.diagnostic_button.setObjectName("diagnosticButton")
            self.diagnostic_button.setToolTip("Rédiger la section à partir des données des étapes 1 à 3")
            self.diagnostic_button.clicked.connect(self.ask_draft_diagnostic)
            row.addWidget(self.diagnostic_button, 0, Qt.AlignmentFlag.AlignTop)
            layout.addLayout(row)
        if part == "aci":
            layout.addWidget(
                wrapped(
                    "Le socle de l'accord conventionnel interprofessionnel (ACI) conditionne la rémunération "
                    "collective de la structure : répondez pour chaque critère.",
                    f"color: {MUTED_COLOUR};",
                )
            )
        for definition in (s for s in hp.SECTIONS if s.part == part):
            # The diagnostic is one long text: its editor takes the whole page.
            layout.addWidget(self._section_block(definition), 1 if part == "diagnostic" else 0)
        if part != "diagnostic":
            layout.addStretch(1)
        scroll.setWidget(page)
        self._part_scrolls[part] = scroll
        return scroll

    def _section_block(self, definition: hp.SectionDef) -> QWidget:
        block = QWidget()
        block.setObjectName(f"section_{definition.key}")
        layout = QVBoxLayout(block)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(3)
        title = QLabel(definition.title)
        title.setWordWrap(True)
        title.setStyleSheet("font-weight: 600;")
        layout.addWidget(title)
        if definition.guidance:
            guidance = "<br>".join(f"• {question}" for question in definition.guidance)
            layout.addWidget(wrapped(guidance, f"color: {MUTED_COLOUR};"))
        key = definition.key
        widget: QWidget
        if definition.kind == hp.TEXT:
            lines = 12 if key == "diagnostic.prealable" else (3 if definition.part == "identification" else 5)
            editor = TextEdit(lines)
            if key == "diagnostic.prealable":
                editor.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(SECTION_AUTOSAVE_MS)
            timer.timeout.connect(lambda k=key: self._section_text_done(k))
            editor.textChanged.connect(lambda t=timer: None if self._loading else t.start())
            editor.editingFinished.connect(lambda k=key: self._section_text_done(k))
            self.section_timers[key] = timer
            widget = editor
        elif definition.kind in (hp.LINE, hp.DATE):
            line = QLineEdit()
            if definition.kind == hp.DATE:
                line.setPlaceholderText("jj/mm/aaaa")
                line.setMaximumWidth(160)
            line.editingFinished.connect(lambda k=key, e=line: self.save_section(k, e.text()))
            widget = line
        else:
            combo = style_combo(QComboBox())
            combo.addItem("— sans réponse —" if definition.kind == hp.YES_NO else "— à préciser —", "")
            choices = ((hp.YES, "Oui"), (hp.NO, "Non")) if definition.kind == hp.YES_NO else definition.choices
            for value, label in choices:
                combo.addItem(label, value)
            if definition.kind == hp.YES_NO:
                combo.setMaximumWidth(220)
            combo.activated.connect(lambda _i, k=key, c=combo: self.save_section(k, c.currentData()))
            widget = combo
        widget.setObjectName(f"sectionEdit_{key}")
        self.section_widgets[key] = widget
        layout.addWidget(widget, 1 if key == "diagnostic.prealable" else 0)
        return block

    def _signatories_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        title = QLabel("Signataires du projet de santé")
        title.setStyleSheet("font-size: 12pt; font-weight: 600; color: #1d4a40;")
        layout.addWidget(title)
        layout.addWidget(
            wrapped(
                "Les professionnels de l'équipe signent le projet de santé. Un professionnel du registre devient "
                "membre de l'équipe quand il s'engage par écrit (lettre d'intention ou signature) : ces "
                "engagements se suivent à l'étape 5.",
                f"color: {MUTED_COLOUR};",
            )
        )
        self.team_summary = wrapped("")
        self.team_summary.setObjectName("teamSummary")
        layout.addWidget(self.team_summary)
        self.team_table = QTableWidget(0, 4)
        self.team_table.setObjectName("teamTable")
        self.team_table.setHorizontalHeaderLabels(["Nom", "Profession", "Engagement", "A signé"])
        self.team_table.verticalHeader().setVisible(False)
        self.team_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.team_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.team_table, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.team_button = QPushButton("Suivre les engagements (étape 5)")
        self.team_button.setObjectName("teamButton")
        self.team_button.clicked.connect(lambda: self.navigate.emit(int(StepId.PROFESSIONNELS)))
        row.addWidget(self.team_button)
        layout.addLayout(row)
        return page

    # === building: timeline, coherence, readiness ================================================

    def _gantt_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(
            wrapped(
                "Chaque fiche action de sa date de début à sa date de fin, regroupées par priorité ; les losanges "
                "sont ses jalons, le trait rouge la date du jour. Les dates se saisissent dans la fiche action.",
                f"color: {MUTED_COLOUR};",
            )
        )
        self.gantt_view = FigureView()
        self.gantt_view.setObjectName("ganttView")
        layout.addWidget(self.gantt_view, 1)
        return tab

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
        splitter.setSizes([260, 240])
        layout.addWidget(splitter, 1)
        self.coherence_pack_combo.activated.connect(
            lambda _i: self.show_coherence(self.coherence_pack_combo.currentData())
        )
        self.retain_pack_button.clicked.connect(lambda: self.retain_pack(self.coherence_pack_combo.currentData()))
        return tab

    def _readiness_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.readiness_summary = wrapped("")
        self.readiness_summary.setObjectName("readinessSummary")
        self.readiness_summary.setStyleSheet("background: #eef2f0; padding: 6px; border-radius: 4px;")
        layout.addWidget(self.readiness_summary)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        self.readiness_layout = QVBoxLayout(content)
        self.readiness_layout.setContentsMargins(0, 0, 4, 0)
        scroll.setWidget(content)
        layout.addWidget(scroll, 1)
        return tab

    # === loading =================================================================================

    def load(self, project: ProjectInfo) -> None:
        """Show a project's step 6."""
        self.flush()
        self.project = project
        self.form_action_id = None
        self.tree.clearSelection()
        self.refresh()
        self.sections_nav.setCurrentRow(0)

    def refresh(self) -> None:
        """Re-read everything of step 6 and show it (the tab shown is refreshed too)."""
        if self.project is None:
            return
        self._stale = False
        self._read_context()
        self.reload_tree()
        self.refresh_sections()
        self._refresh_tab(self.tabs.currentIndex())

    def _read_context(self) -> None:
        """Constats, team, plan packs: what the forms offer to choose from."""
        project_id, uow = self._project_id(), self.ctx.uow
        self.constats = run_action(self, TITLE, lambda: indicators_svc.list_constats(uow(), project_id)) or []
        self.team = run_action(self, TITLE, lambda: hp.list_team(uow(), project_id, members_only=False)) or []
        self.packs = hp.plan_packs()
        summary = run_action(self, TITLE, lambda: territory_summary(uow(), project_id, self.ctx.refdata))
        regions = {r.code for r in summary.regions} if summary is not None else set()
        self.region_codes = regions
        self.region_names = " et ".join(r.name for r in summary.regions) if summary is not None else ""
        region_packs = sorted((p for p in self.packs.values() if p.region_code in regions), key=lambda p: p.key)
        region_packs.sort(key=lambda p: (p.period_end, p.period_start), reverse=True)
        self.region_packs = [p.key for p in region_packs]
        pack = run_action(self, TITLE, lambda: hp.project_pack(uow(), project_id, self.ctx.refdata))
        self.project_pack_key = pack.key if pack is not None else None
        names = [m.name for m in self.team]
        if self.project is not None and self.project.porteur_name:
            names.append(self.project.porteur_name)
        self.pilot_completer.model().setStringList(names)  # type: ignore[attr-defined]
        self._fill_pack_combo(self.link_pack_combo)
        self._fill_pack_combo(self.coherence_pack_combo)

    def _pack_label(self, pack: PlanPack) -> str:
        label = pack.title
        if self.region_codes and pack.region_code not in self.region_codes:
            label += " (autre région)"
        if pack.key == self.project_pack_key:
            label += " — plan du projet"
        return label

    def _ordered_packs(self) -> list[PlanPack]:
        region = [self.packs[k] for k in self.region_packs if k in self.packs]
        others = sorted((p for p in self.packs.values() if p.key not in self.region_packs), key=lambda p: p.title)
        return region + others

    def _fill_pack_combo(self, combo: QComboBox) -> None:
        with QSignalBlocker(combo):
            combo.clear()
            if not self.region_packs:
                combo.addItem(self._no_plan_text(), "")
            for pack in self._ordered_packs():
                combo.addItem(self._pack_label(pack), pack.key)
                combo.setItemData(combo.count() - 1, f"{pack.title}\n{pack.source}", Qt.ItemDataRole.ToolTipRole)
            # Back to the project's plan (the packs offered depend on the project's région).
            combo.setCurrentIndex(max(0, combo.findData(self.project_pack_key or "")))

    def _no_plan_text(self) -> str:
        if not self.region_codes:
            return "— aucun plan : le territoire n'a pas encore de communes —"
        return f"— aucun plan de la région {self.region_names} n'est disponible —"

    def _on_data_changed(self, kind: str, project_id: int) -> None:
        if self.project is None or project_id not in (0, self.project.id):
            return
        if kind in (DataKind.CONSTATS, DataKind.TERRITORY, DataKind.PROJECT, DataKind.INDICATORS):
            self._stale = True
            if kind == DataKind.PROJECT:
                fresh = run_action(self, TITLE, lambda: get_project(self.ctx.uow(), self._project_id()))
                if fresh is not None:
                    self.project = fresh

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self.project is None:
            return
        if self._stale:
            self.refresh()
        else:
            self._read_team()
            self._refresh_tab(self.tabs.currentIndex())

    def _tab_changed(self, index: int) -> None:
        self.flush()
        self._refresh_tab(index)

    def _refresh_tab(self, index: int) -> None:
        if self.project is None:
            return
        if index == TAB_GANTT:
            self.refresh_gantt()
        elif index == TAB_COHERENCE:
            self.show_coherence(self.coherence_pack_combo.currentData())
        elif index == TAB_READY:
            self.refresh_readiness()
        elif index == TAB_TEXT:
            self._read_team()

    # === priorities → objectives → actions: the tree =============================================

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

    def current_sheet(self) -> hp.ActionSheet | None:
        """The fiche action shown in the form."""
        return self.sheets.get(self.form_action_id) if self.form_action_id is not None else None

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

    # === the fiche action form ====================================================================

    def fill_action_form(self) -> None:
        """Show the stored values of the fiche action selected (and its findings)."""
        sheet = self.current_sheet()
        if sheet is None:
            return
        was_loading, self._loading = self._loading, True
        try:
            draft = sheet.draft
            self.action_title.setText(draft.title)
            self.action_title.setCursorPosition(0)
            self.action_parent.setCurrentIndex(self.action_parent.findData(sheet.objective_id))
            self.action_objective.set_text(draft.objective)
            self.action_description.set_text(draft.description)
            self.target_public.set_text(draft.target_public)
            self.pilot_edit.setText(draft.pilot)
            self.pilot_edit.setCursorPosition(0)
            self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(draft.status)))
            self.budget_edit.setText(euros_text(draft.budget_cents))
            self.start_edit.setText(format_date(draft.starts_on) if draft.starts_on else "")
            self.end_edit.setText(format_date(draft.ends_on) if draft.ends_on else "")
            self.communes_edit.setText(self._communes_text(draft.communes))
            self.communes_edit.setCursorPosition(0)
            self.justification_edit.set_text(draft.plan_justification)
            self._fill_partners(draft.partners)
            self._fill_milestones(draft.milestones)
            self._fill_indicators(draft.indicators)
            self._fill_constats(draft.constat_ids)
            linked_packs = [lk.pack_key for lk in draft.plan_links if lk.pack_key in self.packs]
            preferred = (
                next((k for k in linked_packs if k in self.region_packs), None)
                or self.project_pack_key
                or (linked_packs[0] if linked_packs else "")
            )
            with QSignalBlocker(self.link_pack_combo):
                self.link_pack_combo.setCurrentIndex(max(0, self.link_pack_combo.findData(preferred)))
            self._fill_plan_tree()
            self._show_findings(sheet)
        finally:
            self._loading = was_loading

    def _communes_text(self, codes: Sequence[str]) -> str:
        names = []
        for code in codes:
            commune = self.ctx.refdata.communes.get(code)
            names.append(f"{commune.name} ({code})" if commune else code)
        return ", ".join(names)

    def _fill_partners(self, partners: Sequence[hp.Partner]) -> None:
        with QSignalBlocker(self.partners_table):
            self.partners_table.setRowCount(len(partners))
            for row, partner in enumerate(partners):
                self.partners_table.setItem(row, 0, QTableWidgetItem(partner.name))
                self.partners_table.setItem(row, 1, QTableWidgetItem(partner.role))
            self.partners_table.resizeRowsToContents()

    def _fill_milestones(self, milestones: Sequence[hp.Milestone]) -> None:
        with QSignalBlocker(self.milestones_table):
            self.milestones_table.setRowCount(len(milestones))
            for row, milestone in enumerate(milestones):
                self.milestones_table.setItem(row, 0, QTableWidgetItem(format_date(milestone.on)))
                self.milestones_table.setItem(row, 1, QTableWidgetItem(milestone.label))

    def _fill_indicators(self, indicators: Sequence[hp.IndicatorDraft]) -> None:
        with QSignalBlocker(self.indicators_table):
            self.indicators_table.setRowCount(len(indicators))
            for row, indicator in enumerate(indicators):
                values = (
                    indicator.label,
                    indicator.unit,
                    number_text(indicator.baseline),
                    str(indicator.baseline_year or ""),
                    number_text(indicator.target),
                    str(indicator.target_year or ""),
                    indicator.source,
                )
                for column, text in enumerate(values):
                    self.indicators_table.setItem(row, column, QTableWidgetItem(text))
            self.indicators_table.resizeRowsToContents()

    def _fill_constats(self, linked: Sequence[int]) -> None:
        with QSignalBlocker(self.constats_list):
            self.constats_list.clear()
            for constat in self.constats:
                item = QListWidgetItem(constat.title)
                item.setData(Qt.ItemDataRole.UserRole, constat.id)
                item.setToolTip(constat.comment or constat.title)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if constat.id in linked else Qt.CheckState.Unchecked)
                self.constats_list.addItem(item)
        self.constats_empty.setVisible(not self.constats)
        self.constats_list.setVisible(bool(self.constats))

    def _fill_plan_tree(self) -> None:
        sheet = self.current_sheet()
        key = self.link_pack_combo.currentData()
        pack = self.packs.get(key) if key else None
        linked = {lk.objective_code for lk in sheet.draft.plan_links if lk.pack_key == key} if sheet else set()
        with QSignalBlocker(self.plan_tree):
            self.plan_tree.clear()
            if pack is not None:
                operational = hp.operational_level(pack)

                def add(objective: PlanObjective, parent: QTreeWidgetItem | None) -> None:
                    item = QTreeWidgetItem([f"{objective.code} — {objective.title}"])
                    item.setData(0, Qt.ItemDataRole.UserRole, objective.code)
                    tip = f"{objective.level_label} {objective.code}\n{objective.title}"
                    if objective.description:
                        tip += f"\n{objective.description}"
                    item.setToolTip(0, tip)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(
                        0, Qt.CheckState.Checked if objective.code in linked else Qt.CheckState.Unchecked
                    )
                    if objective.level < operational and objective.children:
                        font = QFont(item.font(0))
                        font.setBold(True)
                        item.setFont(0, font)
                    if parent is None:
                        self.plan_tree.addTopLevelItem(item)
                    else:
                        parent.addChild(item)
                    for child in objective.children:
                        add(child, item)
                    item.setExpanded(objective.level < operational or objective.code in linked)

                for root in pack.roots:
                    add(root, None)
                # Show the branches leading to a linked sub-objective.
                iterator = QTreeWidgetItemIterator(self.plan_tree)
                while iterator.value():
                    item = iterator.value()
                    if item.checkState(0) == Qt.CheckState.Checked:
                        parent = item.parent()
                        while parent is not None:
                            parent.setExpanded(True)
                            parent = parent.parent()
                    iterator += 1
        self._filter_plan(self.plan_filter.text())
        self.plan_tree.setVisible(pack is not None)
        self.plan_filter.setVisible(pack is not None)
        if pack is None:
            self.plan_hint.setText(
                "Aucun plan régional n'est disponible pour la région du territoire : expliquez ci-dessous la place "
                "de l'action dans la politique régionale de santé. Les plans d'autres régions, dans la liste, ne "
                "servent qu'à comparer."
            )
        elif self.region_codes and pack.region_code not in self.region_codes:
            self.plan_hint.setText(
                f"Ce plan concerne la région {pack.region_name} : un lien vers lui ne montre pas la cohérence avec "
                "le projet régional de santé de votre région."
            )
        else:
            self.plan_hint.setText(
                "Cochez le ou les objectifs opérationnels que l'action sert (les orientations en gras sont trop "
                "générales à elles seules)."
            )
        self._show_other_links()

    def _show_other_links(self) -> None:
        sheet = self.current_sheet()
        key = self.link_pack_combo.currentData()
        others = [lk for lk in sheet.draft.plan_links if lk.pack_key != key] if sheet else []
        parts = []
        for link in others:
            pack = self.packs.get(link.pack_key)
            name = pack.title if pack else link.pack_key
            other_region = pack is not None and bool(self.region_codes) and pack.region_code not in self.region_codes
            parts.append(
                f"{name} › {link.objective_code}" + (" (autre région : ce lien ne compte pas)" if other_region else "")
            )
        self.other_links.setText("Aussi reliée à : " + " ; ".join(parts) if parts else "")
        self.other_links.setVisible(bool(parts))

    def _filter_plan(self, text: str) -> None:
        words = plain_text(text).split()
        iterator = QTreeWidgetItemIterator(self.plan_tree)
        while iterator.value():
            item = iterator.value()
            iterator += 1
            if not words:
                item.setHidden(False)
                continue
            haystack = plain_text(f"{item.text(0)} {item.toolTip(0)}")
            match = all(w in haystack for w in words)
            item.setHidden(not match)
            if match:
                parent = item.parent()
                while parent is not None:
                    parent.setHidden(False)
                    parent.setExpanded(True)
                    parent = parent.parent()
        # A parent hidden earlier in the walk may have been revealed by a later match; nothing else to do.

    def _show_findings(self, sheet: hp.ActionSheet | None) -> None:
        self.findings_list.clear()
        for widgets in self.field_widgets.values():
            for widget in widgets:
                widget.setStyleSheet("")
                widget.setToolTip("")
        if sheet is None:
            self.findings_title.setText("À revoir dans la fiche")
            self.findings_list.addItem("Sélectionnez une fiche action pour voir ce qui lui manque.")
            self.findings_list.item(0).setForeground(QBrush(QColor(MUTED_COLOUR)))
            return
        ordered = sorted(sheet.findings, key=lambda f: 0 if f.severity == hp.ALERTE else 1)
        alerts = len(sheet.alerts)
        advice = len(ordered) - alerts
        self.findings_title.setText(
            f"À revoir dans la fiche : {plural(alerts, 'alerte')}, {plural(advice, 'conseil')} "
            "<span style='font-weight: normal'>(le brouillon est enregistré)</span>"
        )
        marked: dict[str, str] = {}
        tips: dict[str, list[str]] = {}
        for finding in ordered:
            label, colour = SEVERITY.get(finding.severity, ("Remarque", INFO_COLOUR))
            entry = QListWidgetItem(f"{label} — {finding.message}")
            entry.setForeground(QBrush(QColor(colour)))
            entry.setData(Qt.ItemDataRole.UserRole, finding.code)
            self.findings_list.addItem(entry)
            if finding.field:
                marked.setdefault(finding.field, colour)
                tips.setdefault(finding.field, []).append(finding.message)
        if not ordered:
            entry = QListWidgetItem("Fiche complète : rien à corriger.")
            entry.setForeground(QBrush(QColor(OK_COLOUR)))
            self.findings_list.addItem(entry)
        for fld, colour in marked.items():
            for widget in self.field_widgets.get(fld, []):
                widget.setStyleSheet(f"#{widget.objectName()} {{ border: 2px solid {colour}; border-radius: 3px; }}")
                widget.setToolTip("\n".join(tips[fld]))

    # --- saving the fiche ------------------------------------------------------------------------

    def save_action(self, **changes: object) -> hp.ActionSheet | None:
        """Save changed values of the fiche shown (a draft: saved even when incomplete)."""
        sheet = self.current_sheet()
        if sheet is None:
            return None
        return self._store(sheet, replace(sheet.draft, **changes), None)  # type: ignore[arg-type]

    def _save_action(self, **changes: object) -> None:
        if not self._loading:
            self.save_action(**changes)

    def _store(self, sheet: hp.ActionSheet, draft: hp.ActionDraft, objective_id: int | None) -> hp.ActionSheet | None:
        if draft == sheet.draft and objective_id in (None, sheet.objective_id):
            return sheet
        try:
            saved = hp.update_action(
                self.ctx.uow(), sheet.id, draft, sheet.version, objective_id=objective_id, refdata=self.ctx.refdata
            )
        except (ConflictError, NotFoundError) as exc:
            show_message(self, TITLE, exc.message)
            self.reload_tree()
            return None
        except DomainError as exc:
            show_message(self, TITLE, exc.message)
            self.fill_action_form()
            return None
        self.sheets[saved.id] = saved
        if saved.objective_id != sheet.objective_id:
            self.reload_tree((ACTION, saved.id))
        else:
            item = self._find_item(ACTION, saved.id)
            if item is not None:
                self._decorate_action(item, saved)
            self._show_findings(saved)
            self._show_other_links()
        self.ctx.saved.emit("Enregistré")
        self.changed.emit()
        return saved

    def _move_action(self) -> None:
        sheet = self.current_sheet()
        target = self.action_parent.currentData()
        if sheet is not None and not self._loading and target is not None and target != sheet.objective_id:
            self._store(sheet, sheet.draft, int(target))

    def _save_budget(self) -> None:
        if self._loading:
            return
        text = self.budget_edit.text().strip()
        try:
            cents = parse_cents(text) if text else None
        except ValidationError as exc:
            show_message(self, TITLE, f"Budget : {exc.message}")
            self.fill_action_form()
            return
        self._save_action(budget_cents=cents)

    def _save_date(self, field: str, edit: QLineEdit, what: str) -> None:
        if self._loading:
            return
        try:
            value = parse_day(edit.text(), what)
        except ValidationError as exc:
            show_message(self, TITLE, exc.message)
            self.fill_action_form()
            return
        self._save_action(**{field: value})

    def _save_communes(self) -> None:
        if self._loading:
            return
        codes: list[str] = []
        for token in re.split(r"[,;]", self.communes_edit.text()):
            text = token.strip()
            if not text:
                continue
            match = _CODE_IN_PARENS.search(text)
            try:
                codes.append(match.group(1).upper() if match else offer_svc.resolve_commune(text, self.ctx.refdata))
            except ValidationError as exc:
                show_message(self, TITLE, f"Communes de l'action : {exc.message}.")
                self.fill_action_form()
                return
        if self.save_action(communes=tuple(codes)) is not None:
            sheet = self.current_sheet()
            if sheet is not None:
                with QSignalBlocker(self.communes_edit):
                    self.communes_edit.setText(self._communes_text(sheet.draft.communes))

    @staticmethod
    def _text(table: QTableWidget, row: int, column: int) -> str:
        item = table.item(row, column)
        return item.text().strip() if item is not None else ""

    def _save_partners(self) -> None:
        if self._loading:
            return
        partners = tuple(
            hp.Partner(self._text(self.partners_table, r, 0), self._text(self.partners_table, r, 1))
            for r in range(self.partners_table.rowCount())
            if self._text(self.partners_table, r, 0)
        )
        self._save_action(partners=partners)

    def _save_milestones(self) -> None:
        if self._loading:
            return
        milestones: list[hp.Milestone] = []
        for row in range(self.milestones_table.rowCount()):
            day_text, label = self._text(self.milestones_table, row, 0), self._text(self.milestones_table, row, 1)
            if not day_text or not label:
                continue  # a line being typed: saved once it has its date and its label
            try:
                day = parse_day(day_text, f"Jalon « {label} »")
            except ValidationError as exc:
                show_message(self, TITLE, exc.message)
                return
            assert day is not None
            milestones.append(hp.Milestone(day, label))
        self._save_action(milestones=tuple(milestones))

    def _save_indicators(self) -> None:
        if self._loading:
            return
        indicators: list[hp.IndicatorDraft] = []
        table = self.indicators_table
        for row in range(table.rowCount()):
            label = self._text(table, row, 0)
            if not label:
                continue
            try:
                baseline = parse_french_number(self._text(table, row, 2)) if self._text(table, row, 2) else None
                target = parse_french_number(self._text(table, row, 4)) if self._text(table, row, 4) else None
                baseline_year = parse_year(self._text(table, row, 3), f"Indicateur « {label} », année de référence")
                target_year = parse_year(self._text(table, row, 5), f"Indicateur « {label} », année cible")
            except ValidationError as exc:
                message = exc.message
                if not message.startswith("Indicateur"):
                    message = f"Indicateur « {label} » : {message}"
                show_message(self, TITLE, message)
                return
            indicators.append(
                hp.IndicatorDraft(
                    label,
                    self._text(table, row, 1),
                    baseline,
                    baseline_year,
                    target,
                    target_year,
                    self._text(table, row, 6),
                )
            )
        self._save_action(indicators=tuple(indicators))

    def _save_constats(self) -> None:
        if self._loading:
            return
        chosen = tuple(
            int(self.constats_list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.constats_list.count())
            if self.constats_list.item(i).checkState() == Qt.CheckState.Checked
        )
        self._save_action(constat_ids=chosen)

    def _save_plan_links(self) -> None:
        sheet = self.current_sheet()
        if self._loading or sheet is None:
            return
        key = self.link_pack_combo.currentData()
        checked: list[hp.PlanLinkRef] = []
        iterator = QTreeWidgetItemIterator(self.plan_tree)
        while iterator.value():
            item = iterator.value()
            if item.checkState(0) == Qt.CheckState.Checked:
                checked.append(hp.PlanLinkRef(key, str(item.data(0, Qt.ItemDataRole.UserRole))))
            iterator += 1
        kept = [lk for lk in sheet.draft.plan_links if lk.pack_key != key]
        self._save_action(plan_links=tuple(kept + checked))

    def link_plan_objectives(self, pack_key: str, codes: Sequence[str]) -> hp.ActionSheet | None:
        """Link the fiche shown to these objectives of a plan (as ticking them in the plan's tree)."""
        index = self.link_pack_combo.findData(pack_key)
        if index < 0:
            return None
        self.link_pack_combo.setCurrentIndex(index)
        self._fill_plan_tree()
        iterator = QTreeWidgetItemIterator(self.plan_tree)
        with QSignalBlocker(self.plan_tree):
            while iterator.value():
                item = iterator.value()
                if item.data(0, Qt.ItemDataRole.UserRole) in codes:
                    item.setCheckState(0, Qt.CheckState.Checked)
                iterator += 1
        self._save_plan_links()
        return self.current_sheet()

    # === priorities and objectives: saving ========================================================

    def _save_priority(self, **changes: str) -> None:
        chosen = self.selected()
        if self._loading or chosen is None or chosen[0] != PRIORITY:
            return
        priority = next((p for p in self.priorities if p.id == chosen[1]), None)
        if priority is None:
            return
        if "title" in changes and " ".join(changes["title"].split()) == priority.title:
            return
        if "description" in changes and changes["description"].strip() == priority.description:
            return
        if attempt(self, TITLE, lambda: hp.update_priority(self.ctx.uow(), chosen[1], **changes)):
            self._after_change(chosen)
        else:
            self._fill_priority_form(chosen[1])

    def _save_objective_title(self) -> None:
        chosen = self.selected()
        if self._loading or chosen is None or chosen[0] != OBJECTIVE:
            return
        title = self.objective_title.text()
        current = next((o for p in self.priorities for o in p.objectives if o.id == chosen[1]), None)
        if current is None or " ".join(title.split()) == current.title:
            return
        if attempt(self, TITLE, lambda: hp.update_objective(self.ctx.uow(), chosen[1], title)):
            self._after_change(chosen)
        else:
            self._fill_objective_form(chosen[1])

    def _move_objective(self) -> None:
        chosen = self.selected()
        target = self.objective_priority.currentData()
        if self._loading or chosen is None or chosen[0] != OBJECTIVE or target is None:
            return
        if self._priority_of(*chosen) == target:
            return
        if attempt(self, TITLE, lambda: hp.move_objective(self.ctx.uow(), chosen[1], int(target))):
            self._after_change(chosen)

    def _after_change(self, select: tuple[str, int] | None = None) -> None:
        self.reload_tree(select)
        self.ctx.saved.emit("Enregistré")
        self.changed.emit()

    # === adding, moving, deleting =================================================================

    def _ask_text(self, title: str, label: str, on_text: Callable[[str], object], text: str = "") -> QInputDialog:
        dialog = QInputDialog(self)
        dialog.setObjectName("askTextDialog")
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setTextValue(text)
        dialog.setOkButtonText("Ajouter")
        dialog.setCancelButtonText("Annuler")
        dialog.resize(520, dialog.sizeHint().height())
        dialog.textValueSelected.connect(on_text)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialog = dialog
        return dialog

    def ask_priority(self) -> None:
        """Ask the title of a new priority."""
        self._ask_text("Nouvelle priorité", "Intitulé de la priorité :", self.add_priority)

    def add_priority(self, title: str, description: str = "") -> int | None:
        """Add a priority at the end of the list and select it."""
        if self.project is None:
            return None
        project_id = self._project_id()
        new_id = run_action(self, TITLE, lambda: hp.add_priority(self.ctx.uow(), project_id, title, description))
        if new_id is not None:
            self._after_change((PRIORITY, new_id))
        return new_id

    def ask_priorities_from_constats(self) -> ConstatsDialog | None:
        """Offer the diagnostic's constats as priorities."""
        if self.project is None:
            return None
        self._read_context()
        if not self.constats:
            show_message(
                self,
                TITLE,
                "Aucun constat n'est encore retenu. Les constats se retiennent à l'étape 1 (onglet « Constats ») "
                "à partir des indicateurs, ou depuis l'enquête auprès des habitants.",
                QMessageBox.Icon.Information,
            )
            return None
        taken = {plain_text(p.title) for p in self.priorities}
        dialog = ConstatsDialog(self.constats, taken, self)
        dialog.ok_button.clicked.connect(lambda: self._constats_chosen(dialog))
        dialog.open()
        self.dialog = dialog
        return dialog

    def _constats_chosen(self, dialog: ConstatsDialog) -> None:
        chosen = dialog.chosen()
        if not chosen:
            show_message(dialog, TITLE, "Cochez au moins un constat.")
            return
        if self.add_priorities_from_constats(chosen) is not None:
            dialog.accept()

    def add_priorities_from_constats(self, constat_ids: Sequence[int]) -> list[int] | None:
        """One priority per constat (skipping those already priorities); the first one is selected."""
        if self.project is None:
            return None
        project_id = self._project_id()
        created = run_action(
            self, TITLE, lambda: hp.add_priorities_from_constats(self.ctx.uow(), project_id, list(constat_ids))
        )
        if created is not None:
            self._after_change((PRIORITY, created[0]) if created else None)
        return created

    def _target_priority(self) -> int | None:
        chosen = self.selected()
        if chosen is not None:
            return self._priority_of(*chosen)
        return self.priorities[0].id if len(self.priorities) == 1 else None

    def ask_objective(self) -> None:
        """Ask the title of a new objective of the priority selected."""
        priority_id = self._target_priority()
        if priority_id is None:
            show_message(self, TITLE, "Sélectionnez d'abord la priorité à laquelle ajouter un objectif.")
            return
        priority = next(p for p in self.priorities if p.id == priority_id)
        self._ask_text(
            "Nouvel objectif",
            f"Objectif de la priorité « {priority.title[:60]} » :",
            lambda title: self.add_objective(priority_id, title),
        )

    def add_objective(self, priority_id: int, title: str) -> int | None:
        """Add an objective to a priority and select it."""
        new_id = run_action(self, TITLE, lambda: hp.add_objective(self.ctx.uow(), priority_id, title))
        if new_id is not None:
            self._after_change((OBJECTIVE, new_id))
        return new_id

    def _target_objective(self) -> int | None:
        chosen = self.selected()
        if chosen is not None:
            found = self._objective_of(*chosen)
            if found is not None:
                return found
        choices = self._objective_choices()
        return choices[0][0] if len(choices) == 1 else None

    def ask_action(self) -> None:
        """Ask the title of a new fiche action under the objective selected."""
        objective_id = self._target_objective()
        if objective_id is None:
            show_message(self, TITLE, "Sélectionnez d'abord l'objectif que la fiche action doit servir.")
            return
        self._ask_text(
            "Nouvelle fiche action",
            "Intitulé de la fiche action :",
            lambda title: self.add_action(objective_id, title),
        )

    def add_action(self, objective_id: int, title: str) -> hp.ActionSheet | None:
        """Add an empty fiche action (a draft) under an objective and show its form."""
        draft = hp.ActionDraft(title=title)
        sheet = run_action(self, TITLE, lambda: hp.add_action(self.ctx.uow(), objective_id, draft, self.ctx.refdata))
        if sheet is not None:
            self._after_change((ACTION, sheet.id))
            self.tabs.setCurrentIndex(TAB_ACTIONS)
            self.action_objective.setFocus()
        return sheet

    def ask_lever(self, key: str | None = None) -> LeverDialog | None:
        """Open the catalogue of the guide's levers."""
        choices = self._objective_choices()
        if not choices:
            show_message(self, TITLE, "Ajoutez d'abord une priorité et un objectif : la fiche action sert un objectif.")
            return None
        dialog = LeverDialog(choices, self._target_objective(), self.project_pack_key is not None, self)
        if key:
            dialog.select(key)
        dialog.ok_button.clicked.connect(lambda: self._lever_chosen(dialog))
        dialog.open()
        self.dialog = dialog
        return dialog

    def _lever_chosen(self, dialog: LeverDialog) -> None:
        lever = dialog.chosen()
        if lever is None:
            return
        try:
            start = parse_day(dialog.start_edit.text(), "Début de l'action")
        except ValidationError as exc:
            show_message(dialog, TITLE, exc.message)
            return
        objective_id = dialog.objective_combo.currentData()
        sheet = self.add_action_from_lever(
            int(objective_id), lever.key, starts_on=start, link_suggested=dialog.link_check.isChecked()
        )
        if sheet is not None:
            dialog.accept()

    def add_action_from_lever(
        self, objective_id: int, lever_key: str, *, starts_on: date | None = None, link_suggested: bool = False
    ) -> hp.ActionSheet | None:
        """Add a fiche action prefilled from one of the guide's levers and show it."""
        sheet = run_action(
            self,
            TITLE,
            lambda: hp.add_action_from_lever(
                self.ctx.uow(),
                objective_id,
                lever_key,
                starts_on=starts_on,
                link_suggested=link_suggested,
                refdata=self.ctx.refdata,
            ),
        )
        if sheet is not None:
            self._after_change((ACTION, sheet.id))
            self.tabs.setCurrentIndex(TAB_ACTIONS)
            self.pilot_edit.setFocus()
        return sheet

    def move_selected(self, offset: int) -> None:
        """Move the priority or objective selected up (-1) or down (+1)."""
        chosen = self.selected()
        if chosen is None or self.project is None:
            return
        kind, item_id = chosen
        if kind == PRIORITY:
            ids = [p.id for p in self.priorities]
            project_id = self._project_id()

            def save(order: list[int]) -> None:
                hp.reorder_priorities(self.ctx.uow(), project_id, order)

        elif kind == OBJECTIVE:
            priority_id = self._priority_of(kind, item_id)
            priority = next((p for p in self.priorities if p.id == priority_id), None)
            if priority is None:
                return
            ids = [o.id for o in priority.objectives]

            def save(order: list[int]) -> None:
                hp.reorder_objectives(self.ctx.uow(), priority.id, order)

        else:
            return
        index = ids.index(item_id)
        target = index + offset
        if not 0 <= target < len(ids):
            return
        ids[index], ids[target] = ids[target], ids[index]
        if attempt(self, TITLE, lambda: save(ids)):
            self._after_change(chosen)
        else:
            self.reload_tree()

    def delete_selected(self) -> None:
        """Delete the item selected (with what hangs under it) after confirmation."""
        chosen = self.selected()
        if chosen is None:
            return
        kind, item_id = chosen
        if kind == PRIORITY:
            priority = next(p for p in self.priorities if p.id == item_id)
            actions = sum(o.action_count for o in priority.objectives)
            text = f"Supprimer la priorité « {priority.title} »"
            if priority.objectives:
                text += f" avec {plural(len(priority.objectives), 'objectif')}"
                if actions:
                    text += f" et {plural(actions, 'fiche action', 'fiches action')}"
            text += " ?"

            def delete() -> None:
                hp.delete_priority(self.ctx.uow(), item_id)

        elif kind == OBJECTIVE:
            objective = next(o for p in self.priorities for o in p.objectives if o.id == item_id)
            text = f"Supprimer l'objectif « {objective.title} »"
            if objective.action_count:
                text += f" avec {plural(objective.action_count, 'fiche action', 'fiches action')}"
            text += " ?"

            def delete() -> None:
                hp.delete_objective(self.ctx.uow(), item_id)

        else:
            sheet = self.sheets[item_id]
            text = f"Supprimer la fiche action « {sheet.title} » ?"

            def delete() -> None:
                hp.delete_action(self.ctx.uow(), item_id)

        def accepted() -> None:
            if attempt(self, TITLE, delete):
                self.form_action_id = None
                self._after_change(None)

        confirm(self, "Supprimer", text + " Cette suppression est définitive.", "Supprimer", accepted)

    # === projet de santé sections =================================================================

    def refresh_sections(self) -> None:
        """Re-read the sections of the projet de santé and the team that signs it."""
        if self.project is None:
            return
        project_id = self._project_id()
        sections = run_action(self, TITLE, lambda: hp.get_sections(self.ctx.uow(), project_id))
        if sections is None:
            return
        self.sections = sections
        self.defaults = run_action(self, TITLE, lambda: hp.default_sections(self.ctx.uow(), project_id)) or {}
        for key in self.section_widgets:
            self._show_section(key)
        self._update_sections_nav()
        self._read_team()

    def _show_section(self, key: str) -> None:
        widget = self.section_widgets[key]
        value = self.sections.get(key, "")
        was_loading, self._loading = self._loading, True
        try:
            if isinstance(widget, TextEdit):
                if widget.toPlainText() != value:
                    widget.set_text(value)
            elif isinstance(widget, QLineEdit):
                widget.setText(value)
                default = self.defaults.get(key)
                if default:
                    widget.setPlaceholderText(f"{default} (nom du projet)")
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
                default = self.defaults.get(key)
                if default and not value:
                    label = dict(hp.SECTIONS_BY_KEY[key].choices).get(default, default)
                    widget.setItemText(0, f"— à préciser (d'après le projet : {label.split(' :')[0].lower()}) —")
        finally:
            self._loading = was_loading

    def _update_sections_nav(self) -> None:
        for row in range(self.sections_nav.count()):
            item = self.sections_nav.item(row)
            part = item.data(Qt.ItemDataRole.UserRole)
            if part == SIGNATORIES:
                members = [m for m in self.team if m.is_member]
                signed = sum(1 for m in members if m.has_signed)
                item.setText(
                    f"Signataires du projet de santé\n{plural(signed, 'signataire')} sur {plural(len(members), 'membre')}"
                )
                continue
            keys = [s.key for s in hp.SECTIONS if s.part == part]
            done = sum(1 for k in keys if self.sections.get(k, "").strip())
            word = "répondu(s)" if part == "aci" else "rempli(s)"
            item.setText(f"{hp.PART_LABELS[part]}\n{done} sur {len(keys)} {word}")
            item.setForeground(QBrush(QColor(OK_COLOUR if done == len(keys) else "#1d2b27")))

    def _show_part(self, row: int) -> None:
        if row < 0:
            return
        self.flush()
        self.sections_stack.setCurrentIndex(row)
        if self.sections_nav.item(row).data(Qt.ItemDataRole.UserRole) == SIGNATORIES:
            self._read_team()

    def show_section(self, key: str) -> None:
        """Show a section of the projet de santé and put the cursor in it."""
        definition = hp.SECTIONS_BY_KEY[key]
        self.tabs.setCurrentIndex(TAB_TEXT)
        parts = [p for p, _label in hp.PARTS]
        self.sections_nav.setCurrentRow(parts.index(definition.part))
        widget = self.section_widgets[key]
        scroll = self._part_scrolls[definition.part]
        QTimer.singleShot(0, lambda: scroll.ensureWidgetVisible(widget, 0, 60))
        widget.setFocus()

    def _section_text_done(self, key: str) -> None:
        timer = self.section_timers.get(key)
        if timer is not None:
            timer.stop()
        widget = self.section_widgets[key]
        assert isinstance(widget, TextEdit)
        if not self._loading:
            self.save_section(key, widget.toPlainText())

    def save_section(self, key: str, text: str) -> bool:
        """Save one section of the projet de santé (refused values are explained, the stored one shown again)."""
        if self.project is None or self._loading:
            return False
        current = self.sections.get(key, "")
        definition = hp.SECTIONS_BY_KEY[key]
        comparable = text.strip("\n").rstrip() if definition.kind == hp.TEXT else text.strip()
        if comparable == current:
            return True
        project_id = self._project_id()
        try:
            stored = hp.set_section(self.ctx.uow(), project_id, key, text, expected=current)
        except ConflictError as exc:
            show_message(self, TITLE, exc.message)
            self.refresh_sections()
            return False
        except DomainError as exc:
            show_message(self, TITLE, exc.message)
            self._show_section(key)
            return False
        self.sections[key] = stored
        if definition.kind != hp.TEXT:
            self._show_section(key)
        self._update_sections_nav()
        self.ctx.saved.emit("Enregistré")
        self.changed.emit()
        return True

    def ask_draft_diagnostic(self) -> None:
        """Draft the diagnostic section from steps 1 to 3 (asking before replacing a text)."""
        self.flush()
        if self.sections.get("diagnostic.prealable", "").strip():
            confirm(
                self,
                "Reprendre le diagnostic",
                "La section « Diagnostic préalable » contient déjà un texte. Le remplacer par le résumé des "
                "étapes 1 à 3 ? Le texte actuel sera perdu.",
                "Remplacer",
                self._overwrite_diagnostic,
            )
        else:
            self.draft_diagnostic()

    def _overwrite_diagnostic(self) -> None:
        self.draft_diagnostic(overwrite=True)

    def draft_diagnostic(self, *, overwrite: bool = False) -> str | None:
        """Write the automatic summary of steps 1 to 3 into the diagnostic section."""
        if self.project is None:
            return None
        project_id = self._project_id()
        text = run_action(
            self,
            TITLE,
            lambda: hp.draft_diagnostic_section(self.ctx.uow(), project_id, self.ctx.refdata, overwrite=overwrite),
        )
        if text is not None:
            self.sections["diagnostic.prealable"] = text
            self._show_section("diagnostic.prealable")
            self._update_sections_nav()
            self.ctx.saved.emit("Diagnostic repris")
            self.changed.emit()
        return text

    def _read_team(self) -> None:
        if self.project is None:
            return
        project_id = self._project_id()
        team = run_action(self, TITLE, lambda: hp.list_team(self.ctx.uow(), project_id, members_only=False))
        if team is None:
            return
        self.team = team
        members = [m for m in team if m.is_member]
        self.team_table.setRowCount(len(members))
        for row, member in enumerate(members):
            name = member.name + (" (leader)" if member.is_leader else "")
            signed = "oui" if member.has_signed else "pas encore"
            values = (name, member.profession_label, member.commitment_label, signed)
            for column, text in enumerate(values):
                item = cell(text)
                if column == 3:
                    item.setForeground(QBrush(QColor(OK_COLOUR if member.has_signed else ALERT_COLOUR)))
                self.team_table.setItem(row, column, item)
        others = len(team) - len(members)
        if not members:
            summary = "Aucun professionnel n'est encore engagé : le projet de santé n'a pas de signataires. " + (
                (
                    f"{plural(others, 'professionnel')} du registre "
                    + ("ne s'est pas encore engagé." if others == 1 else "ne se sont pas encore engagés.")
                )
                if others
                else ""
            )
        else:
            signed_count = sum(1 for m in members if m.has_signed)
            summary = f"{signed_count} signataire(s) sur {plural(len(members), 'membre')} de l'équipe."
            if others == 1:
                summary += " 1 autre professionnel du registre (contacté, rencontré ou intéressé) n'est pas membre."
            elif others:
                summary += (
                    f" {format_int(others)} autres professionnels du registre (contactés, rencontrés ou intéressés) "
                    "ne sont pas membres."
                )
        self.team_summary.setText(summary)
        self._update_sections_nav()

    def flush(self) -> None:
        """Save what is still being typed (texts waiting for their autosave, the field with focus)."""
        for key, timer in self.section_timers.items():
            if timer.isActive():
                self._section_text_done(key)
        focused = self.focusWidget()
        if isinstance(focused, TextEdit) and focused.document().isModified():
            focused.editingFinished.emit()
            focused.document().setModified(False)

    # === timeline =================================================================================

    def refresh_gantt(self) -> None:
        """Draw the timeline of the fiches action."""
        if self.project is None:
            return
        project_id = self._project_id()
        sheets = run_action(self, TITLE, lambda: hp.list_actions(self.ctx.uow(), project_id, self.ctx.refdata))
        if sheets is not None:
            self.gantt_view.set_figure(gantt_chart(sheets))

    # === coherence with the regional plan ========================================================

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
            self.ctx.notify(DataKind.PROJECT, project_id)
            self._stale = False
            self.changed.emit()
        return done

    # === readiness ================================================================================

    def refresh_readiness(self) -> Readiness | None:
        """Compute the checklists again and show them."""
        if self.project is None:
            return None
        project_id = self._project_id()
        readiness = run_action(self, TITLE, lambda: readiness_checklist(self.ctx.uow(), project_id, self.ctx.refdata))
        if readiness is None:
            return None
        self.readiness = readiness
        self.readiness_summary.setText(
            f"<b>{readiness.summary()}</b> Chaque ligne se met à jour avec le projet ; le bouton d'une ligne non "
            "remplie mène à l'endroit où la compléter."
        )
        clear_layout(self.readiness_layout)
        self.readiness_buttons = {}
        groups = (
            ("Attendus de l'ARS et des financeurs", readiness.ars, readiness.ars_ready),
            ("Socle de l'accord conventionnel interprofessionnel (ACI)", readiness.aci, readiness.aci_ready),
        )
        for title, items, ready in groups:
            met = sum(1 for i in items if i.met)
            box = QGroupBox(f"{title} — {met} sur {len(items)}" + (" : prêt" if ready else ""))
            grid = QGridLayout(box)
            grid.setColumnStretch(1, 1)
            grid.setHorizontalSpacing(10)
            for row, entry in enumerate(items):
                self._readiness_row(grid, row, entry)
            self.readiness_layout.addWidget(box)
        self.readiness_layout.addStretch(1)
        return readiness

    def _readiness_row(self, grid: QGridLayout, row: int, entry: ReadinessItem) -> None:
        icon = QLabel("✔" if entry.met else "✘")
        icon.setObjectName(f"readinessIcon_{entry.key}")
        icon.setStyleSheet(f"font-size: 14pt; font-weight: 700; color: {OK_COLOUR if entry.met else ALERT_COLOUR};")
        icon.setToolTip("Rempli" if entry.met else "Manquant")
        icon.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        icon.setFixedWidth(24)
        text = wrapped(
            f"<b>{entry.label}</b><br>{entry.detail}"
            + ("" if entry.met else f"<br><span style='color:{MUTED_COLOUR}; font-size:8pt'>Où : {entry.where}</span>")
        )
        text.setObjectName(f"readinessText_{entry.key}")
        text.setTextFormat(Qt.TextFormat.RichText)
        grid.addWidget(icon, row, 0)
        grid.addWidget(text, row, 1)
        if not entry.met:
            step = int(entry.step)
            label = "Compléter ici" if entry.step == StepId.PROJET_SANTE else f"Aller à l'étape {step}"
            button = QPushButton(label)
            button.setObjectName(f"readinessButton_{entry.key}")
            button.setToolTip(entry.where)
            button.clicked.connect(lambda _c=False, e=entry: self.go_to_item(e))
            grid.addWidget(button, row, 2, Qt.AlignmentFlag.AlignTop)
            self.readiness_buttons[entry.key] = button

    def go_to_item(self, entry: ReadinessItem) -> None:
        """Take the user where a missing item is fixed: emits ``navigate`` with its step, and when
        the place is on this page, shows the right tab and section too."""
        self.navigate.emit(int(entry.step))
        if entry.step != StepId.PROJET_SANTE:
            return
        parts = [p.strip() for p in entry.where.split("›")]
        if len(parts) >= 3 and parts[0].endswith("Projet de santé"):
            key = next(
                (s.key for s in hp.SECTIONS if s.title == parts[2] and s.part_label == parts[1]),
                None,
            )
            if key is not None:
                self.show_section(key)
                return
        self.tabs.setCurrentIndex(TAB_ACTIONS)
        first_alert = next((s for s in self.sheets.values() if s.alerts), None)
        if first_alert is not None:
            self.select_action(first_alert.id)
