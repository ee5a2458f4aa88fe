"""The prioritisation workshop's result, saved as one transaction.

Creating the priorities the room voted on (from their constat, or proposed during the session),
storing every score, ordering the priorities by score and recording the session among the
meetings all happen in one unit of work: a refusal anywhere leaves the project as it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import NBSP, format_decimal, format_int, plural
from santeloc.domain.levers import plain_text
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import health_project as priorities_svc
from santeloc.services import meetings as meetings_svc

POINTS = "points"
RANKS = "ranks"
MEETING_TITLE = "Atelier de priorisation du projet de santé"


@dataclass(frozen=True)
class VoteCandidate:
    """A priority the room votes on: drawn from a constat, or proposed during the meeting."""

    title: str
    constat_id: int | None = None
    description: str = ""


@dataclass(frozen=True)
class WorkshopSession:
    """How the vote went, to record the session among the project's meetings."""

    kind: str  # a meeting kind ("" : do not record)
    held_on: date
    mode: str  # POINTS or RANKS
    participants: tuple[str, ...]
    constats_shown: int
    meeting_id: int | None = None  # the meeting recorded by a previous save of the same session


@dataclass(frozen=True)
class WorkshopOutcome:
    """The priorities voted on, best first, and the meeting recorded (if any)."""

    rows: tuple[priorities_svc.PriorityRow, ...]
    meeting_id: int | None
    decisions: str


def number_text(value: float) -> str:
    """A score the French way: ``12``, ``2,5``, ``1 012,3``."""
    if float(value).is_integer():
        return format_int(int(value))
    return format_decimal(value, 2 if abs(value) < 100 else 1).rstrip("0").rstrip(",")


def points_text(score: float) -> str:
    """``9`` → ``9 points``, ``1`` → ``1 point`` (French: under 2, singular)."""
    return f"{number_text(score)}{NBSP}{'point' if abs(score) < 2 else 'points'}"


def decisions_text(session: WorkshopSession, rows: Sequence[priorities_svc.PriorityRow]) -> str:
    """The decisions of the session as the compte rendu prints them."""
    mode = "vote par points" if session.mode == POINTS else "classement, méthode de Borda"
    lines = [f"Priorités retenues par vote ({mode} ; {', '.join(session.participants)}) :"]
    lines += [f"{position}. {row.title} — {points_text(row.score or 0.0)}" for position, row in enumerate(rows, 1)]
    return "\n".join(lines)


def save_workshop_vote(
    uow: UnitOfWork,
    project_id: int,
    candidates: Sequence[VoteCandidate],
    scores: Mapping[str, float],
    session: WorkshopSession | None = None,
) -> WorkshopOutcome:
    """Create the missing priorities, store the scores (by candidate title), order the project's
    priorities by score and record the session — all or nothing."""
    by_title = {plain_text(c.title): c for c in candidates}
    unknown = [title for title in scores if plain_text(title) not in by_title]
    if unknown:
        raise ValidationError(f"« {unknown[0]} » ne fait pas partie des priorités soumises au vote.")
    if not scores:
        raise ValidationError("Aucune priorité n'est soumise au vote : rien n'a été enregistré.")
    with uow:
        existing = {plain_text(p.title): p.id for p in priorities_svc.list_priorities(uow, project_id)}
        voted = [by_title[plain_text(title)] for title in scores]
        # Created in the list's order (runs of constats in one call), so that equal scores keep it.
        run: list[int] = []
        for candidate in [*voted, None]:
            if candidate is not None and plain_text(candidate.title) in existing:
                continue
            if candidate is not None and candidate.constat_id is not None:
                run.append(candidate.constat_id)
                continue
            if run:
                priorities_svc.add_priorities_from_constats(uow, project_id, run)
                run = []
            if candidate is not None:
                existing[plain_text(candidate.title)] = priorities_svc.add_priority(
                    uow, project_id, candidate.title, candidate.description
                )
        existing = {plain_text(p.title): p.id for p in priorities_svc.list_priorities(uow, project_id)}
        missing = [c.title for c in voted if plain_text(c.title) not in existing]
        if missing:
            raise ValidationError(f"La priorité « {missing[0]} » n'a pas pu être créée : rien n'a été enregistré.")
        ids = {existing[plain_text(title)]: score for title, score in scores.items()}
        rows = priorities_svc.apply_vote(uow, project_id, ids, reorder=True)
        saved = tuple(row for row in rows if row.id in ids)
        meeting_id = None
        decisions = ""
        if session is not None and session.kind:
            decisions = decisions_text(session, saved)
            agenda = (
                f"Présentation du diagnostic ({plural(session.constats_shown, 'constat')}, carte du territoire).\n"
                "Vote des priorités du projet de santé."
            )
            if session.meeting_id is None:
                meeting_id = meetings_svc.add_meeting(
                    uow,
                    project_id,
                    kind=session.kind,
                    held_on=session.held_on,
                    title=MEETING_TITLE,
                    agenda=agenda,
                    decisions=decisions,
                )
            else:
                meetings_svc.update_meeting(uow, session.meeting_id, kind=session.kind, decisions=decisions)
                meeting_id = session.meeting_id
        uow.commit()
    return WorkshopOutcome(saved, meeting_id, decisions)
