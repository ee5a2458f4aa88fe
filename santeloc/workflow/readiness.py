"""The live readiness checklist: what an ARS, a funder and the ACI socle check before saying yes.

Computed from the database through the services, never stored: each call reflects the project
as it is. Two lists of :class:`ReadinessItem`:

- **ARS** (and funders): projet de santé signed by all the team; at least 2 GPs and 1
  paramedical professional; consistency with the regional plan (PRS); opening hours and
  unscheduled care organised; coordination function; trainee supervision; information system;
  prevention actions; financing plan balanced with all funders identified.
- **ACI socle** (accord conventionnel interprofessionnel): 8 h–20 h weekday opening and
  Saturday morning; unscheduled care every working day; identified coordination function;
  shared information system.

How each item is decided:

- *Team membership*: a professional of the registry is a member of the team once their
  commitment reached a lettre d'intention or the signature of the projet de santé
  (:data:`~santeloc.services.health_project.MEMBER_STATUSES`); contacted, met or interested
  professionals are not members. "Signed by all" means at least one member and every member
  "signataire". The 2 GPs + 1 paramedical minimum counts members, with the paramedical flag of
  :mod:`santeloc.domain.professions`.
- *PRS consistency*: at least one fiche action, and every fiche linked to an objective of a plan
  of the territory's région or carrying a justification (no
  :data:`~santeloc.services.health_project.F_OUTSIDE_PLAN` finding).
- *ARS organisation items*: the matching section of the projet de santé has been written.
- *Prevention*: at least one fiche action about prevention, screening, vaccination or health /
  therapeutic education (its text, or a plan objective it is linked to, says so).
- *Financing*: the reference plan has expenses, every stage is balanced, and every grant names
  a funder of the catalogue.
- *ACI items*: the "oui"/"non" answers of the ``aci.*`` keys of the projet de santé; only "oui"
  meets an item.
"""

from __future__ import annotations

from dataclasses import dataclass

from santeloc.domain.formatting import plural
from santeloc.domain.levers import keyword_score
from santeloc.domain.team import TeamMinimum
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import health_project as hp
from santeloc.services.plan_status import plan_status
from santeloc.workflow.steps import StepId

PREVENTION_KEYWORDS: tuple[str, ...] = (
    "prevention",
    "depistage",
    "vaccination",
    "education pour la sante",
    "education therapeutique",
    "promotion de la sante",
)

WHERE_TEAM = "Étape 5 — Mobilisation des professionnels › engagement de chaque professionnel"
WHERE_ACTIONS = "Étape 6 — Priorités et projet de santé › fiches action › liens au plan régional"
WHERE_PREVENTION = "Étape 6 — Priorités et projet de santé › fiches action"
WHERE_FINANCING = "Étape 7 — Plan de financement › ressources"


@dataclass(frozen=True)
class ReadinessItem:
    """One check of the list: met or not, why, and where to go to fix it."""

    key: str
    label: str
    met: bool
    detail: str
    step: StepId
    where: str


@dataclass(frozen=True)
class Readiness:
    """The two checklists of a project."""

    ars: tuple[ReadinessItem, ...]
    aci: tuple[ReadinessItem, ...]

    @property
    def items(self) -> tuple[ReadinessItem, ...]:
        """Every item, ARS first."""
        return self.ars + self.aci

    def item(self, key: str) -> ReadinessItem:
        """The item of that key."""
        for candidate in self.items:
            if candidate.key == key:
                return candidate
        raise KeyError(key)

    @property
    def ars_ready(self) -> bool:
        """Every ARS item met."""
        return all(i.met for i in self.ars)

    @property
    def aci_ready(self) -> bool:
        """Every ACI socle item met."""
        return all(i.met for i in self.aci)

    @property
    def missing(self) -> tuple[ReadinessItem, ...]:
        """Items not met, ARS first."""
        return tuple(i for i in self.items if not i.met)

    def summary(self) -> str:
        """The checklists in one French sentence."""
        ars = sum(i.met for i in self.ars)
        aci = sum(i.met for i in self.aci)
        return (
            f"Attendus de l'ARS : {ars} sur {len(self.ars)} remplis ; "
            f"socle de l'accord conventionnel interprofessionnel : {aci} sur {len(self.aci)}."
        )


def _section_where(key: str) -> str:
    definition = hp.SECTIONS_BY_KEY[key]
    return f"Étape 6 — Projet de santé › {definition.part_label} › {definition.title}"


# --- ARS items -------------------------------------------------------------------------------


def _team_items(team: list[hp.TeamMember]) -> list[ReadinessItem]:
    signed = [m for m in team if m.has_signed]
    unsigned = [m for m in team if not m.has_signed]
    if not team:
        detail = (
            "Aucun professionnel n'est encore engagé (lettre d'intention ou signature) : le projet de santé n'a "
            "pas de signataires."
        )
    elif unsigned:
        names = ", ".join(f"{m.name} ({m.profession_label.lower()})" for m in unsigned[:6])
        more = f" et {len(unsigned) - 6} autre(s)" if len(unsigned) > 6 else ""
        detail = (
            f"{len(signed)} signataire(s) sur {plural(len(team), 'membre')} de l'équipe ; pas encore signé : "
            f"{names}{more}."
        )
    else:
        detail = f"Les {plural(len(team), 'membre')} de l'équipe ont signé le projet de santé."
    signed_item = ReadinessItem(
        "projet_signe",
        "Projet de santé signé par tous les professionnels de l'équipe",
        bool(team) and not unsigned,
        detail,
        StepId.PROFESSIONNELS,
        WHERE_TEAM,
    )
    minimum = TeamMinimum(sum(1 for m in team if m.is_gp), sum(1 for m in team if m.is_paramedical))
    detail = f"Équipe engagée : {minimum.team}"
    detail += "." if minimum.met else f" ; il manque {' et '.join(minimum.missing)}."
    minimum_item = ReadinessItem(
        "equipe_minimale",
        "Au moins 2 médecins généralistes et 1 professionnel paramédical engagés",
        minimum.met,
        detail,
        StepId.PROFESSIONNELS,
        WHERE_TEAM,
    )
    return [signed_item, minimum_item]


def _prs_item(sheets: list[hp.ActionSheet]) -> ReadinessItem:
    label = "Cohérence avec le projet régional de santé (chaque action reliée au plan ou justifiée)"
    if not sheets:
        return ReadinessItem(
            "coherence_prs",
            label,
            False,
            "Aucune fiche action n'est encore rédigée.",
            StepId.PROJET_SANTE,
            WHERE_ACTIONS,
        )
    outside = [s for s in sheets if s.has(hp.F_OUTSIDE_PLAN)]
    other_region = [s for s in sheets if s.has(hp.F_OTHER_REGION)]
    if outside:
        titles = ", ".join(f"« {s.title} »" for s in outside[:5])
        more = f" et {len(outside) - 5} autre(s)" if len(outside) > 5 else ""
        detail = (
            f"{len(outside)} fiche(s) action sur {len(sheets)} ne sont reliées à aucun objectif du plan de votre "
            f"région et ne sont pas justifiées : {titles}{more}."
        )
    else:
        detail = (
            f"Les {plural(len(sheets), 'fiche action', 'fiches action')} sont reliées au plan régional ou justifiées."
        )
    if other_region:
        detail += f" {len(other_region)} fiche(s) citent un plan d'une autre région : ces liens ne comptent pas."
    return ReadinessItem("coherence_prs", label, not outside, detail, StepId.PROJET_SANTE, WHERE_ACTIONS)


def _section_item(key: str, label: str, sections: dict[str, str], section_keys: tuple[str, ...]) -> ReadinessItem:
    empty = [k for k in section_keys if not sections.get(k, "").strip()]
    titles = [f"« {hp.SECTIONS_BY_KEY[k].title} »" for k in section_keys]
    if empty:
        missing = " et ".join(f"« {hp.SECTIONS_BY_KEY[k].title} »" for k in empty)
        detail = f"Section(s) à rédiger dans le projet de santé : {missing}."
    else:
        detail = f"Rédigé dans le projet de santé : {', '.join(titles)}."
    return ReadinessItem(key, label, not empty, detail, StepId.PROJET_SANTE, _section_where((empty or section_keys)[0]))


def _is_prevention(sheet: hp.ActionSheet) -> bool:
    draft = sheet.draft
    text = " ".join((draft.title, draft.objective, draft.description, draft.target_public))
    if keyword_score(PREVENTION_KEYWORDS, text):
        return True
    packs = hp.plan_packs() if draft.plan_links else {}
    for link in draft.plan_links:
        pack = packs.get(link.pack_key)
        if pack is None:
            continue
        try:
            objective = pack.find(link.objective_code)
        except KeyError:
            continue
        if keyword_score(PREVENTION_KEYWORDS, f"{objective.title} {objective.description}"):
            return True
    return False


def _prevention_item(sheets: list[hp.ActionSheet]) -> ReadinessItem:
    prevention = [s for s in sheets if _is_prevention(s)]
    if prevention:
        titles = ", ".join(f"« {s.title} »" for s in prevention[:5])
        detail = f"{plural(len(prevention), 'fiche action', 'fiches action')} de prévention : {titles}."
    else:
        detail = (
            "Aucune fiche action ne porte sur la prévention, le dépistage ou l'éducation pour la santé ; le "
            "catalogue des leviers propose un programme de prévention et un programme d'éducation thérapeutique."
        )
    return ReadinessItem(
        "actions_prevention",
        "Actions de prévention",
        bool(prevention),
        detail,
        StepId.PROJET_SANTE,
        WHERE_PREVENTION,
    )


def _financing_item(uow: UnitOfWork, project_id: int) -> ReadinessItem:
    status = plan_status(uow, project_id)
    return ReadinessItem(
        "plan_financement",
        "Plan de financement équilibré, tous les financeurs identifiés",
        status.ready,
        status.detail,
        StepId.FINANCEMENT,
        WHERE_FINANCING,
    )


# --- ACI items -------------------------------------------------------------------------------


def _aci_item(key: str, label: str, sections: dict[str, str], flags: tuple[str, ...], hint: str) -> ReadinessItem:
    answers = {flag: sections.get(flag, "") for flag in flags}
    no = [f for f, v in answers.items() if v == hp.NO]
    unanswered = [f for f, v in answers.items() if v not in (hp.YES, hp.NO)]
    met = all(v == hp.YES for v in answers.values())
    if met:
        detail = "Oui : " + " ; ".join(hp.SECTIONS_BY_KEY[f].title.lower() for f in flags) + "."
    else:
        parts: list[str] = []
        if no:
            parts.append("non pour " + " et ".join(f"« {hp.SECTIONS_BY_KEY[f].title} »" for f in no))
        if unanswered:
            parts.append("sans réponse pour " + " et ".join(f"« {hp.SECTIONS_BY_KEY[f].title} »" for f in unanswered))
        detail = "Critère non rempli : " + " ; ".join(parts) + "."
        if hint:
            detail += f" {hint}"
    return ReadinessItem(
        key, label, met, detail, StepId.PROJET_SANTE, _section_where((no or unanswered or list(flags))[0])
    )


# --- the checklist ---------------------------------------------------------------------------

SectionCheck = tuple[str, str, tuple[str, ...]]

ARS_SECTIONS: tuple[SectionCheck, ...] = (
    (
        "horaires_soins_non_programmes",
        "Horaires d'ouverture et soins non programmés organisés",
        ("soins.acces_horaires", "soins.non_programmes"),
    ),
    ("coordination", "Fonction de coordination", ("pro.coordination",)),
    ("maitrise_stage", "Accueil et encadrement des stagiaires (maîtrise de stage)", ("pro.stagiaires",)),
    ("systeme_information", "Système d'information partagé", ("pro.systeme_information",)),
)


def readiness_checklist(
    uow: UnitOfWork,
    project_id: int,
    refdata: RefData | None = None,
) -> Readiness:
    """Compute both checklists of a project from the database (reads only, writes nothing)."""
    team = hp.list_team(uow, project_id)
    sheets = hp.list_actions(uow, project_id, refdata)
    sections = hp.get_sections(uow, project_id)
    financing = _financing_item(uow, project_id)

    ars: list[ReadinessItem] = _team_items(team)
    ars.append(_prs_item(sheets))
    ars.extend(_section_item(key, label, sections, keys) for key, label, keys in ARS_SECTIONS)
    ars.append(_prevention_item(sheets))
    ars.append(financing)

    coordination_hint = (
        "Décrivez-la aussi dans la section « Fonction de coordination »."
        if not sections.get("pro.coordination", "").strip()
        else ""
    )
    aci = [
        _aci_item(
            "aci_horaires",
            "Ouverture de 8 h à 20 h en semaine et le samedi matin",
            sections,
            ("aci.ouverture_semaine", "aci.ouverture_samedi"),
            "",
        ),
        _aci_item(
            "aci_soins_non_programmes",
            "Soins non programmés chaque jour ouvré",
            sections,
            ("aci.soins_non_programmes",),
            "",
        ),
        _aci_item(
            "aci_coordination",
            "Fonction de coordination identifiée",
            sections,
            ("aci.coordination",),
            coordination_hint,
        ),
        _aci_item(
            "aci_systeme_information",
            "Système d'information partagé",
            sections,
            ("aci.systeme_information",),
            "",
        ),
    ]
    return Readiness(tuple(ars), tuple(aci))
