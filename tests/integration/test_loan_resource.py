"""The loan calculator writes the plan's loan resource: what is borrowed no longer stays "à financer"."""

from __future__ import annotations

import pytest

from santeloc.domain.errors import ValidationError
from santeloc.domain.funder_names import resource_kind_for
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import financing as svc
from santeloc.services import projects as project_svc


@pytest.fixture
def plan_id(uow: UnitOfWork) -> int:
    project = project_svc.create_project(uow, "MSP du Bourg", porteur_name="CC du Bourg")
    plan = svc.ensure_plan(uow, project.id).id
    svc.add_expense(uow, plan, stage="investissement", label="Travaux", amount_ht_cents=60_000_000)
    return plan


def test_a_computed_loan_becomes_the_plans_loan_resource_then_is_updated(uow: UnitOfWork, plan_id: int) -> None:
    before = svc.load_plan(uow, plan_id).analysis.overall.remaining_to_finance_cents
    assert before == 60_000_000
    line_id = svc.set_loan_and_resource(uow, plan_id, principal_cents=60_000_000, rate_bp=350, years=20)
    view = svc.load_plan(uow, plan_id)
    (row,) = view.resources
    assert row.resource.id == line_id and row.resource.kind == "emprunt" and row.resource.funder_code == "EMPRUNT"
    assert row.resource.stage == "investissement" and row.stored_amount_cents == 60_000_000
    assert view.loan is not None and view.loan.principal_cents == 60_000_000
    assert view.analysis.overall.remaining_to_finance_cents == 0
    # A new computation updates the same line rather than adding one.
    assert svc.set_loan_and_resource(uow, plan_id, principal_cents=45_000_000, rate_bp=300, years=15) == line_id
    (row,) = svc.load_plan(uow, plan_id).resources
    assert row.stored_amount_cents == 45_000_000


def test_several_loan_lines_are_left_to_the_user_and_nothing_changes(uow: UnitOfWork, plan_id: int) -> None:
    for label in ("Prêt A", "Prêt B"):
        svc.add_resource(uow, plan_id, kind="emprunt", funder_code="EMPRUNT", label=label, stage="investissement",
                         amount_cents=1_000_000)  # fmt: skip
    with pytest.raises(ValidationError, match="plusieurs recettes"):
        svc.set_loan_and_resource(uow, plan_id, principal_cents=5_000_000, rate_bp=300, years=10)
    view = svc.load_plan(uow, plan_id)
    assert view.loan is None and sorted(r.stored_amount_cents for r in view.resources) == [1_000_000, 1_000_000]


def test_a_resources_nature_follows_its_funder() -> None:
    assert resource_kind_for("EMPRUNT") == "emprunt"
    assert resource_kind_for("DETR") == "subvention"
    assert resource_kind_for("") is None
