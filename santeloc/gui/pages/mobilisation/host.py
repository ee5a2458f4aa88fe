"""What the MobilisationPage mixins may use of each other (for the type checker only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import (
        QCheckBox,
        QComboBox,
        QDialog,
        QGroupBox,
        QLabel,
        QLineEdit,
        QListWidget,
        QPushButton,
        QTableWidget,
        QTableWidgetItem,
        QWidget,
    )

    from santeloc.gui.pages.base import StepPage
    from santeloc.gui.pages.inhabitants.common import PageTabs, TextArea
    from santeloc.gui.pages.mobilisation.common import (
        DateField,
    )
    from santeloc.services import meetings as meeting_svc
    from santeloc.services import mobilisation as svc

    class Host(StepPage):
        """The attributes and methods of :class:`MobilisationPage`."""

        professionals: list[svc.MobilisationRow]
        history: list[svc.CommitmentEventRow]
        contacts: list[svc.ContactRow]
        meetings: list[meeting_svc.MeetingRow]
        meeting: meeting_svc.MeetingDetail | None
        pending: list[meeting_svc.TaskRow]
        summary: svc.MobilisationSummary | None
        dialog: QDialog | None
        _loading: bool
        tabs: PageTabs
        pro_empty: QLabel
        pro_table: QTableWidget
        answer_combos: dict[str, QComboBox]
        fte_edit: QLineEdit
        horizon_edit: QLineEdit
        conditions_edit: TextArea
        leader_check: QCheckBox
        stay_hint: QLabel
        answers_box: QGroupBox
        status_label: QLabel
        status_combo: QComboBox
        status_date: DateField
        status_note: QLineEdit
        status_button: QPushButton
        status_feedback: QLabel
        history_list: QListWidget
        delete_step_button: QPushButton
        commitment_box: QGroupBox
        msp_label: QLabel
        counts_label: QLabel
        leaders_label: QLabel
        summary_table: QTableWidget
        add_contact_button: QPushButton
        registry_button: QPushButton
        contact_filter: QComboBox
        delete_contact_button: QPushButton
        contacts_empty: QLabel
        contacts_table: QTableWidget
        contact_kind: QComboBox
        contact_name: QLineEdit
        contact_role: QLineEdit
        contact_organisation: QLineEdit
        contact_phone: QLineEdit
        contact_email: QLineEdit
        contact_link: QLabel
        contact_box: QGroupBox
        add_meeting_button: QPushButton
        delete_meeting_button: QPushButton
        meetings_table: QTableWidget
        meeting_date: DateField
        meeting_kind: QComboBox
        meeting_title: QLineEdit
        meeting_place: QLineEdit
        participants_list: QListWidget
        participant_combo: QComboBox
        add_participant_button: QPushButton
        remove_participant_button: QPushButton
        meeting_agenda: TextArea
        meeting_decisions: TextArea
        tasks_table: QTableWidget
        task_label: QLineEdit
        task_owner: QLineEdit
        task_due: DateField
        add_task_button: QPushButton
        delete_task_button: QPushButton
        meeting_box: QGroupBox
        pending_label: QLabel
        pending_table: QTableWidget
        open_meeting_button: QPushButton
        done_button: QPushButton

        def _professionals_tab(self) -> QWidget: ...
        def _summary_tab(self) -> QWidget: ...
        def _contacts_tab(self) -> QWidget: ...
        def _meetings_tab(self) -> QWidget: ...
        def _pending_tab(self) -> QWidget: ...
        def _after_change(self) -> None: ...
        def refresh_professionals(self) -> None: ...
        def refresh_summary(self) -> None: ...
        def refresh_contacts(self) -> None: ...
        def refresh_meetings(self) -> None: ...
        def current_meeting_id(self) -> int | None: ...
        def select_meeting(self, meeting_id: int) -> None: ...
        def _fill_meeting(self) -> None: ...
        def refresh_meeting_detail(self) -> None: ...
        def _fill_participant_choices(self) -> None: ...
        def _add_typed_task(self) -> None: ...
        def _task_edited(self, cell: QTableWidgetItem) -> None: ...
        def delete_selected_task(self) -> None: ...
        def refresh_pending(self) -> None: ...

else:
    Host = object
