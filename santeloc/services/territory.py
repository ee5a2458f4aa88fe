"""Use cases on a project's territory: a set of communes, and what follows from it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from santeloc.domain.enums import TerritorySource
from santeloc.domain.errors import ValidationError
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import Commune, Departement, RefData, Region, load_refdata
from santeloc.services.overview import read_territory_sources

INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
MAX_RADIUS_KM = 200.0


@dataclass(frozen=True)
class TerritoryRow:
    """One commune of the territory, as listed to the user."""

    code: str
    name: str
    postal_codes: tuple[str, ...]
    epci_name: str
    departement: str
    population: int
    source: TerritorySource


@dataclass(frozen=True)
class TerritorySummary:
    """The territory and what follows from it: population and reference levels."""

    communes: list[TerritoryRow]
    population: int
    population_year: int
    population_source: str
    departements: list[Departement]
    regions: list[Region]
    reference_departement: Departement | None
    reference_region: Region | None
    missing_codes: list[str]

    @property
    def is_empty(self) -> bool:
        """True when no commune has been chosen yet."""
        return not self.communes

    @property
    def codes(self) -> list[str]:
        """INSEE codes of the territory."""
        return [row.code for row in self.communes]


@dataclass(frozen=True)
class TerritoryChange:
    """What an add or remove actually changed (used to undo it)."""

    codes: list[str]
    sources: dict[str, TerritorySource]
    skipped: list[str]


def normalise_code(raw: str) -> str:
    """Validate the form of an INSEE commune code (``58227``, ``2A004``)."""
    code = raw.strip().upper()
    if not INSEE_CODE.match(code):
        raise ValidationError(
            f"Code INSEE invalide : « {raw.strip()} ». Un code commune a 5 caractères, par exemple 58227 ou 2A004."
        )
    return code


def _current(uow: UnitOfWork, project_id: int) -> dict[str, TerritorySource]:
    return read_territory_sources(uow, project_id)


def territory_codes(uow: UnitOfWork, project_id: int) -> list[str]:
    """The INSEE codes of a project's territory, sorted."""
    with uow:
        return sorted(_current(uow, project_id))


def add_communes(
    uow: UnitOfWork,
    project_id: int,
    codes: Iterable[str],
    source: TerritorySource | dict[str, TerritorySource] = TerritorySource.MANUAL,
    refdata: RefData | None = None,
) -> TerritoryChange:
    """Add communes by INSEE code; all are checked first, so one bad code adds nothing."""
    refdata = refdata or load_refdata()
    wanted: list[str] = []
    for raw in codes:
        code = normalise_code(raw)
        if code not in refdata.communes:
            raise ValidationError(f"Code INSEE inconnu : « {code} ». Aucune commune n'a été ajoutée.")
        if code not in wanted:
            wanted.append(code)
    # The ORM only where rows are written: reading a territory stays on the light import graph.
    from santeloc.domain.models import TerritoryCommune
    from santeloc.services.projects import touch_project

    with uow:
        touch_project(uow, project_id)
        present = _current(uow, project_id)
        added = [c for c in wanted if c not in present]
        sources = {c: (source.get(c, TerritorySource.MANUAL) if isinstance(source, dict) else source) for c in added}
        for code in added:
            uow.session.add(TerritoryCommune(project_id=project_id, insee_code=code, source=sources[code].value))
        uow.commit()
    return TerritoryChange(codes=added, sources=sources, skipped=[c for c in wanted if c in present])


def add_epci(uow: UnitOfWork, project_id: int, epci_code: str, refdata: RefData | None = None) -> TerritoryChange:
    """Add every commune of an intercommunalité."""
    refdata = refdata or load_refdata()
    if epci_code not in refdata.epcis:
        raise ValidationError(f"Intercommunalité inconnue : « {epci_code} ».")
    codes = [c.code for c in refdata.communes_of_epci(epci_code)]
    return add_communes(uow, project_id, codes, TerritorySource.EPCI, refdata)


def add_departement(
    uow: UnitOfWork, project_id: int, departement_code: str, refdata: RefData | None = None
) -> TerritoryChange:
    """Add every commune of a département."""
    refdata = refdata or load_refdata()
    code = departement_code.strip().upper()
    if code not in refdata.departements:
        raise ValidationError(f"Département inconnu : « {departement_code} ».")
    codes = [c.code for c in refdata.communes_of_departement(code)]
    return add_communes(uow, project_id, codes, TerritorySource.DEPARTEMENT, refdata)


def add_within_km(
    uow: UnitOfWork, project_id: int, centre_code: str, km: float, refdata: RefData | None = None
) -> TerritoryChange:
    """Add every commune whose centre lies within ``km`` of the chosen commune's centre."""
    refdata = refdata or load_refdata()
    if not 0 < km <= MAX_RADIUS_KM:
        raise ValidationError(f"Le rayon doit être compris entre 0 et {MAX_RADIUS_KM:.0f} km (reçu : {km:g} km).")
    code = normalise_code(centre_code)
    if code not in refdata.communes:
        raise ValidationError(f"Code INSEE inconnu : « {code} ».")
    centre = refdata.communes[code]
    if centre.lat is None or centre.lon is None:
        raise ValidationError(
            f"La position de {centre.name} est inconnue dans les données de référence : "
            "impossible de chercher les communes voisines. Ajoutez-les une à une."
        )
    codes = [c.code for c in refdata.within_km(code, km)]
    sources = {c: TerritorySource.RADIUS for c in codes}
    sources[code] = TerritorySource.MANUAL
    return add_communes(uow, project_id, codes, sources, refdata)


def remove_communes(uow: UnitOfWork, project_id: int, codes: Iterable[str]) -> TerritoryChange:
    """Remove communes from the territory; returns what was removed and how it had come in."""
    wanted = [c.strip().upper() for c in codes]
    from sqlalchemy import delete

    from santeloc.domain.models import TerritoryCommune
    from santeloc.services.projects import touch_project

    with uow:
        touch_project(uow, project_id)
        present = _current(uow, project_id)
        removed = [c for c in wanted if c in present]
        if removed:
            uow.session.execute(
                delete(TerritoryCommune).where(
                    TerritoryCommune.project_id == project_id,  # type: ignore[arg-type]
                    TerritoryCommune.insee_code.in_(removed),  # type: ignore[attr-defined]
                )
            )
        uow.commit()
    return TerritoryChange(codes=removed, sources={c: present[c] for c in removed}, skipped=[])


def summarise(codes_and_sources: dict[str, TerritorySource], refdata: RefData) -> TerritorySummary:
    """Population, départements, régions and reference levels of a set of communes."""
    rows: list[TerritoryRow] = []
    missing: list[str] = []
    dep_population: Counter[str] = Counter()
    for code in sorted(codes_and_sources):
        commune: Commune | None = refdata.communes.get(code)
        if commune is None:
            missing.append(code)
            continue
        epci = refdata.epcis.get(commune.epci or "")
        rows.append(
            TerritoryRow(
                code=code,
                name=commune.name,
                postal_codes=commune.postal_codes,
                epci_name=epci.name if epci else "",
                departement=commune.departement,
                population=commune.population,
                source=codes_and_sources[code],
            )
        )
        dep_population[commune.departement] += commune.population
    rows.sort(key=lambda r: (r.departement, r.name))
    # The reference département is the one where most of the territory's inhabitants live.
    ranked = [code for code, _ in dep_population.most_common()]
    departements = [refdata.departements[c] for c in ranked if c in refdata.departements]
    region_codes = list(dict.fromkeys(d.region for d in departements))
    regions = [refdata.regions[c] for c in region_codes if c in refdata.regions]
    return TerritorySummary(
        communes=rows,
        population=sum(r.population for r in rows),
        population_year=refdata.population_year,
        population_source=refdata.source_label,
        departements=departements,
        regions=regions,
        reference_departement=departements[0] if departements else None,
        reference_region=regions[0] if regions else None,
        missing_codes=missing,
    )


def territory_summary(uow: UnitOfWork, project_id: int, refdata: RefData | None = None) -> TerritorySummary:
    """The territory of a project, summarised."""
    refdata = refdata or load_refdata()
    with uow:
        current = _current(uow, project_id)
    return summarise(current, refdata)
