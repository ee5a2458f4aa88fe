"""What one grant application asks: its pending lines, its filing date, the operation it funds.

A request is produced only for what is still to obtain (à solliciter, sollicité); the lines the
same funder already granted are quoted with their decision date, never asked again. An
investment grant's « coût de l'opération » is the eligible investment (HT unless the funder
counts TTC), not the whole plan; an operating grant (FIR for a coordinator…) funds an action,
and its application carries no works attestation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from santeloc.domain import financing as rules
from santeloc.domain.enums import FinancingStage, ResourceKind, ResourceStatus
from santeloc.services import financing as financing_svc

PENDING = (ResourceStatus.A_SOLLICITER.value, ResourceStatus.SOLLICITE.value)
ACQUIRED = (ResourceStatus.ACCORDE.value, ResourceStatus.VERSE.value)


@dataclass(frozen=True)
class GrantRequest:
    """One funder's application: the lines it asks, those already granted, its date and scope."""

    funder_code: str
    asked: tuple[rules.ResourceResult, ...]
    granted: tuple[rules.ResourceResult, ...]
    filed_on: date
    filed_on_known: bool
    stages: tuple[str, ...]
    operation_cost_cents: int
    operation_is_ttc: bool

    @property
    def amount_cents(self) -> int:
        """What this application asks: its pending lines alone."""
        return sum(r.amount_cents for r in self.asked)

    @property
    def is_investment(self) -> bool:
        """True when it asks for works or studies (an attestation de non-commencement goes with it)."""
        return any(stage != FinancingStage.FONCTIONNEMENT.value for stage in self.stages)

    @property
    def scope_label(self) -> str:
        """« volet investissement », « volets ingénierie et investissement »."""
        names = [rules.stage_label(stage).lower() for stage in self.stages]
        if not names:
            return ""
        if len(names) == 1:
            return f"volet {names[0]}"
        return "volets " + ", ".join(names[:-1]) + " et " + names[-1]


def _funder_lines(view: financing_svc.PlanView, code: str) -> list[rules.ResourceResult]:
    return [
        r
        for r in view.analysis.overall.resources
        if r.counted and r.resource.kind == ResourceKind.SUBVENTION.value and r.resource.funder_code.strip() == code
    ]


def grant_request(view: financing_svc.PlanView, code: str, today: date) -> GrantRequest:
    """The application to funder ``code``, read from the reference plan."""
    lines = _funder_lines(view, code)
    asked = tuple(r for r in lines if r.resource.status in PENDING)
    granted = tuple(r for r in lines if r.resource.status in ACQUIRED)
    stored = {row.resource.id: row for row in view.resources}
    filed = [stored[r.resource.id].requested_on for r in asked if r.resource.id in stored]
    known = [day for day in filed if day is not None]
    stages = tuple(stage for stage in rules.STAGES if any(r.resource.stage == stage for r in asked))
    rule = next((row.rule for row in view.funders if row.rule.code == code), None)
    ttc = rule.counts_ttc if rule is not None else view.analysis.balance_ttc
    cost = 0
    for row in view.expenses:
        expense = row.expense
        if expense.stage not in stages:
            continue
        if rule is not None and not rule.funds_expense(expense):
            continue
        cost += expense.amount_ttc_cents if ttc else expense.amount_ht_cents
    return GrantRequest(
        funder_code=code,
        asked=asked,
        granted=granted,
        filed_on=min(known) if known else today,
        filed_on_known=bool(known),
        stages=stages,
        operation_cost_cents=cost,
        operation_is_ttc=ttc,
    )
