"""Step 6: the fiche action form (building it and filling it from a sheet)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from santeloc.domain.formatting import format_date, plural
from santeloc.gui.pages.health_project.common import (
    INDICATOR_COLUMNS,
    INDICATOR_TIPS,
    INFO_COLOUR,
    MUTED_COLOUR,
    OK_COLOUR,
    SEVERITY,
    TextEdit,
    edit_table,
    euros_text,
    number_text,
    wrapped,
    wrapping_tree,
)
from santeloc.gui.pages.health_project.host import Host
from santeloc.services import health_project as hp


class ActionFormMixin(Host):
    """The fiche action form."""

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

    def current_sheet(self) -> hp.ActionSheet | None:
        """The fiche action shown in the form."""
        return self.sheets.get(self.form_action_id) if self.form_action_id is not None else None

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
