"""The demo project: the maison de santé of Saint-Amand-en-Puisaye, worked example of the guide.

Only facts published in the guide are used (the canton, its communauté de communes, the
budget of 795 305 € and its five resources); nothing is invented to fill the other steps.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import col

from santeloc.domain.enums import (
    FinancingStage,
    PorteurType,
    ProjectType,
    ResourceKind,
    ResourceStatus,
    TerritorySource,
)
from santeloc.domain.models import ExpenseLine, FinancingPlan, Project, ResourceLine
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services.projects import ProjectInfo, create_project, get_project
from santeloc.services.territory import add_communes

DEMO_NAME = "Exemple — Maison de santé de Saint-Amand-en-Puisaye"

# The canton of Saint-Amand-en-Puisaye (Nièvre) as it was when the MSP opened in 2005.
DEMO_COMMUNES = ("58227", "58012", "58033", "58036", "58094", "58270")

DEMO_DESCRIPTION = (
    "Projet d'exemple tiré du guide méthodologique : la maison de santé amandinoise, ouverte le "
    "23 mai 2005 à Saint-Amand-en-Puisaye (Nièvre), portée par la communauté de communes de la "
    "Puisaye Nivernaise à l'initiative des professionnels de santé du canton (environ 3 600 "
    "habitants). Une quinzaine de professionnels (médecins généralistes, infirmières, dentiste, "
    "sage-femme, podologues, psychologues, ergothérapeute, diététicienne) réunis en société civile "
    "de moyens louent les locaux à la collectivité. Vous pouvez modifier ce projet librement "
    "pour découvrir santeloc, ou le dupliquer."
)

# (kind, funder code, label, amount in euros) — the guide's figures, investment stage.
DEMO_RESOURCES: tuple[tuple[ResourceKind, str, str, int], ...] = (
    (ResourceKind.EMPRUNT, "EMPRUNT", "Emprunt de la communauté de communes", 240_943),
    (ResourceKind.SUBVENTION, "DDR", "Subvention de l'État (dotation de développement rural)", 324_547),
    (ResourceKind.SUBVENTION, "FNADT", "Subvention de l'État (FNADT)", 50_000),
    (ResourceKind.SUBVENTION, "DEPARTEMENT", "Subvention du conseil général de la Nièvre", 121_959),
    (ResourceKind.SUBVENTION, "ADEME", "Subvention de l'ADEME (chaufferie bois)", 57_856),
)
DEMO_TOTAL_EUROS = 795_305


def find_demo(uow: UnitOfWork) -> int | None:
    """Id of the demo project if there is one."""
    with uow:
        return uow.session.execute(select(col(Project.id)).where(col(Project.is_demo))).scalars().first()


def create_demo_project(uow: UnitOfWork, refdata: RefData | None = None) -> ProjectInfo:
    """Create the demo project (or return the existing one): territory and financing plan."""
    existing = find_demo(uow)
    if existing is not None:
        return get_project(uow, existing)
    info = create_project(
        uow,
        DEMO_NAME,
        porteur_type=PorteurType.EPCI,
        porteur_name="Communauté de communes de la Puisaye Nivernaise",
        project_type=ProjectType.MSP_MONO_SITE,
        is_demo=True,
    )
    add_communes(uow, info.id, DEMO_COMMUNES, TerritorySource.MANUAL, refdata)
    with uow:
        project = uow.session.get(Project, info.id)
        assert project is not None
        project.description = DEMO_DESCRIPTION
        plan = FinancingPlan(project_id=info.id, name="Plan de financement réalisé (2003-2005)")
        uow.session.add(plan)
        uow.flush()
        assert plan.id is not None
        uow.session.add(
            ExpenseLine(
                plan_id=plan.id,
                stage=FinancingStage.INVESTISSEMENT.value,
                category="travaux",
                label="Construction de la maison de santé (budget global de la communauté de communes)",
                amount_ht_cents=DEMO_TOTAL_EUROS * 100,
                vat_rate_bp=0,
                year=2005,
            )
        )
        for position, (kind, funder, label, euros) in enumerate(DEMO_RESOURCES):
            uow.session.add(
                ResourceLine(
                    plan_id=plan.id,
                    kind=kind.value,
                    funder_code=funder,
                    label=label,
                    stage=FinancingStage.INVESTISSEMENT.value,
                    amount_cents=euros * 100,
                    status=ResourceStatus.VERSE.value,
                    position=position,
                )
            )
        uow.commit()
    return get_project(uow, info.id)
