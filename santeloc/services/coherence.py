"""PRS coherence table (step 6): the project's fiches action against its regional plan's objectives.

The law asks the projet de santé to be consistent with the regional health plan. The table
crosses every fiche action with the plan's objectives at the *operational* level (see
:func:`~santeloc.services.health_project.operational_level`): an action covers an operational
objective when it is linked to that objective or to one of its sub-objectives. A link to a
higher level only (an "orientation stratégique") covers nothing: it is listed apart, as too
general. Links to another plan (including another région's) are not counted either, and are
listed apart as well. What the ARS looks at first comes out directly: the plan objectives no
action covers, and the actions outside the plan (with or without a justification).
"""

from __future__ import annotations

from dataclasses import dataclass

from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import plural
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.refdata.prs import PlanObjective, PlanPack
from santeloc.services import health_project as hp


@dataclass(frozen=True)
class PlanObjectiveRow:
    """An operational objective of the plan (a column of the table)."""

    code: str
    title: str
    level_label: str
    parent_code: str | None
    parent_title: str


@dataclass(frozen=True)
class CoherenceAction:
    """A fiche action (a row of the table) and what it covers in the plan.

    ``codes``: operational objectives covered, in the plan's order; ``linked_codes``: the
    objectives of this plan the fiche cites, as cited; ``general_codes``: cited objectives above
    the operational level; ``other_links``: links to other plans, as ``"pack_key : code"``.
    """

    action_id: int
    title: str
    priority_title: str
    objective_title: str
    pilot: str
    codes: tuple[str, ...]
    linked_codes: tuple[str, ...]
    general_codes: tuple[str, ...]
    other_links: tuple[str, ...]
    justification: str

    @property
    def in_plan(self) -> bool:
        """Whether the action cites this plan at all (an operational objective or a higher level)."""
        return bool(self.codes or self.general_codes)

    @property
    def too_general(self) -> bool:
        """Whether the action cites only levels above the operational one (it covers no column)."""
        return bool(self.general_codes) and not self.codes

    @property
    def justified(self) -> bool:
        """Whether a justification explains the action's place outside the plan."""
        return bool(self.justification.strip())


@dataclass(frozen=True)
class CoherenceTable:
    """Actions × operational objectives of one regional plan pack.

    ``pack`` is ``None`` when the project has no plan (territory without région, or no pack of
    its région): the table then has no column and every action is outside the plan.
    """

    pack: PlanPack | None
    level_label: str
    objectives: tuple[PlanObjectiveRow, ...]
    actions: tuple[CoherenceAction, ...]

    def covers(self, action_id: int, code: str) -> bool:
        """Whether the action covers the operational objective ``code``."""
        return any(a.action_id == action_id and code in a.codes for a in self.actions)

    def actions_for(self, code: str) -> tuple[CoherenceAction, ...]:
        """Actions covering the operational objective ``code``."""
        return tuple(a for a in self.actions if code in a.codes)

    def matrix(self) -> list[list[bool]]:
        """One row per action, one column per objective: True where the action covers it."""
        return [[row.code in action.codes for row in self.objectives] for action in self.actions]

    @property
    def uncovered(self) -> tuple[PlanObjectiveRow, ...]:
        """Operational objectives no action covers."""
        covered = {code for action in self.actions for code in action.codes}
        return tuple(row for row in self.objectives if row.code not in covered)

    @property
    def covered(self) -> tuple[PlanObjectiveRow, ...]:
        """Operational objectives at least one action covers."""
        missing = {row.code for row in self.uncovered}
        return tuple(row for row in self.objectives if row.code not in missing)

    @property
    def outside_plan(self) -> tuple[CoherenceAction, ...]:
        """Actions citing no objective of the plan (other plans' links do not count)."""
        return tuple(a for a in self.actions if not a.in_plan)

    @property
    def too_general(self) -> tuple[CoherenceAction, ...]:
        """Actions citing only orientations above the operational level: in the plan, in no column."""
        return tuple(a for a in self.actions if a.too_general)

    @property
    def unjustified(self) -> tuple[CoherenceAction, ...]:
        """Actions outside the plan without justification."""
        return tuple(a for a in self.outside_plan if not a.justified)

    def summary(self) -> str:
        """The table in one French sentence or two."""
        if self.pack is None:
            return (
                "Aucun plan régional n'est associé au projet : choisissez les communes du territoire et le plan de "
                "votre région pour vérifier la cohérence des actions."
            )
        level = self.level_label.lower()
        total = len(self.objectives)
        text = (
            f"Plan « {self.pack.title} » : {len(self.covered)} {level}(s) sur {total} "
            f"couvert(s) par au moins une action, {len(self.uncovered)} sans action."
        )
        if self.too_general:
            text += (
                f" {plural(len(self.too_general), 'action')} reliée(s) seulement à un niveau plus général que "
                f"l'{level}."
            )
        if self.outside_plan:
            text += (
                f" {plural(len(self.outside_plan), 'action')} hors du plan, dont "
                f"{format_count(len(self.unjustified))} sans justification."
            )
        return text


def format_count(count: int) -> str:
    """``0`` → ``aucune``; otherwise the number (feminine: actions)."""
    return "aucune" if count == 0 else str(count)


def _row(pack: PlanPack, objective: PlanObjective) -> PlanObjectiveRow:
    parent_title = ""
    if objective.parent_code is not None:
        parent_title = pack.find(objective.parent_code).title
    return PlanObjectiveRow(objective.code, objective.title, objective.level_label, objective.parent_code, parent_title)


def build_table(pack: PlanPack | None, sheets: list[hp.ActionSheet]) -> CoherenceTable:
    """The coherence table of fiches action against a plan (pure: no database)."""
    if pack is None:
        outside = tuple(
            CoherenceAction(
                s.id,
                s.title,
                s.priority_title,
                s.objective_title,
                s.draft.pilot,
                (),
                (),
                (),
                tuple(f"{lk.pack_key} : {lk.objective_code}" for lk in s.draft.plan_links),
                s.draft.plan_justification,
            )
            for s in sheets
        )
        return CoherenceTable(None, "Objectif", (), outside)
    level = hp.operational_level(pack)
    operational = hp.operational_objectives(pack)
    columns = {o.code for o in operational}
    parents = {o.code: o.parent_code for o in pack.walk()}
    levels = {o.code: o for o in pack.walk()}

    def covered_by(code: str) -> str | None:
        """The operational objective a cited code falls under (itself or an ancestor)."""
        current: str | None = code
        while current is not None:
            if current in columns:
                return current
            current = parents.get(current)
        return None

    order = {o.code: i for i, o in enumerate(operational)}
    actions: list[CoherenceAction] = []
    for sheet in sheets:
        covered: set[str] = set()
        linked: list[str] = []
        general: list[str] = []
        others: list[str] = []
        for link in sheet.draft.plan_links:
            if link.pack_key != pack.key or link.objective_code not in levels:
                others.append(f"{link.pack_key} : {link.objective_code}")
                continue
            linked.append(link.objective_code)
            target = covered_by(link.objective_code)
            if target is None:
                general.append(link.objective_code)
            else:
                covered.add(target)
        actions.append(
            CoherenceAction(
                sheet.id,
                sheet.title,
                sheet.priority_title,
                sheet.objective_title,
                sheet.draft.pilot,
                tuple(sorted(covered, key=order.__getitem__)),
                tuple(linked),
                tuple(general),
                tuple(others),
                sheet.draft.plan_justification,
            )
        )
    return CoherenceTable(pack, pack.level_labels[level], tuple(_row(pack, o) for o in operational), tuple(actions))


def coherence_table(
    uow: UnitOfWork, project_id: int, *, pack_key: str | None = None, refdata: RefData | None = None
) -> CoherenceTable:
    """The project's fiches action × the operational objectives of its regional plan.

    ``pack_key`` picks another pack than the project's (to compare with the departmental
    roadmap, for instance); by default the project's chosen plan, else the most recent of its
    région (:func:`~santeloc.services.health_project.project_pack`).
    """
    if pack_key is not None:
        packs = hp.plan_packs()
        if pack_key not in packs:
            raise ValidationError(f"Plan régional inconnu : « {pack_key} ».")
        pack: PlanPack | None = packs[pack_key]
    else:
        pack = hp.project_pack(uow, project_id, refdata)
    return build_table(pack, hp.list_actions(uow, project_id, refdata))
