"""The methodology as data: the nine steps, what each is for, and how complete each is.

No Qt here: the wizard only renders this, and tests walk it without widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING

from santeloc.domain.formatting import plural

if TYPE_CHECKING:  # annotations only: counting loads the ORM, the glossary does not need it
    from santeloc.services.progress import ProjectCounts


class StepId(IntEnum):
    """The steps of the method, in order."""

    TERRITOIRE = 0
    ETAT_SANTE = 1
    OFFRE = 2
    ACCESSIBILITE = 3
    HABITANTS = 4
    PROFESSIONNELS = 5
    PROJET_SANTE = 6
    FINANCEMENT = 7
    DOSSIERS = 8


class StepState(StrEnum):
    """How far a step is."""

    TODO = "todo"
    PARTIAL = "partial"
    DONE = "done"
    UNAVAILABLE = "unavailable"

    @property
    def label(self) -> str:
        """French label of the state."""
        return {
            StepState.TODO: "À faire",
            StepState.PARTIAL: "En cours",
            StepState.DONE: "Complète",
            StepState.UNAVAILABLE: "Bientôt disponible",
        }[self]


@dataclass(frozen=True)
class Completeness:
    """State of a step and the plain-French reason for it."""

    state: StepState
    detail: str


@dataclass(frozen=True)
class Step:
    """One step of the method."""

    id: StepId
    title: str
    purpose: str
    gather: str
    available: bool
    assess: Callable[[ProjectCounts], Completeness]

    @property
    def number_title(self) -> str:
        """Title with its number, as shown in the navigation."""
        return f"{int(self.id)}. {self.title}"


def _territory(c: ProjectCounts) -> Completeness:
    if c.communes and c.porteur_named:
        return Completeness(StepState.DONE, f"{c.communes} commune(s), porteur renseigné.")
    if c.communes:
        return Completeness(StepState.PARTIAL, "Le territoire est choisi ; indiquez le nom du porteur.")
    if c.porteur_named:
        return Completeness(StepState.PARTIAL, "Le porteur est renseigné ; choisissez les communes du territoire.")
    return Completeness(StepState.TODO, "Indiquez le porteur et choisissez les communes du territoire.")


def _health(c: ProjectCounts) -> Completeness:
    if c.indicators and c.constats:
        return Completeness(StepState.DONE, f"{c.indicators} indicateur(s), {c.constats} constat(s).")
    if c.indicators:
        return Completeness(StepState.PARTIAL, f"{c.indicators} indicateur(s) ; aucun constat retenu.")
    return Completeness(StepState.TODO, "Aucun indicateur de santé saisi ni importé.")


def _offer(c: ProjectCounts) -> Completeness:
    missing_age = c.professionals - c.professionals_with_age
    if c.professionals and c.professions >= 2 and not missing_age:
        return Completeness(
            StepState.DONE, f"{c.professionals} professionnel(s) de {c.professions} professions, âges connus."
        )
    if c.professionals:
        lacks = []
        if c.professions < 2:
            lacks.append("une seule profession recensée (recensez aussi les paramédicaux et la pharmacie)")
        if missing_age:
            lacks.append(f"âge inconnu pour {missing_age}")
        return Completeness(StepState.PARTIAL, f"{c.professionals} professionnel(s) ; " + " ; ".join(lacks) + ".")
    return Completeness(StepState.TODO, "Aucun professionnel de santé recensé.")


def _access(c: ProjectCounts) -> Completeness:
    apl = f"indice APL calculé pour {c.apl_runs} profession(s)" if c.apl_runs else "indice APL non calculé"
    if c.access_measures >= 4 and c.apl_runs:
        return Completeness(StepState.DONE, f"Les 4 mesures du guide renseignées, {apl}.")
    if c.access_measures or c.apl_runs:
        return Completeness(StepState.PARTIAL, f"{c.access_measures} mesure(s) sur les 4 du guide, {apl}.")
    return Completeness(StepState.TODO, "Aucune mesure d'accessibilité renseignée, indice APL non calculé.")


def _inhabitants(c: ProjectCounts) -> Completeness:
    if c.survey_questions and c.survey_responses:
        return Completeness(StepState.DONE, f"{c.survey_responses} réponse(s) au questionnaire.")
    if c.survey_questions:
        return Completeness(StepState.PARTIAL, "Questionnaire prêt ; aucune réponse importée.")
    return Completeness(StepState.TODO, "Étape facultative mais recommandée : aucun questionnaire.")


def _professionals(c: ProjectCounts) -> Completeness:
    if c.needs_msp_team:
        team = c.team
        if team.met:
            return Completeness(StepState.DONE, team.sentence)
        if c.committed_professionals or c.contacts or c.meetings:
            return Completeness(StepState.PARTIAL, team.sentence)
    elif c.committed_professionals:
        return Completeness(StepState.DONE, f"{c.committed_professionals} professionnel(s) engagé(s).")
    elif c.contacts or c.meetings:
        return Completeness(StepState.PARTIAL, f"{c.contacts} contact(s), {c.meetings} réunion(s).")
    return Completeness(StepState.TODO, "Aucun professionnel engagé, aucun contact ni aucune réunion enregistrés.")


def _health_project(c: ProjectCounts) -> Completeness:
    if c.priorities and c.actions:
        return Completeness(StepState.DONE, f"{c.priorities} priorité(s), {c.actions} fiche(s) action.")
    if c.priorities:
        return Completeness(StepState.PARTIAL, f"{c.priorities} priorité(s) ; aucune fiche action.")
    return Completeness(StepState.TODO, "Aucune priorité retenue.")


def _financing(c: ProjectCounts) -> Completeness:
    if c.plan_ready:
        return Completeness(StepState.DONE, c.plan_detail)
    if c.plan_started:
        return Completeness(StepState.PARTIAL, c.plan_detail)
    return Completeness(StepState.TODO, "Aucune dépense ni recette saisie.")


def _dossiers(c: ProjectCounts) -> Completeness:
    if c.communes and c.plan_started and c.relecture is not None:
        total = sum(len(items) for items in c.relecture.values())
        if not total:
            return Completeness(StepState.DONE, "Prêts : la relecture ne relève rien.")
        return Completeness(
            StepState.PARTIAL, f"{plural(total, 'point')} de la relecture à reprendre avant de les envoyer."
        )
    if c.communes and c.plan_started:
        return Completeness(StepState.PARTIAL, "Prêts à produire : relisez-les avant de les envoyer.")
    return Completeness(StepState.TODO, "Les dossiers se produisent à partir des étapes précédentes.")


STEPS: tuple[Step, ...] = (
    Step(
        StepId.TERRITOIRE,
        "Projet et territoire",
        "Dire qui porte le projet, ce que l'on veut construire et pour quelles communes. "
        "Le territoire fixe la population étudiée et les niveaux de comparaison (département, région, France).",
        "Le périmètre de l'intercommunalité ou du pays, les communes voisines dont les habitants consultent "
        "sur le territoire, la délibération qui lance la démarche.",
        True,
        _territory,
    ),
    Step(
        StepId.ETAT_SANTE,
        "État de santé des habitants",
        "Repérer ce qui distingue la santé des habitants : mortalité prématurée, causes de surmortalité, "
        "maladies chroniques, structure par âge, situation sociale — toujours comparées aux références.",
        "Les tableaux de l'observatoire régional de santé (ORS), de SCORE-Santé, de Géodes et de l'Assurance "
        "Maladie, avec l'année et la source de chaque valeur.",
        True,
        _health,
    ),
    Step(
        StepId.OFFRE,
        "Offre de soins et démographie",
        "Recenser tous les professionnels (pas seulement les médecins généralistes) et les établissements, "
        "et anticiper : âge des professionnels, départs attendus à 5 et 10 ans.",
        "L'extraction RPPS de l'Annuaire santé, les listes de l'Ordre et de la CPAM, et les âges et projets "
        "de départ recueillis auprès des professionnels eux-mêmes.",
        True,
        _offer,
    ),
    Step(
        StepId.ACCESSIBILITE,
        "Accessibilité",
        "Mesurer l'accès réel aux soins : délai de rendez-vous, temps de trajet, permanence des soins "
        "(soirs et week-ends), accès financier, indice d'accessibilité potentielle localisée (APL).",
        "Les délais et horaires recueillis auprès des cabinets, l'organisation de la permanence des soins "
        "auprès de l'ARS, la part de bénéficiaires de la C2S auprès de la CPAM.",
        True,
        _access,
    ),
    Step(
        StepId.HABITANTS,
        "Ressenti des habitants",
        "Recueillir l'avis des habitants sur l'offre et leur usage des soins : besoins non satisfaits, "
        "délais, horaires, distance, prévention connue.",
        "Un questionnaire diffusé par les mairies, les commerces, les associations ; les réponses saisies "
        "dans un tableur.",
        True,
        _inhabitants,
    ),
    Step(
        StepId.PROFESSIONNELS,
        "Mobilisation des professionnels",
        "Rencontrer les professionnels, partager le diagnostic, repérer un leader et partir de leur projet "
        "professionnel : ce sont eux qui portent le projet de santé.",
        "Les coordonnées des professionnels et des partenaires (ARS, CPAM, Ordre, URPS), les comptes rendus "
        "de réunions, les lettres d'intention.",
        True,
        _professionals,
    ),
    Step(
        StepId.PROJET_SANTE,
        "Priorités et projet de santé",
        "Choisir les priorités avec les professionnels et les élus, les décliner en objectifs et en fiches "
        "action reliées au diagnostic et au projet régional de santé (PRS), rédiger le projet de santé.",
        "Le projet régional de santé de votre région, les constats retenus, les propositions des ateliers.",
        True,
        _health_project,
    ),
    Step(
        StepId.FINANCEMENT,
        "Plan de financement",
        "Équilibrer dépenses et recettes pour l'ingénierie, l'investissement et le fonctionnement, "
        "avec les subventions (DETR, DSIL, FNADT, Région, Département, ARS, Europe), l'emprunt et les loyers.",
        "L'estimation de l'architecte ou du maître d'œuvre, les appels à projets de la préfecture, "
        "de la Région et du Département, les conditions d'emprunt.",
        True,
        _financing,
    ),
    Step(
        StepId.DOSSIERS,
        "Dossiers",
        "Produire les documents à remettre : diagnostic, projet de santé, demandes de subvention, "
        "délibération, classeur du plan de financement.",
        "Rien de plus : les dossiers reprennent ce qui a été saisi aux étapes précédentes.",
        True,
        _dossiers,
    ),
)

STEPS_BY_ID: dict[StepId, Step] = {step.id: step for step in STEPS}


def assess(step: Step, counts: ProjectCounts) -> Completeness:
    """Completeness of a step, or 'bientôt disponible' for a step this version does not equip yet."""
    if not step.available:
        return Completeness(StepState.UNAVAILABLE, "Cette étape n'est pas encore outillée dans cette version.")
    result = step.assess(counts)
    pending = (counts.relecture or {}).get(int(step.id), ())
    if result.state is StepState.DONE and pending and step.id is not StepId.DOSSIERS:
        more = f" (et {plural(len(pending) - 1, 'autre point')})" if len(pending) > 1 else ""
        return Completeness(StepState.PARTIAL, f"À reprendre pour les dossiers : {pending[0]}{more}")
    return result


def next_step(current: StepId) -> StepId | None:
    """The step after ``current``, or None after the last."""
    return StepId(current + 1) if current < StepId.DOSSIERS else None


def previous_step(current: StepId) -> StepId | None:
    """The step before ``current``, or None before the first."""
    return StepId(current - 1) if current > StepId.TERRITOIRE else None
