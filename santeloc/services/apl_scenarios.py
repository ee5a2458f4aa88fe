"""Step 3, « Et si… » : what-if scenarios on the DREES's APL, and where to open the maison de santé.

A scenario is a named list of changes of general-practice supply, stored with the project
(:class:`AplScenario`, :class:`AplScenarioChange`). Its result is the official APL (the shipped
or imported vintage, see :mod:`official_apl_figures`) plus the exact increments of the DREES's
method (:mod:`santeloc.analysis.apl_scenarios`). Supply is counted as the DREES does: 5 400
consultations a year for a doctor without past activity, a doctor's activity within its bounds;
a departing doctor of the registry takes 5 400 × FTE away (the registry holds no activity).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select
from sqlmodel import col

from santeloc.analysis.accessibility import AplParameters, DistanceMatrix, TravelModel
from santeloc.analysis.apl_scenarios import (
    AplNetwork,
    FloatArray,
    SiteScore,
    apply,
    build_network,
    increments,
    rank_sites,
)
from santeloc.analysis.demography import ProfessionalRecord, departure_year
from santeloc.analysis.drees_apl import NEW_DOCTOR_ACTIVITY, counted_activity
from santeloc.domain.errors import NotFoundError, ValidationError
from santeloc.domain.formatting import NBSP, format_decimal, format_int, plural
from santeloc.domain.models import AplScenario, AplScenarioChange
from santeloc.domain.team import GP_KEY
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import offer as offer_svc
from santeloc.services.official_apl_figures import (
    GP_THRESHOLD,
    OfficialAplFigures,
    official_apl_figures,
    weighted_mean,
)
from santeloc.services.projects import touch_project
from santeloc.services.territory import territory_summary

KINDS: tuple[tuple[str, str], ...] = (
    ("arrivee", "Installation de médecins"),
    ("depart", "Départ d'un médecin"),
    ("departs_attendus", "Départs attendus (âge de la retraite)"),
    ("demenagement", "Changement de lieu d'exercice"),
    ("second_site", "Second lieu d'exercice (mi-temps)"),
)
KIND_LABELS = dict(KINDS)
RETIREMENT_AGE = 67  # as the demography of step 2
SCENARIO_METHOD = (
    "Méthode : l'APL officielle de la DREES (médecins généralistes, millésime {year}) augmentée de l'effet exact "
    "des changements d'offre selon sa méthode du bassin flottant (population standardisée, paliers de 10, 15 et "
    "20 minutes, temps de trajet estimés à vol d'oiseau × 1,3 ÷ 60 km/h ; 5 400 consultations par an pour un "
    "médecin sans activité passée). Source : DREES, APL 2022-2023 (Licence Ouverte)."
)
MAX_PRACTITIONERS = 50


@dataclass(frozen=True)
class ScenarioInfo:
    """A scenario as listed."""

    id: int
    project_id: int
    name: str
    retained: bool
    version: int


@dataclass(frozen=True)
class ChangeRow:
    """One change as shown, with its supply effect per commune (consultations a year)."""

    id: int
    kind: str
    commune_code: str
    practitioners: float
    activity: int
    professional_id: int | None
    horizon: int
    text: str  # « 2 médecins s'installent à Saint-Amand-en-Puisaye (5 400 consultations par an chacun) »
    supply: dict[str, float]


@dataclass(frozen=True)
class CommuneOutcome:
    """One commune of the territory: the official APL, the scenario's, the gain."""

    code: str
    name: str
    total_population: float
    before: float | None
    after: float | None

    @property
    def gain(self) -> float | None:
        """After minus before."""
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class ScenarioResult:
    """What a scenario gives the territory, read aloud in :attr:`sentence`."""

    scenario: ScenarioInfo
    year: int
    changes: tuple[ChangeRow, ...]
    communes: tuple[CommuneOutcome, ...]
    mean_before: float | None
    mean_after: float | None
    below_before: float  # total population under the threshold
    below_after: float
    threshold: float
    map_values: dict[str, float]  # APL after, for every commune of the network (the map)

    @property
    def method(self) -> str:
        """How the figures were obtained, with the source, in one sentence."""
        return SCENARIO_METHOD.format(year=self.year)

    @property
    def expected_effect(self) -> str:
        """The scenario as a dossier quotes it: its changes, then the sentence."""
        texts = [change.text for change in self.changes]
        changes = " ; ".join([*texts[:1], *(text[:1].lower() + text[1:] for text in texts[1:])])
        return f"{self.scenario.name} ({changes}). {self.sentence}" if changes else self.sentence

    @property
    def sentence(self) -> str:
        """What an elected official can read aloud."""
        if self.mean_before is None or self.mean_after is None:
            return "Aucune commune du territoire n'a d'APL officielle : le scénario ne peut pas être évalué."
        unit = "consultations par habitant et par an"
        if not self.changes:
            return (
                f"Aujourd'hui (APL {self.year}), chaque habitant du territoire a accès en moyenne à "
                f"{format_decimal(self.mean_before, 2)} {unit} ; {format_int(round(self.below_before))} habitants "
                f"vivent dans une commune sous le seuil de {format_decimal(self.threshold, 1)}."
            )
        direction = "passerait" if abs(self.mean_after - self.mean_before) >= 0.005 else "resterait"
        mean = (
            f"de {format_decimal(self.mean_before, 2)} à {format_decimal(self.mean_after, 2)}"
            if direction == "passerait"
            else f"à {format_decimal(self.mean_before, 2)}"
        )
        return (
            f"Avec ce scénario, l'accès moyen d'un habitant du territoire aux médecins généralistes {direction} {mean} "
            f"{unit} (APL {self.year} de la DREES). Sous le seuil de {format_decimal(self.threshold, 1)}, il y "
            f"a aujourd'hui {format_int(round(self.below_before))} habitants ; il y en aurait "
            f"{format_int(round(self.below_after))}."
        )


# --- storage ---------------------------------------------------------------------------------


def _info(row: AplScenario) -> ScenarioInfo:
    assert row.id is not None
    return ScenarioInfo(row.id, row.project_id, row.name, row.retained, row.version)


def list_scenarios(uow: UnitOfWork, project_id: int) -> list[ScenarioInfo]:
    """The project's scenarios, by name."""
    with uow:
        rows = uow.session.execute(
            select(AplScenario).where(col(AplScenario.project_id) == project_id).order_by(col(AplScenario.name))
        ).scalars()
        return [_info(r) for r in rows]


def _clean_name(uow: UnitOfWork, project_id: int, name: str, exclude: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Donnez un nom au scénario.")
    if len(name) > 200:
        raise ValidationError("Le nom du scénario dépasse 200 caractères.")
    query = select(func.count()).where(col(AplScenario.project_id) == project_id, col(AplScenario.name) == name)
    if exclude is not None:
        query = query.where(col(AplScenario.id) != exclude)
    if uow.session.execute(query).scalar_one():
        raise ValidationError(f"Un scénario s'appelle déjà « {name} ».")
    return name


def create_scenario(uow: UnitOfWork, project_id: int, name: str) -> ScenarioInfo:
    """A new empty scenario."""
    with uow:
        row = AplScenario(project_id=project_id, name=_clean_name(uow, project_id, name))
        uow.session.add(row)
        touch_project(uow, project_id)
        uow.flush()
        info = _info(row)
        uow.commit()
    return info


def _get(uow: UnitOfWork, scenario_id: int) -> AplScenario:
    row = uow.session.get(AplScenario, scenario_id)
    if row is None:
        raise NotFoundError("Ce scénario n'existe plus.")
    return row


def rename_scenario(uow: UnitOfWork, scenario_id: int, name: str) -> ScenarioInfo:
    """Rename a scenario (names are unique within a project)."""
    with uow:
        row = _get(uow, scenario_id)
        row.name = _clean_name(uow, row.project_id, name, exclude=scenario_id)
        touch_project(uow, row.project_id)
        uow.flush()
        info = _info(row)
        uow.commit()
    return info


def duplicate_scenario(uow: UnitOfWork, scenario_id: int) -> ScenarioInfo:
    """A copy of a scenario and its changes, named « … (copie) »."""
    with uow:
        source = _get(uow, scenario_id)
        base, name, n = f"{source.name} (copie)", f"{source.name} (copie)", 2
        while uow.session.execute(
            select(func.count()).where(col(AplScenario.project_id) == source.project_id, col(AplScenario.name) == name)
        ).scalar_one():
            name, n = f"{base} {n}", n + 1
        copy = AplScenario(project_id=source.project_id, name=name[:200])
        uow.session.add(copy)
        uow.flush()
        assert copy.id is not None
        for change in _changes(uow, scenario_id):
            data = change.model_dump(exclude={"id", "scenario_id"})
            uow.session.add(AplScenarioChange(scenario_id=copy.id, **data))
        touch_project(uow, source.project_id)
        uow.flush()
        info = _info(copy)
        uow.commit()
    return info


def delete_scenario(uow: UnitOfWork, scenario_id: int) -> None:
    """Delete a scenario and its changes."""
    with uow:
        row = _get(uow, scenario_id)
        uow.session.execute(delete(AplScenarioChange).where(col(AplScenarioChange.scenario_id) == scenario_id))
        touch_project(uow, row.project_id)
        uow.session.delete(row)
        uow.commit()


def retain_scenario(uow: UnitOfWork, scenario_id: int | None, project_id: int) -> None:
    """Mark the scenario the diagnostic quotes (None: none)."""
    with uow:
        for row in uow.session.execute(select(AplScenario).where(col(AplScenario.project_id) == project_id)).scalars():
            row.retained = row.id == scenario_id
        touch_project(uow, project_id)
        uow.commit()


def _changes(uow: UnitOfWork, scenario_id: int) -> list[AplScenarioChange]:
    return list(
        uow.session.execute(
            select(AplScenarioChange)
            .where(col(AplScenarioChange.scenario_id) == scenario_id)
            .order_by(col(AplScenarioChange.position), col(AplScenarioChange.id))
        ).scalars()
    )


def add_change(
    uow: UnitOfWork,
    scenario_id: int,
    refdata: RefData,
    kind: str,
    *,
    commune_code: str = "",
    practitioners: float = 1.0,
    activity: int = NEW_DOCTOR_ACTIVITY,
    professional_id: int | None = None,
    horizon: int = 5,
) -> None:
    """Add a change to a scenario, checked as the screen checks it."""
    if kind not in KIND_LABELS:
        raise ValidationError(f"Changement inconnu : « {kind} ».")
    if kind in ("arrivee", "demenagement", "second_site") and commune_code not in refdata.communes:
        raise ValidationError("Choisissez la commune où les médecins exercent.")
    if kind == "arrivee" and not (0 < practitioners <= MAX_PRACTITIONERS and math.isfinite(practitioners)):
        raise ValidationError(f"Le nombre de médecins va de 0,5 à {MAX_PRACTITIONERS}.")
    if kind == "arrivee" and not 251 <= activity <= 10_000:
        raise ValidationError("L'activité d'un médecin va de 251 à 10 000 consultations par an.")
    if kind in ("depart", "demenagement", "second_site"):
        if professional_id is None:
            raise ValidationError("Choisissez le médecin concerné dans le registre.")
        with uow:
            professional = next(
                (
                    r
                    for r in offer_svc.list_professionals(uow, _project_of(uow, scenario_id))
                    if r.id == professional_id
                ),
                None,
            )
        if professional is None or professional.profession != GP_KEY:
            raise ValidationError(
                "L'APL officielle porte sur les médecins généralistes : choisissez-en un du registre."
            )
    if kind == "departs_attendus" and horizon not in (5, 10):
        raise ValidationError("Les départs attendus se comptent à 5 ou 10 ans.")
    with uow:
        row = _get(uow, scenario_id)
        position = len(_changes(uow, scenario_id))
        uow.session.add(
            AplScenarioChange(
                scenario_id=scenario_id, position=position, kind=kind, commune_code=commune_code,
                practitioners=float(practitioners), activity=int(activity), professional_id=professional_id,
                horizon=horizon,
            )
        )  # fmt: skip
        touch_project(uow, row.project_id)
        uow.commit()


def _project_of(uow: UnitOfWork, scenario_id: int) -> int:
    with uow:
        return _get(uow, scenario_id).project_id


def remove_change(uow: UnitOfWork, change_id: int) -> None:
    """Remove one change."""
    with uow:
        row = uow.session.get(AplScenarioChange, change_id)
        if row is None:
            raise NotFoundError("Ce changement n'existe plus.")
        project_id = _get(uow, row.scenario_id).project_id
        uow.session.delete(row)
        touch_project(uow, project_id)
        uow.commit()


# --- evaluation ------------------------------------------------------------------------------


def _gp_supply(row: offer_svc.ProfessionalRow) -> dict[str, float]:
    """A registry GP's supply by commune: 5 400 × FTE within the DREES bounds, halved across two sites."""
    total = counted_activity(NEW_DOCTOR_ACTIVITY * (row.fte or 1.0))
    sites = [c for c in (row.commune_code, row.secondary_commune_code) if c]
    return {code: total / len(sites) for code in sites}


def _describe(change: AplScenarioChange, refdata: RefData, professionals: dict[int, offer_svc.ProfessionalRow],
              year: int) -> tuple[str, dict[str, float]]:  # fmt: skip
    def name(code: str) -> str:
        return refdata.communes[code].name if code in refdata.communes else code

    if change.kind == "arrivee":
        each = counted_activity(change.activity)
        count = format_decimal(change.practitioners, 1).removesuffix(",0")
        text = (
            f"{count} médecin{'s' if change.practitioners >= 2 else ''} "
            f"s'install{'ent' if change.practitioners >= 2 else 'e'} à {name(change.commune_code)} "
            f"({format_int(round(each))} consultations par an chacun)"
        )
        return text, {change.commune_code: change.practitioners * each}
    if change.kind == "depart_commune":
        count = format_decimal(change.practitioners, 1).removesuffix(",0")
        each = counted_activity(NEW_DOCTOR_ACTIVITY)
        text = (
            f"{count} médecin{'s' if change.practitioners >= 2 else ''} quitte{'nt' if change.practitioners >= 2 else ''} "
            f"{name(change.commune_code)} ({format_int(round(each))} consultations par an chacun)"
        )
        return text, {change.commune_code: -change.practitioners * each}
    if change.kind == "departs_attendus":
        supply: dict[str, float] = {}
        leaving = []
        for gp in professionals.values():
            if gp.profession != GP_KEY:
                continue
            record = ProfessionalRecord(
                GP_KEY, gp.age(year), gp.fte, gp.retirement_date.year if gp.retirement_date else None
            )
            leaves = departure_year(record, year, RETIREMENT_AGE)
            if leaves is not None and leaves <= year + change.horizon:
                leaving.append(gp.name)
                for code, value in _gp_supply(gp).items():
                    supply[code] = supply.get(code, 0.0) - value
        who = f" ({', '.join(leaving)})" if leaving else ""
        text = (
            f"Départs attendus d'ici {change.horizon}{NBSP}ans : {plural(len(leaving), 'médecin')}{who}, retraite à "
            f"l'année annoncée ou à {RETIREMENT_AGE}{NBSP}ans"
        )
        return text, supply
    row = professionals.get(change.professional_id or 0)
    if row is None:
        return f"{KIND_LABELS[change.kind]} : médecin retiré du registre, sans effet", {}
    current = _gp_supply(row)
    if change.kind == "depart":
        return f"Départ de {row.name} ({name(row.commune_code)})", {c: -v for c, v in current.items()}
    total = sum(current.values())
    if change.kind == "demenagement":
        supply = {c: -v for c, v in current.items()}
        supply[change.commune_code] = supply.get(change.commune_code, 0.0) + total
        return (
            f"{row.name} exerce désormais à {name(change.commune_code)} (au lieu de {name(row.commune_code)})",
            supply,
        )
    supply = {row.commune_code: -total / 2}  # second site: half of the time there
    supply[change.commune_code] = supply.get(change.commune_code, 0.0) + total / 2
    return f"{row.name} exerce la moitié du temps à {name(change.commune_code)}", supply


@dataclass(frozen=True)
class _Context:
    official: OfficialAplFigures
    territory: list[str]
    network: AplNetwork
    professionals: dict[int, offer_svc.ProfessionalRow]


def _context(uow: UnitOfWork, project_id: int, refdata: RefData, extra_sites: Sequence[str] = ()) -> _Context:
    official = next((f for f in official_apl_figures(uow, project_id, refdata) if f.threshold is not None), None)
    if official is None or official.mean is None:
        raise ValidationError("Le territoire n'a pas d'APL officielle : choisissez d'abord ses communes (étape 0).")
    territory = territory_summary(uow, project_id, refdata).codes
    professionals = {r.id: r for r in offer_svc.list_professionals(uow, project_id)}
    sites = list(territory) + list(extra_sites)
    sites += [c for r in professionals.values() if r.profession == GP_KEY
              for c in (r.commune_code, r.secondary_commune_code) if c in refdata.communes]  # fmt: skip
    published = _published(official, refdata)
    pairs = offer_svc.travel_times(uow, project_id)
    matrix = DistanceMatrix.from_pairs(pairs, source="distancier importé") if pairs else None
    network = build_network(sites, refdata, published, AplParameters(), TravelModel(), matrix)
    return _Context(official, list(territory), network, professionals)


def _published(official: OfficialAplFigures, refdata: RefData) -> Callable[[str], tuple[float, float, float] | None]:
    """Every commune's published (APL, standardised, total) of the official vintage: the
    territory's from the figures (imported or shipped), other communes from the shipped vintage
    of that year (the latest shipped when the year was imported only)."""
    from santeloc.refdata.apl import load_apl_baseline

    baseline = load_apl_baseline()
    vintage = baseline.vintages.get(official.year) or baseline.latest
    own = {
        c.code: (c.value, c.standardised_population, c.total_population)
        for c in official.communes
        if c.value is not None and c.standardised_population is not None and c.total_population is not None
    }

    def lookup(code: str) -> tuple[float, float, float] | None:
        if code in own:
            return own[code]
        figures = vintage.figures(code)
        return None if figures is None else (figures.apl, figures.standardised_population, figures.total_population)

    return lookup


def _outcome(context: _Context, delta: object, refdata: RefData) -> tuple[tuple[CommuneOutcome, ...], dict[str, float]]:
    import numpy as np

    network = context.network
    after = apply(network, np.asarray(delta, dtype=np.float64))
    communes = []
    for code in context.territory:
        k = network.codes.index(code)
        before = float(network.official[k])
        known = math.isfinite(before)
        communes.append(
            CommuneOutcome(
                code, refdata.communes[code].name, float(network.total[k]),
                before if known else None, float(after[k]) if known else None,
            )
        )  # fmt: skip
    values = {code: float(after[k]) for k, code in enumerate(network.codes) if math.isfinite(after[k])}
    return tuple(communes), values


def _weighted_mean(context: _Context, communes: tuple[CommuneOutcome, ...], after: bool) -> float | None:
    network = context.network
    return weighted_mean(
        ((c.after if after else c.before), float(network.standardised[network.codes.index(c.code)])) for c in communes
    )


def evaluate_scenario(uow: UnitOfWork, scenario_id: int, refdata: RefData, today: date | None = None) -> ScenarioResult:
    """The scenario applied to the official APL: per commune, for the territory, and the sentence."""
    with uow:
        row = _get(uow, scenario_id)
        info, changes = _info(row), _changes(uow, scenario_id)
    return _evaluate(uow, info, changes, refdata, today)


def simulate(
    uow: UnitOfWork,
    project_id: int,
    refdata: RefData,
    arrivals: Sequence[tuple[str, float]] = (),
    departures: Sequence[tuple[str, float]] = (),
    horizon: int | None = None,
    activity: int = NEW_DOCTOR_ACTIVITY,
) -> ScenarioResult:
    """A scenario not stored (the command line's ``simuler``): doctors arriving at or leaving
    communes (code, number), and the registry's departures at ``horizon`` years (5 or 10)."""
    changes = [
        AplScenarioChange(id=0, scenario_id=0, kind="arrivee", commune_code=code, practitioners=count,
                          activity=activity)
        for code, count in arrivals
    ] + [
        AplScenarioChange(id=0, scenario_id=0, kind="depart_commune", commune_code=code, practitioners=count)
        for code, count in departures
    ]  # fmt: skip
    if horizon is not None:
        changes.append(AplScenarioChange(id=0, scenario_id=0, kind="departs_attendus", horizon=horizon))
    for change in changes:
        if change.kind != "departs_attendus" and change.commune_code not in refdata.communes:
            raise ValidationError(f"Code INSEE inconnu : « {change.commune_code} ».")
        if not (0 < change.practitioners <= MAX_PRACTITIONERS):
            raise ValidationError(f"Le nombre de médecins va de 0,5 à {MAX_PRACTITIONERS}.")
    if horizon is not None and horizon not in (5, 10):
        raise ValidationError("Les départs attendus se comptent à 5 ou 10 ans.")
    return _evaluate(uow, ScenarioInfo(0, project_id, "Simulation", False, 0), changes, refdata, None)


def _apply_changes(
    context: _Context, changes: Sequence[AplScenarioChange], refdata: RefData, today: date | None
) -> tuple[list[ChangeRow], FloatArray]:
    """Each change described with its supply effect, and the increments of them all."""
    year = (today or date.today()).year
    rows = []
    supply: dict[str, float] = {}
    for change in changes:
        text, effect = _describe(change, refdata, context.professionals, year)
        rows.append(
            ChangeRow(change.id or 0, change.kind, change.commune_code, change.practitioners, change.activity,
                      change.professional_id, change.horizon, text, effect)
        )  # fmt: skip
        for code, value in effect.items():
            supply[code] = supply.get(code, 0.0) + value
    return rows, increments(context.network, {c: v for c, v in supply.items() if c in context.network.codes})


def _evaluate(
    uow: UnitOfWork, info: ScenarioInfo, changes: Sequence[AplScenarioChange], refdata: RefData, today: date | None
) -> ScenarioResult:
    context = _context(uow, info.project_id, refdata, [c.commune_code for c in changes if c.commune_code])
    rows, delta = _apply_changes(context, changes, refdata, today)
    communes, values = _outcome(context, delta, refdata)
    threshold = context.official.threshold or GP_THRESHOLD
    below_before = sum(c.total_population for c in communes if c.before is not None and c.before < threshold)
    below_after = sum(c.total_population for c in communes if c.after is not None and c.after < threshold)
    return ScenarioResult(
        scenario=info,
        year=context.official.year,
        changes=tuple(rows),
        communes=communes,
        mean_before=_weighted_mean(context, communes, after=False),
        mean_after=_weighted_mean(context, communes, after=True),
        below_before=below_before,
        below_after=below_after,
        threshold=threshold,
        map_values=values,
    )


def compare_scenarios(uow: UnitOfWork, project_id: int, refdata: RefData) -> list[ScenarioResult]:
    """Every scenario of the project computed, to compare them side by side."""
    return [evaluate_scenario(uow, info.id, refdata) for info in list_scenarios(uow, project_id)]


@dataclass(frozen=True)
class SiteRanking:
    """The best places for K new practitioners, with what each gives the territory."""

    practitioners: float
    radius_km: float
    year: int
    threshold: float
    below_before: float
    mean_before: float | None
    sites: tuple[tuple[str, SiteScore], ...]  # (commune name, score), best first
    candidates: int

    def sentences(self) -> list[str]:
        """One line per site, for the page and the CLI."""
        count = format_decimal(self.practitioners, 1).removesuffix(",0")
        out = []
        for rank, (name, score) in enumerate(self.sites, start=1):
            out.append(
                f"{rank}. {name} : {format_int(round(score.lifted))} habitants passent au-dessus de "
                f"{format_decimal(self.threshold, 1)} ; moyenne du territoire "
                f"{format_decimal(score.mean_after, 2)} (+{format_decimal(score.mean_gain, 2)})"
            )
        head = (
            f"Où installer {count} médecin{'s' if self.practitioners >= 2 else ''} ? {plural(self.candidates, 'commune')} "
            f"comparées (le territoire et ses voisines à moins de {format_decimal(self.radius_km, 0)}{NBSP}km), "
            f"sur l'APL {self.year} de la DREES ; aujourd'hui {format_int(round(self.below_before))} habitants du "
            f"territoire vivent sous le seuil."
        )
        return [head, *out]


def rank_candidate_sites(
    uow: UnitOfWork,
    project_id: int,
    refdata: RefData,
    practitioners: float = 2.0,
    radius_km: float = 10.0,
    activity: int = NEW_DOCTOR_ACTIVITY,
    scenario_id: int | None = None,
    top: int = 5,
) -> SiteRanking:
    """Rank every commune of the territory and of its neighbours within ``radius_km`` as the site
    of ``practitioners`` new doctors (on top of a scenario if given): population lifted above 2,5,
    then the gain of the territory's mean."""
    import numpy as np

    if not (0 < practitioners <= MAX_PRACTITIONERS) or not 0 <= radius_km <= 50:
        raise ValidationError(f"De 0,5 à {MAX_PRACTITIONERS} médecins, dans un rayon de 0 à 50 km.")
    territory = territory_summary(uow, project_id, refdata).codes
    if not territory:
        raise ValidationError("Choisissez d'abord les communes du territoire (étape 0).")
    from santeloc.analysis.accessibility import neighbour_pairs

    codes = list(refdata.communes)
    latlon = refdata.centres(codes)
    index = {c: k for k, c in enumerate(codes)}
    near = neighbour_pairs(latlon[[index[c] for c in territory]], latlon, radius_km)
    candidates = list(dict.fromkeys([*territory, *(codes[k] for k in near.destination.tolist())]))
    changes: list[AplScenarioChange] = []
    if scenario_id is not None:
        with uow:
            changes = _changes(uow, scenario_id)
    # One network for the candidates and the scenario the new site comes on top of.
    context = _context(uow, project_id, refdata, [*candidates, *(c.commune_code for c in changes if c.commune_code)])
    base = _apply_changes(context, changes, refdata, None)[1] if changes else None
    threshold = context.official.threshold or GP_THRESHOLD
    scores = rank_sites(
        context.network, candidates, practitioners * counted_activity(activity), territory, threshold, base
    )
    before = context.network.official + (base if base is not None else 0.0)
    mask = np.array([c in set(territory) for c in context.network.codes])
    below = float(context.network.total[mask & np.isfinite(before) & (before < threshold)].sum())
    communes, _values = _outcome(context, np.zeros(len(context.network.codes)) if base is None else base, refdata)
    return SiteRanking(
        practitioners=practitioners,
        radius_km=radius_km,
        year=context.official.year,
        threshold=threshold,
        below_before=below,
        mean_before=_weighted_mean(context, communes, after=True),
        sites=tuple((refdata.communes[s.code].name, s) for s in scores[:top]),
        candidates=len(candidates),
    )


def retained_scenario(uow: UnitOfWork, project_id: int, refdata: RefData) -> ScenarioResult | None:
    """The scenario retained for the diagnostic, computed (None: none retained, or no official APL)."""
    retained = next((s for s in list_scenarios(uow, project_id) if s.retained), None)
    if retained is None:
        return None
    try:
        return evaluate_scenario(uow, retained.id, refdata)
    except ValidationError:
        return None  # a territory without official APL: the diagnostic says nothing of it
