"""The DREES's APL as the project quotes it: per commune and for the territory, with its unit,
year, source and threshold — the figure an ARS instructor has open on CartoSanté.

One computation for the step 3 page, ``santeloc-cli etat``, the diagnostic and the projet de
santé. General practitioners come from the shipped baseline (``refdata/apl.py``) or from a more
recent workbook the user imported (``services/official_apl.py``); other professions only from an
imported workbook. The rules are the workbook's note: a mean over communes weights each by its
**standardised** population; the population under a threshold (2,5 for GPs) and quantiles count
the **total** population.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from santeloc.domain.formatting import NBSP, format_decimal, format_int, format_percent, plural
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.apl import AplVintage, load_apl_baseline
from santeloc.refdata.geo import RefData, normalize_text
from santeloc.services.official_apl import OfficialAplRow, official_apl
from santeloc.services.territory import TerritorySummary, territory_summary

GP = "médecins généralistes"
GP_THRESHOLD = 2.5
GP_UNIT = "consultations ou visites accessibles par habitant standardisé et par an"
FTE_UNIT = f"ETP accessibles pour 100{NBSP}000 habitants standardisés"
SHIPPED_SOURCE = (
    "DREES, indicateur d'accessibilité potentielle localisée (APL) aux médecins généralistes, "
    "millésime {year} (données ouvertes publiées le 20 décembre 2024, Licence Ouverte)"
)
IMPORTED_SOURCE = "DREES, indicateur d'accessibilité potentielle localisée (APL) {profession}, millésime {year}"
_AGE_CAP = re.compile(r"\s+(de\s+)?(moins de|\d+ ans et moins)\b.*$", re.IGNORECASE)


@dataclass(frozen=True)
class OfficialCommune:
    """One commune's published APL (None: the workbook does not give the commune)."""

    code: str
    name: str
    value: float | None
    value_under_65: float | None
    standardised_population: float | None
    total_population: float | None

    def below(self, threshold: float | None) -> bool:
        """True when the commune's APL is under ``threshold``."""
        return threshold is not None and self.value is not None and self.value < threshold


@dataclass(frozen=True)
class OfficialAplFigures:
    """The official APL of one profession for the territory, ready to quote."""

    profession: str  # French plural, « médecins généralistes »
    year: int
    unit: str
    threshold: float | None
    source: str
    shipped: bool  # from the baseline shipped with santeloc (else imported by the user)
    communes: tuple[OfficialCommune, ...]
    mean: float | None  # weighted by standardised population
    mean_under_65: float | None
    previous: tuple[int, float] | None  # (year, mean) of the vintage before, same communes
    national_mean: float | None
    national_mean_under_65: float | None
    national_share_below: float | None  # share of France's population under the threshold
    share_of_france_below_mean: float | None  # share of France's population where the APL is lower
    total_from_legal: bool  # total populations not published: the legal population stands in

    @property
    def missing(self) -> tuple[str, ...]:
        """Names of the territory's communes the source does not give."""
        return tuple(c.name for c in self.communes if c.value is None)

    @property
    def population(self) -> float:
        """Total population of the communes with a value."""
        return sum(c.total_population or 0.0 for c in self.communes if c.value is not None)

    @property
    def population_below(self) -> float:
        """Total population of the communes under the threshold."""
        return sum(c.total_population or 0.0 for c in self.communes if c.below(self.threshold))

    @property
    def communes_below(self) -> int:
        """Number of communes under the threshold."""
        return sum(1 for c in self.communes if c.below(self.threshold))

    def value_text(self, value: float | None) -> str:
        """A value as printed (two decimals: the DREES publishes three, CartoSanté shows one or two)."""
        return "—" if value is None else format_decimal(value, 2)

    @property
    def mean_text(self) -> str:
        """« 2,81 consultations ou visites accessibles par habitant standardisé et par an »."""
        return "non disponible" if self.mean is None else f"{self.value_text(self.mean)} {self.unit}"

    @property
    def title(self) -> str:
        """« APL aux médecins généralistes (DREES, 2023) »."""
        return f"APL aux {self.profession} (DREES, {self.year})"

    def facts(self) -> list[tuple[str, str, str]]:
        """(key, French label, French sentence) of each thing said of it, the mean first."""
        if self.mean is None:
            return [("moyenne", self.title, f"aucune commune du territoire n'est publiée ({self.source})")]
        mean = f"{self.mean_text} (communes pondérées par leur population standardisée, règle de la DREES)"
        if self.national_mean is not None:
            mean += f", contre {self.value_text(self.national_mean)} en France"
        out = [("moyenne", f"{self.title}, moyenne du territoire", mean)]
        if self.threshold is not None:
            total, below = self.population, self.population_below
            share = format_percent(100 * below / total, 0) if total else "—"
            text = (
                f"{plural(self.communes_below, 'commune')} sur {format_int(len(self.communes))}, "
                f"{format_int(round(below))} habitants sur {format_int(round(total))} ({share}, population totale)"
            )
            if self.national_share_below is not None:
                text += f" ; en France, {format_percent(100 * self.national_share_below, 0)} des habitants"
            out.append(("seuil", f"Sous le seuil de {format_decimal(self.threshold, 1)}", text))
        if self.share_of_france_below_mean is not None:
            out.append((
                "rang", "Rang du territoire",
                f"{format_percent(100 * self.share_of_france_below_mean, 0)} des habitants de France vivent dans une "
                "commune où l'APL est plus faible que la moyenne du territoire",
            ))  # fmt: skip
        if self.mean_under_65 is not None:
            text = self.value_text(self.mean_under_65)
            if self.national_mean_under_65 is not None:
                text += f" (France : {self.value_text(self.national_mean_under_65)})"
            out.append(("moins_de_65_ans", "Médecins de moins de 65 ans seulement", text))
        if self.previous is not None:
            year, mean_before = self.previous
            out.append(("precedent", f"En {year}", self.value_text(mean_before)))
        if self.missing:
            out.append(("absentes", "Communes non publiées par la source", ", ".join(self.missing)))
        if self.total_from_legal:
            out.append((
                "population", "Population totale",
                "non publiée avec ces valeurs : la population légale en tient lieu",
            ))  # fmt: skip
        out.append(("source", "Source", self.source))
        return out

    def sentences(self) -> list[str]:
        """What a document or the CLI says of it, in French, one sentence per item."""
        return [f"{label} : {text}." for _key, label, text in self.facts()]


def weighted_mean(pairs: Iterable[tuple[float | None, float]]) -> float | None:
    """Mean of the known values weighted by their (standardised) population: the DREES rule for
    an APL over several communes. None when no value has a positive weight."""
    known = [(v, w) for v, w in pairs if v is not None and w > 0]
    weights = sum(w for _, w in known)
    return sum(v * w for v, w in known) / weights if weights > 0 else None


def _from_vintage(vintage: AplVintage, summary: TerritorySummary) -> tuple[OfficialCommune, ...]:
    communes = []
    for row in summary.communes:
        figures = vintage.figures(row.code)
        if figures is None:
            communes.append(OfficialCommune(row.code, row.name, None, None, None, None))
        else:
            communes.append(
                OfficialCommune(
                    row.code, row.name, figures.apl, figures.apl_under_65, figures.standardised_population,
                    figures.total_population,
                )
            )  # fmt: skip
    return tuple(communes)


def _weighted(communes: tuple[OfficialCommune, ...], under_65: bool = False) -> float | None:
    pairs = [
        ((c.value_under_65 if under_65 else c.value), c.standardised_population or 0.0)
        for c in communes
        if (c.value_under_65 if under_65 else c.value) is not None
    ]
    return weighted_mean(pairs)


def _profession(variant: str) -> str:
    """« APL aux infirmiers de moins de 65 ans » -> « infirmiers »."""
    text = re.sub(r"^\s*APL\s+(aux|des|à la|a la|au)?\s*", "", variant.strip(), flags=re.IGNORECASE)
    return _AGE_CAP.sub("", text).strip() or variant.strip()


def _is_main(variant: str) -> bool:
    return _AGE_CAP.search(variant.strip()) is None


def _imported(
    rows: list[OfficialAplRow], summary: TerritorySummary
) -> dict[str, dict[int, tuple[tuple[OfficialCommune, ...], bool]]]:
    """Imported rows as communes, per profession and year (main variant and under-65 variant),
    with whether the legal population had to stand in for an unpublished total population."""
    by_key: dict[tuple[str, int], dict[str, dict[str, OfficialAplRow]]] = {}
    for row in rows:
        key = (_profession(row.variant), row.year)
        slot = "main" if _is_main(row.variant) else ("65" if "65" in row.variant else "other")
        by_key.setdefault(key, {}).setdefault(row.commune_code, {})[slot] = row
    out: dict[str, dict[int, tuple[tuple[OfficialCommune, ...], bool]]] = {}
    for (profession, year), communes in by_key.items():
        items, fallback = [], False
        for c in summary.communes:
            found = communes.get(c.code, {})
            main, under = found.get("main"), found.get("65")
            total = main.total_population if main else None
            if main is not None and not total:
                total, fallback = float(c.population), True
            items.append(
                OfficialCommune(
                    c.code, c.name, main.value if main else None, under.value if under else None,
                    main.standardised_population if main else None, total,
                )
            )  # fmt: skip
        out.setdefault(profession, {})[year] = (tuple(items), fallback)
    return out


def official_apl_figures(uow: UnitOfWork, project_id: int, refdata: RefData) -> list[OfficialAplFigures]:
    """The official APL of every profession the project has, general practitioners first.

    GPs: the most recent of the shipped and imported vintages (an imported year replaces the
    shipped one of the same year). National figures come from the shipped baseline only (an
    imported workbook is kept for the territory's communes).
    """
    summary = territory_summary(uow, project_id, refdata)
    if summary.is_empty:
        return []
    baseline = load_apl_baseline()
    imported = _imported(official_apl(uow, project_id), summary)
    gp_key = next((p for p in imported if normalize_text(p) == normalize_text(GP)), None)
    gp_imported = imported.pop(gp_key, {}) if gp_key else {}
    years = sorted(set(baseline.vintages) | set(gp_imported))

    def vintage_communes(year: int) -> tuple[tuple[OfficialCommune, ...], bool]:
        return gp_imported.get(year) or (_from_vintage(baseline.vintages[year], summary), False)

    latest = years[-1]
    communes, fallback = vintage_communes(latest)
    mean = _weighted(communes)
    previous = [(y, _weighted(vintage_communes(y)[0])) for y in years[:-1]]
    previous = [(y, m) for y, m in previous if m is not None]
    shipped = latest not in gp_imported
    vintage = baseline.vintages.get(latest)
    source = SHIPPED_SOURCE if shipped else IMPORTED_SOURCE
    results = [
        OfficialAplFigures(
            profession=GP,
            year=latest,
            unit=GP_UNIT,
            threshold=GP_THRESHOLD,
            source=source.format(year=latest, profession=f"aux {GP}"),
            shipped=shipped,
            communes=communes,
            mean=mean,
            mean_under_65=_weighted(communes, under_65=True),
            previous=previous[-1] if previous else None,  # type: ignore[arg-type]
            national_mean=vintage.national_mean if vintage else None,
            national_mean_under_65=vintage.national_mean_under_65 if vintage else None,
            national_share_below=vintage.population_share_below(GP_THRESHOLD) if vintage else None,
            share_of_france_below_mean=vintage.population_share_below(mean) if vintage and mean is not None else None,
            total_from_legal=fallback,
        )
    ]
    for profession, by_year in sorted(imported.items()):
        year = max(by_year)
        communes, fallback = by_year[year]
        earlier = [(y, _weighted(by_year[y][0])) for y in sorted(by_year) if y < year]
        earlier = [(y, m) for y, m in earlier if m is not None]
        results.append(
            OfficialAplFigures(
                profession=profession,
                year=year,
                unit=FTE_UNIT,
                threshold=None,
                source=IMPORTED_SOURCE.format(profession=f"aux {profession}", year=year),
                shipped=False,
                communes=communes,
                mean=_weighted(communes),
                mean_under_65=_weighted(communes, under_65=True),
                previous=earlier[-1] if earlier else None,  # type: ignore[arg-type]
                national_mean=None,
                national_mean_under_65=None,
                national_share_below=None,
                share_of_france_below_mean=None,
                total_from_legal=fallback,
            )
        )
    return results
