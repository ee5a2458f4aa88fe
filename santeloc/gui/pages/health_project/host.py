"""What the HealthProjectPage mixins may use of each other (for the type checker only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PySide6.QtCore import QTimer, Signal
    from PySide6.QtWidgets import (
        QComboBox,
        QCompleter,
        QDialog,
        QLabel,
        QLineEdit,
        QListWidget,
        QPushButton,
        QScrollArea,
        QStackedWidget,
        QTableWidget,
        QTabWidget,
        QTreeWidget,
        QTreeWidgetItem,
        QVBoxLayout,
        QWidget,
    )

    from santeloc.gui.map_canvas import FigureView
    from santeloc.gui.pages.base import StepPage
    from santeloc.gui.pages.health_project.common import (
        TextEdit,
    )
    from santeloc.gui.pages.health_project.dialogs import (
        ConstatsDialog,
        LeverDialog,
    )
    from santeloc.refdata.prs import PlanPack
    from santeloc.services import health_project as hp
    from santeloc.services import indicators as indicators_svc
    from santeloc.services.coherence import CoherenceTable
    from santeloc.workflow.readiness import Readiness

    class Host(StepPage):
        """The attributes and methods of :class:`HealthProjectPage`."""

        navigate = Signal(int)
        priorities: list[hp.PriorityRow]
        sheets: dict[int, hp.ActionSheet]
        constats: list[indicators_svc.ConstatRow]
        team: list[hp.TeamMember]
        packs: dict[str, PlanPack]
        region_packs: list[str]
        region_codes: set[str]
        project_pack_key: str | None
        region_names: str
        sections: dict[str, str]
        defaults: dict[str, str]
        coherence: CoherenceTable | None
        readiness: Readiness | None
        readiness_buttons: dict[str, QPushButton]
        form_action_id: int | None
        dialog: QDialog | None
        _loading: bool
        tabs: QTabWidget
        add_priority_button: QPushButton
        from_constats_button: QPushButton
        add_objective_button: QPushButton
        add_action_button: QPushButton
        from_lever_button: QPushButton
        up_button: QPushButton
        down_button: QPushButton
        delete_button: QPushButton
        tree: QTreeWidget
        empty_label: QLabel
        findings_title: QLabel
        findings_list: QListWidget
        findings_box: QWidget
        detail_stack: QStackedWidget
        action_scroll: QScrollArea
        priority_title: QLineEdit
        priority_description: TextEdit
        priority_score: QLabel
        priority_hint: QLabel
        objective_title: QLineEdit
        objective_priority: QComboBox
        objective_hint: QLabel
        action_title: QLineEdit
        action_parent: QComboBox
        action_objective: TextEdit
        action_description: TextEdit
        target_public: TextEdit
        pilot_edit: QLineEdit
        pilot_completer: QCompleter
        status_combo: QComboBox
        budget_edit: QLineEdit
        start_edit: QLineEdit
        end_edit: QLineEdit
        communes_edit: QLineEdit
        partners_table: QTableWidget
        milestones_table: QTableWidget
        constats_list: QListWidget
        constats_empty: QLabel
        link_pack_combo: QComboBox
        plan_filter: QLineEdit
        plan_hint: QLabel
        plan_tree: QTreeWidget
        other_links: QLabel
        justification_edit: TextEdit
        indicators_table: QTableWidget
        field_widgets: dict[str, list[QWidget]]
        sections_nav: QListWidget
        sections_stack: QStackedWidget
        section_widgets: dict[str, QWidget]
        section_timers: dict[str, QTimer]
        _part_scrolls: dict[str, QScrollArea]
        diagnostic_button: QPushButton
        team_summary: QLabel
        team_table: QTableWidget
        team_button: QPushButton
        gantt_view: FigureView
        coherence_pack_combo: QComboBox
        retain_pack_button: QPushButton
        coherence_summary: QLabel
        coherence_grid: QTableWidget
        uncovered_title: QLabel
        uncovered_list: QListWidget
        outside_list: QListWidget
        readiness_summary: QLabel
        readiness_layout: QVBoxLayout

        def _actions_tab(self) -> QWidget: ...
        def _action_form(self) -> QWidget: ...
        def _sections_tab(self) -> QWidget: ...
        def _gantt_tab(self) -> QWidget: ...
        def _coherence_tab(self) -> QWidget: ...
        def _readiness_tab(self) -> QWidget: ...
        def _read_context(self) -> None: ...
        def _fill_pack_combo(self, combo: QComboBox) -> None: ...
        def reload_tree(self, select: tuple[str, int] | None = None) -> None: ...
        def _decorate_action(self, item: QTreeWidgetItem, sheet: hp.ActionSheet) -> None: ...
        def _find_item(self, kind: str, item_id: int) -> QTreeWidgetItem | None: ...
        def select_action(self, action_id: int) -> None: ...
        def selected(self) -> tuple[str, int] | None: ...
        def _priority_of(self, kind: str, item_id: int) -> int | None: ...
        def _objective_of(self, kind: str, item_id: int) -> int | None: ...
        def current_sheet(self) -> hp.ActionSheet | None: ...
        def _objective_choices(self) -> list[tuple[int, str]]: ...
        def _fill_priority_form(self, priority_id: int) -> None: ...
        def _fill_objective_form(self, objective_id: int) -> None: ...
        def fill_action_form(self) -> None: ...
        def _communes_text(self, codes: Sequence[str]) -> str: ...
        def _fill_plan_tree(self) -> None: ...
        def _show_other_links(self) -> None: ...
        def _filter_plan(self, text: str) -> None: ...
        def _show_findings(self, sheet: hp.ActionSheet | None) -> None: ...
        def _save_action(self, **changes: object) -> None: ...
        def _move_action(self) -> None: ...
        def _save_budget(self) -> None: ...
        def _save_date(self, field: str, edit: QLineEdit, what: str) -> None: ...
        def _save_communes(self) -> None: ...
        def _save_partners(self) -> None: ...
        def _save_milestones(self) -> None: ...
        def _save_indicators(self) -> None: ...
        def _save_constats(self) -> None: ...
        def _save_plan_links(self) -> None: ...
        def _save_priority(self, **changes: str) -> None: ...
        def _save_objective_title(self) -> None: ...
        def _move_objective(self) -> None: ...
        def _after_change(self, select: tuple[str, int] | None = None) -> None: ...
        def ask_priority(self) -> None: ...
        def ask_priorities_from_constats(self) -> ConstatsDialog | None: ...
        def ask_objective(self) -> None: ...
        def ask_action(self) -> None: ...
        def ask_lever(self, key: str | None = None) -> LeverDialog | None: ...
        def move_selected(self, offset: int) -> None: ...
        def delete_selected(self) -> None: ...
        def refresh_sections(self) -> None: ...
        def show_section(self, key: str) -> None: ...
        def _read_team(self) -> None: ...
        def flush(self) -> None: ...
        def refresh_gantt(self) -> None: ...
        def show_coherence(self, pack_key: str | None = None) -> CoherenceTable | None: ...
        def refresh_readiness(self) -> Readiness | None: ...

else:
    Host = object
