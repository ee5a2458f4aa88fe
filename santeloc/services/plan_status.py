"""Is the financing plan balanced? One answer, shared by step 7's status, its page header, the
readiness checklist, the relecture of the dossiers and the CLI.

A plan is *ready* when it has expenses, every stage (ingénierie, investissement, fonctionnement)
is balanced — resources entered as a rate of a base count for their computed amount — and every
grant names a funder of the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

from santeloc.domain import financing as rules
from santeloc.domain.enums import ResourceKind
from santeloc.domain.formatting import format_cents, plural
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import financing as financing_svc


@dataclass(frozen=True)
class PlanStatus:
    """The reference plan's state: started, balanced, ready, and the French detail."""

    started: bool
    balanced: bool
    ready: bool
    detail: str
    expenses_cents: int = 0
    resources_cents: int = 0


def plan_status(uow: UnitOfWork, project_id: int) -> PlanStatus:
    """The state of the project's reference plan (the first of :func:`financing_svc.list_plans`)."""
    plans = financing_svc.list_plans(uow, project_id)
    if not plans:
        return PlanStatus(False, False, False, "Aucun plan de financement n'est commencé.")
    view = financing_svc.load_plan(uow, plans[0].id)
    analysis = view.analysis
    # A catalogue never seeded (step 7 not opened yet) is the default one: the check writes nothing.
    known = {f.rule.code for f in view.funders} or {rule.code for rule in rules.default_funders()}
    unnamed = [
        row.resource
        for row in view.resources
        if row.resource.kind == ResourceKind.SUBVENTION.value and row.resource.funder_code.strip() not in known
    ]
    problems: list[str] = []
    if not view.expenses:
        problems.append("aucune dépense n'est saisie")
    elif analysis.overall.expenses_cents == 0:
        problems.append("les dépenses saisies totalisent 0 €")
    for stage in analysis.stages:
        if stage.is_balanced:
            continue
        gap = stage.balance_cents
        problems.append(
            f"{stage.label.lower()} : il manque {format_cents(-gap)}"
            if gap < 0
            else f"{stage.label.lower()} : les ressources dépassent les dépenses de {format_cents(gap)}"
        )
    if unnamed:
        names = ", ".join(f"« {r.label} »" for r in unnamed[:4])
        problems.append(f"subvention(s) sans financeur identifié : {names}")
    balanced = bool(view.expenses) and analysis.is_balanced
    overall = analysis.overall
    started = bool(view.expenses or view.resources)
    if problems:
        detail = f"Plan « {view.plan.name} » : " + " ; ".join(problems) + "."
    else:
        funders = {f.code for stage in analysis.stages for f in stage.funders}
        detail = (
            f"Plan « {view.plan.name} » équilibré : {format_cents(overall.expenses_cents)} de dépenses, "
            f"{plural(len(view.resources), 'ressource')} de {plural(len(funders), 'origine')}, tous les financeurs "
            "identifiés."
        )
    return PlanStatus(
        started=started,
        balanced=balanced,
        ready=not problems,
        detail=detail,
        expenses_cents=overall.expenses_cents,
        resources_cents=overall.resources_cents,
    )
