"""The dialogs of step 6: priorities from constats, an action from a lever."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.formatting import plural
from santeloc.domain.levers import FAMILIES, LEVERS, LEVERS_BY_KEY, Lever, plain_text
from santeloc.gui.pages.health_project.common import (
    style_combo,
    wrapped,
    wrapping_tree,
)
from santeloc.services import indicators as indicators_svc


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
