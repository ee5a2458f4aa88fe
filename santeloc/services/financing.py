"""Use cases of step 7: plans and scenarios, expenses, resources, funders, loan and rent.

The rules themselves live in :mod:`santeloc.domain.financing`; this module moves data between
the database and those rules. Money is integer cents throughout.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import col

from santeloc.domain import financing as rules
from santeloc.domain.enums import FinancingStage, PorteurType, ResourceKind, ResourceStatus
from santeloc.domain.errors import ConflictError, NotFoundError, ValidationError
from santeloc.domain.models import (
    ExpenseLine,
    FinancingPlan,
    Funder,
    Loan,
    RentOccupant,
    RentSettings,
    ResourceBase,
    ResourceLine,
)
from santeloc.persistence.uow import UnitOfWork
from santeloc.services.projects import load_project as _project
from santeloc.services.projects import touch_project as _touch

PUBLIC_OWNERS = {
    PorteurType.COMMUNE.value: "la commune",
    PorteurType.EPCI.value: "l'intercommunalité",
    PorteurType.PAYS.value: "le pays",
}
STALE = "a été modifiée par quelqu'un d'autre depuis son affichage. Rien n'a été écrasé : les données à jour ont été rechargées."

EXPENSE_CATEGORIES: tuple[str, ...] = (
    "études",
    "maîtrise d'œuvre",
    "foncier",
    "travaux",
    "équipement",
    "mobilier",
    "informatique",
    "coordination",
    "secrétariat",
    "animation",
    "autre",
)


@dataclass(frozen=True)
class PlanInfo:
    """A financing plan or scenario of a project."""

    id: int
    project_id: int
    name: str
    is_reference: bool


@dataclass(frozen=True)
class ExpenseRow:
    """An expense line as stored (with its version, for safe concurrent edits)."""

    expense: rules.Expense
    version: int


@dataclass(frozen=True)
class ResourceRow:
    """A resource line as stored, with what the domain needs and the request's follow-up."""

    resource: rules.Resource
    version: int
    stored_amount_cents: int
    requested_on: date | None
    decided_on: date | None
    note: str


@dataclass(frozen=True)
class FunderRow:
    """A funder of the project's catalogue and its database id."""

    id: int
    rule: rules.FunderRule
    version: int = 1  # for update_funder(expected_version=…): a stale save is refused


@dataclass(frozen=True)
class LoanRow:
    """The loan of a plan."""

    label: str
    principal_cents: int
    rate_bp: int
    years: int
    constant_annuity: bool
    start_year: int | None


@dataclass(frozen=True)
class RentRow:
    """Rent settings and occupants of a plan."""

    annual_charges_cents: int
    market_rent_cents_per_m2_month: int | None
    split: str
    occupants: tuple[rules.Occupant, ...]


@dataclass(frozen=True)
class PlanView:
    """Everything step 7 shows for one plan, with the rules' analysis."""

    plan: PlanInfo
    expenses: tuple[ExpenseRow, ...]
    resources: tuple[ResourceRow, ...]
    funders: tuple[FunderRow, ...]
    loan: LoanRow | None
    rent: RentRow | None
    analysis: rules.PlanAnalysis
    owner_is_public: bool

    @property
    def schedule(self) -> list[rules.LoanPeriod]:
        """Repayment schedule of the loan (empty without loan)."""
        if self.loan is None or self.loan.principal_cents <= 0:
            return []
        return rules.loan_schedule(
            self.loan.principal_cents, self.loan.rate_bp, self.loan.years, self.loan.constant_annuity
        )

    def rent_plan(self) -> rules.RentPlan | None:
        """Rent needed to cover the loan's first annuity and the charges (None without occupant)."""
        if self.rent is None or not self.rent.occupants:
            return None
        schedule = self.schedule
        annuity = rules.yearly_payments(schedule)[0] if schedule else 0
        return rules.rent_plan(
            annuity,
            self.rent.annual_charges_cents,
            list(self.rent.occupants),
            split=self.rent.split,  # type: ignore[arg-type]
            market_rent_per_m2_cents=self.rent.market_rent_cents_per_m2_month,
        )

    def funder_name(self, code: str) -> str:
        """Name of a funder of the catalogue (the code when unknown)."""
        return next((f.rule.name for f in self.funders if f.rule.code == code), code)


# --- loading ---------------------------------------------------------------------------------


def _plan(uow: UnitOfWork, plan_id: int) -> FinancingPlan:
    plan = uow.session.get(FinancingPlan, plan_id)
    if plan is None:
        raise NotFoundError("Ce plan de financement n'existe plus (supprimé depuis un autre poste ?).")
    return plan


def _seed_funders(uow: UnitOfWork, project_id: int) -> None:
    present = set(uow.session.execute(select(col(Funder.code)).where(col(Funder.project_id) == project_id)).scalars())
    for rule in rules.default_funders():
        if rule.code not in present:
            uow.session.add(_funder_model(project_id, rule))


def _funder_model(project_id: int, rule: rules.FunderRule) -> Funder:
    return Funder(
        project_id=project_id,
        code=rule.code,
        name=rule.name,
        is_public=rule.is_public,
        max_rate_bp=rule.max_rate_bp,
        ceiling_cents=rule.ceiling_cents,
        eligible_stages=rules.code_list_text(rule.eligible_stages),
        eligible_categories=rules.code_list_text(rule.eligible_categories),
        counts_ttc=rule.counts_ttc,
        conditions=rule.conditions,
        mention=rule.mention,
        attachments=rule.attachments,
        is_state=rule.is_state,
        rule_source=rule.rule_source,
        rule_date=rule.rule_date,
    )


def _rule(funder: Funder) -> rules.FunderRule:
    return rules.FunderRule(
        code=funder.code,
        name=funder.name,
        is_public=funder.is_public,
        max_rate_bp=funder.max_rate_bp,
        ceiling_cents=funder.ceiling_cents,
        eligible_stages=rules.parse_code_list(funder.eligible_stages),
        eligible_categories=rules.parse_code_list(funder.eligible_categories),
        counts_ttc=funder.counts_ttc,
        conditions=funder.conditions,
        mention=funder.mention,
        attachments=funder.attachments,
        is_state=funder.is_state,
        rule_source=funder.rule_source,
        rule_date=funder.rule_date,
    )


def ensure_plan(uow: UnitOfWork, project_id: int) -> PlanInfo:
    """The project's reference plan, created (with the funder catalogue) on first use."""
    with uow:
        _project(uow, project_id)
        plans = (
            uow.session.execute(
                select(FinancingPlan).where(col(FinancingPlan.project_id) == project_id).order_by(col(FinancingPlan.id))
            )
            .scalars()
            .all()
        )
        has_funders = uow.session.execute(
            select(func.count()).select_from(Funder).where(col(Funder.project_id) == project_id)
        ).scalar_one()
        if plans and has_funders:
            chosen = next((p for p in plans if p.is_reference), plans[0])
            return _info(chosen)
        _seed_funders(uow, project_id)
        if plans:
            chosen = next((p for p in plans if p.is_reference), plans[0])
        else:
            chosen = FinancingPlan(project_id=project_id, name="Plan principal", is_reference=True)
            uow.session.add(chosen)
        uow.commit()
        return _info(chosen)


def _info(plan: FinancingPlan) -> PlanInfo:
    assert plan.id is not None
    return PlanInfo(plan.id, plan.project_id, plan.name, plan.is_reference)


def list_plans(uow: UnitOfWork, project_id: int) -> list[PlanInfo]:
    """The plans (scenarios) of a project, the reference first."""
    with uow:
        plans = (
            uow.session.execute(
                select(FinancingPlan)
                .where(col(FinancingPlan.project_id) == project_id)
                .order_by(col(FinancingPlan.is_reference).desc(), col(FinancingPlan.id))
            )
            .scalars()
            .all()
        )
        return [_info(p) for p in plans]


def load_plan(uow: UnitOfWork, plan_id: int) -> PlanView:
    """Read a plan and analyse it with the rules (balance, shares, 20 % rule, caps…)."""
    with uow:
        plan = _plan(uow, plan_id)
        project = _project(uow, plan.project_id)
        expenses = (
            uow.session.execute(
                select(ExpenseLine)
                .where(col(ExpenseLine.plan_id) == plan_id)
                .order_by(col(ExpenseLine.position), col(ExpenseLine.id))
            )
            .scalars()
            .all()
        )
        resources = (
            uow.session.execute(
                select(ResourceLine)
                .where(col(ResourceLine.plan_id) == plan_id)
                .order_by(col(ResourceLine.position), col(ResourceLine.id))
            )
            .scalars()
            .all()
        )
        bases: dict[int, set[int]] = {}
        if resources:
            for resource_id, expense_id in uow.session.execute(
                select(col(ResourceBase.resource_id), col(ResourceBase.expense_id)).where(
                    col(ResourceBase.resource_id).in_([r.id for r in resources])
                )
            ):
                bases.setdefault(resource_id, set()).add(expense_id)
        funders = (
            uow.session.execute(
                select(Funder).where(col(Funder.project_id) == plan.project_id).order_by(col(Funder.id))
            )
            .scalars()
            .all()
        )
        loan = uow.session.execute(select(Loan).where(col(Loan.plan_id) == plan_id)).scalars().first()
        settings = (
            uow.session.execute(select(RentSettings).where(col(RentSettings.plan_id) == plan_id)).scalars().first()
        )
        occupants = (
            uow.session.execute(
                select(RentOccupant)
                .where(col(RentOccupant.plan_id) == plan_id)
                .order_by(col(RentOccupant.position), col(RentOccupant.id))
            )
            .scalars()
            .all()
        )
        expense_rows = tuple(
            ExpenseRow(
                rules.Expense(e.id or 0, e.stage, e.category, e.label, e.amount_ht_cents, e.vat_rate_bp, e.year),
                e.version,
            )
            for e in expenses
        )
        resource_rows = tuple(
            ResourceRow(
                rules.Resource(
                    id=r.id or 0,
                    kind=r.kind,
                    funder_code=r.funder_code,
                    label=r.label,
                    stage=r.stage,
                    amount_cents=None if r.rate_bp is not None else r.amount_cents,
                    rate_bp=r.rate_bp,
                    base_expense_ids=frozenset(bases.get(r.id or 0, set())),
                    status=r.status,
                ),
                r.version,
                r.amount_cents,
                r.requested_on,
                r.decided_on,
                r.note,
            )
            for r in resources
        )
        funder_rows = tuple(FunderRow(f.id or 0, _rule(f), f.version) for f in funders)
        owner_public = project.porteur_type in PUBLIC_OWNERS
        analysis = rules.analyse(
            rules.Plan(
                expenses=[row.expense for row in expense_rows],
                resources=[row.resource for row in resource_rows],
                funders=[row.rule for row in funder_rows],
                maitre_ouvrage_is_public=owner_public,
                maitre_ouvrage_name=PUBLIC_OWNERS.get(project.porteur_type, "le maître d'ouvrage"),
            )
        )
        return PlanView(
            plan=_info(plan),
            expenses=expense_rows,
            resources=resource_rows,
            funders=funder_rows,
            loan=LoanRow(
                loan.label, loan.principal_cents, loan.rate_bp, loan.years, loan.constant_annuity, loan.start_year
            )
            if loan is not None
            else None,
            rent=RentRow(
                settings.annual_charges_cents if settings else 0,
                settings.market_rent_cents_per_m2_month if settings else None,
                settings.split_mode if settings else "area",
                tuple(
                    rules.Occupant(
                        o.name,
                        Decimal(o.area_centi_m2) / 100 if o.area_centi_m2 is not None else None,
                        o.share_bp,
                    )
                    for o in occupants
                ),
            )
            if settings is not None or occupants
            else None,
            analysis=analysis,
            owner_is_public=owner_public,
        )


# --- expenses --------------------------------------------------------------------------------


def _next_position(uow: UnitOfWork, model: type[ExpenseLine] | type[ResourceLine], plan_id: int) -> int:
    current = uow.session.execute(select(func.max(model.position)).where(model.plan_id == plan_id)).scalar()  # type: ignore[arg-type]
    return int(current or 0) + 1


def add_expense(
    uow: UnitOfWork,
    plan_id: int,
    *,
    stage: str,
    label: str,
    amount_ht_cents: int,
    vat_rate_bp: int = 2000,
    category: str = "",
    year: int | None = None,
) -> int:
    """Add an expense line after checking it (negative amount, VAT out of range…)."""
    rules.validate_expense(rules.Expense(0, stage, category, label, amount_ht_cents, vat_rate_bp, year))
    if not label.strip():
        raise ValidationError("Donnez un libellé à la dépense.")
    with uow:
        plan = _plan(uow, plan_id)
        line = ExpenseLine(
            plan_id=plan_id,
            stage=stage,
            category=category,
            label=label.strip()[:300],
            amount_ht_cents=amount_ht_cents,
            vat_rate_bp=vat_rate_bp,
            year=year,
            position=_next_position(uow, ExpenseLine, plan_id),
        )
        uow.session.add(line)
        _touch(uow, plan.project_id)
        uow.commit()
        assert line.id is not None
        return line.id


def update_expense(uow: UnitOfWork, expense_id: int, expected_version: int | None, **changes: object) -> int:
    """Change an expense line; refused if someone saved it since ``expected_version``."""
    allowed = {"stage", "category", "label", "amount_ht_cents", "vat_rate_bp", "year"}
    if set(changes) - allowed:
        raise ValueError(sorted(set(changes) - allowed))
    with uow:
        line = uow.session.get(ExpenseLine, expense_id)
        if line is None:
            raise NotFoundError("Cette dépense n'existe plus (supprimée depuis un autre poste ?).")
        if expected_version is not None and line.version != expected_version:
            raise ConflictError(f"La dépense « {line.label} » {STALE}")
        merged = {key: getattr(line, key) for key in allowed} | changes
        if not str(merged["label"]).strip():
            raise ValidationError("Le libellé de la dépense ne peut pas être vide.")
        rules.validate_expense(rules.Expense(expense_id, **merged))
        for key, value in changes.items():
            setattr(line, key, value.strip() if isinstance(value, str) else value)
        uow.session.add(line)
        _touch(uow, _plan(uow, line.plan_id).project_id)
        uow.commit()
        return line.version


def delete_expense(uow: UnitOfWork, expense_id: int) -> None:
    """Delete an expense line (and its place in the bases of grants)."""
    with uow:
        line = uow.session.get(ExpenseLine, expense_id)
        if line is None:
            return
        uow.session.execute(delete(ResourceBase).where(col(ResourceBase.expense_id) == expense_id))
        _touch(uow, _plan(uow, line.plan_id).project_id)
        uow.session.delete(line)
        uow.commit()


# --- resources -------------------------------------------------------------------------------


def _check_resource(resource: rules.Resource, expense_ids: Iterable[int]) -> None:
    rules.validate_resource(resource, set(expense_ids))
    if not resource.label.strip():
        raise ValidationError("Donnez un libellé à la recette (par exemple « DETR 2027 »).")


def add_resource(
    uow: UnitOfWork,
    plan_id: int,
    *,
    kind: str,
    funder_code: str,
    label: str,
    stage: str,
    amount_cents: int | None = None,
    rate_bp: int | None = None,
    base_expense_ids: Sequence[int] = (),
    status: str = ResourceStatus.A_SOLLICITER.value,
    requested_on: date | None = None,
    decided_on: date | None = None,
    note: str = "",
) -> int:
    """Add a grant, loan or self-funding line, given as an amount or as a rate of its base."""
    resource = rules.Resource(
        0, kind, funder_code, label, stage, amount_cents, rate_bp, frozenset(base_expense_ids), status
    )
    with uow:
        plan = _plan(uow, plan_id)
        expense_ids = set(
            uow.session.execute(select(col(ExpenseLine.id)).where(col(ExpenseLine.plan_id) == plan_id)).scalars()
        )
        _check_resource(resource, expense_ids)
        line = ResourceLine(
            plan_id=plan_id,
            kind=kind,
            funder_code=funder_code,
            label=label.strip()[:300],
            stage=stage,
            amount_cents=amount_cents or 0,
            rate_bp=rate_bp,
            status=status,
            requested_on=requested_on,
            decided_on=decided_on,
            note=note,
            position=_next_position(uow, ResourceLine, plan_id),
        )
        uow.session.add(line)
        uow.flush()
        assert line.id is not None
        for expense_id in base_expense_ids:
            uow.session.add(ResourceBase(resource_id=line.id, expense_id=expense_id))
        _touch(uow, plan.project_id)
        uow.commit()
        return line.id


def update_resource(
    uow: UnitOfWork,
    resource_id: int,
    expected_version: int | None,
    *,
    base_expense_ids: Sequence[int] | None = None,
    **changes: object,
) -> int:
    """Change a resource line (and its base); refused if someone saved it meanwhile."""
    allowed = {
        "kind",
        "funder_code",
        "label",
        "stage",
        "amount_cents",
        "rate_bp",
        "status",
        "requested_on",
        "decided_on",
        "note",
    }
    if set(changes) - allowed:
        raise ValueError(sorted(set(changes) - allowed))
    with uow:
        line = uow.session.get(ResourceLine, resource_id)
        if line is None:
            raise NotFoundError("Cette recette n'existe plus (supprimée depuis un autre poste ?).")
        if expected_version is not None and line.version != expected_version:
            raise ConflictError(f"La recette « {line.label} » {STALE}")
        current_base = set(
            uow.session.execute(
                select(col(ResourceBase.expense_id)).where(col(ResourceBase.resource_id) == resource_id)
            ).scalars()
        )
        base = set(base_expense_ids) if base_expense_ids is not None else current_base
        merged = {key: getattr(line, key) for key in allowed} | changes
        if merged["rate_bp"] is not None:
            merged["amount_cents"] = None
        resource = rules.Resource(
            resource_id,
            str(merged["kind"]),
            str(merged["funder_code"]),
            str(merged["label"]),
            str(merged["stage"]),
            merged["amount_cents"],
            merged["rate_bp"],
            frozenset(base),
            str(merged["status"]),
        )
        expense_ids = set(
            uow.session.execute(select(col(ExpenseLine.id)).where(col(ExpenseLine.plan_id) == line.plan_id)).scalars()
        )
        _check_resource(resource, expense_ids)
        for key, value in changes.items():
            setattr(line, key, value)
        if line.rate_bp is not None:
            line.amount_cents = 0
        if base != current_base:
            uow.session.execute(delete(ResourceBase).where(col(ResourceBase.resource_id) == resource_id))
            for expense_id in sorted(base):
                uow.session.add(ResourceBase(resource_id=resource_id, expense_id=expense_id))
            flag_modified(line, "note")  # forces an UPDATE, so the version moves with the base too
        uow.session.add(line)
        _touch(uow, _plan(uow, line.plan_id).project_id)
        uow.commit()
        return line.version


def delete_resource(uow: UnitOfWork, resource_id: int) -> None:
    """Delete a resource line."""
    with uow:
        line = uow.session.get(ResourceLine, resource_id)
        if line is None:
            return
        uow.session.execute(delete(ResourceBase).where(col(ResourceBase.resource_id) == resource_id))
        _touch(uow, _plan(uow, line.plan_id).project_id)
        uow.session.delete(line)
        uow.commit()


# --- funders ---------------------------------------------------------------------------------


def update_funder(uow: UnitOfWork, funder_id: int, expected_version: int | None = None, **changes: object) -> int:
    """Adapt a funder's rules for the project's région and département; returns the new version.

    Refuses, with nothing written, if someone saved the funder since ``expected_version``.
    """
    allowed = {
        "name",
        "is_public",
        "max_rate_bp",
        "ceiling_cents",
        "eligible_stages",
        "eligible_categories",
        "counts_ttc",
        "conditions",
        "mention",
        "attachments",
        "is_state",
        "rule_source",
        "rule_date",
    }
    if set(changes) - allowed:
        raise ValueError(sorted(set(changes) - allowed))
    with uow:
        funder = uow.session.get(Funder, funder_id)
        if funder is None:
            raise NotFoundError("Ce financeur n'existe plus.")
        if expected_version is not None and funder.version != expected_version:
            raise ConflictError(
                f"Le financeur « {funder.name[:80]} » a été modifié par quelqu'un d'autre depuis son affichage. "
                "Rien n'a été écrasé : les données à jour ont été rechargées."
            )
        rule = _rule(funder)
        updates = {
            key: rules.parse_code_list(str(value)) if key in ("eligible_stages", "eligible_categories") else value
            for key, value in changes.items()
        }
        rules.validate_funder(replace(rule, **updates))  # type: ignore[arg-type]
        for key, value in changes.items():
            setattr(funder, key, value)
        uow.session.add(funder)
        _touch(uow, funder.project_id)
        uow.commit()
        return funder.version


def add_funder(uow: UnitOfWork, project_id: int, code: str, name: str, *, is_public: bool = True) -> int:
    """Add a funder of the user's own to the project's catalogue."""
    cleaned = code.strip().upper().replace(" ", "_")
    if not cleaned or not name.strip():
        raise ValidationError("Un financeur a besoin d'un code et d'un nom.")
    with uow:
        _project(uow, project_id)
        exists = uow.session.execute(
            select(col(Funder.id)).where(col(Funder.project_id) == project_id, col(Funder.code) == cleaned)
        ).first()
        if exists:
            raise ValidationError(f"Le financeur « {cleaned} » existe déjà dans le catalogue du projet.")
        funder = Funder(project_id=project_id, code=cleaned, name=name.strip(), is_public=is_public)
        uow.session.add(funder)
        uow.commit()
        assert funder.id is not None
        return funder.id


# --- loan and rent ---------------------------------------------------------------------------


def set_loan(
    uow: UnitOfWork,
    plan_id: int,
    *,
    principal_cents: int,
    rate_bp: int,
    years: int,
    constant_annuity: bool = True,
    start_year: int | None = None,
    label: str = "Emprunt",
) -> None:
    """Set (or replace) the plan's loan after checking it (0 year, negative rate…)."""
    rules.loan_schedule(principal_cents, rate_bp, years, constant_annuity)  # validates, French messages
    with uow:
        plan = _plan(uow, plan_id)
        loan = uow.session.execute(select(Loan).where(col(Loan.plan_id) == plan_id)).scalars().first()
        if loan is None:
            loan = Loan(plan_id=plan_id, principal_cents=principal_cents)
        loan.label, loan.principal_cents, loan.rate_bp, loan.years = label, principal_cents, rate_bp, years
        loan.constant_annuity, loan.start_year = constant_annuity, start_year
        uow.session.add(loan)
        _touch(uow, plan.project_id)
        uow.commit()


def clear_loan(uow: UnitOfWork, plan_id: int) -> None:
    """Remove the plan's loan parameters."""
    with uow:
        plan = _plan(uow, plan_id)
        uow.session.execute(delete(Loan).where(col(Loan.plan_id) == plan_id))
        _touch(uow, plan.project_id)
        uow.commit()


def set_rent(
    uow: UnitOfWork,
    plan_id: int,
    *,
    annual_charges_cents: int,
    market_rent_cents_per_m2_month: int | None,
    split: str,
    occupants: Sequence[rules.Occupant],
) -> None:
    """Set how the rent is computed and who pays it, in one transaction."""
    if annual_charges_cents < 0:
        raise ValidationError("Les charges annuelles ne peuvent pas être négatives.")
    if market_rent_cents_per_m2_month is not None and market_rent_cents_per_m2_month <= 0:
        raise ValidationError("La valeur locative du marché doit être positive.")
    if split not in ("area", "share"):
        raise ValidationError("Répartition inconnue : choisissez « par surface » ou « par quote-part ».")
    if occupants:
        rules.rent_plan(0, annual_charges_cents, list(occupants), split=split, market_rent_per_m2_cents=None)  # type: ignore[arg-type]
    with uow:
        plan = _plan(uow, plan_id)
        settings = (
            uow.session.execute(select(RentSettings).where(col(RentSettings.plan_id) == plan_id)).scalars().first()
        )
        if settings is None:
            settings = RentSettings(plan_id=plan_id)
        settings.annual_charges_cents = annual_charges_cents
        settings.market_rent_cents_per_m2_month = market_rent_cents_per_m2_month
        settings.split_mode = split
        uow.session.add(settings)
        uow.session.execute(delete(RentOccupant).where(col(RentOccupant.plan_id) == plan_id))
        for position, occupant in enumerate(occupants):
            uow.session.add(
                RentOccupant(
                    plan_id=plan_id,
                    name=occupant.name,
                    area_centi_m2=int(occupant.area_m2 * 100) if occupant.area_m2 is not None else None,
                    share_bp=occupant.share_bp,
                    position=position,
                )
            )
        _touch(uow, plan.project_id)
        uow.commit()


# --- scenarios -------------------------------------------------------------------------------


def duplicate_plan(uow: UnitOfWork, plan_id: int, name: str) -> PlanInfo:
    """Copy a plan into a scenario (expenses, resources with their bases, loan, rent)."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError("Donnez un nom au scénario (par exemple « sans DSIL »).")
    with uow:
        source = _plan(uow, plan_id)
        taken = {
            n.lower()
            for n in uow.session.execute(
                select(col(FinancingPlan.name)).where(col(FinancingPlan.project_id) == source.project_id)
            ).scalars()
        }
        if cleaned.lower() in taken:
            raise ValidationError(f"Un scénario s'appelle déjà « {cleaned} ».")
        copy = FinancingPlan(project_id=source.project_id, name=cleaned[:200], is_reference=False)
        uow.session.add(copy)
        uow.flush()
        assert copy.id is not None
        expense_map: dict[int, int] = {}
        for line in uow.session.execute(select(ExpenseLine).where(col(ExpenseLine.plan_id) == plan_id)).scalars().all():
            new = ExpenseLine(**line.model_dump(exclude={"id", "plan_id", "version"}), plan_id=copy.id)
            uow.session.add(new)
            uow.flush()
            expense_map[line.id or 0] = new.id or 0
        for line in (
            uow.session.execute(select(ResourceLine).where(col(ResourceLine.plan_id) == plan_id)).scalars().all()
        ):
            new_resource = ResourceLine(**line.model_dump(exclude={"id", "plan_id", "version"}), plan_id=copy.id)
            uow.session.add(new_resource)
            uow.flush()
            for expense_id in uow.session.execute(
                select(col(ResourceBase.expense_id)).where(col(ResourceBase.resource_id) == line.id)
            ).scalars():
                uow.session.add(ResourceBase(resource_id=new_resource.id or 0, expense_id=expense_map[expense_id]))
        for model in (Loan, RentSettings, RentOccupant):
            for row in uow.session.execute(select(model).where(model.__table__.c.plan_id == plan_id)).scalars().all():  # type: ignore[union-attr]
                uow.session.add(model(**row.model_dump(exclude={"id", "plan_id"}), plan_id=copy.id))
        _touch(uow, source.project_id)
        uow.commit()
        return _info(copy)


def rename_plan(uow: UnitOfWork, plan_id: int, name: str) -> None:
    """Rename a plan or scenario."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError("Le nom du scénario ne peut pas être vide.")
    with uow:
        plan = _plan(uow, plan_id)
        plan.name = cleaned[:200]
        uow.session.add(plan)
        _touch(uow, plan.project_id)
        uow.commit()


def delete_plan(uow: UnitOfWork, plan_id: int) -> None:
    """Delete a scenario; the reference plan stays (make another the reference first)."""
    with uow:
        plan = _plan(uow, plan_id)
        if plan.is_reference:
            raise ValidationError(
                "Le plan de référence ne peut pas être supprimé : choisissez d'abord un autre scénario comme référence."
            )
        resource_ids = select(col(ResourceLine.id)).where(col(ResourceLine.plan_id) == plan_id)
        uow.session.execute(delete(ResourceBase).where(col(ResourceBase.resource_id).in_(resource_ids)))
        for model in (ResourceLine, ExpenseLine, Loan, RentSettings, RentOccupant):
            uow.session.execute(delete(model).where(model.__table__.c.plan_id == plan_id))  # type: ignore[union-attr]
        _touch(uow, plan.project_id)
        uow.session.delete(plan)
        uow.commit()


def set_reference(uow: UnitOfWork, plan_id: int) -> None:
    """Make a scenario the project's reference plan (the one the dossiers use)."""
    with uow:
        plan = _plan(uow, plan_id)
        for other in uow.session.execute(
            select(FinancingPlan).where(col(FinancingPlan.project_id) == plan.project_id)
        ).scalars():
            other.is_reference = other.id == plan_id
            uow.session.add(other)
        _touch(uow, plan.project_id)
        uow.commit()


def compare_scenarios(uow: UnitOfWork, project_id: int) -> rules.ComparisonTable:
    """Every scenario of the project side by side."""
    return rules.compare_plans([(p.name, load_plan(uow, p.id).analysis) for p in list_plans(uow, project_id)])


STAGE_CHOICES = tuple((stage.value, stage.label) for stage in FinancingStage)
KIND_CHOICES = tuple((kind.value, kind.label) for kind in ResourceKind)
STATUS_CHOICES = tuple((status.value, status.label) for status in ResourceStatus)


# --- dates of the works and of the operation --------------------------------------------------

WORKS_DATE_KEYS: tuple[tuple[str, str], ...] = (
    ("operation_debut", "Début de l'opération"),
    ("travaux_debut", "Début des travaux"),
    ("travaux_fin", "Fin des travaux"),
    ("operation_fin", "Fin de l'opération"),
)
"""Dates a grant application gives (stored as project settings), with their French labels."""


def set_works_dates(uow: UnitOfWork, project_id: int, **dates: date | None) -> None:
    """Store the start and end dates of the works and of the operation (``None`` clears one)."""
    from santeloc.domain.models import ProjectSetting

    known = {key for key, _label in WORKS_DATE_KEYS}
    if set(dates) - known:
        raise ValueError(sorted(set(dates) - known))
    merged = {**get_works_dates(uow, project_id), **dates}
    for first, last, what in (("travaux_debut", "travaux_fin", "travaux"), ("operation_debut", "operation_fin",
                                                                             "l'opération")):  # fmt: skip
        start, end = merged.get(first), merged.get(last)
        if start and end and end < start:
            raise ValidationError(f"La fin des {what} ne peut pas précéder leur début.".replace("des l'", "de l'"))
    with uow:
        _project(uow, project_id)
        for key, value in dates.items():
            setting = uow.session.execute(
                select(ProjectSetting).where(
                    col(ProjectSetting.project_id) == project_id, col(ProjectSetting.key) == key
                )
            ).scalar_one_or_none()
            if setting is None:
                setting = ProjectSetting(project_id=project_id, key=key, value="")
            setting.value = value.isoformat() if value else ""
            uow.session.add(setting)
        _touch(uow, project_id)
        uow.commit()


def get_works_dates(uow: UnitOfWork, project_id: int) -> dict[str, date | None]:
    """The dates of :data:`WORKS_DATE_KEYS` (``None`` when not given)."""
    from santeloc.domain.models import ProjectSetting

    keys = [key for key, _label in WORKS_DATE_KEYS]
    with uow:
        rows = dict(
            uow.session.execute(
                select(col(ProjectSetting.key), col(ProjectSetting.value)).where(
                    col(ProjectSetting.project_id) == project_id, col(ProjectSetting.key).in_(keys)
                )
            ).all()
        )
    result: dict[str, date | None] = {}
    for key in keys:
        text = rows.get(key, "")
        try:
            result[key] = date.fromisoformat(text) if text else None
        except ValueError:
            result[key] = None
    return result


# --- the loan calculator writes the plan's loan resource (issue 15) --------------------------


def set_loan_and_resource(
    uow: UnitOfWork,
    plan_id: int,
    *,
    principal_cents: int,
    rate_bp: int,
    years: int,
    constant_annuity: bool = True,
    start_year: int | None = None,
    label: str = "Emprunt",
) -> int:
    """Set the plan's loan and carry its capital into the plan's loan resource, in one action.

    The plan's only loan line (``kind = "emprunt"``) gets the capital as its amount; a plan
    without one gets a new line in the investment stage, funder "EMPRUNT" when the catalogue has
    it. A plan with several loan lines is refused (which one to update is the user's choice).
    Returns the id of the loan resource line.
    """
    rules.loan_schedule(principal_cents, rate_bp, years, constant_annuity)  # validates, French messages
    if principal_cents <= 0:
        raise ValidationError("Saisissez le capital emprunté (un montant positif).")
    with uow:
        plan = _plan(uow, plan_id)
        lines = list(
            uow.session.execute(
                select(ResourceLine)
                .where(col(ResourceLine.plan_id) == plan_id, col(ResourceLine.kind) == ResourceKind.EMPRUNT.value)
                .order_by(col(ResourceLine.position))
            ).scalars()
        )
        if len(lines) > 1:
            raise ValidationError(
                "Le plan compte plusieurs recettes de nature « Emprunt » : mettez à jour la bonne dans "
                "l'onglet Recettes, ou n'en gardez qu'une."
            )
        loan = uow.session.execute(select(Loan).where(col(Loan.plan_id) == plan_id)).scalars().first()
        if loan is None:
            loan = Loan(plan_id=plan_id, principal_cents=principal_cents)
        loan.label, loan.principal_cents, loan.rate_bp, loan.years = label, principal_cents, rate_bp, years
        loan.constant_annuity, loan.start_year = constant_annuity, start_year
        uow.session.add(loan)
        if lines:
            line = lines[0]
            line.amount_cents, line.rate_bp = principal_cents, None
            uow.session.execute(delete(ResourceBase).where(col(ResourceBase.resource_id) == line.id))
        else:
            catalogue = set(
                uow.session.execute(select(col(Funder.code)).where(col(Funder.project_id) == plan.project_id)).scalars()
            )
            line = ResourceLine(
                plan_id=plan_id,
                kind=ResourceKind.EMPRUNT.value,
                funder_code="EMPRUNT" if "EMPRUNT" in catalogue else "",
                label=label.strip()[:300] or "Emprunt",
                stage=FinancingStage.INVESTISSEMENT.value,
                amount_cents=principal_cents,
                rate_bp=None,
                status=ResourceStatus.A_SOLLICITER.value,
                position=_next_position(uow, ResourceLine, plan_id),
            )
        uow.session.add(line)
        uow.flush()
        assert line.id is not None
        _touch(uow, plan.project_id)
        uow.commit()
        return line.id
