"""Demography of health professionals (step 2 of the methodology): anticipate departures.

Pure computations, no Qt, no database, no I/O. What it offers:

- :func:`demography` — per profession: head count and FTE, density per 10 000 and per 100 000
  inhabitants, shares aged 50 / 55 / 60 / 65 and over, mean age, departures expected within
  5 and 10 years (announced retirement year, else the year the retirement age is reached),
  projected head count and density at those horizons, comparison with reference densities;
- :func:`age_pyramid` — professionals by age band and profession;
- :func:`three_fifteens` — the URML Basse-Normandie "rule of three 15s" as an indicative check.

Every sentence is French and ready for a report.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from santeloc.analysis.indicators import Comparison, compare
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import NBSP, format_decimal, format_int, format_percent, plural
from santeloc.domain.indicators import Unit

__all__ = [
    "AGE_THRESHOLDS",
    "DEFAULT_AGE_BINS",
    "HORIZONS",
    "AgePyramid",
    "Criterion",
    "ProfessionDemography",
    "ProfessionalRecord",
    "Projection",
    "ThreeFifteens",
    "age_pyramid",
    "demography",
    "project_population",
    "three_fifteens",
]

AGE_THRESHOLDS: tuple[int, ...] = (50, 55, 60, 65)
HORIZONS: tuple[int, ...] = (5, 10)
DEFAULT_AGE_BINS: tuple[int, ...] = (25, 30, 35, 40, 45, 50, 55, 60, 65, 70)


@dataclass(frozen=True, slots=True)
class ProfessionalRecord:
    """One professional practising on (or near) the territory.

    ``age`` in years (``None``: unknown); ``fte`` full-time equivalent (``None``: unknown);
    ``retirement_year`` the year the professional announced leaving (``None``: not announced).
    """

    profession: str
    age: int | None = None
    fte: float | None = None
    retirement_year: int | None = None
    commune_code: str | None = None


@dataclass(frozen=True, slots=True)
class Projection:
    """Head count and density at a horizon, assuming no new professional settles."""

    horizon_years: int
    year: int
    heads: int
    population: float
    density_per_10000: float | None
    population_projected: bool  # the population comes from the user's projection

    @property
    def sentence(self) -> str:
        density = (
            f"{format_decimal(self.density_per_10000, 1)} pour {format_int(10_000)} habitants"
            if self.density_per_10000 is not None
            else "densité non calculable"
        )
        population = "population projetée" if self.population_projected else "population actuelle"
        return (
            f"En {self.year} (dans {self.horizon_years}{NBSP}ans), sans nouvelle installation : "
            f"{plural(self.heads, 'professionnel')}, soit {density} ({population} : "
            f"{format_int(round(self.population))} habitants)."
        )


@dataclass(frozen=True, slots=True)
class ProfessionDemography:
    """Age structure, density and expected departures of one profession on the territory."""

    profession: str
    heads: int
    fte: float | None  # sum of the known FTE; None when no FTE is known
    fte_known: int  # professionals whose FTE is known
    population: float
    density_per_10000: float | None  # in heads; None when the population is 0
    density_per_100000: float | None
    fte_density_per_10000: float | None  # only when every FTE is known
    known_age: int
    unknown_age: int
    count_aged: dict[int, int]  # threshold → professionals aged threshold or more
    share_aged: dict[int, float | None]  # threshold → percent of those with a known age
    mean_age: float | None
    departures: dict[int, int]  # horizon (5, 10) → departures expected within it
    announced_departures: int  # professionals with an announced retirement year
    departures_unknown: int  # neither age nor announced year: departure not estimable
    projections: dict[int, Projection]
    comparisons: tuple[Comparison, ...]
    retirement_age: int = 67  # the age used for departures without an announced year
    label: str = ""  # the profession's name in a sentence ("Médecins généralistes"); default: the key

    def sentences(self) -> list[str]:
        """The profession's figures as report sentences, in French."""
        lines: list[str] = []
        count = plural(self.heads, "professionnel")
        name = self.label or self.profession
        if self.density_per_10000 is None:
            lines.append(f"{name} : {count} ; densité non calculable (population nulle).")
        else:
            lines.append(
                f"{name} : {count}, soit {format_decimal(self.density_per_10000, 1)} pour "
                f"{format_int(10_000)} habitants ({format_decimal(self.density_per_100000 or 0.0, 1)} pour "
                f"{format_int(100_000)})."
            )
        if self.fte is not None:
            known = (
                "" if self.fte_known == self.heads else f" (ETP connu pour {format_int(self.fte_known)} d'entre eux)"
            )
            text = f"Équivalents temps plein : {format_decimal(self.fte, 1)}{known}"
            if self.fte_density_per_10000 is not None:
                text += (
                    f", soit {format_decimal(self.fte_density_per_10000, 1)} ETP pour {format_int(10_000)} habitants"
                )
            lines.append(text + ".")
        if self.known_age:
            shares = ", ".join(
                f"{format_percent(share)} ont {threshold}{NBSP}ans ou plus"
                for threshold, share in self.share_aged.items()
                if share is not None
            )
            lines.append(
                f"Âge moyen : {format_decimal(self.mean_age or 0.0, 1)}{NBSP}ans ; {shares}"
                + (f" (âge inconnu pour {format_int(self.unknown_age)})" if self.unknown_age else "")
                + "."
            )
        else:
            lines.append("Âge des professionnels inconnu : pyramide des âges et départs non estimables.")
        departures = " et ".join(
            f"{plural(n, 'départ')} d'ici {h}{NBSP}ans" for h, n in sorted(self.departures.items())
        )
        text = f"Départs prévisibles : {departures}"
        if self.announced_departures:
            text += f" (dont {plural(self.announced_departures, 'date annoncée', 'dates annoncées')})"
        if self.departures_unknown:
            text += f" ; non estimable pour {format_int(self.departures_unknown)} (ni âge ni date annoncée)"
        lines.append(text + ".")
        lines.extend(p.sentence for _, p in sorted(self.projections.items()))
        lines.extend(c.sentence for c in self.comparisons)
        return lines

    def describe(self) -> str:
        """All sentences, plus the departure rule."""
        rule = (
            f"Départ estimé à l'année annoncée, sinon à l'année des {self.retirement_age}{NBSP}ans ; "
            "projection sans nouvelle installation."
        )
        return "\n".join([*self.sentences(), rule])


def project_population(
    population: float, today_year: int, projection: tuple[int, float] | None, year: int
) -> tuple[float, bool]:
    """Population in ``year``: linear between today's and the projected one (extended past it).

    Returns ``(population, projected)``; without a projection, today's population.
    """
    if projection is None:
        return population, False
    target_year, target_population = projection
    if target_year == today_year:
        return float(target_population), True
    slope = (float(target_population) - population) / (target_year - today_year)
    return max(0.0, population + slope * (year - today_year)), True


def departure_year(record: ProfessionalRecord, today_year: int, retirement_age: int) -> int | None:
    """The year a professional is expected to leave: the announced year (not in the past), else
    the year they reach ``retirement_age``; None when neither is known."""
    if record.retirement_year is not None:
        return max(record.retirement_year, today_year)
    if record.age is not None:
        return today_year + max(0, retirement_age - record.age)
    return None


def _references_for(
    profession: str, reference_densities: Mapping[str, float] | Mapping[str, Mapping[str, float]] | None
) -> dict[str, float]:
    if not reference_densities:
        return {}
    first = next(iter(reference_densities.values()))
    if isinstance(first, Mapping):
        per_profession = reference_densities.get(profession)
        return {str(k): float(v) for k, v in per_profession.items()} if isinstance(per_profession, Mapping) else {}
    return {str(k): float(v) for k, v in reference_densities.items() if not isinstance(v, Mapping)}


def demography(
    records: Iterable[ProfessionalRecord],
    population: float,
    reference_densities: Mapping[str, float] | Mapping[str, Mapping[str, float]] | None = None,
    *,
    today_year: int,
    retirement_age: int = 67,
    projection: tuple[int, float] | None = None,
    labels: Mapping[str, str] | None = None,
) -> dict[str, ProfessionDemography]:
    """Demography of each profession present in ``records`` (in order of first appearance).

    Args:
        records: the professionals of the territory.
        population: the territory's population (the density's denominator).
        reference_densities: densities per 10 000 inhabitants of reference levels, keyed by the
            level *with its article* as it goes in a sentence (``"la Nièvre"``, ``"la France"``);
            either one mapping for every profession or ``{profession: {level: density}}``.
        today_year: the year of the diagnostic.
        retirement_age: age at which a professional without announced date is expected to leave.
        projection: ``(year, population)`` the user projects; the population at each horizon is
            interpolated linearly from today's (and extended past that year); without it, the
            current population is kept.
        labels: the name of each profession in sentences (``{"medecin_generaliste":
            "Médecins généralistes"}``); a profession without one is named by its key.

    A departure is expected within ``h`` years when the announced retirement year, or else the
    year the professional reaches ``retirement_age``, is at most ``today_year + h`` (an
    announced year already past or an age already reached counts as this year).
    """
    if not (math.isfinite(population) and population >= 0):
        raise ValidationError("La population du territoire doit être un nombre positif ou nul.")
    if not 40 <= retirement_age <= 90:
        raise ValidationError(f"Âge de départ à la retraite invraisemblable : {retirement_age}.")
    if projection is not None and not (math.isfinite(projection[1]) and projection[1] >= 0):
        raise ValidationError("La population projetée doit être un nombre positif ou nul.")
    groups: dict[str, list[ProfessionalRecord]] = {}
    for record in records:
        if record.age is not None and not 15 <= record.age <= 110:
            raise ValidationError(f"Âge invraisemblable pour un professionnel ({record.profession}) : {record.age}.")
        if record.fte is not None and not (math.isfinite(record.fte) and 0 <= record.fte <= 2):
            raise ValidationError(f"ETP invraisemblable pour un professionnel ({record.profession}) : {record.fte}.")
        groups.setdefault(record.profession, []).append(record)

    result: dict[str, ProfessionDemography] = {}
    names = labels or {}
    for profession, group in groups.items():
        label = names.get(profession, profession)
        heads = len(group)
        ages = [r.age for r in group if r.age is not None]
        ftes = [r.fte for r in group if r.fte is not None]
        fte = sum(ftes) if ftes else None
        density = heads / population * 10_000 if population > 0 else None
        count_aged = {t: sum(1 for a in ages if a >= t) for t in AGE_THRESHOLDS}
        share_aged = {t: (100.0 * count_aged[t] / len(ages) if ages else None) for t in AGE_THRESHOLDS}
        years = [departure_year(r, today_year, retirement_age) for r in group]
        departures = {h: sum(1 for y in years if y is not None and y <= today_year + h) for h in HORIZONS}
        projections: dict[int, Projection] = {}
        for h in HORIZONS:
            pop_h, projected = project_population(population, today_year, projection, today_year + h)
            heads_h = heads - departures[h]
            projections[h] = Projection(
                h, today_year + h, heads_h, pop_h, heads_h / pop_h * 10_000 if pop_h > 0 else None, projected
            )
        comparisons = tuple(
            compare(
                density,
                reference,
                level,
                unit=Unit.PER_10000,
                territory_label=f"La densité en {label.lower()} du territoire",
            )
            for level, reference in _references_for(profession, reference_densities).items()
        )
        result[profession] = ProfessionDemography(
            profession=profession,
            heads=heads,
            fte=fte,
            fte_known=len(ftes),
            population=float(population),
            density_per_10000=density,
            density_per_100000=density * 10 if density is not None else None,
            fte_density_per_10000=(
                fte / population * 10_000 if fte is not None and len(ftes) == heads and population > 0 else None
            ),
            known_age=len(ages),
            unknown_age=heads - len(ages),
            count_aged=count_aged,
            share_aged=share_aged,
            mean_age=sum(ages) / len(ages) if ages else None,
            departures=departures,
            announced_departures=sum(1 for r in group if r.retirement_year is not None),
            departures_unknown=sum(1 for y in years if y is None),
            projections=projections,
            comparisons=comparisons,
            retirement_age=retirement_age,
            label=label,
        )
    return result


# ============================================================================================
# Age pyramid
# ============================================================================================


@dataclass(frozen=True, slots=True)
class AgePyramid:
    """Professionals by age band (``labels``) and profession; unknown ages counted apart."""

    labels: tuple[str, ...]
    counts: dict[str, tuple[int, ...]]  # profession → count per band, in the order of labels
    unknown: dict[str, int]  # profession → professionals of unknown age

    def total(self) -> tuple[int, ...]:
        """Counts per band, all professions together."""
        return tuple(sum(values) for values in zip(*self.counts.values(), strict=True)) if self.counts else ()


def age_pyramid(records: Iterable[ProfessionalRecord], bins: Sequence[int] = DEFAULT_AGE_BINS) -> AgePyramid:
    """Count professionals by age band and profession.

    ``bins`` are the band limits, increasing: the default (25, 30, …, 70) gives "moins de
    25 ans", "25 à 29 ans", …, "65 à 69 ans", "70 ans et plus".
    """
    limits = list(bins)
    if not limits or any(b <= a for a, b in zip(limits, limits[1:], strict=False)):
        raise ValidationError("Les limites des tranches d'âge doivent être croissantes.")
    labels = [f"moins de {limits[0]}{NBSP}ans"]
    labels += [f"{a} à {b - 1}{NBSP}ans" for a, b in zip(limits, limits[1:], strict=False)]
    labels.append(f"{limits[-1]}{NBSP}ans et plus")
    counts: dict[str, list[int]] = {}
    unknown: dict[str, int] = {}
    for record in records:
        row = counts.setdefault(record.profession, [0] * len(labels))
        unknown.setdefault(record.profession, 0)
        if record.age is None:
            unknown[record.profession] += 1
            continue
        band = sum(1 for limit in limits if record.age >= limit)
        row[band] += 1
    return AgePyramid(tuple(labels), {p: tuple(c) for p, c in counts.items()}, unknown)


# ============================================================================================
# Rule of three 15s
# ============================================================================================

THREE_FIFTEENS_SOURCE = "règle des « trois 15 » de l'URML de Basse-Normandie"


@dataclass(frozen=True, slots=True)
class Criterion:
    """One of the three 15s: the territory's value and where it stands."""

    label: str
    value: float | None
    benchmark: float
    status: str  # "proche du repère", "en dessous du repère", "au-dessus du repère", "dans le repère", "au-delà du repère", "non renseigné"
    met: bool | None

    @property
    def text(self) -> str:
        return f"{self.label} ({self.status})"


@dataclass(frozen=True, slots=True)
class ThreeFifteens:
    """The rule of three 15s applied to a project: an indicative check, never a verdict."""

    population: Criterion
    professionals: Criterion
    travel: Criterion
    sentence: str

    @property
    def criteria(self) -> tuple[Criterion, Criterion, Criterion]:
        return self.population, self.professionals, self.travel


def _around(value: float, benchmark: float, tolerance: float) -> tuple[str, bool]:
    if value < benchmark * (1 - tolerance):
        return "en dessous du repère", False
    if value > benchmark * (1 + tolerance):
        return "au-dessus du repère", False
    return "proche du repère", True


def three_fifteens(
    population: float | None,
    professionals_count: int | None,
    max_minutes_to_site: float | None,
    *,
    tolerance: float = 1 / 3,
) -> ThreeFifteens:
    """Compare a project with the rule of three 15s (seed 004): about 15 000 inhabitants, about
    15 professionals, at most 15 minutes for patients.

    "About" means within ``tolerance`` (a third) of 15 000 and 15: 10 000 to 20 000 inhabitants,
    10 to 20 professionals. Unknown values are reported as such.
    """
    if population is None:
        pop = Criterion("population non renseignée", None, 15_000, "non renseigné", None)
    else:
        status, met = _around(float(population), 15_000, tolerance)
        pop = Criterion(f"{format_int(round(population))} habitants", float(population), 15_000, status, met)
    if professionals_count is None:
        pros = Criterion("nombre de professionnels non renseigné", None, 15, "non renseigné", None)
    else:
        status, met = _around(float(professionals_count), 15, tolerance)
        pros = Criterion(plural(professionals_count, "professionnel"), float(professionals_count), 15, status, met)
    if max_minutes_to_site is None:
        travel = Criterion("temps d'accès non renseigné", None, 15, "non renseigné", None)
    else:
        within = max_minutes_to_site <= 15
        travel = Criterion(
            f"{format_decimal(max_minutes_to_site, 0)}{NBSP}minutes au plus pour rejoindre le site",
            float(max_minutes_to_site),
            15,
            "dans le repère" if within else "au-delà du repère",
            within,
        )
    sentence = (
        f"Repère indicatif, pas un verdict : selon la {THREE_FIFTEENS_SOURCE}, un pôle de santé dessert "
        f"environ {format_int(15_000)} habitants, réunit une quinzaine de professionnels et se trouve à 15{NBSP}minutes "
        f"au plus des patients. Ici : {pop.text}, {pros.text}, {travel.text}."
    )
    return ThreeFifteens(pop, pros, travel, sentence)
