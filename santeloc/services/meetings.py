"""Use cases of step 5 (and of the participatory steps): meetings, workshops and their follow-up.

A meeting has a kind (comité de pilotage, réunion des professionnels, atelier habitants, réunion
ARS…), a date, a place, participants taken from the project's contacts, an agenda, the
decisions taken and follow-up tasks with an owner and a due date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select
from sqlmodel import col

from santeloc.domain.errors import NotFoundError, ValidationError
from santeloc.domain.formatting import format_date
from santeloc.domain.models import Contact, Meeting, MeetingParticipant, MeetingTask
from santeloc.persistence.uow import UnitOfWork
from santeloc.services.projects import touch_project as _touch

MEETING_KINDS: tuple[tuple[str, str], ...] = (
    ("comite_pilotage", "Comité de pilotage"),
    ("reunion_professionnels", "Réunion des professionnels de santé"),
    ("atelier_habitants", "Atelier avec les habitants"),
    ("reunion_ars", "Réunion avec l'ARS"),
    ("autre", "Autre réunion"),
)
MEETING_LABELS = dict(MEETING_KINDS)

MEETING_FIELDS = ("kind", "title", "held_on", "place", "agenda", "decisions")
TASK_FIELDS = ("label", "owner", "due_on", "done")

NO_DATE = "Une réunion a besoin d'une date."


@dataclass(frozen=True)
class MeetingRow:
    """A meeting as the list shows it."""

    id: int
    kind: str
    title: str
    held_on: date
    place: str
    agenda: str
    decisions: str
    participant_count: int
    open_tasks: int

    @property
    def kind_label(self) -> str:
        """French label of the kind."""
        return MEETING_LABELS.get(self.kind, self.kind or "Réunion")

    @property
    def display_title(self) -> str:
        """The title, or "Comité de pilotage du 12/03/2026" when it has none."""
        return self.title or f"{self.kind_label} du {format_date(self.held_on)}"


@dataclass(frozen=True)
class ParticipantRow:
    """A contact present at a meeting."""

    contact_id: int
    name: str
    role: str
    organisation: str
    kind: str


@dataclass(frozen=True)
class TaskRow:
    """A follow-up task, with the meeting it was decided in."""

    id: int
    meeting_id: int
    meeting_title: str
    meeting_on: date
    label: str
    owner: str
    due_on: date | None
    done: bool
    overdue: bool

    @property
    def due_label(self) -> str:
        """ "Pour le 12/03/2026", "En retard depuis le 12/03/2026" or "Sans échéance"."""
        if self.due_on is None:
            return "Sans échéance"
        if self.overdue:
            return f"En retard depuis le {format_date(self.due_on)}"
        return f"Pour le {format_date(self.due_on)}"


@dataclass(frozen=True)
class MeetingDetail:
    """A meeting with its participants and tasks."""

    meeting: MeetingRow
    participants: list[ParticipantRow]
    tasks: list[TaskRow]


def _load(uow: UnitOfWork, meeting_id: int) -> Meeting:
    meeting = uow.session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFoundError("Cette réunion n'existe plus (supprimée depuis un autre poste ?).")
    return meeting


def _check_meeting(values: dict[str, object]) -> None:
    """Validate and normalise a meeting's values in place (French messages)."""
    kind = str(values.get("kind") or "")
    if kind not in MEETING_LABELS:
        raise ValidationError(f"Type de réunion inconnu : « {kind} ».")
    held_on = values.get("held_on")
    if held_on is None or held_on == "":
        raise ValidationError(NO_DATE)
    if not isinstance(held_on, date):
        raise ValueError("held_on must be a date")
    for key, limit in (("title", 300), ("place", 200)):
        text = " ".join(str(values.get(key) or "").split())
        if len(text) > limit:
            raise ValidationError(f"Texte trop long ({len(text)} caractères) : {limit} au plus.")
        values[key] = text
    for key in ("agenda", "decisions"):
        values[key] = str(values.get(key) or "").strip()


def _meeting_row(uow: UnitOfWork, meeting: Meeting) -> MeetingRow:
    participants = uow.session.execute(
        select(func.count()).select_from(MeetingParticipant).where(col(MeetingParticipant.meeting_id) == meeting.id)
    ).scalar_one()
    open_tasks = uow.session.execute(
        select(func.count())
        .select_from(MeetingTask)
        .where(col(MeetingTask.meeting_id) == meeting.id, col(MeetingTask.done).is_(False))
    ).scalar_one()
    return MeetingRow(
        meeting.id or 0, meeting.kind, meeting.title, meeting.held_on, meeting.place, meeting.agenda,
        meeting.decisions, int(participants), int(open_tasks),
    )  # fmt: skip


# --- meetings ----------------------------------------------------------------------------------


def list_meetings(uow: UnitOfWork, project_id: int) -> list[MeetingRow]:
    """The project's meetings in date order (oldest first)."""
    with uow:
        meetings = (
            uow.session.execute(
                select(Meeting)
                .where(col(Meeting.project_id) == project_id)
                .order_by(col(Meeting.held_on), col(Meeting.id))
            )
            .scalars()
            .all()
        )
        return [_meeting_row(uow, m) for m in meetings]


def add_meeting(
    uow: UnitOfWork,
    project_id: int,
    *,
    kind: str,
    held_on: date | None,
    title: str = "",
    place: str = "",
    agenda: str = "",
    decisions: str = "",
    participant_ids: Iterable[int] = (),
) -> int:
    """Create a meeting (a date is required), optionally with its participants, in one transaction."""
    values: dict[str, object] = {
        "kind": kind, "held_on": held_on, "title": title, "place": place, "agenda": agenda, "decisions": decisions,
    }  # fmt: skip
    _check_meeting(values)
    with uow:
        _touch(uow, project_id)
        meeting = Meeting(project_id=project_id, **values)  # type: ignore[arg-type]
        uow.session.add(meeting)
        uow.flush()
        assert meeting.id is not None
        _add_participants(uow, meeting, list(participant_ids))
        uow.commit()
        return meeting.id


def update_meeting(uow: UnitOfWork, meeting_id: int, **changes: object) -> None:
    """Change a meeting's kind, title, date, place, agenda or decisions (a date stays required)."""
    wrong = set(changes) - set(MEETING_FIELDS)
    if wrong:
        raise ValueError(sorted(wrong))
    with uow:
        meeting = _load(uow, meeting_id)
        values = {key: getattr(meeting, key) for key in MEETING_FIELDS} | changes
        _check_meeting(values)
        for key, value in values.items():
            setattr(meeting, key, value)
        uow.session.add(meeting)
        _touch(uow, meeting.project_id)
        uow.commit()


def delete_meeting(uow: UnitOfWork, meeting_id: int) -> None:
    """Remove a meeting with its participants and tasks."""
    with uow:
        meeting = uow.session.get(Meeting, meeting_id)
        if meeting is None:
            return
        _touch(uow, meeting.project_id)
        uow.session.delete(meeting)
        uow.commit()


def get_meeting(uow: UnitOfWork, meeting_id: int, *, today: date | None = None) -> MeetingDetail:
    """A meeting with its participants (by name) and its tasks (by due date)."""
    today = today or date.today()
    with uow:
        meeting = _load(uow, meeting_id)
        row = _meeting_row(uow, meeting)
        contacts = (
            uow.session.execute(
                select(Contact)
                .join(MeetingParticipant, col(MeetingParticipant.contact_id) == col(Contact.id))
                .where(col(MeetingParticipant.meeting_id) == meeting_id)
            )
            .scalars()
            .all()
        )
        tasks = (
            uow.session.execute(select(MeetingTask).where(col(MeetingTask.meeting_id) == meeting_id)).scalars().all()
        )
    participants = sorted(
        (ParticipantRow(c.id or 0, c.name, c.role, c.organisation, c.kind) for c in contacts),
        key=lambda p: (p.name.lower(), p.contact_id),
    )
    task_rows = [_task_row(t, row, today) for t in tasks]
    return MeetingDetail(row, participants, sorted(task_rows, key=_task_order))


# --- participants ------------------------------------------------------------------------------


def _add_participants(uow: UnitOfWork, meeting: Meeting, contact_ids: list[int]) -> None:
    """Add contacts to a meeting; duplicates (in the list or already present) are refused."""
    if not contact_ids:
        return
    assert meeting.id is not None
    contacts = {
        c.id: c for c in uow.session.execute(select(Contact).where(col(Contact.id).in_(contact_ids))).scalars().all()
    }
    present = set(
        uow.session.execute(
            select(col(MeetingParticipant.contact_id)).where(col(MeetingParticipant.meeting_id) == meeting.id)
        ).scalars()
    )
    seen: set[int] = set()
    for contact_id in contact_ids:
        contact = contacts.get(contact_id)
        if contact is None or contact.project_id != meeting.project_id:
            raise NotFoundError("Un des participants n'est plus dans les contacts du projet (supprimé depuis ?).")
        if contact_id in present or contact_id in seen:
            raise ValidationError(f"{contact.name} figure déjà parmi les participants de cette réunion.")
        seen.add(contact_id)
        uow.session.add(MeetingParticipant(meeting_id=meeting.id, contact_id=contact_id))


def add_participants(uow: UnitOfWork, meeting_id: int, contact_ids: Iterable[int]) -> None:
    """Add contacts to a meeting; one already present (or given twice) refuses them all."""
    with uow:
        meeting = _load(uow, meeting_id)
        _add_participants(uow, meeting, list(contact_ids))
        _touch(uow, meeting.project_id)
        uow.commit()


def add_participant(uow: UnitOfWork, meeting_id: int, contact_id: int) -> None:
    """Add one contact to a meeting (refused with a French message if already present)."""
    add_participants(uow, meeting_id, [contact_id])


def set_participants(uow: UnitOfWork, meeting_id: int, contact_ids: Iterable[int]) -> None:
    """Replace the participants of a meeting by these contacts (a contact given twice is refused)."""
    with uow:
        meeting = _load(uow, meeting_id)
        uow.session.execute(delete(MeetingParticipant).where(col(MeetingParticipant.meeting_id) == meeting_id))
        _add_participants(uow, meeting, list(contact_ids))
        _touch(uow, meeting.project_id)
        uow.commit()


def remove_participant(uow: UnitOfWork, meeting_id: int, contact_id: int) -> None:
    """Remove a contact from a meeting's participants (nothing happens if absent)."""
    with uow:
        meeting = _load(uow, meeting_id)
        uow.session.execute(
            delete(MeetingParticipant).where(
                col(MeetingParticipant.meeting_id) == meeting_id, col(MeetingParticipant.contact_id) == contact_id
            )
        )
        _touch(uow, meeting.project_id)
        uow.commit()


# --- tasks -------------------------------------------------------------------------------------


def _task_row(task: MeetingTask, meeting: MeetingRow, today: date) -> TaskRow:
    overdue = task.due_on is not None and task.due_on < today and not task.done
    return TaskRow(
        task.id or 0, task.meeting_id, meeting.display_title, meeting.held_on, task.label, task.owner, task.due_on,
        task.done, overdue,
    )  # fmt: skip


def _task_order(task: TaskRow) -> tuple[bool, date, date, int]:
    """Due date first (tasks without one last), then the meeting's date."""
    return (task.due_on is None, task.due_on or date.max, task.meeting_on, task.id)


def _check_task(values: dict[str, object], held_on: date) -> None:
    label = " ".join(str(values.get("label") or "").split())
    if not label:
        raise ValidationError("La tâche a besoin d'un intitulé (ce qu'il faut faire).")
    if len(label) > 300:
        raise ValidationError(f"L'intitulé de la tâche est trop long ({len(label)} caractères) : 300 au plus.")
    values["label"] = label
    owner = " ".join(str(values.get("owner") or "").split())
    if len(owner) > 200:
        raise ValidationError("Le nom du responsable de la tâche est trop long : 200 caractères au plus.")
    values["owner"] = owner
    due_on = values.get("due_on")
    if due_on is not None and not isinstance(due_on, date):
        raise ValueError("due_on must be a date or None")
    if due_on is not None and due_on < held_on:
        raise ValidationError(
            f"L'échéance du {format_date(due_on)} précède la réunion du {format_date(held_on)} où la tâche a été décidée."
        )
    values["done"] = bool(values.get("done"))


def add_task(uow: UnitOfWork, meeting_id: int, label: str, *, owner: str = "", due_on: date | None = None) -> int:
    """Add a follow-up task to a meeting, with who carries it and for when."""
    values: dict[str, object] = {"label": label, "owner": owner, "due_on": due_on, "done": False}
    with uow:
        meeting = _load(uow, meeting_id)
        _check_task(values, meeting.held_on)
        task = MeetingTask(meeting_id=meeting_id, **values)  # type: ignore[arg-type]
        uow.session.add(task)
        _touch(uow, meeting.project_id)
        uow.commit()
        assert task.id is not None
        return task.id


def update_task(uow: UnitOfWork, task_id: int, **changes: object) -> None:
    """Change a task's label, owner, due date or done flag."""
    wrong = set(changes) - set(TASK_FIELDS)
    if wrong:
        raise ValueError(sorted(wrong))
    with uow:
        task = uow.session.get(MeetingTask, task_id)
        if task is None:
            raise NotFoundError("Cette tâche n'existe plus (supprimée depuis un autre poste ?).")
        meeting = _load(uow, task.meeting_id)
        values = {key: getattr(task, key) for key in TASK_FIELDS} | changes
        if "due_on" in changes:
            _check_task(values, meeting.held_on)
        else:
            _check_task(values, date.min)
        if values["done"] and not task.done:
            task.done_on = date.today()  # the compte rendu shows each task as it stood at its meeting
        elif not values["done"]:
            task.done_on = None
        for key, value in values.items():
            setattr(task, key, value)
        uow.session.add(task)
        _touch(uow, meeting.project_id)
        uow.commit()


def set_task_done(uow: UnitOfWork, task_id: int, done: bool = True) -> None:
    """Mark a task as done (or not done again)."""
    update_task(uow, task_id, done=done)


def delete_task(uow: UnitOfWork, task_id: int) -> None:
    """Remove a task."""
    with uow:
        task = uow.session.get(MeetingTask, task_id)
        if task is None:
            return
        meeting = _load(uow, task.meeting_id)
        _touch(uow, meeting.project_id)
        uow.session.delete(task)
        uow.commit()


def pending_tasks(uow: UnitOfWork, project_id: int, *, today: date | None = None) -> list[TaskRow]:
    """Tasks not done yet, across the project's meetings, by due date (overdue ones flagged;
    tasks without a due date last)."""
    today = today or date.today()
    with uow:
        pairs = uow.session.execute(
            select(MeetingTask, Meeting)
            .join(Meeting, col(Meeting.id) == col(MeetingTask.meeting_id))
            .where(col(Meeting.project_id) == project_id, col(MeetingTask.done).is_(False))
        ).all()
        rows = [
            _task_row(
                task, MeetingRow(meeting.id or 0, meeting.kind, meeting.title, meeting.held_on, "", "", "", 0, 0), today
            )
            for task, meeting in pairs
        ]
    return sorted(rows, key=_task_order)
