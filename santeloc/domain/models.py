"""SQLModel tables of the whole methodology, steps 0 to 8.

Conventions:
- money is stored in integer cents (``*_cents``), rates in basis points (``*_bp``: 2 500 = 25 %),
  never floats;
- INSEE codes are strings (``"2A004"``);
- enumerations are stored as strings (see :mod:`santeloc.domain.enums`);
- rows that two people may edit at once carry a ``version`` column used by SQLAlchemy's
  optimistic concurrency (``version_id_col``): a stale write raises instead of overwriting.

Every table hangs off a project (directly or through its parent) with ``ON DELETE CASCADE``, so
deleting or duplicating a project is a single, complete operation.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# Stable constraint names, so that Alembic migrations can refer to them on SQLite and PostgreSQL.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Current UTC time, timezone-aware (stored naive UTC by SQLite)."""
    return datetime.now(UTC)


def version_column() -> Column[int]:
    """A fresh ``version`` column for optimistic concurrency (one per table)."""
    return Column("version", Integer, nullable=False, default=1)


def project_fk() -> Column[int]:
    """Foreign key to ``project.id`` that follows the project's deletion."""
    return Column("project_id", Integer, ForeignKey("project.id", ondelete="CASCADE"), nullable=False, index=True)


def parent_fk(name: str, target: str, nullable: bool = False) -> Column[int]:
    """Foreign key to ``target`` (``table.id``) that follows its parent's deletion."""
    return Column(
        name,
        Integer,
        ForeignKey(target, ondelete="CASCADE" if not nullable else "SET NULL"),
        nullable=nullable,
        index=True,
    )


def text_column(name: str) -> Column[str]:
    """A long free-text column, empty by default."""
    return Column(name, Text, nullable=False, default="")


# --- Step 0: project and territory ------------------------------------------------------

_project_version = version_column()


class Project(SQLModel, table=True):
    """A project: one MSP, pôle, centre de santé or territorial health project."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column("name", String(200), nullable=False, unique=True))
    is_demo: bool = Field(default=False)
    porteur_type: str = Field(default="epci", sa_type=String(40))
    porteur_name: str = Field(default="", sa_type=String(300))
    project_type: str = Field(default="msp_mono_site", sa_type=String(40))
    description: str = Field(default="", sa_column=text_column("description"))
    plan_pack_key: str = Field(default="", sa_type=String(120))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1, sa_column=_project_version)

    __mapper_args__ = {"version_id_col": _project_version}


class TerritoryCommune(SQLModel, table=True):
    """A commune of a project's territory."""

    __table_args__ = (UniqueConstraint("project_id", "insee_code", name="uq_territory_commune"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=project_fk())
    insee_code: str = Field(sa_type=String(5))
    source: str = Field(default="manual", sa_type=String(20))
    added_at: datetime = Field(default_factory=utcnow)


class ProjectSetting(SQLModel, table=True):
    """A free key/value setting of a project (parameters shown with results, e.g. speed)."""

    __table_args__ = (UniqueConstraint("project_id", "key", name="uq_project_setting"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=project_fk())
    key: str = Field(sa_type=String(80))
    value: str = Field(default="", sa_column=text_column("value"))


# --- Step 1: health status ----------------------------------------------------------------

_indicator_version = version_column()


class IndicatorValue(SQLModel, table=True):
    """One health-status indicator of the territory with its reference values."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=project_fk())
    theme: str = Field(default="", sa_type=String(80))
    code: str = Field(default="", sa_type=String(80))
    label: str = Field(sa_type=String(300))
    unit: str = Field(default="", sa_type=String(40))
    year: int | None = None
    # Issue 14: a period such as "2015-2019" (``year`` then holds its last year).
    period: str = Field(default="", sa_type=String(20))
    source: str = Field(default="", sa_type=String(300))
    value_territory: float | None = None
    value_departement: float | None = None
    value_region: float | None = None
    value_france: float | None = None
    observed: float | None = None
    expected: float | None = None
    comment: str = Field(default="", sa_column=text_column("comment"))
    position: int = 0
    version: int = Field(default=1, sa_column=_indicator_version)

    __mapper_args__ = {"version_id_col": _indicator_version}


class PopulationAgeGroup(SQLModel, table=True):
    """One age group of an INSEE age table, for the territory or for its reference level."""

    __table_args__ = (UniqueConstraint("project_id", "level", "age_min", name="uq_population_age_group"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=project_fk())
    level: str = Field(default="territoire", sa_type=String(20))
    age_label: str = Field(sa_type=String(40))
    age_min: int
    age_max: int | None = None
    men: int = 0
    women: int = 0
    year: int | None = None
    source: str = Field(default="", sa_type=String(300))


_constat_version = version_column()  # issue 17: two people may edit the same finding


class Constat(SQLModel, table=True):
    """A finding of the diagnostic, free or drawn from an indicator or a survey answer."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=project_fk())
    step: int = Field(default=1)
    title: str = Field(sa_type=String(300))
    comment: str = Field(default="", sa_column=text_column("comment"))
    indicator_id: int | None = Field(
        default=None, sa_column=parent_fk("indicator_id", "indicatorvalue.id", nullable=True)
    )
    position: int = 0
    version: int = Field(default=1, sa_column=_constat_version)

    __mapper_args__ = {"version_id_col": _constat_version}


# --- Steps 2-3: care offer and accessibility ---------------------------------------------

_professional_version = version_column()


class Professional(SQLModel, table=True):
    """A health professional practising on or near the territory."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=project_fk())
    rpps: str = Field(default="", sa_type=String(20))
    last_name: str = Field(default="", sa_type=String(120))
    first_name: str = Field(default="", sa_type=String(120))
    profession: str = Field(sa_type=String(80))
    speciality: str = Field(default="", sa_type=String(120))
    commune_code: str = Field(default="", sa_type=String(5))
    secondary_commune_code: str = Field(default="", sa_type=String(5))
    birth_year: int | None = None
    practice_mode: str = Field(default="", sa_type=String(40))
    sector: int | None = None
    fte: float | None = None
    retirement_date: date | None = None
    notes: str = Field(default="", sa_column=text_column("notes"))
    # Step 5: mobilisation (the guide's questions).
    wants_group_practice: bool | None = None
    wants_pluriprofessional: bool | None = None
    owns_premises: bool | None = None
    ready_to_move: bool | None = None
    horizon: str = Field(default="", sa_type=String(120))
    conditions: str = Field(default="", sa_column=text_column("conditions"))
    is_leader: bool = False
    commitment_status: str = Field(default="", sa_type=String(40))
    version: int = Field(default=1, sa_column=_professional_version)

    __mapper_args__ = {"version_id_col": _professional_version}


class CommitmentEvent(SQLModel, table=True):
    """One change of a professional's commitment, kept as history."""

    id: int | None = Field(default=None, primary_key=True)
    professional_id: int = Field(sa_column=parent_fk("professional_id", "professional.id"))
    status: str = Field(sa_type=String(40))
    on: date
    note: str = Field(default="", sa_column=text_column("note"))


class Establishment(SQLModel, table=True):
    """An establishment or service (hospital, EHPAD, SSIAD, pharmacy…)."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=project_fk())
    kind: str = Field(sa_type=String(80))
    name: str = Field(sa_type=String(300))
    commune_code: str = Field(default="", sa_type=String(5))
    finess: str = Field(default="", sa_type=String(12))
    notes: str = Field(default="", sa_column=text_column("notes"))
    # Issue 14: position from the FINESS extraction (WGS84 degrees), when known.
    latitude: float | None = None
    longitude: float | None = None


class AccessMeasure(SQLModel, table=True):
    """One of the guide's accessibility measures typed by the user (waiting time, PDSA…)."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=project_fk())
    key: str = Field(sa_type=String(80))
    value: float | None = None
    unit: str = Field(default="", sa_type=String(40))
    source: str = Field(default="", sa_type=String(300))
    comment: str = Field(default="", sa_column=text_column("comment"))


class TravelTime(SQLModel, table=True):
    """An imported travel time between two communes (e.g. INSEE METRIC), in minutes."""

    __table_args__ = (UniqueConstraint("project_id", "origin", "destination", name="uq_travel_time"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=project_fk())
    origin: str = Field(sa_type=String(5))
    destination: str = Field(sa_type=String(5))
    minutes: float


# Issue 14 (imports): the official APL of the DREES workbook, per commune and year.
class OfficialApl(SQLModel, table=True):
    """The DREES's published APL of a commune for a year and an age cap of the doctors counted."""

    __table_args__ = (UniqueConstraint("project_id", "commune_code", "year", "variant", name="uq_official_apl"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=project_fk())
    commune_code: str = Field(sa_type=String(5))
    year: int
    # Which column of the workbook: "APL aux médecins généralistes (sans borne d'âge)", "… de 65 ans et moins"…
    variant: str = Field(default="", sa_type=String(120))
    value: float
    standardised_population: float | None = None
    source: str = Field(default="", sa_type=String(300))
    total_population: float | None = None  # issue 23: the population under a threshold counts it


# --- Steps 4-5: inhabitants, contacts, meetings ------------------------------------------


class Contact(SQLModel, table=True):
    """A person or institution the project works with."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=project_fk())
    kind: str = Field(default="", sa_type=String(40))
    name: str = Field(sa_type=String(200))
    role: str = Field(default="", sa_type=String(200))
    organisation: str = Field(default="", sa_type=String(200))
    phone: str = Field(default="", sa_type=String(40))
    email: str = Field(default="", sa_type=String(200))
    professional_id: int | None = Field(
        default=None, sa_column=parent_fk("professional_id", "professional.id", nullable=True)
    )


class Meeting(SQLModel, table=True):
    """A meeting or workshop (comité de pilotage, atelier habitants…)."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=project_fk())
    kind: str = Field(default="", sa_type=String(80))
    title: str = Field(default="", sa_type=String(300))
    held_on: date
    place: str = Field(default="", sa_type=String(200))
    agenda: str = Field(default="", sa_column=text_column("agenda"))
    decisions: str = Field(default="", sa_column=text_column("decisions"))
    # 0007_dossiers: secretary of the meeting and the next meeting, for the compte rendu.
    secretary: str = Field(default="", sa_type=String(200))
    next_meeting: str = Field(default="", sa_type=String(300))


class MeetingParticipant(SQLModel, table=True):
    """A contact present at a meeting."""

    __table_args__ = (UniqueConstraint("meeting_id", "contact_id", name="uq_meeting_participant"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(sa_column=parent_fk("meeting_id", "meeting.id"))
    contact_id: int = Field(sa_column=parent_fk("contact_id", "contact.id"))
    # 0007_dossiers: « present », « excuse » or « absent ».
    attendance: str = Field(default="present", sa_type=String(20))


class MeetingTask(SQLModel, table=True):
    """A follow-up task decided in a meeting."""

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(sa_column=parent_fk("meeting_id", "meeting.id"))
    label: str = Field(sa_type=String(300))
    owner: str = Field(default="", sa_type=String(200))
    due_on: date | None = None
    done: bool = False
    # 0007_dossiers: when it was done (the compte rendu shows each task as it stood at the meeting).
    done_on: date | None = None


class SurveyQuestion(SQLModel, table=True):
    """A question of the inhabitants' questionnaire; choices as one per line."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=project_fk())
    position: int = 0
    kind: str = Field(sa_type=String(20))
    text: str = Field(sa_column=text_column("text"))
    choices: str = Field(default="", sa_column=text_column("choices"))
    role: str = Field(default="", sa_type=String(20))  # "commune", "age_group" or ""


class SurveyResponse(SQLModel, table=True):
    """One respondent's filled questionnaire."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=project_fk())
    respondent: str = Field(default="", sa_type=String(80))
    commune_code: str = Field(default="", sa_type=String(5))
    age_group: str = Field(default="", sa_type=String(40))


class SurveyAnswer(SQLModel, table=True):
    """The answer of one respondent to one question."""

    id: int | None = Field(default=None, primary_key=True)
    response_id: int = Field(sa_column=parent_fk("response_id", "surveyresponse.id"))
    question_id: int = Field(sa_column=parent_fk("question_id", "surveyquestion.id"))
    value: str = Field(default="", sa_column=text_column("value"))


# --- Step 6: priorities, objectives, actions, projet de santé ----------------------------


class Priority(SQLModel, table=True):
    """A priority of the project, chosen from the diagnostic's findings."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=project_fk())
    title: str = Field(sa_type=String(300))
    description: str = Field(default="", sa_column=text_column("description"))
    score: float | None = None
    position: int = 0


class Objective(SQLModel, table=True):
    """An objective serving a priority."""

    id: int | None = Field(default=None, primary_key=True)
    priority_id: int = Field(sa_column=parent_fk("priority_id", "priority.id"))
    title: str = Field(sa_type=String(300))
    position: int = 0


_action_version = version_column()


class Action(SQLModel, table=True):
    """A fiche action."""

    id: int | None = Field(default=None, primary_key=True)
    objective_id: int = Field(sa_column=parent_fk("objective_id", "objective.id"))
    title: str = Field(sa_type=String(300))
    target_public: str = Field(default="", sa_column=text_column("target_public"))
    pilot: str = Field(default="", sa_type=String(200))
    partners: str = Field(default="", sa_column=text_column("partners"))
    starts_on: date | None = None
    ends_on: date | None = None
    status: str = Field(default="", sa_type=String(40))
    budget_cents: int | None = Field(default=None, sa_type=BigInteger)
    objective: str = Field(default="", sa_column=text_column("objective"))
    description: str = Field(default="", sa_column=text_column("description"))
    plan_justification: str = Field(default="", sa_column=text_column("plan_justification"))
    version: int = Field(default=1, sa_column=_action_version)

    __mapper_args__ = {"version_id_col": _action_version}


class ActionCommune(SQLModel, table=True):
    """A commune where a fiche action takes place (INSEE code), in the user's order."""

    __table_args__ = (UniqueConstraint("action_id", "commune_code", name="uq_action_commune"),)

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(sa_column=parent_fk("action_id", "action.id"))
    commune_code: str = Field(sa_type=String(5))
    position: int = 0


class ActionMilestone(SQLModel, table=True):
    """A dated step of a fiche action."""

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(sa_column=parent_fk("action_id", "action.id"))
    due_on: date
    label: str = Field(sa_type=String(300))


class ActionConstat(SQLModel, table=True):
    """Link between an action and the finding it answers."""

    __table_args__ = (UniqueConstraint("action_id", "constat_id", name="uq_action_constat"),)

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(sa_column=parent_fk("action_id", "action.id"))
    constat_id: int = Field(sa_column=parent_fk("constat_id", "constat.id"))


class ActionPlanLink(SQLModel, table=True):
    """Link between an action and an objective of the regional plan pack."""

    __table_args__ = (UniqueConstraint("action_id", "pack_key", "objective_code", name="uq_action_plan"),)

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(sa_column=parent_fk("action_id", "action.id"))
    pack_key: str = Field(sa_type=String(120))
    objective_code: str = Field(sa_type=String(40))


class ActionIndicator(SQLModel, table=True):
    """An evaluation indicator of an action, with baseline and target."""

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(sa_column=parent_fk("action_id", "action.id"))
    label: str = Field(sa_type=String(300))
    unit: str = Field(default="", sa_type=String(40))
    baseline: float | None = None
    baseline_year: int | None = None
    target: float | None = None
    target_year: int | None = None
    source: str = Field(default="", sa_type=String(300))


class HealthProjectSection(SQLModel, table=True):
    """One section of the projet de santé / projet professionnel text."""

    __table_args__ = (UniqueConstraint("project_id", "key", name="uq_health_project_section"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=project_fk())
    key: str = Field(sa_type=String(80))
    text: str = Field(default="", sa_column=text_column("text"))


# --- Step 7: financing plan ---------------------------------------------------------------


_funder_version = version_column()  # issue 17: two people may adapt the same funder's rules


class Funder(SQLModel, table=True):
    """A funder of the catalogue and its configurable rules (per project)."""

    __table_args__ = (UniqueConstraint("project_id", "code", name="uq_funder_code"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=project_fk())
    code: str = Field(sa_type=String(40))
    name: str = Field(sa_type=String(200))
    is_public: bool = True
    max_rate_bp: int | None = None
    ceiling_cents: int | None = Field(default=None, sa_type=BigInteger)
    eligible_stages: str = Field(default="", sa_type=String(120))
    eligible_categories: str = Field(default="", sa_column=text_column("eligible_categories"))
    counts_ttc: bool = False
    conditions: str = Field(default="", sa_column=text_column("conditions"))
    # 0007_dossiers: what the application states, what it joins, aid of the State.
    mention: str = Field(default="", sa_column=text_column("mention"))
    attachments: str = Field(default="", sa_column=text_column("attachments"))
    is_state: bool = False
    version: int = Field(default=1, sa_column=_funder_version)
    # 0011: where the rate and ceiling come from, and of when (a rule is quoted with its text).
    rule_source: str = Field(default="", sa_column=text_column("rule_source"))
    rule_date: date | None = None

    __mapper_args__ = {"version_id_col": _funder_version}


class FinancingPlan(SQLModel, table=True):
    """A financing plan; a project may hold several scenarios of it."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=project_fk())
    name: str = Field(default="Plan principal", sa_type=String(200))
    is_reference: bool = True


_expense_version = version_column()


class ExpenseLine(SQLModel, table=True):
    """An expense of a financing plan, in cents HT with its VAT rate."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(sa_column=parent_fk("plan_id", "financingplan.id"))
    stage: str = Field(sa_type=String(20))
    category: str = Field(default="", sa_type=String(80))
    label: str = Field(sa_type=String(300))
    amount_ht_cents: int = Field(sa_type=BigInteger)
    vat_rate_bp: int = 2000
    year: int | None = None
    position: int = 0
    version: int = Field(default=1, sa_column=_expense_version)

    __mapper_args__ = {"version_id_col": _expense_version}


_resource_version = version_column()


class ResourceLine(SQLModel, table=True):
    """A resource of a financing plan: grant, loan or self-funding."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(sa_column=parent_fk("plan_id", "financingplan.id"))
    kind: str = Field(default="subvention", sa_type=String(20))
    funder_code: str = Field(default="", sa_type=String(40))
    label: str = Field(sa_type=String(300))
    stage: str = Field(sa_type=String(20))
    amount_cents: int = Field(sa_type=BigInteger)
    rate_bp: int | None = None
    status: str = Field(default="a_solliciter", sa_type=String(20))
    requested_on: date | None = None
    decided_on: date | None = None
    note: str = Field(default="", sa_column=text_column("note"))
    position: int = 0
    version: int = Field(default=1, sa_column=_resource_version)

    __mapper_args__ = {"version_id_col": _resource_version}


class ResourceBase(SQLModel, table=True):
    """An expense line counted in the base (assiette) of a resource given as a rate."""

    __table_args__ = (UniqueConstraint("resource_id", "expense_id", name="uq_resource_base"),)

    id: int | None = Field(default=None, primary_key=True)
    resource_id: int = Field(sa_column=parent_fk("resource_id", "resourceline.id"))
    expense_id: int = Field(sa_column=parent_fk("expense_id", "expenseline.id"))


class Loan(SQLModel, table=True):
    """Loan parameters of a plan (rate in basis points, duration in years)."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(sa_column=parent_fk("plan_id", "financingplan.id"))
    label: str = Field(default="Emprunt", sa_type=String(200))
    principal_cents: int = Field(sa_type=BigInteger)
    rate_bp: int = 0
    years: int = 20
    constant_annuity: bool = True
    start_year: int | None = None


class RentSettings(SQLModel, table=True):
    """How the rent paid by the professionals is computed for a plan."""

    __table_args__ = (UniqueConstraint("plan_id", name="uq_rent_settings_plan"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(sa_column=parent_fk("plan_id", "financingplan.id"))
    annual_charges_cents: int = Field(default=0, sa_type=BigInteger)
    market_rent_cents_per_m2_month: int | None = None
    split_mode: str = Field(default="area", sa_type=String(20))


class RentOccupant(SQLModel, table=True):
    """A professional or group occupying the building, with its area or share."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(sa_column=parent_fk("plan_id", "financingplan.id"))
    name: str = Field(sa_type=String(200))
    area_centi_m2: int | None = None
    share_bp: int | None = None
    position: int = 0


# --- Step 3: a stored APL run ---------------------------------------------------------------


class AplRun(SQLModel, table=True):
    """One computation of the APL index for a profession, with everything needed to reprint it.

    ``parameters`` is the JSON of the parameters as chosen (profession, decay, distances, age
    cap, travel model); the latest run of a profession replaces the previous one.
    """

    __table_args__ = (UniqueConstraint("project_id", "profession", name="uq_apl_run"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=project_fk())
    profession: str = Field(sa_type=String(60))
    computed_at: datetime = Field(default_factory=utcnow)
    engine_version: str = Field(default="", sa_type=String(20))
    parameters: str = Field(default="{}", sa_column=text_column("parameters"))
    method: str = Field(default="", sa_column=text_column("method"))
    territory_mean: float | None = None
    scale: float = 1.0
    unit_label: str = Field(default="", sa_type=String(120))
    travel_source: str = Field(default="", sa_type=String(120))
    professionals: int = 0
    supply_fte: float = 0.0


class AplCommuneResult(SQLModel, table=True):
    """The APL value and the travel time to the nearest professional of one commune of a run."""

    __table_args__ = (UniqueConstraint("run_id", "commune_code", name="uq_apl_result"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(sa_column=parent_fk("run_id", "aplrun.id"))
    commune_code: str = Field(sa_type=String(5))
    value: float | None = None
    minutes: float | None = None


# Issue 26: what-if scenarios on the official APL (changes of supply, exact increments).
_scenario_version = version_column()


class AplScenario(SQLModel, table=True):
    """A named what-if on the DREES's APL: changes of supply applied to the official values."""

    __table_args__ = (UniqueConstraint("project_id", "name", name="uq_apl_scenario"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(sa_column=project_fk())
    name: str = Field(sa_type=String(200))
    retained: bool = False  # the scenario the diagnostic quotes
    version: int = Field(default=1, sa_column=_scenario_version)

    __mapper_args__ = {"version_id_col": _scenario_version}


class AplScenarioChange(SQLModel, table=True):
    """One change of a scenario: practitioners arriving, a professional leaving or moving, a
    second site, or the departures the registry's ages foresee at a horizon."""

    id: int | None = Field(default=None, primary_key=True)
    scenario_id: int = Field(sa_column=parent_fk("scenario_id", "aplscenario.id"))
    position: int = 0
    kind: str = Field(sa_type=String(20))  # arrivee, depart, demenagement, second_site, departs_attendus
    commune_code: str = Field(default="", sa_type=String(5))  # where they arrive / the new place / second site
    practitioners: float = 1.0  # arrivals: how many full-time practitioners
    activity: int = 5400  # arrivals: consultations a year each (DREES: 5 400 without past activity)
    professional_id: int | None = Field(
        default=None, sa_column=parent_fk("professional_id", "professional.id", nullable=True)
    )
    horizon: int = 5  # departs_attendus: 5 or 10 years


# Tables in dependency order (parents first): used to copy and to export a project.
PROJECT_TABLES: tuple[type[SQLModel], ...] = (
    Project,
    TerritoryCommune,
    ProjectSetting,
    PopulationAgeGroup,
    IndicatorValue,
    Constat,
    Professional,
    CommitmentEvent,
    Establishment,
    AccessMeasure,
    TravelTime,
    AplRun,
    AplCommuneResult,
    OfficialApl,
    AplScenario,
    AplScenarioChange,
    Contact,
    Meeting,
    MeetingParticipant,
    MeetingTask,
    SurveyQuestion,
    SurveyResponse,
    SurveyAnswer,
    Priority,
    Objective,
    Action,
    ActionCommune,
    ActionMilestone,
    ActionConstat,
    ActionPlanLink,
    ActionIndicator,
    HealthProjectSection,
    Funder,
    FinancingPlan,
    ExpenseLine,
    ResourceLine,
    ResourceBase,
    Loan,
    RentSettings,
    RentOccupant,
)
