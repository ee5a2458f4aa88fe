"""How much of each kind of data a project holds: the raw material of step completeness."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlmodel import col

from santeloc.domain.errors import NotFoundError
from santeloc.domain.models import (
    AccessMeasure,
    Action,
    Constat,
    Contact,
    ExpenseLine,
    FinancingPlan,
    IndicatorValue,
    Meeting,
    Objective,
    Priority,
    Professional,
    Project,
    ResourceLine,
    SurveyQuestion,
    SurveyResponse,
    TerritoryCommune,
)
from santeloc.persistence.uow import UnitOfWork


@dataclass(frozen=True)
class ProjectCounts:
    """Counts of a project's records, and the few facts completeness needs."""

    porteur_named: bool
    communes: int = 0
    indicators: int = 0
    constats: int = 0
    professionals: int = 0
    professionals_with_age: int = 0
    access_measures: int = 0
    survey_questions: int = 0
    survey_responses: int = 0
    contacts: int = 0
    meetings: int = 0
    committed_professionals: int = 0
    priorities: int = 0
    actions: int = 0
    expenses_cents: int = 0
    resources_cents: int = 0
    extra: dict[str, int] = field(default_factory=dict)


def _count(uow: UnitOfWork, model: type, *where: object) -> int:
    query = select(func.count()).select_from(model)
    for clause in where:
        query = query.where(clause)  # type: ignore[arg-type]
    return int(uow.session.execute(query).scalar_one())


def project_counts(uow: UnitOfWork, project_id: int) -> ProjectCounts:
    """Count, in one transaction, what the project holds for each step."""
    with uow:
        project = uow.session.get(Project, project_id)
        if project is None:
            raise NotFoundError("Ce projet n'existe plus (il a peut-être été supprimé depuis un autre poste).")
        pid = project_id
        plan_ids = select(col(FinancingPlan.id)).where(
            col(FinancingPlan.project_id) == pid, col(FinancingPlan.is_reference)
        )
        objective_ids = select(col(Objective.id)).join(Priority).where(col(Priority.project_id) == pid)
        expenses = uow.session.execute(
            select(func.coalesce(func.sum(ExpenseLine.amount_ht_cents), 0)).where(
                col(ExpenseLine.plan_id).in_(plan_ids)
            )
        ).scalar_one()
        resources = uow.session.execute(
            select(func.coalesce(func.sum(ResourceLine.amount_cents), 0)).where(col(ResourceLine.plan_id).in_(plan_ids))
        ).scalar_one()
        return ProjectCounts(
            porteur_named=bool(project.porteur_name.strip()),
            communes=_count(uow, TerritoryCommune, TerritoryCommune.project_id == pid),
            indicators=_count(uow, IndicatorValue, IndicatorValue.project_id == pid),
            constats=_count(uow, Constat, Constat.project_id == pid),
            professionals=_count(uow, Professional, Professional.project_id == pid),
            professionals_with_age=_count(
                uow,
                Professional,
                Professional.project_id == pid,
                col(Professional.birth_year).is_not(None),
            ),
            access_measures=_count(uow, AccessMeasure, AccessMeasure.project_id == pid),
            survey_questions=_count(uow, SurveyQuestion, SurveyQuestion.project_id == pid),
            survey_responses=_count(uow, SurveyResponse, SurveyResponse.project_id == pid),
            contacts=_count(uow, Contact, Contact.project_id == pid),
            meetings=_count(uow, Meeting, Meeting.project_id == pid),
            committed_professionals=_count(
                uow,
                Professional,
                Professional.project_id == pid,
                col(Professional.commitment_status).in_(["lettre_intention", "signataire"]),
            ),
            priorities=_count(uow, Priority, Priority.project_id == pid),
            actions=_count(uow, Action, col(Action.objective_id).in_(objective_ids)),
            expenses_cents=int(expenses),
            resources_cents=int(resources),
        )
