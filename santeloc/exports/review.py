"""Relecture (review) of a dossier before it is produced: what each document lacks or contradicts.

Each item names the document, what is missing or wrong, and where to fix it in the
application (step and tab). Documents are never padded with instructions: a document with
items is produced only if the user insists, and then says « PROJET — document incomplet » in
its header. Figures come from the one financing analysis (:mod:`santeloc.domain.financing`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from santeloc.domain import financing as rules
from santeloc.domain.enums import ResourceKind, ResourceStatus
from santeloc.domain.formatting import format_cents, format_date, format_int, plural
from santeloc.exports.review_contradictions import action_contradictions, constat_contradictions, plan_contradictions
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import financing as financing_svc
from santeloc.services import health_project as health_svc
from santeloc.services import meeting_minutes as minutes_svc
from santeloc.services import meetings as meetings_svc
from santeloc.services import offer as offer_svc
from santeloc.services import survey as survey_svc

STEP_NAMES: dict[int, str] = {
    0: "Projet et territoire",
    1: "État de santé",
    2: "Offre de soins",
    3: "Accessibilité",
    4: "Habitants",
    5: "Mobilisation et réunions",
    6: "Projet de santé",
    7: "Plan de financement",
    8: "Dossiers",
}

INCOMPLETE_MARK = "PROJET — document incomplet"
"""What the header of a document produced with review items says."""

REQUIRED_SECTIONS_PARTS = ("projet_de_soins", "projet_professionnel", "aci")
"""Parts of the projet de santé whose every section the ARS reads."""


@dataclass(frozen=True)
class ReviewItem:
    """One thing a document lacks or contradicts, and where to fix it."""

    message: str
    step: int
    tab: str = ""
    field: str = ""  # object name of the widget that fixes it, when the tab alone does not say

    @property
    def where(self) -> str:
        """« Étape 7 — Plan de financement, onglet Ressources »."""
        text = f"Étape {self.step} — {STEP_NAMES.get(self.step, '')}"
        return f"{text}, onglet {self.tab}" if self.tab else text


@dataclass
class Review:
    """The review items of every document of a dossier, by document key."""

    documents: dict[str, list[ReviewItem]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def items(self, key: str) -> list[ReviewItem]:
        """Items of one document (``"subvention:DETR"``, ``"compte_rendu:3"``…)."""
        return self.documents.get(key, [])

    def is_complete(self, key: str) -> bool:
        """True when the document has nothing left to review."""
        return not self.items(key)

    @property
    def total(self) -> int:
        """How many items in all."""
        return sum(len(items) for items in self.documents.values())

    def add(self, key: str, label: str, item: ReviewItem) -> None:
        """Record an item (each message once per document)."""
        self.labels.setdefault(key, label)
        items = self.documents.setdefault(key, [])
        if item.message not in {i.message for i in items}:
            items.append(item)


def _common_items(data: object) -> list[ReviewItem]:
    from santeloc.exports.context import ProjectData

    assert isinstance(data, ProjectData)
    items = []
    if not data.project.porteur_name.strip():
        items.append(ReviewItem("Le nom du porteur (maître d'ouvrage) n'est pas indiqué.", 0, "Projet",
                                "porteurNameEdit"))  # fmt: skip
    if data.territory.is_empty:
        items.append(ReviewItem("Le territoire ne compte aucune commune.", 0, "Territoire", "searchEdit"))
    if not data.project.description.strip():
        items.append(ReviewItem("La présentation du projet est vide.", 0, "Projet", "projectDescriptionEdit"))
    return items


def _plan_items(view: financing_svc.PlanView) -> list[ReviewItem]:
    items = []
    analysis = view.analysis
    if not view.expenses:
        return [ReviewItem("Le plan de financement ne comporte aucune dépense.", 7, "Dépenses")]
    items += [ReviewItem(message, 7, tab) for message, tab in plan_contradictions(view)]
    for finding in analysis.findings:
        if finding.severity == rules.ERREUR or (finding.severity == rules.ALERTE and finding.resource_id is None):
            items.append(ReviewItem(finding.message, 7, "Ressources"))
    loans = analysis.overall.loans_cents
    if loans and view.loan is None:
        items.append(ReviewItem(f"Le plan comporte un emprunt de {format_cents(loans)} dont le taux et la durée ne "
                                "sont pas fixés : pas d'échéancier ni d'annuité.", 7, "Emprunt"))  # fmt: skip
    elif view.loan is not None and view.loan.principal_cents != loans:
        items.append(ReviewItem(f"L'emprunt détaillé ({format_cents(view.loan.principal_cents)}) ne correspond pas "
                                f"à l'emprunt inscrit au plan ({format_cents(loans)}).", 7, "Emprunt"))  # fmt: skip
    return items


def _funder_items(
    view: financing_svc.PlanView, code: str, works: dict[str, date | None], today: date
) -> list[ReviewItem]:
    rule = next((row.rule for row in view.funders if row.rule.code == code), None)
    lines = [
        r for r in view.resources if r.resource.kind == ResourceKind.SUBVENTION.value and r.resource.funder_code == code
    ]
    ids = {r.resource.id for r in lines}
    items = [
        ReviewItem(f.message, 7, "Ressources")
        for f in view.analysis.findings
        if f.severity != rules.INFO and f.resource_id is not None and f.resource_id in ids
    ]
    name = rule.name if rule else code
    if rule is None or not rule.attachment_list:
        items.append(ReviewItem(f"Les pièces à joindre pour {name} ne sont pas indiquées.", 7, "Financeurs"))
    if works.get("travaux_debut") is None or works.get("travaux_fin") is None:
        items.append(ReviewItem("Les dates de début et de fin des travaux ne sont pas indiquées.", 8, ""))
    if works.get("operation_debut") is None or works.get("operation_fin") is None:
        items.append(ReviewItem("Les dates de début et de fin de l'opération ne sont pas indiquées.", 8, ""))
    start = works.get("travaux_debut")
    asked = min((r.requested_on for r in lines if r.requested_on), default=None)
    applied = asked or today
    pending = any(
        r.resource.status in (ResourceStatus.A_SOLLICITER.value, ResourceStatus.SOLLICITE.value) for r in lines
    )
    if start is not None and pending and start < applied:
        items.append(
            ReviewItem(
                f"Les travaux commencent le {format_date(start)}, avant la demande à {name} "
                f"({format_date(applied)}) : l'aide ne peut financer une opération déjà commencée.",
                8,
                "",
            )
        )
    return items


def review_dossier(uow: UnitOfWork, project_id: int, data: object, *, today: date | None = None) -> Review:
    """Everything each document of the dossier lacks or contradicts (``data``: the dossier's ProjectData)."""
    from santeloc.exports.context import ProjectData, grant_funders

    assert isinstance(data, ProjectData)
    today = today or data.today
    review = Review()
    common = _common_items(data)
    view = data.plan
    plan_items = _plan_items(view)
    works = financing_svc.get_works_dates(uow, project_id)
    priorities = health_svc.list_priorities(uow, project_id)
    actions = health_svc.list_actions(uow, project_id)
    team = health_svc.list_team(uow, project_id)

    # Diagnostic local de santé.
    diag = "diagnostic"
    label = "Diagnostic local de santé"
    for item in common:
        review.add(diag, label, item)
    shown = [row for row in data.indicators if row.has_values]
    if not shown:
        review.add(diag, label, ReviewItem("Aucun indicateur de santé n'est renseigné.", 1, "Indicateurs"))
    for row in shown:
        if not row.source.strip() or not row.year:
            review.add(diag, label, ReviewItem(f"L'indicateur « {row.label} » n'a pas de source ou d'année.", 1,
                                               "Indicateurs"))  # fmt: skip
    counted = sum(g.men + g.women for g in data.ages)
    if not counted:
        review.add(diag, label, ReviewItem("La population par âge du territoire n'est pas importée.", 1, "Population"))
    elif data.territory.population and abs(counted - data.territory.population) > 0.02 * data.territory.population:
        review.add(diag, label, ReviewItem(
            f"La table des âges compte {format_int(counted)} habitants pour {format_int(data.territory.population)} "
            "sur le territoire : elle ne couvre pas les mêmes communes.", 1, "Population"))  # fmt: skip
    if not data.constats:
        review.add(diag, label, ReviewItem("Aucun constat n'est retenu.", 1, "Constats"))
    for message, tab in constat_contradictions(data.constats, data.indicators):
        review.add(diag, label, ReviewItem(message, 1, tab))
    if not offer_svc.list_professionals(uow, project_id):
        review.add(diag, label, ReviewItem("Aucun professionnel de santé n'est enregistré.", 2, "Professionnels"))
    if not offer_svc.list_establishments(uow, project_id):
        review.add(diag, label, ReviewItem("Aucun établissement ou service n'est enregistré.", 2, "Établissements"))
    if not offer_svc.list_measures(uow, project_id):
        review.add(diag, label, ReviewItem("Aucune mesure d'accessibilité n'est renseignée.", 3, "Mesures"))
    if not survey_svc.response_count(uow, project_id):
        review.add(diag, label, ReviewItem("L'enquête auprès des habitants n'a aucune réponse.", 4, "Résultats"))

    # Grant applications, one per funder.
    for code, name in grant_funders(view) or []:
        key, label = f"subvention:{code}", f"Demande de subvention — {name}"
        for item in common + plan_items + _funder_items(view, code, works, today):
            review.add(key, label, item)
        if not priorities or not actions:
            review.add(key, label, ReviewItem("Les priorités, objectifs et fiches action du projet de santé ne sont "
                                              "pas définis.", 6, "Priorités"))  # fmt: skip
        if not team:
            review.add(key, label, ReviewItem("Aucun professionnel n'est engagé dans l'équipe.", 5, "Engagements"))

    # Délibération.
    key, label = "deliberation", "Délibération"
    for item in common + plan_items:
        review.add(key, label, item)
    if view.expenses and not grant_funders(view):
        review.add(key, label, ReviewItem("Le plan de financement ne comporte aucune subvention.", 7, "Ressources"))

    # Projet de santé.
    key, label = "projet_sante", "Projet de santé"
    for item in common:
        review.add(key, label, item)
    if not priorities:
        review.add(key, label, ReviewItem("Aucune priorité n'est définie.", 6, "Priorités"))
    for priority in priorities:
        if not priority.objectives:
            review.add(key, label, ReviewItem(f"La priorité « {priority.title} » n'a pas d'objectif.", 6, "Priorités"))
    for sheet in actions:
        if not sheet.draft.indicators:
            review.add(key, label, ReviewItem(f"La fiche « {sheet.draft.title} » n'a pas d'indicateur d'évaluation.",
                                              6, "Fiches action"))  # fmt: skip
    if not team:
        review.add(key, label, ReviewItem("Aucun professionnel n'est engagé dans l'équipe.", 5, "Engagements"))
    for message, tab in action_contradictions(actions, team) + constat_contradictions(data.constats, data.indicators):
        review.add(key, label, ReviewItem(message, 6 if tab == "Fiches action" else 1, tab))
    stored = health_svc.get_sections(uow, project_id)
    empty = [
        d.title for d in health_svc.SECTIONS if d.part in REQUIRED_SECTIONS_PARTS and not stored.get(d.key, "").strip()
    ]
    if empty:
        review.add(key, label, ReviewItem(
            f"{plural(len(empty), 'rubrique')} du projet de santé à rédiger : " + ", ".join(empty) + ".", 6,
            "Projet de santé"))  # fmt: skip

    # Comptes rendus.
    for meeting in meetings_svc.list_meetings(uow, project_id):
        key, label = f"compte_rendu:{meeting.id}", f"Compte rendu — {meeting.display_title}"
        review.documents.setdefault(key, [])
        review.labels.setdefault(key, label)
        record = minutes_svc.get_minutes(uow, meeting.id)
        if not record.secretary:
            review.add(key, label, ReviewItem("Le secrétaire de séance n'est pas indiqué.", 5, "Réunions"))
        if not meeting.place.strip():
            review.add(key, label, ReviewItem("Le lieu de la réunion n'est pas indiqué.", 5, "Réunions"))
        if not record.attendees:
            review.add(key, label, ReviewItem("Aucun participant n'est enregistré.", 5, "Réunions"))

    # Workbook.
    key, label = "classeur", "Classeur du plan de financement"
    review.documents.setdefault(key, [])
    review.labels.setdefault(key, label)
    for item in plan_items:
        review.add(key, label, item)
    for known in ("diagnostic", "deliberation", "projet_sante"):
        review.documents.setdefault(known, [])
    return review


def review_project(uow: UnitOfWork, project_id: int, refdata: object, *, today: date | None = None) -> Review:
    """The relecture of a project's dossier, read from the database (what step 8 shows)."""
    from santeloc.exports.context import load_project_data
    from santeloc.refdata.geo import RefData

    assert isinstance(refdata, RefData)
    return review_dossier(uow, project_id, load_project_data(uow, project_id, refdata, today=today), today=today)


def items_by_step(review: Review) -> dict[int, tuple[str, ...]]:
    """Each step's relecture messages, once each (a message shared by several documents counts once)."""
    steps: dict[int, dict[str, None]] = {}
    for items in review.documents.values():
        for item in items:
            steps.setdefault(item.step, {})[item.message] = None
    return {step: tuple(messages) for step, messages in sorted(steps.items())}


def relecture_lines(review: Review, keys: list[str]) -> list[str]:
    """The relecture as lines of text, one per item: « - Délibération : message (Étape 7 — …) »."""
    lines = []
    for key in keys:
        for item in review.items(key):
            lines.append(f"- {review.labels.get(key, key)} : {item.message} ({item.where})")
    return lines


def document_keys(review: Review, chosen: set[str] | frozenset[str]) -> list[str]:
    """Keys of the review's documents that the dossier's choice (see ``exports.dossier.DOCUMENTS``) produces."""
    prefixes = {
        "diagnostic": ("diagnostic",),
        "subventions": ("subvention:",),
        "deliberation": ("deliberation",),
        "projet_sante": ("projet_sante",),
        "comptes_rendus": ("compte_rendu:",),
        "classeur": ("classeur",),
    }
    wanted = tuple(p for key in chosen for p in prefixes.get(key, ()))
    return [key for key in review.documents if key.startswith(wanted)] if wanted else []
