"""Step 6: linking an action to the objectives of the regional plans (PRS packs)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
)

from santeloc.domain.levers import plain_text
from santeloc.gui.pages.health_project.host import Host
from santeloc.refdata.prs import PlanObjective, PlanPack
from santeloc.services import health_project as hp


class PlanLinksMixin(Host):
    """The regional plan packs and the action's links to their objectives."""

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
