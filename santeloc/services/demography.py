"""Step 2 use case: the demography of the territory's professionals, computed once.

The page, the projet de santé's diagnostic, the dossier and the CLI all read
:func:`demography_report`: who counts (professionals practising on a commune of the territory,
main or second site), the reference densities the user typed, the population projection, the
retirement age, the order of professions and their French names.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from santeloc.analysis.demography import AgePyramid, ProfessionalRecord, ProfessionDemography, age_pyramid, demography
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_decimal
from santeloc.domain.professions import PROFESSIONS
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import indicators as settings_svc
from santeloc.services import offer as offer_svc
from santeloc.services.territory import territory_summary

REFERENCE_KEY = "reference_densities"
LEVELS: tuple[tuple[str, str, str], ...] = (
    ("departement", "Département", "la valeur départementale"),
    ("region", "Région", "la valeur régionale"),
    ("france", "France", "la valeur nationale"),
)
RULE = "Départ estimé à l'année annoncée, sinon à 67 ans ; projection sans nouvelle installation."
LABELS: dict[str, str] = {p.key: p.plural for p in PROFESSIONS}
_ORDER = {p.key: i for i, p in enumerate(PROFESSIONS)}


@dataclass(frozen=True)
class DemographyReport:
    """Demography of the territory's professionals, profession by profession, in the usual order."""

    population: int
    on_site: int  # professionals practising on the territory (counted in densities)
    around: int  # professionals of the registry practising only around it
    professions: tuple[ProfessionDemography, ...]
    pyramid: AgePyramid
    rule: str = RULE

    @property
    def labels(self) -> dict[str, str]:
        """French plural of each profession key."""
        return dict(LABELS)

    def get(self, key: str) -> ProfessionDemography | None:
        """The demography of one profession, if present."""
        return next((d for d in self.professions if d.profession == key), None)


def reference_densities(uow: UnitOfWork, project_id: int) -> dict[str, dict[str, float]]:
    """Reference densities per 10 000 inhabitants the user typed: profession → level → density."""
    raw = settings_svc.get_settings(uow, project_id).get(REFERENCE_KEY)
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    levels = {key for key, _c, _s in LEVELS}
    return {
        str(profession): {str(k): float(v) for k, v in values.items() if k in levels and isinstance(v, int | float)}
        for profession, values in (data.items() if isinstance(data, dict) else [])
        if isinstance(values, dict)
    }


def set_reference_densities(uow: UnitOfWork, project_id: int, values: Mapping[str, Mapping[str, float]]) -> None:
    """Save reference densities (each between 0 and 1 000 per 10 000 inhabitants)."""
    levels = {key for key, _c, _s in LEVELS}
    clean: dict[str, dict[str, float]] = {}
    for profession, by_level in values.items():
        if profession not in LABELS:
            raise ValidationError(f"Profession inconnue : « {profession} ».")
        for level, value in by_level.items():
            if level not in levels:
                raise ValidationError(f"Niveau de comparaison inconnu : « {level} ».")
            if not (math.isfinite(value) and 0 <= value <= 1000):
                raise ValidationError(
                    f"Densité de {format_decimal(value, 1)} pour 10 000 habitants invraisemblable "
                    f"({LABELS[profession].lower()})."
                )
            clean.setdefault(profession, {})[level] = float(value)
    settings_svc.set_setting(uow, project_id, REFERENCE_KEY, json.dumps(clean))


def _projection(settings: Mapping[str, str]) -> tuple[int, float] | None:
    population, year = (settings.get(key, "") for key in settings_svc.PROJECTION_KEYS)
    try:
        return (int(year), float(population)) if population and year else None
    except ValueError:
        return None


def demography_report(
    uow: UnitOfWork, project_id: int, refdata: RefData, today: date | None = None
) -> DemographyReport:
    """Head counts, FTE, densities (compared with the references), ages, departures, projections."""
    year = (today or date.today()).year
    summary = territory_summary(uow, project_id, refdata)
    territory = set(summary.codes)
    rows = offer_svc.list_professionals(uow, project_id)
    on_site = [r for r in rows if r.commune_code in territory or r.secondary_commune_code in territory]
    records = sorted(
        (
            ProfessionalRecord(
                profession=r.profession,
                age=r.age(year),
                fte=r.fte,
                retirement_year=r.retirement_date.year if r.retirement_date else None,
                commune_code=r.commune_code,
            )
            for r in on_site
        ),
        key=lambda r: _ORDER.get(r.profession, len(_ORDER)),
    )
    sentence_levels = {key: sentence for key, _c, sentence in LEVELS}
    references = {
        profession: {sentence_levels[level]: value for level, value in levels.items()}
        for profession, levels in reference_densities(uow, project_id).items()
    }
    settings = settings_svc.get_settings(uow, project_id)
    result = demography(
        records,
        float(summary.population),
        references,
        today_year=year,
        projection=_projection(settings),
        labels=LABELS,
    )
    return DemographyReport(
        population=summary.population,
        on_site=len(on_site),
        around=len(rows) - len(on_site),
        professions=tuple(result.values()),
        pyramid=age_pyramid(records),
    )
