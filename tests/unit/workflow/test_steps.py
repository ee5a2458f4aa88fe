"""The method as data: nine steps, completeness rules, navigation — no Qt."""

from __future__ import annotations

import dataclasses

from santeloc.services.progress import ProjectCounts
from santeloc.workflow.steps import STEPS, StepId, StepState, assess, next_step, previous_step


def test_nine_steps_in_order_each_explained() -> None:
    assert [s.id for s in STEPS] == list(StepId)
    for step in STEPS:
        assert step.title and len(step.purpose) > 40 and len(step.gather) > 20


def test_walk_forward_and_back() -> None:
    step: StepId | None = StepId.TERRITOIRE
    seen = []
    while step is not None:
        seen.append(step)
        step = next_step(step)
    assert seen == list(StepId)
    assert previous_step(StepId.TERRITOIRE) is None
    assert previous_step(StepId.OFFRE) is StepId.ETAT_SANTE


def test_territory_completeness() -> None:
    territory = STEPS[0]
    assert assess(territory, ProjectCounts(porteur_named=False)).state is StepState.TODO
    assert assess(territory, ProjectCounts(porteur_named=True)).state is StepState.PARTIAL
    partial = assess(territory, ProjectCounts(porteur_named=False, communes=3))
    assert partial.state is StepState.PARTIAL and "porteur" in partial.detail
    assert assess(territory, ProjectCounts(porteur_named=True, communes=3)).state is StepState.DONE


def test_unequipped_steps_say_so_instead_of_pretending() -> None:
    counts = ProjectCounts(porteur_named=True, communes=3, indicators=12, constats=2)
    for step in STEPS:
        hidden = dataclasses.replace(step, available=False)
        result = assess(hidden, counts)
        assert result.state is StepState.UNAVAILABLE
        assert "pas encore outillée" in result.detail


def test_rules_of_later_steps_are_ready() -> None:
    health = STEPS[StepId.ETAT_SANTE]
    assert health.assess(ProjectCounts(porteur_named=True, indicators=3)).state is StepState.PARTIAL
    assert health.assess(ProjectCounts(porteur_named=True, indicators=3, constats=1)).state is StepState.DONE
    money = STEPS[StepId.FINANCEMENT]
    ready = ProjectCounts(porteur_named=True, plan_started=True, plan_ready=True, plan_detail="Plan équilibré.")
    assert money.assess(ready).state is StepState.DONE and money.assess(ready).detail == "Plan équilibré."
    # Totals that happen to match do not make a plan ready: the stages and funders decide.
    short = ProjectCounts(porteur_named=True, expenses_cents=100, resources_cents=100, plan_started=True)
    assert money.assess(short).state is StepState.PARTIAL


def test_one_professional_does_not_complete_the_offer() -> None:
    offer = STEPS[StepId.OFFRE]
    alone = ProjectCounts(porteur_named=True, professionals=1, professionals_with_age=1, professions=1)
    assert offer.assess(alone).state is StepState.PARTIAL and "une seule profession" in offer.assess(alone).detail
    several = ProjectCounts(porteur_named=True, professionals=5, professionals_with_age=5, professions=3)
    assert offer.assess(several).state is StepState.DONE


def test_an_apl_run_counts_for_accessibility() -> None:
    access = STEPS[StepId.ACCESSIBILITE]
    assert access.assess(ProjectCounts(porteur_named=True, apl_runs=1)).state is StepState.PARTIAL
    assert access.assess(ProjectCounts(porteur_named=True, apl_runs=1, access_measures=4)).state is StepState.DONE


def test_the_msp_team_decides_step_5() -> None:
    step = STEPS[StepId.PROFESSIONNELS]
    one_gp = ProjectCounts(porteur_named=True, committed_professionals=1, gps_committed=1)
    assert step.assess(one_gp).state is StepState.PARTIAL and "il manque" in step.assess(one_gp).detail
    team = ProjectCounts(porteur_named=True, committed_professionals=3, gps_committed=2, paramedical_committed=1)
    assert step.assess(team).state is StepState.DONE
    cls = ProjectCounts(porteur_named=True, committed_professionals=1, needs_msp_team=False)
    assert step.assess(cls).state is StepState.DONE
