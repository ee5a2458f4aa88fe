"""Use cases of step 6: priorities, objectives, fiches action and the projet de santé.

What this module offers:

- **priorities** of the project, created free or from the diagnostic's constats, reordered by
  hand or scored from a workshop vote (:func:`tally_points`, :func:`tally_ranks`,
  :func:`apply_vote`); **objectives** under each priority;
- **fiches action** under objectives (:class:`ActionDraft` in, :class:`ActionSheet` out), with
  their links to constats (``ActionConstat``), to objectives of regional plan packs
  (``ActionPlanLink``) and their evaluation indicators (``ActionIndicator``); a fiche can start
  from one of the guide's levers (:func:`add_action_from_lever`);
- the **projet de santé** text, section by section (:data:`SECTIONS`, following the structure
  the ARS use, plus the ACI socle criteria as "oui"/"non" keys), and the automatic
  *diagnostic préalable* drawn from steps 1 to 3 (:func:`diagnostic_summary`);
- the **team** who signs the projet de santé (:func:`list_team`).

Drafts are never refused for being incomplete: a fiche without pilot or objective, dates or
indicator years in the wrong order, a link to another région's plan or an action outside the
plan without justification are saved and reported as :class:`Finding` (French, precise). Only
input that cannot be stored meaningfully (no title, unknown status, malformed INSEE code,
unknown plan objective, negative budget, implausible year…) raises
:class:`~santeloc.domain.errors.ValidationError`.

The fiche's own objective is ``Action.objective``, its communes and milestones are the
``ActionCommune`` and ``ActionMilestone`` rows (migration 0005 moved the marked lines 0.1.0 kept in
the description); partners and their roles are kept in ``Action.partners`` as one
``"Partenaire — rôle"`` per line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Protocol

from sqlalchemy import delete, func, select
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import col

from santeloc.domain.enums import CommitmentStatus, ProjectType
from santeloc.domain.errors import ConflictError, NotFoundError, ValidationError
from santeloc.domain.formatting import NBSP, format_date, format_decimal, format_int, plural
from santeloc.domain.levers import Lever, find_lever, keyword_score, plain_text
from santeloc.domain.models import (
    Action,
    ActionCommune,
    ActionConstat,
    ActionIndicator,
    ActionMilestone,
    ActionPlanLink,
    Constat,
    HealthProjectSection,
    Objective,
    Priority,
    Professional,
    Project,
)
from santeloc.domain.professions import PROFESSIONS, PROFESSIONS_BY_KEY
from santeloc.domain.team import COMMITTED, GP_KEY, commitment_rank
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData, Region, load_refdata
from santeloc.refdata.prs import PackError, PlanObjective, PlanPack, default_folder, load_pack
from santeloc.services import indicators as indicators_svc
from santeloc.services import offer as offer_svc
from santeloc.services.access import apl_runs
from santeloc.services.demography import demography_report
from santeloc.services.official_apl_figures import official_apl_figures
from santeloc.services.projects import touch_project as _touch
from santeloc.services.regional_plans import USER_PLAN_PREFIX, user_plan
from santeloc.services.territory import TerritorySummary, normalise_code, territory_summary

# --- vocabulary -------------------------------------------------------------------------------

ACTION_STATUSES: tuple[tuple[str, str], ...] = (
    ("brouillon", "Brouillon"),
    ("prevue", "Prévue"),
    ("en_cours", "En cours"),
    ("realisee", "Réalisée"),
    ("suspendue", "Suspendue"),
    ("abandonnee", "Abandonnée"),
)
ACTION_STATUS_LABELS = dict(ACTION_STATUSES)
DEFAULT_STATUS = "brouillon"

MEMBER_STATUSES: tuple[str, ...] = tuple(sorted(COMMITTED, key=commitment_rank))
"""Commitment statuses that make a professional a member of the team.

A professional of the registry (step 2) belongs to the team that carries the projet de santé
once they have committed in writing: a *lettre d'intention* or their signature of the projet de
santé. The registry also lists professionals who were only contacted, met or are interested;
they are not members, so they do not have to sign."""

# Severities of a finding: an "alerte" keeps the readiness checklist from being met, an "info"
# is advice.
ALERTE = "alerte"
INFO = "info"

# Codes of the findings, stable for the GUI and the tests.
F_NO_PILOT = "action_sans_pilote"
F_NO_OBJECTIVE = "action_sans_objectif"
F_END_BEFORE_START = "fin_avant_debut"
F_MILESTONE_OUTSIDE = "jalon_hors_periode"
F_TARGET_BEFORE_BASELINE = "cible_avant_reference"
F_INDICATOR_INCOMPLETE = "indicateur_incomplet"
F_NO_INDICATOR = "action_sans_indicateur"
F_NO_CONSTAT = "action_sans_constat"
F_OTHER_REGION = "plan_autre_region"
F_OUTSIDE_PLAN = "hors_plan_sans_justification"
F_GENERAL_LINK = "lien_orientation_generale"
F_REGION_UNKNOWN = "region_inconnue"
F_COMMUNE_OUTSIDE = "commune_hors_territoire"

MAX_TITLE = 300
MAX_PILOT = 200
MIN_YEAR, MAX_YEAR = 1950, 2100

STALE_ACTION = (
    "La fiche action « {title} » a été modifiée par quelqu'un d'autre depuis son affichage. "
    "Rien n'a été écrasé : les données à jour ont été rechargées, refaites votre modification."
)


# --- data transfer objects ------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """Something to fix in a fiche action, in plain French; the draft is saved anyway.

    ``field`` names the part of the fiche concerned (``"pilot"``, ``"objective"``, ``"dates"``,
    ``"milestones"``, ``"indicators"``, ``"constats"``, ``"plan_links"``, ``"communes"``) so the
    editor can point at it.
    """

    code: str
    message: str
    severity: str = ALERTE
    action_id: int | None = None
    field: str = ""


@dataclass(frozen=True)
class ObjectiveRow:
    """An objective of a priority."""

    id: int
    priority_id: int
    title: str
    position: int
    action_count: int


@dataclass(frozen=True)
class PriorityRow:
    """A priority with its objectives."""

    id: int
    title: str
    description: str
    score: float | None
    position: int
    objectives: tuple[ObjectiveRow, ...] = ()


@dataclass(frozen=True)
class Partner:
    """A partner of a fiche action and its role."""

    name: str
    role: str = ""

    @property
    def line(self) -> str:
        """``"Partenaire — rôle"`` (the name alone without role)."""
        return f"{self.name} — {self.role}" if self.role else self.name


@dataclass(frozen=True)
class Milestone:
    """A dated step of a fiche action."""

    on: date
    label: str

    @property
    def line(self) -> str:
        """``"JJ/MM/AAAA — jalon"``."""
        return f"{format_date(self.on)} — {self.label}"


@dataclass(frozen=True)
class PlanLinkRef:
    """A link to an objective of a regional plan pack."""

    pack_key: str
    objective_code: str


@dataclass(frozen=True)
class IndicatorDraft:
    """An evaluation indicator of a fiche action: baseline and target, each with its year."""

    label: str
    unit: str = ""
    baseline: float | None = None
    baseline_year: int | None = None
    target: float | None = None
    target_year: int | None = None
    source: str = ""


@dataclass(frozen=True)
class ActionDraft:
    """Everything the user edits in a fiche action.

    ``objective`` is the fiche's own aim (what the action must change); the project objective
    it serves is the ``Objective`` row it hangs under. ``budget_cents`` is the total cost in
    cents. ``plan_justification`` explains an action outside the regional plan.
    """

    title: str
    objective: str = ""
    description: str = ""
    target_public: str = ""
    pilot: str = ""
    partners: tuple[Partner, ...] = ()
    communes: tuple[str, ...] = ()
    starts_on: date | None = None
    ends_on: date | None = None
    milestones: tuple[Milestone, ...] = ()
    status: str = DEFAULT_STATUS
    budget_cents: int | None = None
    plan_justification: str = ""
    constat_ids: tuple[int, ...] = ()
    plan_links: tuple[PlanLinkRef, ...] = ()
    indicators: tuple[IndicatorDraft, ...] = ()


@dataclass(frozen=True)
class ActionSheet:
    """A stored fiche action: its place in the tree, its values, its version and its findings.

    Edit with ``dataclasses.replace(sheet.draft, …)`` and :func:`update_action` with
    ``expected_version=sheet.version``.
    """

    id: int
    version: int
    objective_id: int
    objective_title: str
    priority_id: int
    priority_title: str
    draft: ActionDraft
    findings: tuple[Finding, ...] = ()

    @property
    def title(self) -> str:
        """Title of the fiche."""
        return self.draft.title

    @property
    def status_label(self) -> str:
        """French label of the status."""
        return ACTION_STATUS_LABELS.get(self.draft.status, self.draft.status or "Brouillon")

    @property
    def alerts(self) -> tuple[Finding, ...]:
        """Findings of severity "alerte"."""
        return tuple(f for f in self.findings if f.severity == ALERTE)

    def has(self, code: str) -> bool:
        """Whether a finding of that code concerns the fiche."""
        return any(f.code == code for f in self.findings)


@dataclass(frozen=True)
class TeamMember:
    """A professional of the team that carries the projet de santé."""

    id: int
    name: str
    profession: str
    profession_label: str
    commitment_status: str
    commitment_label: str
    is_leader: bool
    is_member: bool

    @property
    def has_signed(self) -> bool:
        """Whether the professional signed the projet de santé."""
        return self.commitment_status == CommitmentStatus.SIGNATAIRE.value

    @property
    def is_gp(self) -> bool:
        """General practitioner."""
        return self.profession == GP_KEY

    @property
    def is_paramedical(self) -> bool:
        """Paramedical profession (counts for the MSP minimum)."""
        profession = PROFESSIONS_BY_KEY.get(self.profession)
        return bool(profession and profession.paramedical)


# --- small helpers ----------------------------------------------------------------------------


def _priority(uow: UnitOfWork, priority_id: int) -> Priority:
    priority = uow.session.get(Priority, priority_id)
    if priority is None:
        raise NotFoundError("Cette priorité n'existe plus (supprimée depuis un autre poste ?).")
    return priority


def _objective(uow: UnitOfWork, objective_id: int) -> tuple[Objective, Priority]:
    objective = uow.session.get(Objective, objective_id)
    if objective is None:
        raise NotFoundError("Cet objectif n'existe plus (supprimé depuis un autre poste ?).")
    return objective, _priority(uow, objective.priority_id)


def _action(uow: UnitOfWork, action_id: int) -> tuple[Action, Objective, Priority]:
    action = uow.session.get(Action, action_id)
    if action is None:
        raise NotFoundError("Cette fiche action n'existe plus (supprimée depuis un autre poste ?).")
    objective, priority = _objective(uow, action.objective_id)
    return action, objective, priority


def _clean_title(text: str, what: str, limit: int = MAX_TITLE) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise ValidationError(f"Donnez un intitulé {what}.")
    if len(cleaned) > limit:
        raise ValidationError(f"L'intitulé {what} est trop long ({len(cleaned)} caractères, {limit} au plus).")
    return cleaned


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- regional plan packs ----------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _packs_cached(folder: str, stamp: tuple[tuple[str, int], ...]) -> tuple[PlanPack, ...]:
    packs: list[PlanPack] = []
    for name, _mtime in stamp:
        try:
            packs.append(load_pack(Path(folder) / name))
        except PackError:
            continue  # an invalid file is the import dialog's business; the others stay usable
    return tuple(sorted(packs, key=lambda p: p.key))


def plan_packs(folder: Path | None = None) -> dict[str, PlanPack]:
    """The regional plan packs available (shipped ones by default), by key; invalid files skipped."""
    folder = default_folder() if folder is None else Path(folder)
    if not folder.is_dir():
        return {}
    stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.json") if p.is_file()))
    return {pack.key: pack for pack in _packs_cached(str(folder.resolve()), stamp)}


def _packs_with_user_plan(uow: UnitOfWork, project_id: int) -> dict[str, PlanPack]:
    """The shipped packs and the plan the user imported into this project (issue 14)."""
    packs = dict(plan_packs())
    own = user_plan(uow, project_id)
    if own is not None:
        packs[own.key] = own
    return packs


def operational_level(pack: PlanPack) -> int:
    """Depth of the pack's *operational* objectives.

    The level whose label says "opérationnel" (Pays de la Loire: "Objectif opérationnel"),
    otherwise the deepest level of the pack (a Calvados "Chantier", a Normandie "Axe
    prioritaire" when the plan has a single level).
    """
    for index, label in enumerate(pack.level_labels):
        if "operationnel" in plain_text(label):
            return index
    return len(pack.level_labels) - 1


def operational_objectives(pack: PlanPack) -> list[PlanObjective]:
    """Objectives at the operational level, plus leaves above it (they cannot be detailed)."""
    level = operational_level(pack)
    return [o for o in pack.walk() if o.level == level or (o.level < level and not o.children)]


def _ancestors(pack: PlanPack, code: str) -> list[str]:
    parents = {o.code: o.parent_code for o in pack.walk()}
    chain: list[str] = []
    current = parents.get(code)
    while current is not None:
        chain.append(current)
        current = parents.get(current)
    return chain


def suggest_plan_objectives(pack: PlanPack, keywords: Sequence[str], limit: int = 3) -> list[PlanObjective]:
    """The pack's objectives (operational level or deeper) that best match ``keywords``.

    Scored by the number of keywords found in the objective's title and description (accents
    and case ignored); ties keep the plan's order. Objectives matching no keyword are left out.
    """
    level = operational_level(pack)
    scored = [
        (keyword_score(tuple(keywords), f"{o.title} {o.description}"), index, o)
        for index, o in enumerate(pack.walk())
        if o.level >= level or not o.children
    ]
    ranked = sorted((item for item in scored if item[0] > 0), key=lambda item: (-item[0], item[1]))
    return [o for _score, _index, o in ranked[:limit]]


def _territory(uow: UnitOfWork, project_id: int, refdata: RefData | None) -> TerritorySummary:
    return territory_summary(uow, project_id, refdata or load_refdata())


def _region_names(regions: Sequence[Region]) -> str:
    return " et ".join(r.name for r in regions) if regions else "inconnue"


def available_packs(uow: UnitOfWork, project_id: int, refdata: RefData | None = None) -> list[PlanPack]:
    """Plan packs of the région(s) of the project's territory, most recent first."""
    summary = _territory(uow, project_id, refdata)
    codes = {r.code for r in summary.regions}
    packs = [p for p in plan_packs().values() if p.region_code in codes]
    packs.sort(key=lambda p: p.key)
    packs.sort(key=lambda p: (p.period_end, p.period_start), reverse=True)
    own = user_plan(uow, project_id)  # issue 14: the plan the user imported comes first
    return ([own] if own is not None else []) + packs


def project_pack(uow: UnitOfWork, project_id: int, refdata: RefData | None = None) -> PlanPack | None:
    """The project's regional plan: the one chosen, else the most recent of its région, else None."""
    with uow:
        project = uow.session.get(Project, project_id)
        if project is None:
            raise NotFoundError("Ce projet n'existe plus (il a peut-être été supprimé depuis un autre poste).")
        chosen = project.plan_pack_key
    packs = _packs_with_user_plan(uow, project_id)
    if chosen and chosen in packs:
        return packs[chosen]
    candidates = available_packs(uow, project_id, refdata)
    return candidates[0] if candidates else None


def choose_plan_pack(
    uow: UnitOfWork,
    project_id: int,
    pack_key: str,
    refdata: RefData | None = None,
    expected_version: int | None = None,
) -> None:
    """Choose the regional plan the project's actions refer to (``""`` to go back to the default).

    Refused when the plan belongs to a région the territory does not touch: the choice is a
    setting offered from the région's own plans, so refusing it costs the user nothing and keeps
    the coherence table meaningful. (A single *link* of a fiche to another région's plan is, by
    contrast, saved and flagged, so that a draft is never lost.)
    """
    packs = _packs_with_user_plan(uow, project_id)
    if pack_key and pack_key not in packs:
        raise ValidationError(f"Plan régional inconnu : « {pack_key} ».")
    if pack_key:
        pack = packs[pack_key]
        summary = _territory(uow, project_id, refdata)
        if summary.regions and pack.region_code not in {r.code for r in summary.regions}:
            raise ValidationError(
                f"Le plan « {pack.title} » concerne la région {pack.region_name}, alors que le territoire du "
                f"projet est en région {_region_names(summary.regions)} : choisissez un plan de votre région."
            )
    with uow:
        project = _touch(uow, project_id)
        if expected_version is not None and project.version != expected_version:
            raise ConflictError(
                "Le projet a été modifié par quelqu'un d'autre depuis son affichage. Rien n'a été écrasé : "
                "les données à jour ont été rechargées."
            )
        project.plan_pack_key = pack_key
        uow.commit()


# --- priorities and objectives ----------------------------------------------------------------


def list_priorities(uow: UnitOfWork, project_id: int) -> list[PriorityRow]:
    """The project's priorities in their order, each with its objectives and their action counts."""
    with uow:
        priorities = (
            uow.session.execute(
                select(Priority)
                .where(col(Priority.project_id) == project_id)
                .order_by(col(Priority.position), col(Priority.id))
            )
            .scalars()
            .all()
        )
        ids = [p.id for p in priorities]
        objectives = (
            uow.session.execute(
                select(Objective)
                .where(col(Objective.priority_id).in_(ids))
                .order_by(col(Objective.position), col(Objective.id))
            )
            .scalars()
            .all()
            if ids
            else []
        )
        counts = dict(
            uow.session.execute(
                select(col(Action.objective_id), func.count())
                .where(col(Action.objective_id).in_([o.id for o in objectives]))
                .group_by(col(Action.objective_id))
            ).all()
            if objectives
            else []
        )
    by_priority: dict[int, list[ObjectiveRow]] = {}
    for o in objectives:
        by_priority.setdefault(o.priority_id, []).append(
            ObjectiveRow(o.id or 0, o.priority_id, o.title, o.position, int(counts.get(o.id, 0)))
        )
    return [
        PriorityRow(p.id or 0, p.title, p.description, p.score, p.position, tuple(by_priority.get(p.id or 0, [])))
        for p in priorities
    ]


def _next_priority_position(uow: UnitOfWork, project_id: int) -> int:
    current = uow.session.execute(
        select(func.max(Priority.position)).where(col(Priority.project_id) == project_id)
    ).scalar()
    return int(current or 0) + 1


def add_priority(
    uow: UnitOfWork, project_id: int, title: str, description: str = "", score: float | None = None
) -> int:
    """Add a priority at the end of the list."""
    cleaned = _clean_title(title, "de la priorité")
    with uow:
        _touch(uow, project_id)
        priority = Priority(
            project_id=project_id,
            title=cleaned,
            description=description.strip(),
            score=score,
            position=_next_priority_position(uow, project_id),
        )
        uow.session.add(priority)
        uow.commit()
        assert priority.id is not None
        return priority.id


def add_priorities_from_constats(uow: UnitOfWork, project_id: int, constat_ids: Sequence[int]) -> list[int]:
    """One priority per constat (its title, its comment as description), at the end of the list.

    A constat whose title is already a priority of the project is skipped. Returns the ids of the
    priorities created.
    """
    with uow:
        _touch(uow, project_id)
        constats = {
            c.id: c
            for c in uow.session.execute(
                select(Constat).where(col(Constat.project_id) == project_id, col(Constat.id).in_(list(constat_ids)))
            ).scalars()
        }
        missing = [i for i in constat_ids if i not in constats]
        if missing:
            raise NotFoundError("Un des constats choisis n'existe plus (supprimé depuis un autre poste ?).")
        existing = {
            plain_text(t)
            for t in uow.session.execute(
                select(col(Priority.title)).where(col(Priority.project_id) == project_id)
            ).scalars()
        }
        position = _next_priority_position(uow, project_id)
        created: list[Priority] = []
        for constat_id in dict.fromkeys(constat_ids):
            constat = constats[constat_id]
            if plain_text(constat.title) in existing:
                continue
            existing.add(plain_text(constat.title))
            priority = Priority(
                project_id=project_id,
                title=constat.title[:MAX_TITLE],
                description=constat.comment,
                position=position,
            )
            position += 1
            uow.session.add(priority)
            created.append(priority)
        uow.commit()
        return [p.id for p in created if p.id is not None]


def update_priority(
    uow: UnitOfWork, priority_id: int, *, title: str | None = None, description: str | None = None
) -> None:
    """Change a priority's title or description."""
    with uow:
        priority = _priority(uow, priority_id)
        if title is not None:
            priority.title = _clean_title(title, "de la priorité")
        if description is not None:
            priority.description = description.strip()
        _touch(uow, priority.project_id)
        uow.session.add(priority)
        uow.commit()


def delete_priority(uow: UnitOfWork, priority_id: int) -> None:
    """Delete a priority with its objectives and their fiches action."""
    with uow:
        priority = uow.session.get(Priority, priority_id)
        if priority is None:
            return
        _touch(uow, priority.project_id)
        uow.session.execute(delete(Priority).where(col(Priority.id) == priority_id))
        uow.commit()


def _check_permutation(current: Sequence[int], wanted: Sequence[int], what: str) -> None:
    if sorted(current) != sorted(wanted) or len(set(wanted)) != len(wanted):
        raise ConflictError(
            f"La liste des {what} a changé depuis son affichage (ajout ou suppression sur un autre poste) : "
            "rien n'a été réordonné, la liste à jour a été rechargée."
        )


def reorder_priorities(uow: UnitOfWork, project_id: int, ordered_ids: Sequence[int]) -> None:
    """Put the project's priorities in this order (every priority must be listed once)."""
    with uow:
        _touch(uow, project_id)
        rows = {
            p.id: p
            for p in uow.session.execute(select(Priority).where(col(Priority.project_id) == project_id)).scalars()
        }
        _check_permutation(list(rows), ordered_ids, "priorités")
        for position, priority_id in enumerate(ordered_ids, start=1):
            rows[priority_id].position = position
            uow.session.add(rows[priority_id])
        uow.commit()


def tally_points(ballots: Iterable[Mapping[int, float]]) -> dict[int, float]:
    """Scores of a points vote: each participant (or group) gives points to priorities; summed.

    Negative points are refused. Priorities nobody voted for are absent (score 0 for the caller).
    """
    scores: dict[int, float] = {}
    for number, ballot in enumerate(ballots, start=1):
        for priority_id, points in ballot.items():
            if points < 0:
                raise ValidationError(f"Bulletin n° {number} : des points négatifs ({points:g}) ne sont pas permis.")
            scores[priority_id] = scores.get(priority_id, 0.0) + float(points)
    return scores


def tally_ranks(rankings: Iterable[Sequence[int]], candidates: Sequence[int]) -> dict[int, float]:
    """Scores of a ranking vote (Borda count): among n candidates, rank 1 earns n points, rank 2
    n − 1… A priority a participant did not rank earns nothing from that participant.
    """
    known = set(candidates)
    n = len(candidates)
    scores = {c: 0.0 for c in candidates}
    for number, ranking in enumerate(rankings, start=1):
        if len(set(ranking)) != len(ranking):
            raise ValidationError(f"Classement n° {number} : une priorité y figure deux fois.")
        unknown = [c for c in ranking if c not in known]
        if unknown:
            raise ValidationError(f"Classement n° {number} : une priorité classée ne fait pas partie du vote.")
        for rank, candidate in enumerate(ranking):
            scores[candidate] += float(n - rank)
    return scores


def apply_vote(
    uow: UnitOfWork, project_id: int, scores: Mapping[int, float], *, reorder: bool = True
) -> list[PriorityRow]:
    """Store the workshop's scores on the priorities and, by default, order them by score.

    Priorities absent from ``scores`` get 0. Equal scores keep their current order.
    """
    with uow:
        _touch(uow, project_id)
        rows = (
            uow.session.execute(
                select(Priority)
                .where(col(Priority.project_id) == project_id)
                .order_by(col(Priority.position), col(Priority.id))
            )
            .scalars()
            .all()
        )
        foreign = set(scores) - {p.id for p in rows}
        if foreign:
            raise NotFoundError("Une priorité du vote n'existe plus (supprimée depuis un autre poste ?).")
        for priority in rows:
            priority.score = float(scores.get(priority.id or 0, 0.0))
        if reorder:
            ordered = sorted(rows, key=lambda p: -(p.score or 0.0))
            for position, priority in enumerate(ordered, start=1):
                priority.position = position
        for priority in rows:
            uow.session.add(priority)
        uow.commit()
    return list_priorities(uow, project_id)


def add_objective(uow: UnitOfWork, priority_id: int, title: str) -> int:
    """Add an objective at the end of a priority's objectives."""
    cleaned = _clean_title(title, "de l'objectif")
    with uow:
        priority = _priority(uow, priority_id)
        _touch(uow, priority.project_id)
        current = uow.session.execute(
            select(func.max(Objective.position)).where(col(Objective.priority_id) == priority_id)
        ).scalar()
        objective = Objective(priority_id=priority_id, title=cleaned, position=int(current or 0) + 1)
        uow.session.add(objective)
        uow.commit()
        assert objective.id is not None
        return objective.id


def update_objective(uow: UnitOfWork, objective_id: int, title: str) -> None:
    """Rename an objective."""
    cleaned = _clean_title(title, "de l'objectif")
    with uow:
        objective, priority = _objective(uow, objective_id)
        objective.title = cleaned
        _touch(uow, priority.project_id)
        uow.session.add(objective)
        uow.commit()


def move_objective(uow: UnitOfWork, objective_id: int, priority_id: int) -> None:
    """Move an objective (with its fiches action) under another priority of the same project."""
    with uow:
        objective, old = _objective(uow, objective_id)
        new = _priority(uow, priority_id)
        if new.project_id != old.project_id:
            raise ValidationError("Un objectif ne peut être déplacé que vers une priorité du même projet.")
        current = uow.session.execute(
            select(func.max(Objective.position)).where(col(Objective.priority_id) == priority_id)
        ).scalar()
        objective.priority_id = priority_id
        objective.position = int(current or 0) + 1
        _touch(uow, old.project_id)
        uow.session.add(objective)
        uow.commit()


def delete_objective(uow: UnitOfWork, objective_id: int) -> None:
    """Delete an objective with its fiches action."""
    with uow:
        objective = uow.session.get(Objective, objective_id)
        if objective is None:
            return
        _touch(uow, _priority(uow, objective.priority_id).project_id)
        uow.session.execute(delete(Objective).where(col(Objective.id) == objective_id))
        uow.commit()


def reorder_objectives(uow: UnitOfWork, priority_id: int, ordered_ids: Sequence[int]) -> None:
    """Put a priority's objectives in this order (every objective listed once)."""
    with uow:
        priority = _priority(uow, priority_id)
        _touch(uow, priority.project_id)
        rows = {
            o.id: o
            for o in uow.session.execute(select(Objective).where(col(Objective.priority_id) == priority_id)).scalars()
        }
        _check_permutation(list(rows), ordered_ids, "objectifs")
        for position, objective_id in enumerate(ordered_ids, start=1):
            rows[objective_id].position = position
            uow.session.add(rows[objective_id])
        uow.commit()


# --- stored text formats of a fiche -----------------------------------------------------------

_PARTNER_SEPARATOR = re.compile(r"\s+[—–]\s+")


def parse_partners(text: str) -> tuple[Partner, ...]:
    """Partners from ``Action.partners``: one ``"Partenaire — rôle"`` per line (role optional)."""
    partners: list[Partner] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = _PARTNER_SEPARATOR.split(line.strip(), maxsplit=1)
        partners.append(Partner(parts[0].strip(), parts[1].strip() if len(parts) > 1 else ""))
    return tuple(partners)


def partners_text(partners: Sequence[Partner]) -> str:
    """``Action.partners`` from partners (empty names dropped)."""
    return "\n".join(Partner(_one_line(p.name), _one_line(p.role)).line for p in partners if p.name.strip())


# --- fiches action: validation ------------------------------------------------------------------


def _check_year(year: int | None, what: str, label: str) -> None:
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            f"Indicateur « {label} » : l'année {what} {year} n'est pas plausible (entre {MIN_YEAR} et {MAX_YEAR})."
        )


def _normalise_draft(draft: ActionDraft, refdata: RefData | None) -> ActionDraft:
    """The draft cleaned up, or a ValidationError for what cannot be stored at all."""
    title = _clean_title(draft.title, "de la fiche action")
    pilot = _one_line(draft.pilot)
    if len(pilot) > MAX_PILOT:
        raise ValidationError(
            f"Le pilote de la fiche action est trop long ({len(pilot)} caractères, {MAX_PILOT} au plus)."
        )
    status = draft.status or DEFAULT_STATUS
    if status not in ACTION_STATUS_LABELS:
        known = ", ".join(label for _key, label in ACTION_STATUSES)
        raise ValidationError(f"Statut de fiche action inconnu : « {draft.status} » (statuts possibles : {known}).")
    if draft.budget_cents is not None and draft.budget_cents < 0:
        raise ValidationError("Le budget de la fiche action ne peut pas être négatif.")
    communes: list[str] = []
    for raw in draft.communes:
        code = normalise_code(raw)
        if refdata is not None and code not in refdata.communes:
            raise ValidationError(f"Code INSEE inconnu dans le territoire de l'action : « {code} ».")
        if code not in communes:
            communes.append(code)
    milestones = []
    for milestone in draft.milestones:
        label = _one_line(milestone.label)
        if not label:
            raise ValidationError(f"Le jalon du {format_date(milestone.on)} n'a pas d'intitulé.")
        milestones.append(Milestone(milestone.on, label))
    indicators = []
    for indicator in draft.indicators:
        label = _one_line(indicator.label)
        empty = indicator.baseline is None and indicator.target is None and not indicator.unit.strip()
        if not label:
            if empty and indicator.baseline_year is None and indicator.target_year is None:
                continue  # an untouched blank row of the editor
            raise ValidationError("Un indicateur d'évaluation n'a pas de libellé : nommez-le ou supprimez la ligne.")
        if len(label) > MAX_TITLE:
            raise ValidationError(
                f"Le libellé de l'indicateur « {label[:40]}… » est trop long ({MAX_TITLE} caractères au plus)."
            )
        _check_year(indicator.baseline_year, "de référence", label)
        _check_year(indicator.target_year, "cible", label)
        indicators.append(
            IndicatorDraft(
                label,
                _one_line(indicator.unit)[:40],
                indicator.baseline,
                indicator.baseline_year,
                indicator.target,
                indicator.target_year,
                _one_line(indicator.source)[:300],
            )
        )
    links = list(dict.fromkeys(PlanLinkRef(lk.pack_key.strip(), lk.objective_code.strip()) for lk in draft.plan_links))
    packs = plan_packs() if links else {}
    for link in links:
        if link.pack_key.startswith(USER_PLAN_PREFIX):
            continue  # the project's own plan (issue 14): checked with the project, in the findings
        pack = packs.get(link.pack_key)
        if pack is None:
            raise ValidationError(f"Plan régional inconnu : « {link.pack_key} ». Le lien n'a pas été enregistré.")
        try:
            pack.find(link.objective_code)
        except KeyError:
            raise ValidationError(
                f"L'objectif « {link.objective_code} » n'existe pas dans le plan « {pack.title} »."
            ) from None
    return ActionDraft(
        title=title,
        objective=_one_line(draft.objective),
        description=draft.description.strip("\n").rstrip(),
        target_public=draft.target_public.strip(),
        pilot=pilot,
        partners=tuple(Partner(_one_line(p.name), _one_line(p.role)) for p in draft.partners if p.name.strip()),
        communes=tuple(communes),
        starts_on=draft.starts_on,
        ends_on=draft.ends_on,
        milestones=tuple(sorted(milestones, key=lambda m: m.on)),
        status=status,
        budget_cents=draft.budget_cents,
        plan_justification=draft.plan_justification.strip(),
        constat_ids=tuple(dict.fromkeys(draft.constat_ids)),
        plan_links=tuple(links),
        indicators=tuple(indicators),
    )


class _Adder(Protocol):
    """Signature of the ``add`` callback of :func:`_action_findings`."""

    def __call__(self, code: str, message: str, fld: str, severity: str = ALERTE) -> None: ...


@dataclass(frozen=True)
class _Context:
    """What the findings of a project's fiches need to know beyond the fiche itself."""

    regions: tuple[Region, ...]
    territory: frozenset[str]
    packs: dict[str, PlanPack] = field(default_factory=dict)


def _context(uow: UnitOfWork, project_id: int, refdata: RefData | None) -> _Context:
    summary = _territory(uow, project_id, refdata)
    return _Context(tuple(summary.regions), frozenset(summary.codes), _packs_with_user_plan(uow, project_id))


def _year_text(year: int | None) -> str:
    return str(year) if year is not None else "?"


def _action_findings(draft: ActionDraft, context: _Context, action_id: int | None = None) -> list[Finding]:
    """What to fix in a fiche action, most important first, in precise French."""
    name = f"La fiche action « {draft.title} »"
    found: list[Finding] = []

    def add(code: str, message: str, fld: str, severity: str = ALERTE) -> None:
        found.append(Finding(code, message, severity, action_id, fld))

    if not draft.pilot:
        add(
            F_NO_PILOT,
            f"{name} n'a pas de pilote : indiquez la personne ou la structure qui la conduit et en rend compte.",
            "pilot",
        )
    if not draft.objective:
        add(
            F_NO_OBJECTIVE,
            f"{name} n'a pas d'objectif : écrivez ce que l'action doit changer pour les habitants ou les "
            "professionnels (champ « Objectif de l'action »).",
            "objective",
        )
    if draft.starts_on is not None and draft.ends_on is not None and draft.ends_on < draft.starts_on:
        add(
            F_END_BEFORE_START,
            f"{name} se termine le {format_date(draft.ends_on)}, avant son début le "
            f"{format_date(draft.starts_on)} : corrigez la date de début ou la date de fin.",
            "dates",
        )
    for milestone in draft.milestones:
        before = draft.starts_on is not None and milestone.on < draft.starts_on
        after = draft.ends_on is not None and milestone.on > draft.ends_on
        if before or after:
            add(
                F_MILESTONE_OUTSIDE,
                f"{name} : le jalon « {milestone.label} » du {format_date(milestone.on)} tombe "
                f"{'avant le début' if before else 'après la fin'} de l'action.",
                "milestones",
                INFO,
            )
    for indicator in draft.indicators:
        subject = f"{name}, indicateur « {indicator.label} »"
        if (
            indicator.baseline_year is not None
            and indicator.target_year is not None
            and indicator.target_year < indicator.baseline_year
        ):
            add(
                F_TARGET_BEFORE_BASELINE,
                f"{subject} : l'année de la cible ({indicator.target_year}) précède celle de la valeur de "
                f"référence ({indicator.baseline_year}) ; la cible doit être datée après la référence.",
                "indicators",
            )
        missing = [
            text
            for present, text in (
                (indicator.baseline is not None, "la valeur de référence"),
                (indicator.baseline_year is not None, "l'année de référence"),
                (indicator.target is not None, "la valeur cible"),
                (indicator.target_year is not None, "l'année cible"),
            )
            if not present
        ]
        if missing:
            add(F_INDICATOR_INCOMPLETE, f"{subject} : il manque {', '.join(missing)}.", "indicators", INFO)
    if not draft.indicators:
        add(
            F_NO_INDICATOR,
            f"{name} n'a aucun indicateur d'évaluation : ajoutez-en au moins un, avec sa valeur de référence "
            "et sa cible.",
            "indicators",
            INFO,
        )
    if not draft.constat_ids:
        add(
            F_NO_CONSTAT,
            f"{name} n'est reliée à aucun constat du diagnostic : indiquez le ou les constats auxquels elle répond.",
            "constats",
            INFO,
        )
    _plan_findings(draft, context, name, add)
    outside = [c for c in draft.communes if context.territory and c not in context.territory]
    if outside:
        add(
            F_COMMUNE_OUTSIDE,
            f"{name} vise {plural(len(outside), 'commune')} hors du territoire du projet ({', '.join(outside)}).",
            "communes",
            INFO,
        )
    return found


def _plan_findings(draft: ActionDraft, context: _Context, name: str, add: _Adder) -> None:
    region_codes = {r.code for r in context.regions}
    in_region = 0
    for link in draft.plan_links:
        pack = context.packs.get(link.pack_key)
        if pack is None:
            add(
                F_OTHER_REGION,
                f"{name} cite l'objectif « {link.objective_code} » d'un plan régional qui n'est plus disponible "
                f"(« {link.pack_key} ») : reliez-la à un objectif du plan de votre région.",
                "plan_links",
            )
            continue
        if region_codes and pack.region_code not in region_codes:
            add(
                F_OTHER_REGION,
                f"{name} est reliée à l'objectif « {link.objective_code} » du plan « {pack.title} » (région "
                f"{pack.region_name}), alors que le territoire du projet est en région "
                f"{_region_names(context.regions)} : ce lien ne montre pas la cohérence avec le projet régional de "
                "santé de votre région. Reliez-la à un objectif du plan de votre région.",
                "plan_links",
            )
            continue
        in_region += 1
        try:
            objective = pack.find(link.objective_code)
        except KeyError:
            continue
        if objective.level < operational_level(pack) and objective.children:
            add(
                F_GENERAL_LINK,
                f"{name} est reliée à « {objective.code} » ({objective.level_label.lower()}), un niveau très "
                f"général du plan : précisez l'{pack.level_labels[operational_level(pack)].lower()} qu'elle sert.",
                "plan_links",
                INFO,
            )
    if draft.plan_links and not region_codes:
        add(
            F_REGION_UNKNOWN,
            f"{name} : le territoire du projet n'a pas encore de communes, la région de ses liens au plan "
            "régional ne peut pas être vérifiée.",
            "plan_links",
            INFO,
        )
    if in_region == 0 and not draft.plan_justification:
        add(
            F_OUTSIDE_PLAN,
            f"{name} n'est reliée à aucun objectif du projet régional de santé de votre région et ne donne pas de "
            "justification : reliez-la à un objectif du plan ou expliquez pourquoi elle en sort "
            "(champ « Justification hors plan régional »).",
            "plan_links",
        )


# --- fiches action: reading --------------------------------------------------------------------


def _draft_from_rows(
    action: Action,
    constat_ids: list[int],
    links: list[ActionPlanLink],
    indicators: list[ActionIndicator],
    communes: tuple[str, ...] = (),
    milestones: tuple[Milestone, ...] = (),
) -> ActionDraft:
    return ActionDraft(
        title=action.title,
        objective=action.objective,
        description=action.description,
        target_public=action.target_public,
        pilot=action.pilot,
        partners=parse_partners(action.partners),
        communes=communes,
        starts_on=action.starts_on,
        ends_on=action.ends_on,
        milestones=milestones,
        status=action.status or DEFAULT_STATUS,
        budget_cents=action.budget_cents,
        plan_justification=action.plan_justification,
        constat_ids=tuple(constat_ids),
        plan_links=tuple(PlanLinkRef(lk.pack_key, lk.objective_code) for lk in links),
        indicators=tuple(
            IndicatorDraft(i.label, i.unit, i.baseline, i.baseline_year, i.target, i.target_year, i.source)
            for i in indicators
        ),
    )


def _load_sheets(uow: UnitOfWork, action_ids: Sequence[int]) -> dict[int, tuple[Action, ActionDraft]]:
    if not action_ids:
        return {}
    ids = list(action_ids)
    actions = uow.session.execute(select(Action).where(col(Action.id).in_(ids))).scalars().all()
    constats: dict[int, list[int]] = {}
    for row in uow.session.execute(
        select(ActionConstat).where(col(ActionConstat.action_id).in_(ids)).order_by(col(ActionConstat.id))
    ).scalars():
        constats.setdefault(row.action_id, []).append(row.constat_id)
    links: dict[int, list[ActionPlanLink]] = {}
    for link in uow.session.execute(
        select(ActionPlanLink).where(col(ActionPlanLink.action_id).in_(ids)).order_by(col(ActionPlanLink.id))
    ).scalars():
        links.setdefault(link.action_id, []).append(link)
    indicators: dict[int, list[ActionIndicator]] = {}
    for indicator in uow.session.execute(
        select(ActionIndicator).where(col(ActionIndicator.action_id).in_(ids)).order_by(col(ActionIndicator.id))
    ).scalars():
        indicators.setdefault(indicator.action_id, []).append(indicator)
    communes: dict[int, list[str]] = {}
    for place in uow.session.execute(
        select(ActionCommune)
        .where(col(ActionCommune.action_id).in_(ids))
        .order_by(col(ActionCommune.position), col(ActionCommune.id))
    ).scalars():
        communes.setdefault(place.action_id, []).append(place.commune_code)
    milestones: dict[int, list[Milestone]] = {}
    for step in uow.session.execute(
        select(ActionMilestone)
        .where(col(ActionMilestone.action_id).in_(ids))
        .order_by(col(ActionMilestone.due_on), col(ActionMilestone.id))
    ).scalars():
        milestones.setdefault(step.action_id, []).append(Milestone(step.due_on, step.label))
    return {
        a.id or 0: (
            a,
            _draft_from_rows(
                a,
                constats.get(a.id or 0, []),
                links.get(a.id or 0, []),
                indicators.get(a.id or 0, []),
                tuple(communes.get(a.id or 0, [])),
                tuple(milestones.get(a.id or 0, [])),
            ),
        )
        for a in actions
    }


def list_actions(uow: UnitOfWork, project_id: int, refdata: RefData | None = None) -> list[ActionSheet]:
    """Every fiche action of the project, in the order of priorities, objectives, then creation."""
    context = _context(uow, project_id, refdata)
    with uow:
        rows = uow.session.execute(
            select(Action, Objective, Priority)
            .join(Objective, col(Action.objective_id) == col(Objective.id))
            .join(Priority, col(Objective.priority_id) == col(Priority.id))
            .where(col(Priority.project_id) == project_id)
            .order_by(
                col(Priority.position), col(Priority.id), col(Objective.position), col(Objective.id), col(Action.id)
            )
        ).all()
        sheets = _load_sheets(uow, [a.id or 0 for a, _o, _p in rows])
    result: list[ActionSheet] = []
    for action, objective, priority in rows:
        _stored, draft = sheets[action.id or 0]
        result.append(_sheet(action, objective, priority, draft, context))
    return result


def _sheet(
    action: Action, objective: Objective, priority: Priority, draft: ActionDraft, context: _Context
) -> ActionSheet:
    return ActionSheet(
        id=action.id or 0,
        version=action.version,
        objective_id=objective.id or 0,
        objective_title=objective.title,
        priority_id=priority.id or 0,
        priority_title=priority.title,
        draft=draft,
        findings=tuple(_action_findings(draft, context, action.id)),
    )


def get_action(uow: UnitOfWork, action_id: int, refdata: RefData | None = None) -> ActionSheet:
    """One fiche action with its findings."""
    with uow:
        action, objective, priority = _action(uow, action_id)
        project_id = priority.project_id
    context = _context(uow, project_id, refdata)
    with uow:
        action, objective, priority = _action(uow, action_id)
        _stored, draft = _load_sheets(uow, [action_id])[action_id]
        return _sheet(action, objective, priority, draft, context)


def project_findings(uow: UnitOfWork, project_id: int, refdata: RefData | None = None) -> list[Finding]:
    """The findings of every fiche action of the project, alerts first."""
    findings = [f for sheet in list_actions(uow, project_id, refdata) for f in sheet.findings]
    return sorted(findings, key=lambda f: 0 if f.severity == ALERTE else 1)


# --- fiches action: writing ----------------------------------------------------------------------


def _write_children(uow: UnitOfWork, action: Action, draft: ActionDraft, project_id: int) -> None:
    assert action.id is not None
    if draft.constat_ids:
        owned = set(
            uow.session.execute(
                select(col(Constat.id)).where(
                    col(Constat.project_id) == project_id, col(Constat.id).in_(list(draft.constat_ids))
                )
            ).scalars()
        )
        if len(owned) != len(draft.constat_ids):
            raise ValidationError(
                "Un des constats reliés à la fiche action n'existe plus dans ce projet (supprimé depuis un autre "
                "poste ?) : rien n'a été enregistré."
            )
    for model in (ActionConstat, ActionPlanLink, ActionIndicator, ActionCommune, ActionMilestone):
        uow.session.execute(delete(model).where(model.action_id == action.id))  # type: ignore[arg-type]
    for position, code in enumerate(dict.fromkeys(draft.communes)):
        uow.session.add(ActionCommune(action_id=action.id, commune_code=code, position=position))
    for step in sorted(draft.milestones, key=lambda m: m.on):
        uow.session.add(ActionMilestone(action_id=action.id, due_on=step.on, label=step.label))
    for constat_id in draft.constat_ids:
        uow.session.add(ActionConstat(action_id=action.id, constat_id=constat_id))
    for link in draft.plan_links:
        uow.session.add(ActionPlanLink(action_id=action.id, pack_key=link.pack_key, objective_code=link.objective_code))
    for indicator in draft.indicators:
        uow.session.add(
            ActionIndicator(
                action_id=action.id,
                label=indicator.label,
                unit=indicator.unit,
                baseline=indicator.baseline,
                baseline_year=indicator.baseline_year,
                target=indicator.target,
                target_year=indicator.target_year,
                source=indicator.source,
            )
        )


def _apply(action: Action, draft: ActionDraft) -> None:
    action.title = draft.title
    action.target_public = draft.target_public
    action.pilot = draft.pilot
    action.partners = partners_text(draft.partners)
    action.starts_on = draft.starts_on
    action.ends_on = draft.ends_on
    action.status = draft.status
    action.budget_cents = draft.budget_cents
    action.objective = _one_line(draft.objective)
    action.description = draft.description.strip("\n").rstrip()
    action.plan_justification = draft.plan_justification


def add_action(uow: UnitOfWork, objective_id: int, draft: ActionDraft, refdata: RefData | None = None) -> ActionSheet:
    """Create a fiche action under an objective; saved even when incomplete (see ``findings``)."""
    clean = _normalise_draft(draft, refdata)
    with uow:
        _objective_row, priority = _objective(uow, objective_id)
        project_id = priority.project_id
        _touch(uow, project_id)
        action = Action(objective_id=objective_id, title=clean.title)
        _apply(action, clean)
        uow.session.add(action)
        uow.flush()
        _write_children(uow, action, clean, project_id)
        uow.commit()
        assert action.id is not None
        action_id = action.id
    return get_action(uow, action_id, refdata)


def update_action(
    uow: UnitOfWork,
    action_id: int,
    draft: ActionDraft,
    expected_version: int | None,
    *,
    objective_id: int | None = None,
    refdata: RefData | None = None,
) -> ActionSheet:
    """Replace a fiche action's values (and its links and indicators) as one change.

    Refused with a :class:`ConflictError` when someone saved the fiche since
    ``expected_version``; ``objective_id`` moves it under another objective of the same project.
    """
    clean = _normalise_draft(draft, refdata)
    with uow:
        action, _objective_row, priority = _action(uow, action_id)
        if expected_version is not None and action.version != expected_version:
            raise ConflictError(STALE_ACTION.format(title=action.title))
        if objective_id is not None and objective_id != action.objective_id:
            _target, target_priority = _objective(uow, objective_id)
            if target_priority.project_id != priority.project_id:
                raise ValidationError("Une fiche action ne peut être déplacée que vers un objectif du même projet.")
            action.objective_id = objective_id
        _apply(action, clean)
        flag_modified(action, "title")  # the version moves even when only links or indicators changed
        uow.session.add(action)
        _write_children(uow, action, clean, priority.project_id)
        _touch(uow, priority.project_id)
        uow.commit()
    return get_action(uow, action_id, refdata)


def delete_action(uow: UnitOfWork, action_id: int) -> None:
    """Delete a fiche action with its links and indicators."""
    with uow:
        action = uow.session.get(Action, action_id)
        if action is None:
            return
        _objective_row, priority = _objective(uow, action.objective_id)
        _touch(uow, priority.project_id)
        uow.session.execute(delete(Action).where(col(Action.id) == action_id))
        uow.commit()


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def lever_draft(lever: Lever | str, *, starts_on: date | None = None, pilot: str = "") -> ActionDraft:
    """A fiche action prefilled from one of the guide's levers (end date = start + default duration)."""
    chosen = find_lever(lever) if isinstance(lever, str) else lever
    return ActionDraft(
        title=chosen.title,
        objective=chosen.objective,
        description=chosen.summary,
        target_public=chosen.target_public,
        pilot=pilot,
        partners=tuple(Partner(p.name, p.role) for p in chosen.partners),
        starts_on=starts_on,
        ends_on=_add_months(starts_on, chosen.duration_months) if starts_on is not None else None,
        status=DEFAULT_STATUS,
        indicators=tuple(IndicatorDraft(i.label, i.unit) for i in chosen.indicators),
    )


def add_action_from_lever(
    uow: UnitOfWork,
    objective_id: int,
    lever_key: str,
    *,
    starts_on: date | None = None,
    pilot: str = "",
    constat_ids: Sequence[int] = (),
    link_suggested: bool = False,
    refdata: RefData | None = None,
) -> ActionSheet:
    """Create a fiche action from a lever of the guide, with its defaults.

    With ``link_suggested``, the fiche is also linked to the objectives of the project's regional
    plan that best match the lever's keywords (:func:`suggest_plan_objectives`, at most two); by
    default nothing is linked, so that coherence with the plan stays the user's statement.
    """
    lever = find_lever(lever_key)
    draft = lever_draft(lever, starts_on=starts_on, pilot=pilot)
    links: tuple[PlanLinkRef, ...] = ()
    if link_suggested:
        with uow:
            _objective_row, priority = _objective(uow, objective_id)
            project_id = priority.project_id
        pack = project_pack(uow, project_id, refdata)
        if pack is not None:
            links = tuple(PlanLinkRef(pack.key, o.code) for o in suggest_plan_objectives(pack, lever.prs_keywords, 2))
    draft = replace(draft, constat_ids=tuple(constat_ids), plan_links=links)
    return add_action(uow, objective_id, draft, refdata)


# --- projet de santé sections ----------------------------------------------------------------

TEXT = "texte"
LINE = "champ"
CHOICE = "choix"
DATE = "date"
YES_NO = "oui_non"
YES, NO = "oui", "non"

PARTS: tuple[tuple[str, str], ...] = (
    ("identification", "Identification de la structure"),
    ("diagnostic", "Diagnostic préalable"),
    ("projet_de_soins", "Projet de soins"),
    ("projet_professionnel", "Projet professionnel"),
    ("aci", "Critères socle de l'accord conventionnel interprofessionnel (ACI)"),
)
PART_LABELS = dict(PARTS)


@dataclass(frozen=True)
class SectionDef:
    """A section (or a field) of the projet de santé, with the questions that guide its writing.

    ``kind``: :data:`TEXT` (free text), :data:`LINE` (one line), :data:`CHOICE` (one of
    ``choices``), :data:`DATE` (``JJ/MM/AAAA``) or :data:`YES_NO` (``"oui"``, ``"non"`` or empty
    when not answered).
    """

    key: str
    part: str
    title: str
    guidance: tuple[str, ...] = ()
    kind: str = TEXT
    choices: tuple[tuple[str, str], ...] = ()

    @property
    def part_label(self) -> str:
        """French title of the part the section belongs to."""
        return PART_LABELS[self.part]


SECTIONS: tuple[SectionDef, ...] = (
    # Identification
    SectionDef(
        "identification.nom",
        "identification",
        "Nom de la structure",
        ("Sous quel nom la maison ou le pôle de santé sera-t-il connu des habitants et de l'ARS ?",),
        LINE,
    ),
    SectionDef(
        "identification.sites",
        "identification",
        "Mono-site ou multi-site",
        (
            "Les professionnels exerceront-ils dans un même bâtiment, ou resteront-ils dans leurs cabinets, "
            "reliés par le projet de santé ?",
            "Pour un multi-site, quels sont les sites et qui exerce sur chacun ?",
        ),
        CHOICE,
        (("mono_site", "Mono-site : un seul lieu d'exercice"), ("multi_site", "Multi-site : pôle de santé")),
    ),
    SectionDef(
        "identification.forme_juridique",
        "identification",
        "Forme juridique",
        (
            "Quelle structure porte le projet et perçoit les rémunérations collectives : une SISA (nécessaire "
            "pour l'ACI), une SCM pour les moyens communs, une association ?",
        ),
        CHOICE,
        (
            ("sisa", "Société interprofessionnelle de soins ambulatoires (SISA)"),
            ("scm", "Société civile de moyens (SCM)"),
            ("association", "Association (loi de 1901)"),
            ("autre", "Autre forme"),
            ("a_definir", "À définir"),
        ),
    ),
    SectionDef(
        "identification.finess",
        "identification",
        "Numéro FINESS",
        ("Numéro attribué par l'ARS à l'ouverture ; laissez vide tant qu'il n'est pas attribué.",),
        LINE,
    ),
    SectionDef(
        "identification.siret",
        "identification",
        "Numéro SIRET",
        ("Numéro SIRET de la structure juridique (14 chiffres).",),
        LINE,
    ),
    SectionDef(
        "identification.adresse",
        "identification",
        "Adresse",
        ("Adresse de la structure ; pour un multi-site, l'adresse de chaque site.",),
    ),
    SectionDef(
        "identification.date_ouverture",
        "identification",
        "Date d'ouverture (prévue)",
        ("Date d'ouverture effective ou prévue, au format JJ/MM/AAAA.",),
        DATE,
    ),
    SectionDef(
        "identification.contact",
        "identification",
        "Personne à contacter",
        (
            "Nom, fonction, téléphone et courriel du référent du projet (souvent le professionnel leader ou le coordinateur).",
        ),
    ),
    # Diagnostic
    SectionDef(
        "diagnostic.prealable",
        "diagnostic",
        "Diagnostic préalable",
        (
            "Quels besoins de santé des habitants le diagnostic fait-il ressortir ?",
            "Quelle est l'offre de soins actuelle et comment évoluera-t-elle avec les départs attendus ?",
            "Quelles difficultés d'accès aux soins les habitants rencontrent-ils ?",
        ),
    ),
    # Projet de soins
    SectionDef(
        "soins.acces_horaires",
        "projet_de_soins",
        "Accès aux soins et horaires d'ouverture",
        (
            "Quels jours et à quelles heures la structure est-elle ouverte ? L'est-elle de 8 h à 20 h en semaine "
            "et le samedi matin ?",
            "Comment les patients prennent-ils rendez-vous (secrétariat, téléphone, en ligne) ?",
            "Comment l'accès est-il facilité pour les personnes âgées, handicapées, sans véhicule ou aux revenus "
            "modestes (secteur 1, tiers payant) ?",
        ),
    ),
    SectionDef(
        "soins.non_programmes",
        "projet_de_soins",
        "Soins non programmés",
        (
            "Comment un patient qui doit être vu le jour même est-il reçu, chaque jour ouvré ?",
            "Des plages sans rendez-vous sont-elles réservées, et par quels professionnels ?",
        ),
    ),
    SectionDef(
        "soins.permanence_des_soins",
        "projet_de_soins",
        "Permanence des soins",
        (
            "Comment les professionnels participent-ils à la permanence des soins le soir, la nuit et le week-end ?",
            "Quels liens avec la maison médicale de garde, le centre 15 et les urgences ?",
        ),
    ),
    SectionDef(
        "soins.maladies_chroniques",
        "projet_de_soins",
        "Prise en charge des maladies chroniques",
        (
            "Quelles maladies chroniques le diagnostic fait-il ressortir (diabète, maladies cardiovasculaires, "
            "BPCO…) ?",
            "Comment le suivi est-il partagé entre médecins, infirmiers, pharmaciens et autres professionnels ?",
        ),
    ),
    SectionDef(
        "soins.prevention_depistage",
        "projet_de_soins",
        "Prévention et dépistage",
        (
            "Quelles actions de prévention et de dépistage, en réponse à quels constats du diagnostic ?",
            "Comment la structure relaie-t-elle les dépistages organisés et la vaccination ?",
        ),
    ),
    SectionDef(
        "soins.education_therapeutique",
        "projet_de_soins",
        "Éducation thérapeutique du patient",
        (
            "Un programme d'éducation thérapeutique est-il prévu ou autorisé ? Pour quels patients ?",
            "Quels professionnels sont formés pour l'animer ?",
        ),
    ),
    SectionDef(
        "soins.qualite_formation",
        "projet_de_soins",
        "Qualité des pratiques et formation",
        (
            "Comment la qualité des soins est-elle évaluée (indicateurs, satisfaction des patients) ?",
            "Quelles formations communes sont prévues (développement professionnel continu) ?",
        ),
    ),
    # Projet professionnel
    SectionDef(
        "pro.coordination",
        "projet_professionnel",
        "Fonction de coordination",
        (
            "Qui assure la coordination (un professionnel, un coordinateur salarié) et combien de temps par semaine ?",
            "Quelles missions : animation de l'équipe, réunions, relations avec les partenaires, suivi du projet ?",
        ),
    ),
    SectionDef(
        "pro.protocoles",
        "projet_professionnel",
        "Protocoles pluriprofessionnels",
        (
            "Quels protocoles pluriprofessionnels sont écrits ou prévus, sur quels thèmes ?",
            "Comment sont-ils élaborés, validés et mis à jour ?",
        ),
    ),
    SectionDef(
        "pro.revues_de_cas",
        "projet_professionnel",
        "Concertation et revues de cas",
        (
            "À quel rythme l'équipe se réunit-elle pour examiner des situations de patients complexes ?",
            "Comment ces réunions sont-elles tracées dans le dossier du patient ?",
        ),
    ),
    SectionDef(
        "pro.systeme_information",
        "projet_professionnel",
        "Système d'information partagé",
        (
            "Quel logiciel partagé et labellisé l'équipe utilise-t-elle ?",
            "Comment les informations des patients sont-elles partagées entre professionnels, avec leur accord ?",
            "Quelle messagerie sécurisée de santé est utilisée ?",
        ),
    ),
    SectionDef(
        "pro.stagiaires",
        "projet_professionnel",
        "Accueil des stagiaires (maîtrise de stage)",
        (
            "Combien de professionnels sont ou seront maîtres de stage, dans quelles professions ?",
            "Comment les stagiaires sont-ils logés et encadrés ?",
        ),
    ),
    SectionDef(
        "pro.integration",
        "projet_professionnel",
        "Accueil de nouveaux professionnels",
        (
            "Comment un nouveau professionnel ou un remplaçant est-il accueilli et intégré dans l'équipe ?",
            "Quelles règles pour l'entrée d'un nouveau membre ?",
        ),
    ),
    SectionDef(
        "pro.partenariats",
        "projet_professionnel",
        "Partenariats",
        (
            "Quels liens avec les pharmaciens, l'hôpital, le secteur social et médico-social (EHPAD, SSIAD, "
            "CLIC…), les collectivités et le pays ?",
            "Quelles conventions sont signées ou prévues ?",
        ),
    ),
    # ACI socle, as yes/no answers
    SectionDef(
        "aci.ouverture_semaine",
        "aci",
        "Ouverture de 8 h à 20 h du lundi au vendredi",
        ("La structure est-elle ouverte sans interruption de 8 h à 20 h chaque jour de semaine ?",),
        YES_NO,
    ),
    SectionDef(
        "aci.ouverture_samedi",
        "aci",
        "Ouverture le samedi matin",
        ("La structure est-elle ouverte le samedi de 8 h à 12 h ?",),
        YES_NO,
    ),
    SectionDef(
        "aci.soins_non_programmes",
        "aci",
        "Soins non programmés chaque jour ouvré",
        ("Un patient peut-il être reçu sans rendez-vous programmé chaque jour ouvré ?",),
        YES_NO,
    ),
    SectionDef(
        "aci.coordination",
        "aci",
        "Fonction de coordination identifiée",
        ("Une personne est-elle désignée et rémunérée pour la coordination ?",),
        YES_NO,
    ),
    SectionDef(
        "aci.systeme_information",
        "aci",
        "Système d'information partagé labellisé",
        ("L'équipe utilise-t-elle un logiciel partagé labellisé (niveau standard au moins) ?",),
        YES_NO,
    ),
)
SECTIONS_BY_KEY: dict[str, SectionDef] = {s.key: s for s in SECTIONS}

_FINESS = re.compile(r"^(\d{9}|2[AB]\d{7})$")
_DATE_TEXT = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_LA_POSTE_SIREN = "356000000"


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def check_siret(text: str) -> str:
    """A SIRET number without spaces after checking its 14 digits and its key (Luhn; La Poste's rule)."""
    digits = "".join(text.split())
    if not re.fullmatch(r"\d{14}", digits):
        raise ValidationError(f"Numéro SIRET « {text.strip()} » invalide : il compte 14 chiffres.")
    valid = sum(int(c) for c in digits) % 5 == 0 if digits.startswith(_LA_POSTE_SIREN) else _luhn_ok(digits)
    if not valid:
        raise ValidationError(
            f"Numéro SIRET « {text.strip()} » invalide : sa clé de contrôle ne correspond pas. Vérifiez la saisie."
        )
    return digits


def check_finess(text: str) -> str:
    """A FINESS number (9 characters: digits, or 2A/2B then 7 digits for Corsica)."""
    value = "".join(text.split()).upper()
    if not _FINESS.match(value):
        raise ValidationError(
            f"Numéro FINESS « {text.strip()} » invalide : il compte 9 caractères (chiffres, ou 2A/2B suivis de 7 chiffres)."
        )
    return value


def _clean_section_value(definition: SectionDef, value: str) -> str:
    text = value.strip()
    if definition.kind == TEXT:
        return value.strip("\n").rstrip()
    if not text:
        return ""
    if definition.kind == LINE:
        if definition.key == "identification.siret":
            return check_siret(text)
        if definition.key == "identification.finess":
            return check_finess(text)
        return _one_line(text)
    if definition.kind == CHOICE:
        keys = [key for key, _label in definition.choices]
        if text not in keys:
            labels = " ; ".join(label for _key, label in definition.choices)
            raise ValidationError(f"« {definition.title} » : valeur « {text} » inconnue (choix possibles : {labels}).")
        return text
    if definition.kind == DATE:
        match = _DATE_TEXT.match(text)
        try:
            if not match:
                raise ValueError
            day, month, year = (int(g) for g in match.groups())
            return format_date(date(year, month, day))
        except ValueError:
            raise ValidationError(
                f"« {definition.title} » : « {text} » n'est pas une date au format JJ/MM/AAAA."
            ) from None
    if definition.kind == YES_NO:
        lowered = text.lower()
        if lowered not in (YES, NO):
            raise ValidationError(f"« {definition.title} » : répondez « oui » ou « non » (reçu : « {text} »).")
        return lowered
    raise AssertionError(definition.kind)


def get_sections(uow: UnitOfWork, project_id: int) -> dict[str, str]:
    """Every section's text by key (``""`` for a section never written); unknown stored keys kept."""
    with uow:
        stored = dict(
            uow.session.execute(
                select(col(HealthProjectSection.key), col(HealthProjectSection.text)).where(
                    col(HealthProjectSection.project_id) == project_id
                )
            ).all()
        )
    return {s.key: stored.get(s.key, "") for s in SECTIONS} | {
        k: v for k, v in stored.items() if k not in SECTIONS_BY_KEY
    }


def set_sections(
    uow: UnitOfWork, project_id: int, values: Mapping[str, str], *, expected: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Save several sections at once (all or nothing); returns the values as stored.

    Structured fields are checked (choice, date, oui/non, FINESS, SIRET) and refused with a
    French message when malformed. ``expected`` (the texts as shown to the user) guards against
    overwriting someone else's edit: if a section changed meanwhile, nothing is saved and a
    :class:`ConflictError` names it.
    """
    unknown = [key for key in values if key not in SECTIONS_BY_KEY]
    if unknown:
        raise ValueError(f"unknown section keys: {unknown}")
    cleaned = {key: _clean_section_value(SECTIONS_BY_KEY[key], text) for key, text in values.items()}
    with uow:
        _touch(uow, project_id)
        rows = {
            r.key: r
            for r in uow.session.execute(
                select(HealthProjectSection).where(
                    col(HealthProjectSection.project_id) == project_id,
                    col(HealthProjectSection.key).in_(list(cleaned)),
                )
            ).scalars()
        }
        for key, text in cleaned.items():
            row = rows.get(key)
            if expected is not None and key in expected and (row.text if row else "") != expected[key]:
                raise ConflictError(
                    f"La section « {SECTIONS_BY_KEY[key].title} » a été modifiée par quelqu'un d'autre depuis son "
                    "affichage. Rien n'a été écrasé : le texte à jour a été rechargé."
                )
            if row is None:
                row = HealthProjectSection(project_id=project_id, key=key, text=text)
            row.text = text
            uow.session.add(row)
        uow.commit()
    return cleaned


def set_section(uow: UnitOfWork, project_id: int, key: str, text: str, *, expected: str | None = None) -> str:
    """Save one section (see :func:`set_sections`); returns the value as stored."""
    return set_sections(uow, project_id, {key: text}, expected=None if expected is None else {key: expected})[key]


def default_sections(uow: UnitOfWork, project_id: int) -> dict[str, str]:
    """Values the project already implies for empty identification fields (name, mono/multi-site)."""
    with uow:
        project = uow.session.get(Project, project_id)
        if project is None:
            raise NotFoundError("Ce projet n'existe plus (il a peut-être été supprimé depuis un autre poste).")
        multi = project.project_type == ProjectType.MSP_MULTI_SITE.value
        return {"identification.nom": project.name, "identification.sites": "multi_site" if multi else "mono_site"}


# --- team -------------------------------------------------------------------------------------


def list_team(uow: UnitOfWork, project_id: int, *, members_only: bool = True) -> list[TeamMember]:
    """Professionals who carry the projet de santé (see :data:`MEMBER_STATUSES`), by profession then name.

    With ``members_only=False``, every professional of the registry, members flagged.
    """
    order = {p.key: i for i, p in enumerate(PROFESSIONS)}
    with uow:
        rows = (
            uow.session.execute(select(Professional).where(col(Professional.project_id) == project_id)).scalars().all()
        )
    team: list[TeamMember] = []
    for p in rows:
        is_member = p.commitment_status in MEMBER_STATUSES
        if members_only and not is_member:
            continue
        try:
            status_label = CommitmentStatus(p.commitment_status).label
        except ValueError:
            status_label = p.commitment_status or "Non renseigné"
        profession = PROFESSIONS_BY_KEY.get(p.profession)
        team.append(
            TeamMember(
                id=p.id or 0,
                name=" ".join(part for part in (p.first_name, p.last_name) if part)
                or (f"RPPS {p.rpps}" if p.rpps else "Professionnel sans nom"),
                profession=p.profession,
                profession_label=profession.label if profession else p.profession,
                commitment_status=p.commitment_status,
                commitment_label=status_label,
                is_leader=p.is_leader,
                is_member=is_member,
            )
        )
    team.sort(key=lambda m: (order.get(m.profession, len(order)), m.name.lower()))
    return team


# --- diagnostic préalable ---------------------------------------------------------------------


def diagnostic_summary(
    uow: UnitOfWork, project_id: int, refdata: RefData | None = None, *, today: date | None = None
) -> str:
    """The *diagnostic préalable* of the projet de santé, drawn from steps 1 to 3, in French.

    Paragraphs: the territory and its population; the health indicators that differ
    significantly from the reference and the constats retained; the professionals practising on
    the territory with their density and expected departures; the accessibility measures typed
    in step 3. Meant as a starting text the user completes and rewrites around the figures.
    """
    today = today or date.today()
    refdata = refdata or load_refdata()
    summary = territory_summary(uow, project_id, refdata)
    dep, region = summary.reference_departement, summary.reference_region
    labels = indicators_svc.reference_labels(
        f"la valeur départementale ({dep.name}, {dep.code})" if dep else None,
        f"la valeur régionale ({region.name})" if region else None,
    )
    paragraphs: list[str] = []
    if summary.is_empty:
        paragraphs.append("Le territoire du projet n'est pas encore défini : ses communes restent à choisir.")
    else:
        where = f" ; département de référence : {dep.name} ({dep.code})" if dep else ""
        where += f", région {region.name}" if region else ""
        paragraphs.append(
            f"Le territoire du projet réunit {plural(len(summary.communes), 'commune')} et "
            f"{format_int(summary.population)} habitants (population légale {summary.population_year}, INSEE)"
            f"{where}."
        )

    indicators = indicators_svc.list_indicators(uow, project_id, labels)
    significant = [row for row in indicators if row.smr is not None and row.smr.significant]
    constats = indicators_svc.list_constats(uow, project_id)
    health: list[str] = []
    if significant:
        health.append("État de santé — écarts significatifs avec la référence :")
        for row in significant:
            assert row.smr is not None
            origin = ", ".join(part for part in (row.source, str(row.year) if row.year else "") if part)
            health.append(f"– {row.label} : {row.smr.sentence}" + (f" (source : {origin})" if origin else ""))
    if constats:
        health.append("Constats retenus par le diagnostic :")
        health.extend(f"– {c.title}" + (f" ({_one_line(c.comment)})" if c.comment.strip() else "") for c in constats)
    if not health:
        health.append("État de santé : aucun indicateur significatif ni constat n'a encore été retenu.")
    paragraphs.append("\n".join(health))

    report = demography_report(uow, project_id, refdata or load_refdata(), today)
    if report.on_site:
        offer = [
            f"Offre de soins : {plural(report.on_site, 'professionnel')} de santé "
            f"{'exerce' if report.on_site < 2 else 'exercent'} sur le territoire"
            + (f" (et {report.around} aux alentours)" if report.around else "")
            + " :"
        ]
        for d in report.professions:
            parts = [f"{format_int(d.heads)}"]
            if d.density_per_10000 is not None:
                parts.append(f"soit {format_decimal(d.density_per_10000, 1)} pour {format_int(10_000)} habitants")
            if d.mean_age is not None:
                parts.append(f"âge moyen {format_decimal(d.mean_age, 0)}{NBSP}ans")
            departures = (
                f"{plural(d.departures.get(5, 0), 'départ prévisible', 'départs prévisibles')} d'ici 5{NBSP}ans"
            )
            departures += f" et {format_int(d.departures.get(10, 0))} d'ici 10{NBSP}ans"
            if d.departures_unknown:
                departures += f" (non estimable pour {format_int(d.departures_unknown)})"
            offer.append(f"– {d.label} : {', '.join(parts)} ; {departures}.")
        total5 = sum(d.departures.get(5, 0) for d in report.professions)
        total10 = sum(d.departures.get(10, 0) for d in report.professions)
        offer.append(
            f"Au total, {plural(total5, 'départ')} d'ici 5{NBSP}ans et {plural(total10, 'départ')} d'ici "
            f"10{NBSP}ans sont à anticiper (départ à l'année annoncée, sinon à 67{NBSP}ans)."
        )
        paragraphs.append("\n".join(offer))
    else:
        paragraphs.append("Offre de soins : aucun professionnel de santé n'est encore recensé sur le territoire.")

    measures = offer_svc.list_measures(uow, project_id)
    access = [
        f"– {label} : {format_decimal(measures[key].value or 0.0, 1)} {unit}".rstrip()
        for key, label, unit in offer_svc.ACCESS_MEASURES
        if key in measures and measures[key].value is not None
    ]
    if access:
        paragraphs.append("\n".join(["Accessibilité (mesures recueillies sur le territoire) :", *access]))
    refdata = refdata or load_refdata()
    for official in official_apl_figures(uow, project_id, refdata):
        paragraphs.append("\n".join(official.sentences()))
    for run in apl_runs(uow, project_id, refdata):
        if run.legacy:
            continue  # FTE per 100 000 inhabitants: not comparable with the official APL, to compute again
        paragraphs.append(
            f"Indice d'accessibilité calculé pour le projet ({run.choice.profession_label.lower()}, méthode de la "
            f"DREES, registre du projet) : {run.mean_text} en moyenne sur le territoire "
            f"(calcul du {format_date(run.computed_on)})."
        )
    # A text the user edits: no-break spaces as narrow ones (U+202F), which an editor keeps as
    # typed, where U+00A0 would come back as a plain space and the section would read as changed.
    return "\n\n".join(paragraphs).replace(NBSP, "\u202f")


def draft_diagnostic_section(
    uow: UnitOfWork, project_id: int, refdata: RefData | None = None, *, overwrite: bool = False
) -> str:
    """Write :func:`diagnostic_summary` into the "diagnostic préalable" section if it is empty
    (or always with ``overwrite``); returns the section's text."""
    current = get_sections(uow, project_id).get("diagnostic.prealable", "")
    if current.strip() and not overwrite:
        return current
    text = diagnostic_summary(uow, project_id, refdata)
    return set_section(uow, project_id, "diagnostic.prealable", text, expected=current)
