"""Meetings and workshops on a real database (SQLite and PostgreSQL): dates, participants, tasks."""

from __future__ import annotations

from datetime import date

import pytest

from santeloc.domain.errors import NotFoundError, ValidationError
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import meetings as svc
from santeloc.services import mobilisation
from santeloc.services import projects as project_svc


@pytest.fixture
def project_id(uow: UnitOfWork) -> int:
    return project_svc.create_project(uow, "Pôle de santé du Val").id


@pytest.fixture
def contacts(uow: UnitOfWork, project_id: int) -> list[int]:
    return [
        mobilisation.add_contact(uow, project_id, kind="elu", name="Jean Dupuis", role="Maire"),
        mobilisation.add_contact(uow, project_id, kind="ars", name="Claire Roux", organisation="ARS — DD"),
        mobilisation.add_contact(uow, project_id, kind="autre", name="Anne Petit", role="Coordinatrice"),
    ]


def test_meeting_without_date_is_refused_in_french(uow: UnitOfWork, project_id: int) -> None:
    with pytest.raises(ValidationError, match=r"^Une réunion a besoin d'une date\.$"):
        svc.add_meeting(uow, project_id, kind="comite_pilotage", held_on=None, title="Lancement")
    with pytest.raises(ValidationError, match="Type de réunion inconnu"):
        svc.add_meeting(uow, project_id, kind="apero", held_on=date(2026, 3, 4))
    assert svc.list_meetings(uow, project_id) == []
    meeting = svc.add_meeting(uow, project_id, kind="comite_pilotage", held_on=date(2026, 3, 4))
    with pytest.raises(ValidationError, match="Une réunion a besoin d'une date"):
        svc.update_meeting(uow, meeting, held_on=None)
    assert svc.list_meetings(uow, project_id)[0].held_on == date(2026, 3, 4)


def test_meetings_in_date_order_with_their_details(uow: UnitOfWork, project_id: int, contacts: list[int]) -> None:
    later = svc.add_meeting(
        uow, project_id, kind="atelier_habitants", held_on=date(2026, 5, 20), place="Salle des fêtes",
        agenda="Présentation du diagnostic\nVote des priorités", participant_ids=contacts[:2],
    )  # fmt: skip
    first = svc.add_meeting(uow, project_id, kind="comite_pilotage", held_on=date(2026, 2, 10), title="Lancement")
    rows = svc.list_meetings(uow, project_id)
    assert [r.id for r in rows] == [first, later]
    assert rows[0].display_title == "Lancement"
    assert rows[1].display_title == "Atelier avec les habitants du 20/05/2026"
    assert rows[1].participant_count == 2 and rows[1].kind_label == "Atelier avec les habitants"

    svc.update_meeting(uow, later, decisions="Priorité 1 : accès aux soins non programmés", place="  Mairie  ")
    detail = svc.get_meeting(uow, later)
    assert detail.meeting.decisions.startswith("Priorité 1")
    assert detail.meeting.place == "Mairie"
    assert [p.name for p in detail.participants] == ["Claire Roux", "Jean Dupuis"]

    svc.delete_meeting(uow, later)
    assert [r.id for r in svc.list_meetings(uow, project_id)] == [first]
    with pytest.raises(NotFoundError):
        svc.get_meeting(uow, later)


def test_duplicate_participants_are_refused_and_nothing_is_half_added(
    uow: UnitOfWork, project_id: int, contacts: list[int]
) -> None:
    mayor, ars, coordinator = contacts
    meeting = svc.add_meeting(uow, project_id, kind="reunion_ars", held_on=date(2026, 4, 2), participant_ids=[mayor])
    with pytest.raises(ValidationError, match=r"^Jean Dupuis figure déjà parmi les participants de cette réunion\.$"):
        svc.add_participant(uow, meeting, mayor)
    # Given twice in one go: the whole addition is refused, the first one included.
    with pytest.raises(ValidationError, match="Claire Roux figure déjà parmi les participants"):
        svc.add_participants(uow, meeting, [ars, coordinator, ars])
    assert [p.contact_id for p in svc.get_meeting(uow, meeting).participants] == [mayor]
    # A new meeting given the same contact twice is not created at all.
    with pytest.raises(ValidationError, match="figure déjà parmi les participants"):
        svc.add_meeting(uow, project_id, kind="autre", held_on=date(2026, 4, 3), participant_ids=[ars, ars])
    assert len(svc.list_meetings(uow, project_id)) == 1

    svc.set_participants(uow, meeting, [ars, coordinator])
    assert {p.contact_id for p in svc.get_meeting(uow, meeting).participants} == {ars, coordinator}
    with pytest.raises(ValidationError, match="figure déjà"):
        svc.set_participants(uow, meeting, [mayor, mayor])
    assert {p.contact_id for p in svc.get_meeting(uow, meeting).participants} == {ars, coordinator}
    svc.remove_participant(uow, meeting, ars)
    assert [p.contact_id for p in svc.get_meeting(uow, meeting).participants] == [coordinator]

    # Contacts of another project cannot attend; a deleted contact leaves the meeting.
    other = project_svc.create_project(uow, "Autre projet").id
    stranger = mobilisation.add_contact(uow, other, kind="elu", name="Paul Martin")
    with pytest.raises(NotFoundError, match="n'est plus dans les contacts du projet"):
        svc.add_participant(uow, meeting, stranger)
    mobilisation.delete_contact(uow, coordinator)
    assert svc.get_meeting(uow, meeting).participants == []


def test_pending_tasks_by_due_date_with_overdue_flag(uow: UnitOfWork, project_id: int) -> None:
    copil = svc.add_meeting(uow, project_id, kind="comite_pilotage", held_on=date(2026, 2, 10))
    pros = svc.add_meeting(uow, project_id, kind="reunion_professionnels", held_on=date(2026, 3, 12))
    no_due = svc.add_task(uow, copil, "Rédiger le compte rendu", owner="Anne Petit")
    late = svc.add_task(uow, copil, "Demander les données à l'ORS", owner="Chargée de mission", due_on=date(2026, 3, 1))
    soon = svc.add_task(uow, pros, "Envoyer le questionnaire", owner="Mairie", due_on=date(2026, 4, 30))
    done = svc.add_task(uow, pros, "Réserver la salle", due_on=date(2026, 3, 20))
    svc.set_task_done(uow, done)

    tasks = svc.pending_tasks(uow, project_id, today=date(2026, 4, 1))
    assert [t.id for t in tasks] == [late, soon, no_due]
    assert [t.overdue for t in tasks] == [True, False, False]
    assert tasks[0].due_label == "En retard depuis le 01/03/2026"
    assert tasks[1].due_label == "Pour le 30/04/2026"
    assert tasks[2].due_label == "Sans échéance"
    assert tasks[0].meeting_title == "Comité de pilotage du 10/02/2026"

    svc.update_task(uow, late, due_on=date(2026, 4, 15), owner="Anne Petit")
    svc.set_task_done(uow, no_due)
    tasks = svc.pending_tasks(uow, project_id, today=date(2026, 4, 1))
    assert [(t.id, t.overdue) for t in tasks] == [(late, False), (soon, False)]
    assert svc.list_meetings(uow, project_id)[0].open_tasks == 1

    with pytest.raises(ValidationError, match="La tâche a besoin d'un intitulé"):
        svc.add_task(uow, copil, "  ")
    with pytest.raises(ValidationError, match="L'échéance du 01/01/2026 précède la réunion du 10/02/2026"):
        svc.add_task(uow, copil, "Trop tôt", due_on=date(2026, 1, 1))
    with pytest.raises(ValidationError, match="précède la réunion"):
        svc.update_task(uow, late, due_on=date(2026, 1, 1))

    svc.delete_task(uow, soon)
    svc.delete_meeting(uow, copil)  # its tasks go with it
    assert svc.pending_tasks(uow, project_id, today=date(2026, 4, 1)) == []
