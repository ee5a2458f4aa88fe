"""How much of each kind of data a project holds: the raw material of step completeness."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlmodel import col

from santeloc.domain.enums import ProjectType
from santeloc.domain.errors import NotFoundError
from santeloc.domain.models import (
    AccessMeasure,
    Action,
    AplRun,
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
from santeloc.domain.professions import PROFESSIONS
from santeloc.domain.team import COMMITTED, GP_KEY, TeamMinimum
from santeloc.persistence.uow import UnitOfWork
from santeloc.services.plan_status import plan_status


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
    professions: int = 0  # distinct professions in the registry
    apl_runs: int = 0  # professions with a stored APL run
    gps_committed: int = 0
    paramedical_committed: int = 0
    needs_msp_team: bool = True  # MSP (mono or multi-site): the guide's minimum team applies
    plan_started: bool = False
    plan_ready: bool = False  # see services.plan_status: balanced stage by stage, funders named
    plan_detail: str = ""
    relecture: dict[int, tuple[str, ...]] | None = None
    """The dossier's relecture items by step (set by the callers that computed it; None: not known). A step
    is complete only when its page and the relecture agree (see ``workflow.steps.assess``)."""

    @property
    def team(self) -> TeamMinimum:
        """The committed team against the MSP minimum."""
        return TeamMinimum(self.gps_committed, self.paramedical_committed)


def _count(uow: UnitOfWork, model: type, *where: object) -> int:
    query = select(func.count()).select_from(model)
    for clause in where:
        query = query.where(clause)  # type: ignore[arg-type]
    return int(uow.session.execute(query).scalar_one())


def project_counts(uow: UnitOfWork, project_id: int) -> ProjectCounts:
    """Count what the project holds for each step (reads only; the plan through :func:`plan_status`)."""
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
        committed = list(
            uow.session.execute(
                select(col(Professional.profession)).where(
                    col(Professional.project_id) == pid, col(Professional.commitment_status).in_(sorted(COMMITTED))
                )
            ).scalars()
        )
        paramedical = {p.key for p in PROFESSIONS if p.paramedical}
        professions = uow.session.execute(
            select(func.count(func.distinct(Professional.profession))).where(col(Professional.project_id) == pid)
        ).scalar_one()
        project_type = project.project_type
    plan = plan_status(uow, project_id)
    with uow:
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
                col(Professional.commitment_status).in_(sorted(COMMITTED)),
            ),
            priorities=_count(uow, Priority, Priority.project_id == pid),
            actions=_count(uow, Action, col(Action.objective_id).in_(objective_ids)),
            expenses_cents=int(expenses),
            resources_cents=int(resources),
            professions=int(professions),
            apl_runs=_count(uow, AplRun, AplRun.project_id == pid),
            gps_committed=sum(1 for p in committed if p == GP_KEY),
            paramedical_committed=sum(1 for p in committed if p in paramedical),
            needs_msp_team=project_type in (ProjectType.MSP_MONO_SITE.value, ProjectType.MSP_MULTI_SITE.value),
            plan_started=plan.started,
            plan_ready=plan.ready,
            plan_detail=plan.detail,
        )
