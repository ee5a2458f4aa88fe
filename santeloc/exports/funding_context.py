"""Context builders of the financing documents: grant applications, délibération, their plan tables.

Every rate is printed with its base, from the one financing analysis
(:func:`santeloc.domain.financing.analyse`): a grant's rate is « 25 % de l'assiette éligible de
1 120 000 € HT », a share is « 21,5 % du coût total de l'opération (1 300 000 € HT) ». The
same strings reach the plan tables, the délibération and the application, so one grant never
shows two rates. « Financement public » has one definition (CGCT art. L1111-10), printed once
with its formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from santeloc.domain import financing as rules
from santeloc.domain.enums import FinancingStage, PorteurType, ProjectType, ResourceKind, ResourceStatus
from santeloc.domain.formatting import format_cents, plural
from santeloc.domain.professions import PROFESSIONS_BY_KEY
from santeloc.exports.context import (
    _PROJECT_NOUNS,
    MAP_MM,
    WIDE_MM,
    ChartSet,
    ProjectData,
    _charts,
    _common,
    mark_document,
    with_article,
)
from santeloc.exports.grant_request import grant_request
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import financing as financing_svc
from santeloc.services import health_project as health_svc

Context = dict[str, Any]

HIGHLIGHT_FILL = "FFE8A3"  # the funder's own rows in its grant application
PLAIN_FILL = "FFFFFF"

_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre")  # fmt: skip

ACQUIRED = (ResourceStatus.ACCORDE.value, ResourceStatus.VERSE.value)
PENDING = (ResourceStatus.A_SOLLICITER.value, ResourceStatus.SOLLICITE.value)
THIS_REQUEST = "Sollicité — présente demande"
"""The status of a request's own lines, in its plan table."""


def long_date(day: date) -> str:
    """``2026-01-15`` → « 15 janvier 2026 » (« 1er » for the first)."""
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {_MONTHS[day.month - 1]} {day.year}"


def _kind_label(kind: str) -> str:
    try:
        return ResourceKind(kind).label
    except ValueError:
        return kind


def status_text(status: str, requested_on: date | None = None, decided_on: date | None = None) -> str:
    """« Acquis (accordé le 15 décembre 2025) », « Sollicité le 15 janvier 2026 », « À solliciter »."""
    if status in ACQUIRED:
        verb = "versé" if status == ResourceStatus.VERSE.value else "accordé"
        return f"Acquis ({verb} le {long_date(decided_on)})" if decided_on else "Acquis"
    if status == ResourceStatus.SOLLICITE.value:
        return f"Sollicité le {long_date(requested_on)}" if requested_on else "Sollicité"
    if status == ResourceStatus.REFUSE.value:
        return "Refusé"
    return "À solliciter"


def _balance_text(stage: rules.StageAnalysis, base: str) -> str:
    if stage.balance_cents == 0:
        return "Plan équilibré : les ressources couvrent exactement les dépenses."
    if stage.balance_cents < 0:
        return f"Reste à financer : {format_cents(-stage.balance_cents)} {base}."
    return f"Les ressources dépassent les dépenses de {format_cents(stage.balance_cents)}."


def _vat(bp: int) -> str:
    return rules.rate_text(bp)


def _who(view: financing_svc.PlanView, resource: rules.Resource) -> str:
    """The funder's display name for a grant, the line's label for a loan or self-funding."""
    if resource.kind == ResourceKind.SUBVENTION.value and resource.funder_code:
        return view.funder_name(resource.funder_code)
    return resource.label or _kind_label(resource.kind)


def resource_rows(view: financing_svc.PlanView, stage: rules.StageAnalysis, highlight: str | None) -> list[Context]:
    """One row per counted resource of a volet: funder, status, base, rate, amount, share of the volet."""
    rows_by_id = {row.resource.id: row for row in view.resources}
    ttc = view.analysis.balance_ttc
    rows = []
    for result in stage.resources:
        if not result.counted:
            continue
        resource = result.resource
        stored = rows_by_id.get(resource.id)
        own = (
            highlight is not None
            and resource.funder_code.strip() == highlight
            and resource.kind == ResourceKind.SUBVENTION.value
            and resource.status in PENDING
        )
        has_rate = result.base_cents is not None and result.effective_rate_bp is not None
        rows.append(
            {
                "financeur": _who(view, resource),
                "nature": _kind_label(resource.kind),
                "statut": THIS_REQUEST
                if own
                else status_text(
                    resource.status,
                    stored.requested_on if stored else None,
                    stored.decided_on if stored else None,
                ),
                "assiette": f"{format_cents(result.base_cents)} {'TTC' if result.base_is_ttc else 'HT'}"
                if has_rate and result.base_cents is not None
                else "—",
                "taux": rules.rate_text(result.effective_rate_bp)
                if has_rate and result.effective_rate_bp is not None
                else "—",
                "montant": format_cents(result.amount_cents),
                "part": rules.rate_text(result.share_of_stage_bp) if result.share_of_stage_bp is not None else "—",
                "taux_phrase": rate_phrase(result),
                "part_du_total": share_phrase(result.share_of_overall_bp, view.analysis.overall.expenses_cents, ttc),
                "fond": HIGHLIGHT_FILL if own else PLAIN_FILL,
                "est_le_financeur": own,
            }
        )
    return rows


def rate_phrase(result: rules.ResourceResult) -> str:
    """The grant's rate with its base, or ``""`` for a line without base."""
    if result.base_cents and result.effective_rate_bp is not None:
        return rules.rate_of_base_phrase(result.effective_rate_bp, result.base_cents, result.base_is_ttc)
    return ""


def share_phrase(bp: int | None, whole_cents: int, ttc: bool) -> str:
    """« 21,5 % du coût total de l'opération (1 300 000 € HT) »."""
    return rules.share_of_cost_phrase(bp, whole_cents, ttc) if bp is not None else ""


def public_funding_definition(stage: rules.StageAnalysis, owner_is_public: bool) -> str:
    """The one definition of « financement public » (of the investment, as CGCT art. L1111-10 reads it),
    with its formula and figures; the participation rule's message quotes the same total."""
    grants = format_cents(stage.public_funding_cents)
    if not owner_is_public:
        return f"Financement public de l'investissement : subventions des personnes publiques, soit {grants}."
    return (
        "Financement public de l'investissement (au sens de l'article L1111-10 du code général des collectivités "
        f"territoriales) = subventions des personnes publiques ({grants}) + participation du maître d'ouvrage "
        f"({format_cents(stage.owner_participation_cents)}) = {format_cents(stage.public_funding_with_owner_cents)}."
    )


def _sentence(message: str) -> str:
    """A finding of step 7 as a sentence of the document (its « Investissement : » prefix dropped)."""
    text = message.replace("Investissement : ", "", 1)
    return text[:1].upper() + text[1:]


def plan_context(view: financing_svc.PlanView, highlight: str | None = None) -> Context:
    """The reference plan as the templates show it (each volet with expenses or resources)."""
    analysis = view.analysis
    base = "TTC" if analysis.balance_ttc else "HT"
    expenses_by_stage: dict[str, list[rules.Expense]] = {}
    for row in view.expenses:
        expenses_by_stage.setdefault(row.expense.stage, []).append(row.expense)
    stages = []
    for stage in analysis.stages:
        if stage.is_empty:
            continue
        assert stage.stage is not None
        stages.append(
            {
                "code": stage.stage,
                "libelle": stage.label,
                "depenses": [
                    {
                        "libelle": e.label,
                        "categorie": e.category or "—",
                        "annee": str(e.year) if e.year else "—",
                        "ht": format_cents(e.amount_ht_cents),
                        "taux_tva": _vat(e.vat_rate_bp),
                        "tva": format_cents(e.vat_cents),
                        "ttc": format_cents(e.amount_ttc_cents),
                    }
                    for e in expenses_by_stage.get(stage.stage, [])
                ],
                "total_ht": format_cents(stage.expenses_ht_cents),
                "total_tva": format_cents(stage.expenses_ttc_cents - stage.expenses_ht_cents),
                "total_ttc": format_cents(stage.expenses_ttc_cents),
                "total_depenses": format_cents(stage.expenses_cents),
                "ressources": resource_rows(view, stage, highlight),
                "total_ressources": format_cents(stage.resources_cents),
                "solde": format_cents(stage.balance_cents),
                "equilibre": stage.is_balanced,
                "solde_texte": _balance_text(stage, base),
            }
        )
    overall = analysis.overall
    participation = [
        f.message
        for f in analysis.findings
        if f.code in (rules.F_MINIMUM_PARTICIPATION_OK, rules.F_MINIMUM_PARTICIPATION)
    ]
    public_aid = [f.message for f in analysis.findings if f.code in (rules.F_PUBLIC_AID_CAP_OK, rules.F_PUBLIC_AID_CAP)]
    return {
        "nom": view.plan.name,
        "vide": not stages,
        "base": base,
        "etapes": stages,
        "volets": stages,
        "plusieurs_etapes": len(stages) > 1,
        "total_ht": format_cents(overall.expenses_ht_cents),
        "total_ttc": format_cents(overall.expenses_ttc_cents),
        "total_depenses": format_cents(overall.expenses_cents),
        "total_ressources": format_cents(overall.resources_cents),
        "solde": format_cents(overall.balance_cents),
        "equilibre": analysis.is_balanced and bool(stages),
        "solde_texte": _balance_text(overall, base),
        "subventions_publiques": format_cents(overall.public_funding_cents),
        "financement_public": format_cents(overall.public_funding_with_owner_cents),
        "definition_financement_public": public_funding_definition(
            analysis.stage(FinancingStage.INVESTISSEMENT.value), view.owner_is_public
        )
        if any(s["code"] == FinancingStage.INVESTISSEMENT.value for s in stages)
        else "",
        "participation": format_cents(overall.owner_participation_cents),
        "autofinancement": format_cents(overall.self_funding_cents),
        "emprunts": format_cents(overall.loans_cents),
        "financeurs": [
            {
                "code": f.code,
                "nom": f.name,
                "montant": format_cents(f.amount_cents),
                "part": rules.format_bp(f.share_bp),
            }
            for f in overall.funders
            if f.share_bp is not None
        ],
        "regle_participation": " ".join(_sentence(m) for m in participation),
        "aides_publiques": " ".join(_sentence(m) for m in public_aid),
    }


def _loan_context(view: financing_svc.PlanView, charts: ChartSet) -> Context:
    loan = view.loan
    schedule = view.schedule
    if loan is None or not schedule:
        return {"present": False, "graphique": "", "loyer": ""}
    interest = sum(p.interest_cents for p in schedule)
    yearly = rules.yearly_payments(schedule)
    rent = view.rent_plan()
    return {
        "present": True,
        "libelle": loan.label,
        "capital": format_cents(loan.principal_cents),
        "taux": _vat(loan.rate_bp),
        "duree": plural(loan.years, "an"),
        "mode": "annuités constantes" if loan.constant_annuity else "amortissement constant",
        "annuite": format_cents(yearly[0], with_cents=True),
        "interets": format_cents(interest),
        "premiere_annee": str(loan.start_year) if loan.start_year else "",
        "graphique": charts.image("emprunt", WIDE_MM),
        "loyer": rent.comparison_sentence if rent is not None else "",
    }


def calendar(
    view: financing_svc.PlanView, works: dict[str, date | None], extra: Sequence[tuple[date, str]] = ()
) -> list[Context]:
    """Dated milestones: the operation and its works, requests and decisions, expenses by year, loan."""
    events: list[tuple[tuple[int, int, int, int], str, str]] = [
        ((day.year, day.month, day.day, 1), long_date(day), text) for day, text in extra
    ]
    for key, label in financing_svc.WORKS_DATE_KEYS:
        day = works.get(key)
        if day is not None:
            events.append(((day.year, day.month, day.day, 0), long_date(day), label))
    for row in view.resources:
        name = _who(view, row.resource)
        if row.requested_on:
            day = row.requested_on
            events.append(
                ((day.year, day.month, day.day, 1), long_date(day), f"Demande de subvention déposée : {name}")
            )
        if row.decided_on:
            day = row.decided_on
            events.append(((day.year, day.month, day.day, 1), long_date(day), f"Décision d'attribution : {name}"))
    if view.loan is not None and view.loan.start_year:
        events.append(((view.loan.start_year, 12, 31, 2), str(view.loan.start_year), "Première annuité de l'emprunt"))
    events.sort(key=lambda e: e[0])
    return [{"periode": when, "etape": text, "evenement": text} for _key, when, text in events]


def works_context(works: dict[str, date | None]) -> Context:
    """The dates of the works and of the operation, as sentences."""

    def shown(key: str) -> str:
        day = works.get(key)
        return long_date(day) if day else ""

    return {
        "debut_travaux": shown("travaux_debut"),
        "fin_travaux": shown("travaux_fin"),
        "debut_operation": shown("operation_debut"),
        "fin_operation": shown("operation_fin"),
        "connus": all(works.get(k) for k, _l in financing_svc.WORKS_DATE_KEYS),
    }


def _financing_common(
    uow: UnitOfWork, data: ProjectData, charts: ChartSet, title: str, highlight: str | None = None
) -> Context:
    context = _common(data, title)
    context["territoire"]["carte"] = charts.image("carte", MAP_MM)
    context["plan"] = plan_context(data.plan, highlight)
    context["plan"]["graphique"] = charts.image("ressources", WIDE_MM)
    context["emprunt"] = _loan_context(data.plan, charts)
    works = financing_svc.get_works_dates(uow, data.project.id)
    rows = calendar(data.plan, works)
    context["calendrier"] = rows
    context["a_un_calendrier"] = bool(rows)
    context["travaux"] = works_context(works)
    context["constats"] = [
        {"numero": str(index), "titre": c.title, "commentaire": c.comment.strip()}
        for index, c in enumerate(data.constats, start=1)
    ]
    context["a_des_constats"] = bool(data.constats)
    return context


def grant_funders(view: financing_svc.PlanView) -> list[tuple[str, str]]:
    """(code, name) of every funder a grant is still to obtain from (à solliciter or sollicité), DETR and
    DSIL first: a funder whose grants are all granted, paid or refused gets no request."""
    seen: dict[str, str] = {}
    for row in view.resources:
        resource = row.resource
        code = resource.funder_code.strip()
        if resource.kind != ResourceKind.SUBVENTION.value or not code:
            continue
        if resource.status not in PENDING:
            continue
        seen.setdefault(code, view.funder_name(code))
    first = ("DETR", "DSIL")
    return sorted(seen.items(), key=lambda item: first.index(item[0]) if item[0] in first else len(first))


def subvention_funders(
    uow: UnitOfWork, project_id: int, refdata: RefData, images: ChartSet | None = None
) -> list[tuple[str, str]]:
    """The funders that get a *dossier de demande de subvention* (one each)."""
    return grant_funders(_charts(uow, project_id, refdata, images).data.plan)


def _rule(view: financing_svc.PlanView, code: str) -> rules.FunderRule:
    for row in view.funders:
        if row.rule.code == code:
            return row.rule
    return rules.FunderRule(code=code, name=code or "Financeur")


def _team_context(uow: UnitOfWork, project_id: int) -> Context:
    team = health_svc.list_team(uow, project_id)
    by_profession: dict[str, int] = {}
    for member in team:
        by_profession[member.profession] = by_profession.get(member.profession, 0) + 1
    signed = sum(1 for m in team if m.has_signed)
    parts = []
    for key, count in by_profession.items():
        profession = PROFESSIONS_BY_KEY.get(key)
        word = (profession.plural if count > 1 else profession.label) if profession else key
        parts.append(f"{count} {word.lower()}")
    return {
        "nombre": plural(len(team), "professionnel"),
        "signataires": plural(signed, "signataire"),
        "composition": ", ".join(parts),
        "present": bool(team),
    }


def _objectives_context(uow: UnitOfWork, project_id: int) -> list[Context]:
    actions = health_svc.list_actions(uow, project_id)
    rows = []
    for priority in health_svc.list_priorities(uow, project_id):
        rows.append(
            {
                "titre": priority.title,
                "objectifs": [o.title for o in priority.objectives],
                "fiches": [a.draft.title for a in actions if a.priority_id == priority.id],
            }
        )
    return rows


def subvention_context(
    uow: UnitOfWork, project_id: int, funder_code: str, refdata: RefData, images: ChartSet | None = None
) -> Context:
    """Context of a *dossier de demande de subvention* to one funder of the reference plan."""
    charts = _charts(uow, project_id, refdata, images)
    data = charts.data
    view = data.plan
    rule = _rule(view, funder_code)
    context = _financing_common(uow, data, charts, "Demande de subvention", highlight=funder_code)
    request = grant_request(view, funder_code, data.today)
    stored = {row.resource.id: row for row in view.resources}

    def decided(result: rules.ResourceResult) -> str:
        row = stored.get(result.resource.id)
        return status_text(result.resource.status, None, row.decided_on if row else None)

    asked = [
        {
            "libelle": r.resource.label,
            "volet": rules.stage_label(r.resource.stage),
            "montant": format_cents(r.amount_cents),
            "taux_phrase": rate_phrase(r),
            "statut": THIS_REQUEST,
        }
        for r in request.asked
    ]
    single = request.asked[0] if len(request.asked) == 1 else None
    scenario = data.apl_scenario  # the what-if retained in step 3: the project's expected effect
    context["effet_attendu"] = {
        "present": scenario is not None,
        "texte": scenario.expected_effect if scenario is not None else "",
        "methode": scenario.method if scenario is not None else "",
    }
    context["financeur"] = {
        "code": funder_code,
        "nom": rule.name,
        "nom_court": rule.name.split(" — ", 1)[1] if " — " in rule.name else rule.name,
        "present": bool(request.asked),
        "montant": format_cents(request.amount_cents),
        "taux_phrase": rate_phrase(single) if single is not None else "",
        "volets": request.scope_label,
        "cout_operation": format_cents(request.operation_cost_cents),
        "base_cout": "TTC" if request.operation_is_ttc else "HT",
        "libelle_cout": "Coût de l'opération" if request.is_investment else "Coût de l'action",
        "investissement": request.is_investment,
        "date_demande": long_date(request.filed_on),
        "mention": rule.mention.strip() if request.is_investment else "",
        "pieces": [
            piece for piece in rule.attachment_list if request.is_investment or "non-commencement" not in piece.lower()
        ],
        "lignes": asked,
        "acquis": [
            {
                "libelle": r.resource.label,
                "volet": rules.stage_label(r.resource.stage),
                "montant": format_cents(r.amount_cents),
                "statut": decided(r),
            }
            for r in request.granted
        ],
    }
    if not request.filed_on_known and request.asked:
        context["calendrier"] = calendar(
            view, financing_svc.get_works_dates(uow, project_id), [(request.filed_on, "Présente demande de subvention")]
        )
        context["a_un_calendrier"] = True
    context["objectifs"] = _objectives_context(uow, project_id)
    context["a_des_objectifs"] = bool(context["objectifs"])
    context["equipe"] = _team_context(uow, project_id)
    context["document"]["titre"] = f"Demande de subvention — {rule.name}"
    context["document"]["titre_court"] = "Demande de subvention"
    return mark_document(uow, charts, context, f"subvention:{funder_code}")


# --- délibération -----------------------------------------------------------------------------


def _whereas(uow: UnitOfWork, data: ProjectData) -> list[str]:
    project = data.project
    territory = data.territory
    noun = _PROJECT_NOUNS.get(project.project_type.value, "projet de santé")
    items = []
    if not territory.is_empty:
        items.append(
            f"que le territoire du projet compte {plural(len(territory.communes), 'commune')} et "
            f"{plural(territory.population, 'habitant')} (population municipale {territory.population_year})"
        )
    if data.constats:
        items.append(
            "les constats du diagnostic local de santé : "
            + " ; ".join(c.title[:1].lower() + c.title[1:] for c in data.constats[:6])
        )
    items.append(
        f"l'intérêt, pour les habitants, d'une {noun} réunissant les professionnels de santé autour d'un projet "
        "de santé commun"
        if project.project_type.value != ProjectType.PROJET_TERRITORIAL.value
        else "l'intérêt, pour les habitants, d'un projet territorial de santé partagé avec les professionnels"
    )
    view = data.plan
    stored = {row.resource.id: row for row in view.resources}
    for result in view.analysis.overall.resources:
        resource = result.resource
        if result.counted and resource.kind == ResourceKind.SUBVENTION.value and resource.status in ACQUIRED:
            decided = stored[resource.id].decided_on if resource.id in stored else None
            when = f" le {long_date(decided)}" if decided else ""
            items.append(
                f"la subvention de {format_cents(result.amount_cents)} accordée{when} par "
                f"{with_article(view.funder_name(resource.funder_code))} (volet "
                f"{rules.stage_label(resource.stage).lower()})"
            )
    return items


def _legal_bases(project: Any) -> list[str]:
    kind = project.porteur_type.value
    if kind == PorteurType.ASSOCIATION_PROFESSIONNELS.value:
        return ["les statuts de l'association", "le projet de santé élaboré par les professionnels"]
    bases = ["le code général des collectivités territoriales, notamment son article L1111-10"]
    if kind == PorteurType.COMMUNE.value:
        bases.append("l'article L2121-29 du code général des collectivités territoriales")
    elif kind == PorteurType.EPCI.value:
        bases.append("les articles L5211-1 et suivants du code général des collectivités territoriales")
        bases.append("les statuts de la communauté et ses compétences")
    elif kind == PorteurType.PAYS.value:
        bases.append("les articles L5741-1 et suivants du code général des collectivités territoriales")
        bases.append("les statuts du syndicat")
    bases.append(_HEALTH_CODE.get(project.project_type.value, _HEALTH_CODE[ProjectType.MSP_MONO_SITE.value]))
    return bases


_HEALTH_CODE = {
    ProjectType.MSP_MONO_SITE.value: "l'article L6323-3 du code de la santé publique relatif aux maisons de santé",
    ProjectType.MSP_MULTI_SITE.value: "l'article L6323-3 du code de la santé publique relatif aux maisons de santé",
    ProjectType.CENTRE_SANTE.value: "l'article L6323-1 du code de la santé publique relatif aux centres de santé",
    ProjectType.PROJET_TERRITORIAL.value: "l'article L1434-10 du code de la santé publique relatif aux contrats "
    "locaux de santé",
}


def _own_means(overall: rules.StageAnalysis) -> str:
    """How the owner pays its share: « par emprunt (400 000 €) et par autofinancement (…) »."""
    parts = []
    if overall.loans_cents:
        parts.append(f"par emprunt ({format_cents(overall.loans_cents)})")
    if overall.self_funding_cents:
        parts.append(f"par autofinancement ({format_cents(overall.self_funding_cents)})")
    return " et ".join(parts)


def _owner_share_phrase(view: financing_svc.PlanView) -> str:
    """The owner's share on the CGCT art. L1111-10 III base (the investment's public funding), once."""
    investment = view.analysis.stage(FinancingStage.INVESTISSEMENT.value)
    if not view.owner_is_public or investment.owner_share_of_public_bp is None:
        return ""
    if not investment.owner_participation_cents:
        return ""
    return (
        f"dont {format_cents(investment.owner_participation_cents)} pour l'investissement, soit "
        f"{rules.participation_share_text(investment.owner_participation_cents, investment.public_funding_with_owner_cents)}"
        f" de son financement public de {format_cents(investment.public_funding_with_owner_cents)} au sens de "
        "l'article L1111-10 III du code général des collectivités territoriales"
    )


def _third_party_phrase(overall: rules.StageAnalysis) -> str:
    """« la participation des professionnels (20 000 €) … » : third-party money, not the owner's."""
    lines = [r for r in overall.resources if r.counted and r.resource.kind == ResourceKind.PARTICIPATION.value]
    if not lines:
        return ""
    parts = [f"{r.resource.label.strip() or 'Participation de tiers'} : {format_cents(r.amount_cents)}" for r in lines]
    return (
        f"Les participations de tiers ({' ; '.join(parts)}) ne sont pas à sa charge et n'entrent pas dans cette part."
    )


def deliberation_context(uow: UnitOfWork, project_id: int, refdata: RefData, images: ChartSet | None = None) -> Context:
    """Context of the délibération approving the project and its plan, asking only for what is pending."""
    charts = _charts(uow, project_id, refdata, images)
    data = charts.data
    context = _financing_common(uow, data, charts, "Délibération")
    view = data.plan
    overall = view.analysis.overall
    ttc = view.analysis.balance_ttc
    asked = []
    for result in overall.resources:
        resource = result.resource
        if not result.counted or resource.kind != ResourceKind.SUBVENTION.value or resource.status not in PENDING:
            continue
        phrase = rate_phrase(result) or share_phrase(result.share_of_overall_bp, overall.expenses_cents, ttc)
        asked.append(
            {
                "nom": view.funder_name(resource.funder_code) if resource.funder_code else resource.label,
                "montant": format_cents(result.amount_cents),
                "taux_phrase": phrase,
                "volet": rules.stage_label(resource.stage).lower(),
            }
        )
    noun = _PROJECT_NOUNS.get(data.project.project_type.value, "projet de santé")
    years = sorted({row.expense.year for row in view.expenses if row.expense.year})
    budget_years = (
        f"des exercices {years[0]} à {years[-1]}" if len(years) > 1 else f"de l'exercice {years[0]}" if years else
        f"de l'exercice {data.today.year}"
    )  # fmt: skip
    context["deliberation"] = {
        "objet": f"Projet de {noun} « {data.project.name} » : approbation du projet et du plan de financement, "
        "demandes de subventions",
        "vus": _legal_bases(data.project),
        "considerants": _whereas(uow, data),
        "sollicitations": asked,
        "a_des_sollicitations": bool(asked),
        "participation": format_cents(overall.owner_participation_cents),
        "part_participation": _owner_share_phrase(view),
        "moyens_propres": _own_means(overall),
        "tiers": _third_party_phrase(overall),
        "budget": f"au budget {budget_years}",
    }
    return mark_document(uow, charts, context, "deliberation")
