"""What a compte rendu needs beyond the meeting itself: attendance, secretary, next meeting, task states.

A task's state is given **at the meeting's date** (done before it, late at it, to do), not at
the date the document is produced: a compte rendu records a moment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import col

from santeloc.domain.errors import NotFoundError, ValidationError
from santeloc.domain.models import Contact, Meeting, MeetingParticipant, MeetingTask
from santeloc.persistence.uow import UnitOfWork
from santeloc.services.projects import touch_project

ATTENDANCE: tuple[tuple[str, str], ...] = (("present", "Présent"), ("excuse", "Excusé"), ("absent", "Absent"))
"""Attendance of a participant, with its French label."""


@dataclass(frozen=True)
class Attendee:
    """A person invited to a meeting and whether they came."""

    contact_id: int
    name: str
    role: str
    organisation: str
    attendance: str


@dataclass(frozen=True)
class TaskAtMeeting:
    """A follow-up task of a meeting and its state on the meeting's date."""

    label: str
    owner: str
    due_on: date | None
    state: str


@dataclass(frozen=True)
class Minutes:
    """The compte rendu's own data."""

    secretary: str
    next_meeting: str
    attendees: tuple[Attendee, ...]
    tasks: tuple[TaskAtMeeting, ...]


def task_state(done_on: date | None, done: bool, due_on: date | None, at: date) -> str:
    """« Faite », « En retard » or « À faire » as on ``at``."""
    if done and (done_on is None or done_on <= at):
        return "Faite"
    if due_on is not None and due_on < at:
        return "En retard"
    return "À faire"


def get_minutes(uow: UnitOfWork, meeting_id: int) -> Minutes:
    """Attendance, secretary, next meeting and each task as it stood on the meeting's date."""
    with uow:
        meeting = uow.session.get(Meeting, meeting_id)
        if meeting is None:
            raise NotFoundError("Cette réunion n'existe plus.")
        rows = uow.session.execute(
            select(MeetingParticipant, Contact)
            .join(Contact, col(Contact.id) == col(MeetingParticipant.contact_id))
            .where(col(MeetingParticipant.meeting_id) == meeting_id)
            .order_by(col(Contact.name))
        ).all()
        tasks = (
            uow.session.execute(
                select(MeetingTask).where(col(MeetingTask.meeting_id) == meeting_id).order_by(col(MeetingTask.id))
            )
            .scalars()
            .all()
        )
        return Minutes(
            secretary=meeting.secretary,
            next_meeting=meeting.next_meeting,
            attendees=tuple(
                Attendee(c.id or 0, c.name, c.role, c.organisation, p.attendance or "present") for p, c in rows
            ),
            tasks=tuple(
                TaskAtMeeting(t.label, t.owner, t.due_on, task_state(t.done_on, t.done, t.due_on, meeting.held_on))
                for t in tasks
            ),
        )


def set_minutes(
    uow: UnitOfWork,
    meeting_id: int,
    *,
    secretary: str | None = None,
    next_meeting: str | None = None,
    attendance: Mapping[int, str] | None = None,
) -> None:
    """Record the secretary, the next meeting and who was present, excused or absent."""
    known = {key for key, _label in ATTENDANCE}
    if attendance and set(attendance.values()) - known:
        raise ValidationError("Présence inconnue : choisissez présent, excusé ou absent.")
    with uow:
        meeting = uow.session.get(Meeting, meeting_id)
        if meeting is None:
            raise NotFoundError("Cette réunion n'existe plus.")
        if secretary is not None:
            meeting.secretary = secretary.strip()
        if next_meeting is not None:
            meeting.next_meeting = next_meeting.strip()
        uow.session.add(meeting)
        for contact_id, value in (attendance or {}).items():
            row = uow.session.execute(
                select(MeetingParticipant).where(
                    col(MeetingParticipant.meeting_id) == meeting_id, col(MeetingParticipant.contact_id) == contact_id
                )
            ).scalar_one_or_none()
            if row is None:
                row = MeetingParticipant(meeting_id=meeting_id, contact_id=contact_id)
            row.attendance = value
            uow.session.add(row)
        touch_project(uow, meeting.project_id)
        uow.commit()


def set_task_done_on(uow: UnitOfWork, task_id: int, done_on: date | None) -> None:
    """Record when a task was done (``None``: not done)."""
    with uow:
        task = uow.session.get(MeetingTask, task_id)
        if task is None:
            raise NotFoundError("Cette tâche n'existe plus.")
        task.done = done_on is not None
        task.done_on = done_on
        uow.session.add(task)
        uow.commit()
