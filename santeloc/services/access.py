"""Step 3 use cases: the APL index computed, stored and read back, for the page, CLI and dossier.

One definition of how the registry becomes the APL's supply (see :func:`supply_points`): a
professional counts for their FTE (1 when unknown), split in halves between two practice sites;
professionals of ``age_cap`` or older are left out by the engine. A run is stored with its
parameters, the engine's version, the method as printed and every commune's value, so that a
restart, the CLI and the dossier show exactly what the page showed, without recomputing.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

from sqlalchemy import delete, select
from sqlmodel import col

from santeloc import __version__
from santeloc.analysis.accessibility import (
    AplParameters,
    DistanceMatrix,
    SupplyPoint,
    TravelModel,
    apl,
    calculation_area,
    nearest_minutes,
    population_beyond_table,
    supply_by_commune,
)
from santeloc.analysis.demography import three_fifteens
from santeloc.analysis.drees_apl import NEW_DOCTOR_ACTIVITY, counted_activity
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import NBSP, format_decimal, format_int, plural
from santeloc.domain.models import AplCommuneResult, AplRun
from santeloc.domain.professions import PROFESSIONS, PROFESSIONS_BY_KEY
from santeloc.domain.team import GP_KEY
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.apl import load_apl_baseline
from santeloc.refdata.geo import RefData
from santeloc.services import offer as offer_svc
from santeloc.services.projects import touch_project
from santeloc.services.territory import TerritorySummary, territory_summary

ENGINE_VERSION = f"2SFCA santeloc {__version__}"
DECAYS: tuple[tuple[str, str], ...] = (
    ("steps", "Paliers (DREES : 1 jusqu'à 10 min, 2/3 à 15, 1/3 à 20)"),
    ("continuous", "Décroissance continue"),
    ("none", "Aucune (tout ou rien)"),
)
APL_PROFESSIONS: tuple[tuple[str, str], ...] = tuple((p.key, p.plural) for p in PROFESSIONS[:-1])


@dataclass(frozen=True)
class AplChoice:
    """The parameters a user chooses for an APL run (all plain values)."""

    profession: str = "medecin_generaliste"
    decay: str = "steps"
    max_minutes: int = 20
    age_cap: int | None = None  # None: every doctor, as the DREES's main APL; 65: its « moins de 65 ans »
    detour: float = 1.3
    speed: int = 60
    activity: int = NEW_DOCTOR_ACTIVITY  # consultations a year imputed to a full-time GP (DREES: 5 400)

    @property
    def drees_units(self) -> bool:
        """General practitioners: the DREES's unit (consultations per standardised inhabitant)."""
        return self.profession == GP_KEY

    def engine_parameters(self) -> tuple[AplParameters, TravelModel]:
        """The engine's parameters: DREES steps scaled to ``max_minutes`` (½, ¾ and all of it);
        for GPs, supply in consultations and demand standardised by age, as the DREES."""
        top = float(self.max_minutes)
        steps = ((top / 2, 1.0), (top * 3 / 4, 2 / 3), (top, 1 / 3))
        params = AplParameters(
            max_minutes=top,
            decay=self.decay,  # type: ignore[arg-type]
            steps=steps,
            age_cap=self.age_cap,
            supply_unit="consultations" if self.drees_units else "ETP",
            standardise_demand=self.drees_units,
        )
        return params, TravelModel(detour_factor=self.detour, speed_kmh=float(self.speed))

    @property
    def profession_label(self) -> str:
        """The profession's French plural."""
        profession = PROFESSIONS_BY_KEY.get(self.profession)
        return profession.plural if profession else self.profession


@dataclass(frozen=True)
class AplCommune:
    """One commune of the territory in a run: APL as displayed (already scaled) and minutes."""

    code: str
    name: str
    population: int
    value: float | None
    minutes: float | None


@dataclass(frozen=True)
class AplReport:
    """A stored APL run, ready to show or print."""

    choice: AplChoice
    computed_at: datetime
    engine_version: str
    method: str  # the parameters and method, in French, one sentence per line
    territory_mean: float | None  # scaled like ``value``
    unit_label: str
    communes: tuple[AplCommune, ...]
    sites: tuple[str, ...]  # communes where the profession practises (for the maps)
    beyond: tuple[str, ...]  # "x % of the population lives more than N minutes away" sentences
    fifteens: str  # the rule of three 15s
    professionals: int = 0  # professionals of the registry counted in the supply

    @property
    def legacy(self) -> bool:
        """A GP run stored before santeloc followed the DREES (FTE per 100 000 inhabitants): not
        comparable with the official APL, to compute again."""
        return self.choice.profession == GP_KEY and "standardisé" not in self.unit_label

    @property
    def computed_on(self) -> date:
        """Day of the computation (local date of the stored UTC time)."""
        stamp = self.computed_at if self.computed_at.tzinfo else self.computed_at.replace(tzinfo=UTC)
        return stamp.astimezone().date()

    @property
    def digits(self) -> int:
        """Decimals printed: two for consultations per inhabitant (as the DREES's 2,81), one for FTE."""
        return 2 if "consultations" in self.unit_label else 1

    def value_text(self, value: float | None) -> str:
        """A commune's or the territory's value, without unit (« — » when unknown)."""
        return "—" if value is None else format_decimal(value, self.digits)

    @property
    def mean_text(self) -> str:
        """``"2,00 consultations ou visites accessibles par habitant standardisé et par an"``,
        ``"87,4 ETP pour 100 000 habitants"`` or ``"non calculable"``."""
        if self.territory_mean is None:
            return "non calculable"
        return f"{self.value_text(self.territory_mean)} {self.unit_label}"

    def lowest(self, count: int = 5) -> list[AplCommune]:
        """The communes with the lowest APL (those with a value), lowest first."""
        known = [c for c in self.communes if c.value is not None]
        return sorted(known, key=lambda c: (c.value, c.name))[:count]


def supply_points(
    rows: list[offer_svc.ProfessionalRow], profession: str, year: int, activity: float = NEW_DOCTOR_ACTIVITY
) -> list[SupplyPoint]:
    """The APL's supply from the registry: FTE (1 when unknown), halved across two sites.

    Each point also carries consultations a year: ``activity`` × FTE counted with the DREES's
    bounds (:func:`counted_activity`) for the whole doctor, then split across the sites."""
    points = []
    for row in rows:
        if row.profession != profession:
            continue
        consultations = counted_activity(activity * (row.fte or 1.0))
        for code in filter(None, (row.commune_code, row.secondary_commune_code)):
            share = 0.5 if row.secondary_commune_code else 1.0
            points.append(SupplyPoint(code, (row.fte or 1.0) * share, consultations * share, row.age(year)))
    return points


def last_choice(uow: UnitOfWork, project_id: int, profession: str | None = None) -> AplChoice:
    """The parameters of the latest run (of ``profession`` if given), else the defaults."""
    with uow:
        query = select(AplRun).where(col(AplRun.project_id) == project_id)
        if profession:
            query = query.where(col(AplRun.profession) == profession)
        run = (
            uow.session.execute(query.order_by(col(AplRun.computed_at).desc(), col(AplRun.id).desc())).scalars().first()
        )
        return _choice(run.parameters) if run else AplChoice(profession=profession or AplChoice.profession)


def _choice(text: str) -> AplChoice:
    """The stored parameters of a run; damaged ones (a crafted project file: not JSON, not an
    object, wrong types, out of range) read as the defaults instead of breaking the step."""
    try:
        data = json.loads(text)
        choice = AplChoice(**{k: v for k, v in data.items() if k in AplChoice.__dataclass_fields__})
        _check(choice)
        return choice
    except (ValueError, TypeError, AttributeError, ValidationError):  # AttributeError: not a JSON object
        return AplChoice()


def _check(choice: AplChoice) -> None:
    if choice.profession not in dict(APL_PROFESSIONS):
        raise ValidationError(f"Profession inconnue pour l'APL : « {choice.profession} ».")
    if choice.decay not in dict(DECAYS):
        raise ValidationError(f"Pondération inconnue : « {choice.decay} ».")
    if not 5 <= choice.max_minutes <= 60:
        raise ValidationError("Le temps de trajet maximal doit être compris entre 5 et 60 minutes.")
    if choice.age_cap is not None and not 50 <= choice.age_cap <= 99:
        raise ValidationError("L'âge à partir duquel un professionnel est exclu doit être compris entre 50 et 99 ans.")
    if not 251 <= choice.activity <= 10_000:
        raise ValidationError(
            "L'activité imputée à un médecin doit être comprise entre 251 et 10 000 consultations par an."
        )
    if not 1.0 <= choice.detour <= 3.0 or not 10 <= choice.speed <= 130:
        raise ValidationError("Le détour routier va de 1 à 3 et la vitesse moyenne de 10 à 130 km/h.")


def compute_apl(uow: UnitOfWork, project_id: int, refdata: RefData, choice: AplChoice) -> AplReport:
    """Compute the APL of the territory for ``choice`` and store it (replacing that profession's run)."""
    _check(choice)
    summary = territory_summary(uow, project_id, refdata)
    if summary.is_empty:
        raise ValidationError("Choisissez d'abord les communes du territoire.")
    year = date.today().year
    rows = offer_svc.list_professionals(uow, project_id)
    points = supply_points(rows, choice.profession, year, choice.activity)
    if not points:
        raise ValidationError(
            f"Aucun professionnel ({choice.profession_label.lower()}) n'est recensé dans l'offre de soins : "
            "rien à calculer."
        )
    params, model = choice.engine_parameters()
    supply = supply_by_commune(points, params)
    pairs = offer_svc.travel_times(uow, project_id)
    matrix = DistanceMatrix.from_pairs(pairs, source="distancier importé") if pairs else None
    demand, notes = _drees_demand(summary.codes, refdata, params, model) if params.standardise_demand else (None, [])
    result = apl(summary.codes, supply, refdata, params, model, matrix, demand=demand)
    sites = sorted({p.commune_code for p in points})
    notes += _supply_notes(choice, summary.codes, sites, refdata, params, model)
    minutes = nearest_minutes(summary.codes, sites, refdata, model, matrix)
    scale = result.scale
    mean = result.territory_mean * scale if math.isfinite(result.territory_mean) else None
    with uow:
        touch_project(uow, project_id)
        uow.session.execute(
            delete(AplRun).where(col(AplRun.project_id) == project_id, col(AplRun.profession) == choice.profession)
        )
        run = AplRun(
            project_id=project_id,
            profession=choice.profession,
            engine_version=ENGINE_VERSION,
            parameters=json.dumps(asdict(choice), ensure_ascii=False),
            method="\n".join([result.describe(), *notes]),
            territory_mean=mean,
            scale=scale,
            unit_label=result.unit_label,
            travel_source="distancier importé" if matrix is not None else model.describe(),
            professionals=sum(1 for r in rows if r.profession == choice.profession),
            supply_fte=float(sum(p.fte for p in points if p.fte is not None)),
        )
        uow.session.add(run)
        uow.flush()
        assert run.id is not None
        for code in summary.codes:
            value = result.by_commune.get(code, math.nan)
            time = minutes.get(code, math.nan)
            uow.session.add(
                AplCommuneResult(
                    run_id=run.id,
                    commune_code=code,
                    value=value * scale if math.isfinite(value) else None,
                    minutes=time if math.isfinite(time) else None,
                )
            )
        uow.commit()
    report = latest_apl(uow, project_id, refdata, choice.profession)
    assert report is not None
    return report


def _drees_demand(
    codes: list[str], refdata: RefData, params: AplParameters, model: TravelModel
) -> tuple[dict[str, float], list[str]]:
    """The standardised population of every commune of the calculation area, from the DREES's
    latest vintage shipped (the legal population where the DREES gives none, said so)."""
    vintage = load_apl_baseline().latest
    demand: dict[str, float] = {}
    stand_in: list[str] = []
    for code in calculation_area(codes, refdata, params, model):
        figures = vintage.figures(code)
        if figures is None:
            demand[code] = float(refdata.communes[code].population)
            stand_in.append(refdata.communes[code].name)
        else:
            demand[code] = figures.standardised_population
    weights = ", ".join(f"{format_decimal(w, 2)}" for _band, w in load_apl_baseline().age_weights(vintage.year))
    notes = [
        f"Demande : population standardisée {vintage.year} publiée par la DREES pour chaque commune (chaque tranche "
        f"d'âge de 5 ans pondérée par sa consommation de médecine générale : {weights}, des moins de 5 ans aux "
        f"90 ans et plus)."
    ]
    if stand_in:
        notes.append(
            f"Population légale à la place de la population standardisée (commune absente des tables de la DREES) : "
            f"{_names(stand_in)}."
        )
    return demand, notes


def _names(names: list[str], shown: int = 8) -> str:
    text = ", ".join(sorted(names)[:shown])
    return text + (f" et {plural(len(names) - shown, 'autre')}" if len(names) > shown else "")


def _supply_notes(
    choice: AplChoice, codes: list[str], sites: list[str], refdata: RefData, params: AplParameters, model: TravelModel
) -> list[str]:
    """How the supply was counted, and the communes within reach whose supply the registry lacks."""
    notes = []
    if choice.drees_units:
        notes.append(
            f"Activité : le registre ne donne pas l'activité des médecins ; chacun compte "
            f"{format_int(choice.activity)} consultations par an à temps plein (valeur que la DREES impute à un médecin "
            f"sans activité passée), au prorata de son ETP, puis bornée comme la DREES le fait (moins de 250 : 0 ; "
            f"jusqu'à 3 600 : 3 600 ; au-delà de 6 000 : 6 000)."
        )
    reach = calculation_area(codes, refdata, params, model, buffer_minutes=params.max_minutes)
    lacking = [refdata.communes[c].name for c in reach if c not in set(codes) and c not in set(sites)]
    if lacking:
        notes.append(
            f"Offre : seuls les professionnels du registre du projet sont comptés. "
            f"{plural(len(lacking), 'commune voisine', 'communes voisines')} à moins de "
            f"{choice.max_minutes}{NBSP}min du territoire n'y "
            f"{'a' if len(lacking) < 2 else 'ont'} aucun professionnel ({_names(lacking)}) : si des professionnels y "
            "exercent, leur offre manque et l'indice est sous-estimé près des limites du territoire ; "
            "importez l'extraction RPPS des communes voisines pour les compter."
        )
    return notes


def list_apl_professions(uow: UnitOfWork, project_id: int) -> list[str]:
    """Professions with a stored run, in the usual order of professions."""
    with uow:
        stored = set(
            uow.session.execute(select(col(AplRun.profession)).where(col(AplRun.project_id) == project_id)).scalars()
        )
    return [key for key, _label in APL_PROFESSIONS if key in stored]


def latest_apl(uow: UnitOfWork, project_id: int, refdata: RefData, profession: str | None = None) -> AplReport | None:
    """The stored run of ``profession`` (default: the latest run), or None if never computed."""
    runs = _read_runs(uow, project_id, refdata, profession, latest_only=True)
    return runs[0] if runs else None


def apl_runs(uow: UnitOfWork, project_id: int, refdata: RefData) -> list[AplReport]:
    """Every stored run of the project, one per profession, in the usual order of professions.

    The territory and the registry are read once for all of them (the dossier, the projet de
    santé's diagnostic and the CLI's state show every run).
    """
    order = {key: index for index, (key, _label) in enumerate(APL_PROFESSIONS)}
    runs = _read_runs(uow, project_id, refdata, None, latest_only=False)
    return sorted(runs, key=lambda run: order.get(run.choice.profession, len(order)))


def _read_runs(
    uow: UnitOfWork, project_id: int, refdata: RefData, profession: str | None, *, latest_only: bool
) -> list[AplReport]:
    with uow:
        query = select(AplRun).where(col(AplRun.project_id) == project_id)
        if profession:
            query = query.where(col(AplRun.profession) == profession)
        runs = list(
            uow.session.execute(query.order_by(col(AplRun.computed_at).desc(), col(AplRun.id).desc())).scalars()
        )
        if latest_only:
            runs = runs[:1]
        if not runs:
            return []
        results: dict[int, dict[str, AplCommuneResult]] = {}
        for row in uow.session.execute(
            select(AplCommuneResult).where(col(AplCommuneResult.run_id).in_([run.id for run in runs]))
        ).scalars():
            results.setdefault(row.run_id, {})[row.commune_code] = row
    summary = territory_summary(uow, project_id, refdata)
    rows = offer_svc.list_professionals(uow, project_id)
    return [_report(run, results.get(run.id or 0, {}), summary, rows) for run in runs]


def _report(
    run: AplRun,
    results: dict[str, AplCommuneResult],
    summary: TerritorySummary,
    rows: list[offer_svc.ProfessionalRow],
) -> AplReport:
    choice = _choice(run.parameters)
    sites = tuple(sorted({p.commune_code for p in supply_points(rows, choice.profession, date.today().year)}))
    communes = tuple(
        AplCommune(
            c.code,
            c.name,
            c.population,
            results[c.code].value if c.code in results else None,
            results[c.code].minutes if c.code in results else None,
        )
        for c in summary.communes
    )
    minutes = {c.code: c.minutes for c in communes if c.minutes is not None}
    population = {c.code: float(c.population) for c in communes}
    beyond = tuple(item.sentence for item in population_beyond_table(minutes, population))
    fifteens = three_fifteens(summary.population, run.professionals, max(minutes.values()) if minutes else None)
    return AplReport(
        choice=choice,
        computed_at=run.computed_at,
        engine_version=run.engine_version,
        method=run.method,
        territory_mean=run.territory_mean,
        unit_label=run.unit_label,
        communes=communes,
        sites=sites,
        beyond=beyond,
        fifteens=fifteens.sentence,
        professionals=run.professionals,
    )
