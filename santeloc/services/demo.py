"""The demo project: a maison de santé at Saint-Amand-en-Puisaye (Nièvre), through all nine steps.

The territory and the 2005 plan are the guide's worked example; the rest is clearly labelled
illustrative data (see :mod:`santeloc.services.demo_data`). The whole demo is written in **one
transaction**: the ordinary services are called inside one outer ``with`` block of a
:class:`_OneTransaction` unit of work (their own blocks nest, their ``commit`` only flushes),
and the one real commit comes last, so a crash or a kill at
any point leaves no half demo behind. ``SANTELOC_DEMO_KILL_AFTER=N`` (tests only) kills the
process with SIGKILL at the N-th flush, ``=commit`` just before the commit, to prove it.
"""

from __future__ import annotations

import os
import random
import signal
from datetime import date, timedelta

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
from santeloc.domain.models import ExpenseLine, FinancingPlan, Project, ResourceLine, SurveyAnswer, SurveyResponse
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import access as access_svc
from santeloc.services import apl_scenarios as scenarios_svc
from santeloc.services import financing as financing_svc
from santeloc.services import health_project as hp
from santeloc.services import indicators as indicators_svc
from santeloc.services import meeting_minutes as minutes
from santeloc.services import meetings as meetings_svc
from santeloc.services import mobilisation as mobilisation_svc
from santeloc.services import offer as offer_svc
from santeloc.services import survey as survey_svc
from santeloc.services.demo_data import (
    AGE_SHARES,
    CONSTATS,
    CONTACTS,
    DEMO_COMMUNES,
    DEMO_DESCRIPTION,
    DEMO_NAME,
    DEMO_SCENARIO,
    DEMO_SCENARIO_WITHOUT,
    ESTABLISHMENTS,
    EXPENSES,
    HISTORICAL_PLAN,
    HISTORICAL_RESOURCES,
    HISTORICAL_TOTAL_EUROS,
    INDICATORS,
    LOAN,
    MEASURES,
    PLAN_JUSTIFICATION,
    PORTEUR,
    PRIORITIES,
    PROFESSIONALS,
    RESOURCES,
    SECTIONS,
    SURVEY_SIZE,
    TODAY,
    WORKS,
)
from santeloc.services.projects import ProjectInfo, create_project, get_project, update_project
from santeloc.services.territory import add_communes, territory_summary

__all__ = ["DEMO_COMMUNES", "DEMO_NAME", "DEMO_TOTAL_EUROS", "create_demo_project", "find_demo"]

DEMO_TOTAL_EUROS = HISTORICAL_TOTAL_EUROS
"""Budget of the 2005 operation (the historical scenario of the demo)."""

KILL_ENV = "SANTELOC_DEMO_KILL_AFTER"


class _OneTransaction(UnitOfWork):
    """The unit of work of the whole demo: the services' blocks nest in its outer one (their
    ``commit`` only flushes) and :meth:`commit_all` is the one commit; it also carries the kill
    hook of the tests (:data:`KILL_ENV`)."""

    def __init__(self, base: UnitOfWork) -> None:
        super().__init__(base.database)
        self._flushes = 0
        limit = os.environ.get(KILL_ENV, "")
        self._kill_after = int(limit) if limit.isdigit() else None
        self._kill_at_commit = limit == "commit"

    def flush(self) -> None:
        """Flush, counting flushes for the kill hook of the tests."""
        self._flushes += 1
        if self._kill_after is not None and self._flushes >= self._kill_after:
            os.kill(os.getpid(), signal.SIGKILL)
        super().flush()

    def commit_all(self) -> None:
        """The one real commit of the whole demo (called in the outermost block)."""
        if self._kill_at_commit:
            os.kill(os.getpid(), signal.SIGKILL)
        super().commit()


def find_demo(uow: UnitOfWork) -> int | None:
    """Id of the demo project if there is one."""
    with uow:
        return uow.session.execute(select(col(Project.id)).where(col(Project.is_demo))).scalars().first()


def create_demo_project(uow: UnitOfWork, refdata: RefData | None = None) -> ProjectInfo:
    """Create the demo project (or return the existing one), all nine steps, in one transaction."""
    existing = find_demo(uow)
    if existing is not None:
        return get_project(uow, existing)
    if refdata is None:
        from santeloc.refdata.geo import load_refdata

        refdata = load_refdata()
    one = _OneTransaction(uow)
    with one:
        info = create_project(
            one,
            DEMO_NAME,
            porteur_type=PorteurType.EPCI,
            porteur_name=PORTEUR,
            project_type=ProjectType.MSP_MONO_SITE,
            is_demo=True,
        )
        project_id = info.id
        update_project(one, project_id, None, description=DEMO_DESCRIPTION)
        add_communes(one, project_id, DEMO_COMMUNES, TerritorySource.MANUAL, refdata)
        _health_status(one, project_id, refdata)
        professionals = _offer(one, project_id, refdata)
        _survey(one, project_id, refdata)
        contacts = _mobilisation(one, project_id, professionals)
        _meetings(one, project_id, contacts)
        _health_project(one, project_id, refdata)
        _financing(one, project_id)
        one.commit_all()
    return get_project(uow, project_id)


def _health_status(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    """Step 1: indicators with their references and sources, ages, constats."""
    for theme, label, unit, year, here, dep, reg, fr, observed, expected, source in INDICATORS:
        indicator = indicators_svc.add_custom(uow, project_id, label, theme, unit)
        indicators_svc.update_indicator(
            uow, indicator, None, year=year, value_territory=here, value_departement=dep, value_region=reg,
            value_france=fr, observed=observed, expected=expected, source=source,
        )  # fmt: skip
    population = territory_summary(uow, project_id, refdata).population
    weights = sum(men + women for _label, _low, _high, men, women in AGE_SHARES)
    groups = [
        indicators_svc.AgeGroup(
            label, low, high, round(population * men / weights), round(population * women / weights)
        )
        for label, low, high, men, women in AGE_SHARES
    ]
    # The table covers exactly the territory's population (the rounding remainder on the last group).
    gap = population - sum(g.men + g.women for g in groups)
    last = groups[-1]
    groups[-1] = indicators_svc.AgeGroup(last.label, last.age_min, last.age_max, last.men, last.women + gap)
    indicators_svc.set_age_table(uow, project_id, "territoire", groups, year=2021, source="Insee, recensement 2021")
    # Each constat drawn from an indicator is linked to it, so the relecture checks it quotes the same figure.
    by_label = {row.label: row.id for row in indicators_svc.list_indicators(uow, project_id)}
    sources = {
        "75 ans et plus": "Part des 75 ans et plus",
        "mortalité prématurée": "Mortalité prématurée (avant 65 ans)",
    }
    for title, comment in CONSTATS:
        linked = next((name for key, name in sources.items() if key in title), "")
        indicators_svc.add_constat(uow, project_id, title, comment, indicator_id=by_label.get(linked))


def _offer(uow: UnitOfWork, project_id: int, refdata: RefData) -> list[int]:
    """Step 2 and 3: professionals with ages, establishments, the guide's access measures."""
    ids = []
    for name, profession, commune, born, fte, _status in PROFESSIONALS:
        ids.append(
            offer_svc.add_professional(
                uow, project_id, refdata, last_name=f"{name} (fictif)", first_name="", profession=profession,
                commune_code=commune, birth_year=born, fte=fte,
            )
        )  # fmt: skip
    for kind, name, commune in ESTABLISHMENTS:
        offer_svc.add_establishment(uow, project_id, refdata, kind=kind, name=name, commune_code=commune)
    for key, value, source in MEASURES:
        offer_svc.set_measure(uow, project_id, key, value, source=source)
    access_svc.compute_apl(uow, project_id, refdata, access_svc.AplChoice())  # stored with its parameters
    # The mayor's question: the maison de santé with two more GPs (kept for the dossier), and
    # what the departures the ages foresee within five years would do without it.
    scenario = scenarios_svc.create_scenario(uow, project_id, DEMO_SCENARIO)
    scenarios_svc.add_change(uow, scenario.id, refdata, "arrivee", commune_code="58227", practitioners=2)
    scenarios_svc.retain_scenario(uow, scenario.id, project_id)
    without = scenarios_svc.create_scenario(uow, project_id, DEMO_SCENARIO_WITHOUT)
    scenarios_svc.add_change(uow, without.id, refdata, "departs_attendus", horizon=5)
    return ids


def _survey(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    """Step 4: the starter questionnaire and 40 illustrative answers (a fixed, reproducible pattern)."""
    survey_svc.add_starter_questions(uow, project_id, refdata)
    questions = survey_svc.list_questions(uow, project_id)
    with uow:
        for number in range(1, SURVEY_SIZE + 1):
            response = SurveyResponse(project_id=project_id, respondent=f"Q{number:03d}")
            uow.session.add(response)
            uow.flush()
            assert response.id is not None
            for position, question in enumerate(questions):
                value = _answer(question, number, position)
                if value:
                    uow.session.add(SurveyAnswer(response_id=response.id, question_id=question.id, value=value))
        uow.commit()


def _answer(question: survey_svc.QuestionRow, number: int, position: int) -> str:
    choices = [c for c in question.choices if c.strip()]
    chance = random.Random(number * 131 + position)  # reproducible, and varied like real answers
    if question.kind == "number":
        return str(chance.randint(8, 35))
    if question.kind == "text" or not choices:
        return ""
    # Earlier choices a little more often (the questionnaire lists the usual answers first).
    weights = [len(choices) - index + 1 for index in range(len(choices))]
    return chance.choices(choices, weights=weights)[0]


def _mobilisation(uow: UnitOfWork, project_id: int, professionals: list[int]) -> list[int]:
    """Step 5: commitments with their dates, contacts of the partners."""
    start = TODAY - timedelta(days=400)
    order = ["contacte", "rencontre", "interesse", "lettre_intention", "signataire"]
    for professional_id, (*_rest, status) in zip(professionals, PROFESSIONALS, strict=True):
        for step, name in enumerate(order[: order.index(status) + 1]):
            mobilisation_svc.set_commitment(uow, professional_id, name, start + timedelta(days=70 * step), today=TODAY)
    mobilisation_svc.update_mobilisation(uow, professionals[0], None, is_leader=True)
    contacts = mobilisation_svc.contacts_from_registry(uow, project_id, professionals)
    for kind, name, role, organisation in CONTACTS:
        contacts.append(mobilisation_svc.add_contact(uow, project_id, kind=kind, name=name, role=role,
                                                     organisation=organisation))  # fmt: skip
    return contacts


def _meetings(uow: UnitOfWork, project_id: int, contacts: list[int]) -> None:
    """Step 5: a steering committee, the professionals' meeting and the workshop, with tasks."""
    first = meetings_svc.add_meeting(
        uow, project_id, kind="comite_pilotage", held_on=date(2025, 6, 12), place="Salle communautaire",
        agenda="- Résultats du diagnostic\n- Lancement de l'enquête auprès des habitants",
        decisions="Lancer l'enquête auprès des habitants en septembre\nConfier l'étude de faisabilité",
        participant_ids=contacts[:4] + contacts[-4:-1],
    )  # fmt: skip
    survey_task = meetings_svc.add_task(uow, first, "Diffuser le questionnaire aux habitants",
                                        owner="Vice-présidente santé", due_on=date(2025, 10, 31))  # fmt: skip
    study_task = meetings_svc.add_task(uow, first, "Consulter trois bureaux d'études", owner="Service technique",
                                       due_on=date(2025, 8, 31))  # fmt: skip
    second = meetings_svc.add_meeting(
        uow, project_id, kind="atelier_habitants", held_on=date(2025, 11, 20), place="Salle des fêtes",
        agenda="- Restitution de l'enquête\n- Vote sur les priorités de santé",
        decisions="Quatre priorités retenues par le vote de l'atelier\nPrésentation du projet de santé au "
        "comité de pilotage de janvier",
        participant_ids=contacts[:8] + contacts[-4:-2],
    )  # fmt: skip
    meetings_svc.add_task(uow, second, "Rédiger le projet de santé à partir des priorités votées",
                          owner="Professionnel A", due_on=date(2026, 1, 15))  # fmt: skip
    # Done after the first meeting: its compte rendu shows them « À faire », as they stood that day.
    minutes.set_task_done_on(uow, survey_task, date(2025, 9, 30))
    minutes.set_task_done_on(uow, study_task, date(2025, 9, 15))
    minutes.set_minutes(uow, first, secretary="Vice-présidente santé (illustrative)",
                        next_meeting="Atelier avec les habitants, le 20 novembre 2025 à 18 h, salle des fêtes",
                        attendance={contacts[3]: "excuse", contacts[-2]: "absent"})  # fmt: skip
    minutes.set_minutes(uow, second, secretary="Chargé de mission de la communauté (illustratif)",
                        next_meeting="Comité de pilotage, le 22 janvier 2026 à 18 h, salle communautaire",
                        attendance={contacts[7]: "excuse"})  # fmt: skip


def _health_project(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    """Step 6: priorities voted in the workshop, objectives, fiches with indicators; sections."""
    ids = [hp.add_priority(uow, project_id, title) for title, _score, _objective in PRIORITIES]
    hp.apply_vote(uow, project_id, {pid: score for pid, (_t, score, _o) in zip(ids, PRIORITIES, strict=True)})
    objectives = [hp.add_objective(uow, pid, objective) for pid, (_t, _s, objective) in zip(ids, PRIORITIES,
                                                                                            strict=True)]  # fmt: skip
    hp.add_action(uow, objectives[0], hp.ActionDraft(
        title="Construire la maison de santé et accueillir des internes",
        objective="Réunir l'équipe dans un lieu commun et installer deux jeunes médecins d'ici 2030",
        target_public="Habitants du canton", pilot="Professionnel A (médecin généraliste)",
        starts_on=WORKS["travaux_debut"], ends_on=date(2030, 12, 31), status="prevue", plan_justification=PLAN_JUSTIFICATION,
        budget_cents=130_000_000,
        indicators=(hp.IndicatorDraft("Médecins généralistes installés", "médecins", 4, 2025, 5, 2030,
                                      "Registre de l'équipe"),
                    hp.IndicatorDraft("Internes accueillis par an", "internes", 0, 2025, 2, 2030, "Faculté de Dijon")),
    ), refdata)  # fmt: skip
    hp.add_action(uow, objectives[1], hp.ActionDraft(
        title="Coordination des sorties d'hospitalisation des plus de 75 ans",
        objective="Un plan de soins partagé pour chaque patient de plus de 75 ans sortant d'hospitalisation",
        target_public="Personnes de 75 ans et plus", pilot="Professionnel E (infirmier)",
        starts_on=date(2029, 4, 1), ends_on=date(2030, 3, 31), status="prevue", plan_justification=PLAN_JUSTIFICATION, budget_cents=4_000_000,
        indicators=(hp.IndicatorDraft("Patients suivis après une hospitalisation", "%", 20, 2025, 80, 2029,
                                      "Dossier patient partagé"),),
    ), refdata)  # fmt: skip
    hp.add_action(uow, objectives[2], hp.ActionDraft(
        title="Repérage du mal-être et prévention du suicide",
        objective="Former les professionnels au repérage et orienter vers les ressources du territoire",
        target_public="Adultes du canton", pilot="Professionnel C (médecin généraliste)",
        starts_on=date(2029, 4, 1), ends_on=date(2030, 6, 30), status="prevue", plan_justification=PLAN_JUSTIFICATION,
        indicators=(hp.IndicatorDraft("Professionnels formés au repérage", "professionnels", 0, 2025, 8, 2029,
                                      "Attestations de formation"),),
    ), refdata)  # fmt: skip
    hp.add_action(uow, objectives[3], hp.ActionDraft(
        title="Un cabinet dentaire dans la maison de santé",
        objective="Accueillir un chirurgien-dentiste à temps plein", target_public="Habitants du canton",
        pilot="Professionnel J (chirurgien-dentiste)", starts_on=date(2029, 4, 1), ends_on=date(2029, 12, 31),
        status="prevue", plan_justification=PLAN_JUSTIFICATION,
        indicators=(hp.IndicatorDraft("Habitants déclarant renoncer aux soins dentaires", "%", 25, 2025, 15, 2030,
                                      "Enquête auprès des habitants"),),
    ), refdata)  # fmt: skip
    hp.set_sections(uow, project_id, SECTIONS)
    hp.draft_diagnostic_section(uow, project_id, refdata)


def _financing(uow: UnitOfWork, project_id: int) -> None:
    """Step 7: the present-day plan (reference), its loan and dates; the 2005 plan as a scenario."""
    # Years added so that the works always lie ahead of the day the demo is created.
    shift = max(0, date.today().year - 2026)
    plan_id = financing_svc.ensure_plan(uow, project_id).id
    financing_svc.rename_plan(uow, plan_id, "Plan de financement prévisionnel")
    expense_ids: dict[str, int] = {}
    for key, stage, category, label, euros, vat, year in EXPENSES:
        expense_ids[key] = financing_svc.add_expense(
            uow, plan_id, stage=stage, category=category, label=label, amount_ht_cents=euros * 100,
            vat_rate_bp=vat, year=year + shift,
        )  # fmt: skip
    pending: list[tuple[str, str, str, str]] = []
    for kind, funder, label, stage, rate, amount, bases, status, asked, decided in RESOURCES:
        if kind == ResourceKind.AUTOFINANCEMENT and amount is None:
            pending.append((kind.value, label, stage, status))  # the balance, computed below
            continue
        financing_svc.add_resource(
            uow, plan_id, kind=kind.value, funder_code=funder, label=label, stage=stage,
            amount_cents=amount * 100 if amount is not None else None, rate_bp=rate,
            base_expense_ids=[expense_ids[b] for b in bases], status=status, requested_on=asked, decided_on=decided,
        )  # fmt: skip
    for kind_value, label, stage, status in pending:
        view = financing_svc.load_plan(uow, plan_id)
        missing = next(s for s in view.analysis.stages if s.stage == stage).balance_cents
        financing_svc.add_resource(uow, plan_id, kind=kind_value, funder_code="", label=label, stage=stage,
                                   amount_cents=-missing, status=status)  # fmt: skip
    principal, rate_bp, years, start_year, loan_label = LOAN
    financing_svc.set_loan(uow, plan_id, principal_cents=principal, rate_bp=rate_bp, years=years,
                           start_year=start_year + shift, label=loan_label)  # fmt: skip
    works = {key: day.replace(year=day.year + shift) if key != "operation_debut" else day for key, day in WORKS.items()}
    financing_svc.set_works_dates(uow, project_id, **works)
    with uow:
        plan = FinancingPlan(project_id=project_id, name=HISTORICAL_PLAN, is_reference=False)
        uow.session.add(plan)
        uow.flush()
        assert plan.id is not None
        uow.session.add(
            ExpenseLine(
                plan_id=plan.id, stage=FinancingStage.INVESTISSEMENT.value, category="travaux",
                label="Construction de la maison de santé (budget global de la communauté de communes)",
                amount_ht_cents=HISTORICAL_TOTAL_EUROS * 100, vat_rate_bp=0, year=2005,
            )
        )  # fmt: skip
        for position, (kind, funder, label, euros) in enumerate(HISTORICAL_RESOURCES):
            uow.session.add(
                ResourceLine(
                    plan_id=plan.id, kind=kind.value, funder_code=funder, label=label,
                    stage=FinancingStage.INVESTISSEMENT.value, amount_cents=euros * 100,
                    status=ResourceStatus.VERSE.value, position=position,
                )
            )  # fmt: skip
        uow.commit()
