"""Step 6: saving what the user types in the fiche action form."""

from __future__ import annotations

import re
from dataclasses import replace

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QLineEdit,
    QTableWidget,
)

from santeloc.domain.errors import ConflictError, DomainError, NotFoundError, ValidationError
from santeloc.domain.formatting import parse_cents
from santeloc.domain.indicators import parse_french_number
from santeloc.gui.ops import explain
from santeloc.gui.pages.health_project.common import (
    _CODE_IN_PARENS,
    ACTION,
    TITLE,
    parse_day,
    parse_year,
)
from santeloc.gui.pages.health_project.host import Host
from santeloc.services import health_project as hp
from santeloc.services import offer as offer_svc


class ActionSavingMixin(Host):
    """Saves the fiche action form, field by field."""

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
            explain(self, TITLE, exc.message)
            self.reload_tree()
            return None
        except DomainError as exc:
            explain(self, TITLE, exc.message)
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
            explain(self, TITLE, f"Budget : {exc.message}")
            self.fill_action_form()
            return
        self._save_action(budget_cents=cents)

    def _save_date(self, field: str, edit: QLineEdit, what: str) -> None:
        if self._loading:
            return
        try:
            value = parse_day(edit.text(), what)
        except ValidationError as exc:
            explain(self, TITLE, exc.message)
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
                explain(self, TITLE, f"Communes de l'action : {exc.message}.")
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
                explain(self, TITLE, exc.message)
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
                explain(self, TITLE, message)
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
