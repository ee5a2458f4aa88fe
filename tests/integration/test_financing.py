"""Step 7 on a real database (SQLite and PostgreSQL): the demo's plan, rules, loan, rent, scenarios."""

from __future__ import annotations

from decimal import Decimal

import pytest

from santeloc.domain import financing as rules
from santeloc.domain.errors import ConflictError, ValidationError
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import financing as svc
from santeloc.services import projects as project_svc
from santeloc.services.demo import create_demo_project
from santeloc.services.demo_data import HISTORICAL_PLAN


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    project = project_svc.create_project(uow, "MSP du Bourg", porteur_name="CC du Bourg")
    return svc.ensure_plan(uow, project.id).id


def test_the_demo_shows_the_guides_shares(uow: UnitOfWork, refdata: RefData) -> None:
    demo = create_demo_project(uow, refdata)
    historical = next(p for p in svc.list_plans(uow, demo.id) if p.name == HISTORICAL_PLAN)
    view = svc.load_plan(uow, historical.id)
    investment = view.analysis.stage("investissement")
    assert investment.expenses_cents == 79_530_500 and investment.balance_cents == 0
    # Hand calculation on 795 305 €: DDR 324 547 → 40,808 %; loan 240 943 → 30,296 %;
    # conseil général 121 959 → 15,335 %; ADEME 57 856 → 7,275 %; FNADT 50 000 → 6,287 %.
    shares = {f.code: f.share_bp for f in investment.funders}
    assert shares == {"DDR": 4081, "EMPRUNT": 3030, "DEPARTEMENT": 1533, "ADEME": 727, "FNADT": 629}
    assert sum(shares.values()) == 10_000
    assert investment.public_funding_cents == 55_436_200  # DDR + FNADT + conseil général + ADEME
    assert not view.analysis.errors  # balanced, and the loan is 30,3 % of the public funding (≥ 20 %)
    # The 35 % State cap of the 2010 programme is history: the rule in force (décret n° 2018-514 art. 10)
    # caps all direct public aids at the subsidisable expense: 554 362 € ≤ 795 305 €.
    assert view.analysis.alerts == ()
    assert [f.code for f in view.analysis.findings if f.code.startswith("plafond")] == [rules.F_PUBLIC_AID_CAP_OK]


def test_a_plan_short_of_money_and_under_20_percent(uow: UnitOfWork, plan_id: int) -> None:
    travaux = svc.add_expense(
        uow, plan_id, stage="investissement", category="travaux", label="Travaux", amount_ht_cents=100_000_000
    )
    svc.add_resource(uow, plan_id, kind="subvention", funder_code="DETR", label="DETR", stage="investissement",
                     rate_bp=3500, base_expense_ids=[travaux])  # fmt: skip
    svc.add_resource(uow, plan_id, kind="subvention", funder_code="REGION", label="Région", stage="investissement",
                     amount_cents=15_000_000)  # fmt: skip
    svc.add_resource(uow, plan_id, kind="subvention", funder_code="DEPARTEMENT", label="Département",
                     stage="investissement", amount_cents=36_000_000)  # fmt: skip
    svc.add_resource(uow, plan_id, kind="autofinancement", funder_code="", label="Autofinancement",
                     stage="investissement", amount_cents=10_200_000)  # fmt: skip
    view = svc.load_plan(uow, plan_id)
    investment = view.analysis.stage("investissement")
    assert investment.balance_cents == -3_800_000  # 38 000 € missing
    messages = " ".join(f.message for f in view.analysis.findings)
    assert "il manque 38\u202f000\u00a0€" in messages
    assert "CGCT" in messages and "20" in messages  # 102 000 € of 962 000 € of public funding
    detr = next(r for r in investment.resources if r.resource.funder_code == "DETR")
    assert detr.amount_cents == 35_000_000  # 35 % of the works, computed


def test_bad_input_is_refused_in_french_and_nothing_is_saved(uow: UnitOfWork, plan_id: int) -> None:
    with pytest.raises(ValidationError, match="négati"):
        svc.add_expense(uow, plan_id, stage="investissement", label="Travaux", amount_ht_cents=-5)
    expense = svc.add_expense(uow, plan_id, stage="investissement", label="Travaux", amount_ht_cents=10_000_00)
    with pytest.raises(ValidationError, match="100"):
        svc.add_resource(uow, plan_id, kind="subvention", funder_code="DETR", label="DETR", stage="investissement",
                         rate_bp=12_000, base_expense_ids=[expense])  # fmt: skip
    with pytest.raises(ValidationError, match="au moins un an"):
        svc.set_loan(uow, plan_id, principal_cents=100_000_00, rate_bp=300, years=0)
    view = svc.load_plan(uow, plan_id)
    assert len(view.expenses) == 1 and view.resources == () and view.loan is None
    # A grant with no base is a draft the user may keep: saved, and flagged in plain French.
    draft = svc.add_resource(uow, plan_id, kind="subvention", funder_code="DETR", label="DETR",
                             stage="investissement", rate_bp=3000)  # fmt: skip
    findings = svc.load_plan(uow, plan_id).analysis.findings_for(draft)
    assert any("assiette" in f.message and f.severity == "erreur" for f in findings)


def test_plan_with_no_expense_says_so(uow: UnitOfWork, plan_id: int) -> None:
    view = svc.load_plan(uow, plan_id)
    assert any(f.code == rules.F_NO_EXPENSE for f in view.analysis.errors)


def test_concurrent_edits_of_a_line(uow: UnitOfWork, plan_id: int) -> None:
    expense = svc.add_expense(uow, plan_id, stage="investissement", label="Travaux", amount_ht_cents=100)
    version = svc.load_plan(uow, plan_id).expenses[0].version
    svc.update_expense(uow, expense, version, amount_ht_cents=200)
    with pytest.raises(ConflictError, match="quelqu'un d'autre"):
        svc.update_expense(uow, expense, version, amount_ht_cents=300)
    assert svc.load_plan(uow, plan_id).expenses[0].expense.amount_ht_cents == 200


def test_loan_schedule_and_rent(uow: UnitOfWork, plan_id: int) -> None:
    svc.set_loan(uow, plan_id, principal_cents=24_094_300, rate_bp=350, years=20)
    svc.set_rent(uow, plan_id, annual_charges_cents=1_200_000, market_rent_cents_per_m2_month=1_100, split="area",
                 occupants=[rules.Occupant("Médecins", Decimal("180"), None),
                            rules.Occupant("Infirmières", Decimal("60"), None),
                            rules.Occupant("Kinésithérapeute", Decimal("45,5".replace(",", ".")), None)])  # fmt: skip
    view = svc.load_plan(uow, plan_id)
    schedule = view.schedule
    assert len(schedule) == 20 and sum(p.principal_cents for p in schedule) == 24_094_300
    rent = view.rent_plan()
    assert rent is not None
    assert sum(o.annual_cents for o in rent.per_occupant) == rent.total_annual_cents
    assert rent.total_annual_cents == rules.yearly_payments(schedule)[0] + 1_200_000
    assert "marché" in rent.comparison_sentence


def test_scenarios_duplicate_compare_and_delete(uow: UnitOfWork, refdata: RefData) -> None:
    demo = create_demo_project(uow, refdata)
    reference = svc.ensure_plan(uow, demo.id)
    historical = next(p for p in svc.list_plans(uow, demo.id) if p.name == HISTORICAL_PLAN)
    svc.delete_plan(uow, historical.id)
    scenario = svc.duplicate_plan(uow, reference.id, "sans Région")
    view = svc.load_plan(uow, scenario.id)
    region = next(r for r in view.resources if r.resource.funder_code == "REGION")
    svc.delete_resource(uow, region.resource.id)
    table = svc.compare_scenarios(uow, demo.id)
    assert list(table.columns) == [reference.name, "sans Région"]
    balance = next(row for row in table.rows if row.key == "solde")
    assert balance.values[0] == 0 and balance.values[1] == -15_000_000
    with pytest.raises(ValidationError, match="déjà"):
        svc.duplicate_plan(uow, reference.id, "SANS RÉGION")
    with pytest.raises(ValidationError, match="référence"):
        svc.delete_plan(uow, reference.id)
    svc.set_reference(uow, scenario.id)
    svc.delete_plan(uow, reference.id)
    assert [p.name for p in svc.list_plans(uow, demo.id)] == ["sans Région"]


def test_funder_rules_are_editable_per_project(uow: UnitOfWork, plan_id: int) -> None:
    view = svc.load_plan(uow, plan_id)
    region = next(f for f in view.funders if f.rule.code == "REGION")
    assert region.rule.max_rate_bp == 2500 and region.rule.ceiling_cents == 15_000_000
    svc.update_funder(uow, region.id, max_rate_bp=3000, ceiling_cents=20_000_000)
    with pytest.raises(ValidationError):
        svc.update_funder(uow, region.id, max_rate_bp=15_000)
    updated = next(f for f in svc.load_plan(uow, plan_id).funders if f.rule.code == "REGION")
    assert updated.rule.max_rate_bp == 3000
    new_id = svc.add_funder(uow, view.plan.project_id, "fondation x", "Fondation X", is_public=False)
    assert new_id > 0
    with pytest.raises(ValidationError, match="existe déjà"):
        svc.add_funder(uow, view.plan.project_id, "FONDATION_X", "Autre")
