"""What the FinancingPage mixins may use of each other (for the type checker only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import (
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        QListWidget,
        QPushButton,
        QRadioButton,
        QSpinBox,
        QTableWidget,
        QTabWidget,
        QWidget,
    )

    from santeloc.gui.map_canvas import FigureView
    from santeloc.gui.pages.base import StepPage
    from santeloc.services import financing as svc
    from santeloc.services.projects import ProjectInfo

    class Host(StepPage):
        """The attributes and methods of :class:`FinancingPage`."""

        view: svc.PlanView | None
        _loading: bool
        plan_combo: QComboBox
        duplicate_button: QPushButton
        rename_button: QPushButton
        reference_button: QPushButton
        delete_plan_button: QPushButton
        summary: QLabel
        tabs: QTabWidget
        add_expense_button: QPushButton
        delete_expense_button: QPushButton
        expenses: QTableWidget
        expense_stage: QComboBox
        expense_category: QComboBox
        expense_label: QLineEdit
        expense_amount: QLineEdit
        expense_vat: QLineEdit
        expense_year: QLineEdit
        expense_box: QGroupBox
        add_resource_button: QPushButton
        delete_resource_button: QPushButton
        resources: QTableWidget
        resource_funder: QComboBox
        resource_kind: QComboBox
        resource_label: QLineEdit
        resource_stage: QComboBox
        by_amount: QRadioButton
        by_rate: QRadioButton
        resource_amount: QLineEdit
        resource_rate: QLineEdit
        resource_status: QComboBox
        resource_requested: QLineEdit
        resource_decided: QLineEdit
        resource_base: QListWidget
        resource_findings: QLabel
        resource_box: QGroupBox
        stages: QTableWidget
        findings: QListWidget
        plan_chart: FigureView
        loan_principal: QLineEdit
        loan_rate: QLineEdit
        loan_years: QSpinBox
        loan_mode: QComboBox
        loan_button: QPushButton
        schedule: QTableWidget
        loan_chart_view: FigureView
        rent_charges: QLineEdit
        rent_market: QLineEdit
        rent_split: QComboBox
        occupants: QTableWidget
        add_occupant_button: QPushButton
        remove_occupant_button: QPushButton
        rent_button: QPushButton
        rent_result: QTableWidget
        rent_sentence: QLabel
        comparison: QTableWidget
        funders: QTableWidget

        def _expenses_tab(self) -> QWidget: ...
        def _resources_tab(self) -> QWidget: ...
        def _balance_tab(self) -> QWidget: ...
        def _loan_tab(self) -> QWidget: ...
        def _scenarios_tab(self) -> QWidget: ...
        def _funders_tab(self) -> QWidget: ...
        def load(self, project: ProjectInfo) -> None: ...
        def show_plan(self, plan_id: int) -> None: ...
        def reload(self) -> None: ...
        def _fill_summary(self) -> None: ...
        def _fill_expenses(self) -> None: ...
        def _fill_resources(self) -> None: ...
        def _fill_balance(self) -> None: ...
        def _fill_loan(self) -> None: ...
        def _fill_scenarios(self) -> None: ...
        def _fill_funders(self) -> None: ...
        @staticmethod
        def _selected_id(widget: QTableWidget) -> int | None: ...
        @staticmethod
        def _reselect(widget: QTableWidget, wanted: int | None) -> None: ...
        def select_row_of(self, widget: QTableWidget, line_id: int) -> None: ...
        def _ask_duplicate(self) -> None: ...
        def _ask_rename(self) -> None: ...
        def make_reference(self) -> None: ...
        def _ask_delete_plan(self) -> None: ...

else:
    Host = object
