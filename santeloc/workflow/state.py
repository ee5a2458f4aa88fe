"""Where a project stands: every step's status and the key figures its dossier will carry.

Read by ``santeloc-cli etat`` and by the tests that check the screen, the CLI and the dossier
agree: each figure here comes from the same service the page and the dossier call.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from santeloc.domain import financing as rules
from santeloc.domain.formatting import format_cents, format_decimal, format_int
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import access as access_svc
from santeloc.services import financing as financing_svc
from santeloc.services.apl_comparison import compare_apl
from santeloc.services.demography import demography_report
from santeloc.services.official_apl_figures import official_apl_figures
from santeloc.services.progress import project_counts
from santeloc.services.projects import ProjectInfo, get_project
from santeloc.services.territory import territory_summary
from santeloc.workflow.readiness import Readiness, readiness_checklist
from santeloc.workflow.steps import STEPS, Completeness, StepId, assess


@dataclass(frozen=True)
class KeyFigure:
    """One figure of the dossier: a stable key, its French label, its value as printed."""

    key: str
    label: str
    text: str


@dataclass(frozen=True)
class ProjectState:
    """Every step's status and the key figures, as the dossier will carry them."""

    project: ProjectInfo
    steps: tuple[tuple[StepId, str, Completeness], ...]
    figures: tuple[KeyFigure, ...]
    readiness: Readiness

    def figure(self, key: str) -> str:
        """The printed value of a figure by key (KeyError if absent)."""
        return next(f.text for f in self.figures if f.key == key)


def project_state(
    uow: UnitOfWork, project_id: int, refdata: RefData, relecture: dict[int, tuple[str, ...]] | None = None
) -> ProjectState:
    """Compute the state of a project (reads only); ``relecture``: its items by step, when known."""
    project = get_project(uow, project_id)
    counts = replace(project_counts(uow, project_id), relecture=relecture)
    steps = tuple((step.id, step.title, assess(step, counts)) for step in STEPS)
    figures: list[KeyFigure] = []
    summary = territory_summary(uow, project_id, refdata)
    figures.append(KeyFigure("population", "Population du territoire", format_int(summary.population)))
    figures.append(KeyFigure("communes", "Communes", format_int(len(summary.communes))))
    demography = demography_report(uow, project_id, refdata)
    for d in demography.professions:
        density = format_decimal(d.density_per_10000, 1) if d.density_per_10000 is not None else "—"
        figures += [
            KeyFigure(f"effectif.{d.profession}", f"{d.label} : effectif", format_int(d.heads)),
            KeyFigure(f"densite.{d.profession}", f"{d.label} : densité pour 10 000 habitants", density),
            KeyFigure(f"departs5.{d.profession}", f"{d.label} : départs d'ici 5 ans", format_int(d.departures[5])),
            KeyFigure(f"departs10.{d.profession}", f"{d.label} : départs d'ici 10 ans", format_int(d.departures[10])),
        ]
    official = official_apl_figures(uow, project_id, refdata)
    for item in official:
        key = f"apl_officielle.{item.profession}"
        facts = item.facts()
        figures.append(KeyFigure(key, facts[0][1], facts[0][2]))
        figures += [
            KeyFigure(f"{key}.{c.code}", f"{item.title} : {c.name}",
                      item.value_text(c.value) + (" (sous le seuil)" if c.below(item.threshold) else ""))
            for c in item.communes
        ]  # fmt: skip
        figures += [KeyFigure(f"{key}.{fact}", f"{item.title} : {label[0].lower()}{label[1:]}",
                              text) for fact, label, text in facts[1:]]  # fmt: skip
    for run in access_svc.apl_runs(uow, project_id, refdata):
        label = f"APL calculée par santeloc : {run.choice.profession_label.lower()}"
        if run.legacy:
            text = f"{run.mean_text} (calcul antérieur à la méthode de la DREES, non comparable : à refaire)"
        else:
            text = run.mean_text
        figures.append(KeyFigure(f"apl.{run.choice.profession}", label, text))
        gp = next((item for item in official if item.threshold is not None), None)
        comparison = compare_apl(run, gp) if gp else None
        if comparison:
            figures.append(KeyFigure(f"apl.ecart.{run.choice.profession}", "Écart avec l'APL officielle",
                                     _joined(comparison.sentences())))  # fmt: skip
    plans = financing_svc.list_plans(uow, project_id)
    if plans:
        overall = financing_svc.load_plan(uow, plans[0].id).analysis.overall
        figures += [
            KeyFigure("plan.depenses", "Plan : dépenses", format_cents(overall.expenses_cents)),
            KeyFigure("plan.ressources", "Plan : ressources", format_cents(overall.resources_cents)),
            KeyFigure("plan.public", "Plan : subventions publiques", format_cents(overall.public_funding_cents)),
        ]
        figures += [
            KeyFigure(f"part.{f.code}", f"Part de {f.name}", rules.format_bp(f.share_bp))
            for f in overall.funders
            if f.share_bp is not None
        ]
        if overall.owner_share_of_public_bp is not None:
            figures.append(
                KeyFigure(
                    "plan.l1111_10",
                    "Participation du maître d'ouvrage (CGCT L1111-10)",
                    rules.format_bp(overall.owner_share_of_public_bp),
                )
            )
    readiness = readiness_checklist(uow, project_id, refdata)
    return ProjectState(project, steps, tuple(figures), readiness)


def _joined(sentences: list[str]) -> str:
    """« head. Les deux diffèrent par : reason ; reason. » on one line."""
    head, intro, *reasons = sentences
    return f"{head} {intro} " + " ".join(reasons)
