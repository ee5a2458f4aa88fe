"""The workshop's vote is saved as one transaction: priorities, scores, order and meeting."""

from __future__ import annotations

from datetime import date

import pytest

from santeloc.domain.errors import ValidationError
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import health_project as hp
from santeloc.services import indicators as indicators_svc
from santeloc.services import meetings as meetings_svc
from santeloc.services import projects as project_svc
from santeloc.services.workshop import POINTS, VoteCandidate, WorkshopSession, save_workshop_vote


@pytest.fixture
def project_id(uow: UnitOfWork) -> int:
    return project_svc.create_project(uow, "Atelier").id


def test_a_vote_creates_scores_orders_and_records(uow: UnitOfWork, project_id: int) -> None:
    constat = indicators_svc.add_constat(uow, project_id, "Mortalité prématurée élevée")
    hp.add_priority(uow, project_id, "Accès aux soins")
    candidates = [
        VoteCandidate("Accès aux soins"),
        VoteCandidate("Mortalité prématurée élevée", constat_id=constat),
        VoteCandidate("Prévention des chutes", description="Proposée en séance"),
    ]
    session = WorkshopSession("comite_pilotage", date(2026, 11, 5), POINTS, ("Élus", "Professionnels"), 3)
    outcome = save_workshop_vote(
        uow, project_id, candidates, {"Accès aux soins": 4, "Mortalité prématurée élevée": 9, "Prévention des chutes": 2},
        session,
    )  # fmt: skip
    assert [r.title for r in outcome.rows] == [
        "Mortalité prématurée élevée",
        "Accès aux soins",
        "Prévention des chutes",
    ]
    assert [r.score for r in hp.list_priorities(uow, project_id)] == [9.0, 4.0, 2.0]
    assert outcome.meeting_id is not None
    meeting = meetings_svc.list_meetings(uow, project_id)[0]
    assert "1. Mortalité prématurée élevée — 9\u00a0points" in meeting.decisions


def test_a_refusal_anywhere_leaves_nothing(uow: UnitOfWork, project_id: int) -> None:
    candidates = [VoteCandidate("Santé mentale"), VoteCandidate("Addictions")]
    bad_meeting = WorkshopSession("pas_un_type", date(2026, 11, 5), POINTS, ("Élus",), 0)
    with pytest.raises(ValidationError):
        save_workshop_vote(uow, project_id, candidates, {"Santé mentale": 3, "Addictions": 1}, bad_meeting)
    # The priorities were created before the meeting failed: rolled back with it.
    assert hp.list_priorities(uow, project_id) == []
    assert meetings_svc.list_meetings(uow, project_id) == []
    with pytest.raises(ValidationError, match="soumises au vote"):
        save_workshop_vote(uow, project_id, candidates, {"Inconnue": 1})


def test_nested_units_of_work_are_one_transaction(uow: UnitOfWork, project_id: int) -> None:
    """A service called inside another's block joins its transaction: its commit only flushes."""
    with pytest.raises(RuntimeError), uow:
        hp.add_priority(uow, project_id, "Créée puis annulée")
        assert [p.title for p in hp.list_priorities(uow, project_id)] == ["Créée puis annulée"]
        raise RuntimeError("échec après la première écriture")
    assert hp.list_priorities(uow, project_id) == []
