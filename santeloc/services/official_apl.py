"""The DREES's official APL (accessibilité potentielle localisée), imported from its workbook.

The DREES publishes one workbook per profession; for general practitioners a "Paramètres"
sheet, then one sheet per year ("APL 2022", "APL 2023"…): title lines, a header row
(``Code commune INSEE``, ``Commune``, ``APL aux médecins généralistes``, ``… de 65 ans et
moins``, ``… de 62 ans et moins``, ``… de 60 ans et moins``, ``Population standardisée 2021 pour la
médecine générale``, ``Population totale 2021``), a units row, the communes, and footnotes
("Source", "Champ", "Lecture"). The import keeps the project's communes, every APL column of
every year sheet, and replaces the years it brings (other years are kept).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlmodel import col

from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_int
from santeloc.domain.indicators import parse_french_number
from santeloc.domain.models import OfficialApl, TerritoryCommune
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services.places import report_text
from santeloc.services.projects import touch_project

_SHEET = re.compile(r"^\s*APL\D*((?:19|20)\d{2})\s*$", re.IGNORECASE)
_CITY_OF_ARRONDISSEMENT = (("751", "75056"), ("6938", "69123"), ("132", "13055"))
SOURCE = "DREES, indicateur d'accessibilité potentielle localisée (APL)"


def _plain(value: object) -> str:
    text = "" if value is None else str(value)
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


@dataclass(frozen=True)
class OfficialAplRow:
    """One published APL value."""

    commune_code: str
    year: int
    variant: str
    value: float
    standardised_population: float | None
    total_population: float | None = None


@dataclass
class AplImportReport:
    """What the workbook gave the project."""

    years: list[int] = field(default_factory=list)
    communes: int = 0
    values: int = 0
    variants: list[str] = field(default_factory=list)
    skipped_sheets: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    added: int = 0  # values the project did not have for these years
    updated: int = 0  # values that changed
    unchanged: int = 0  # values already there, identical
    removed: int = 0  # values of these years the new workbook no longer gives

    def summary(self) -> str:
        """Plain French, the same in the GUI and the command line."""
        years = ", ".join(str(y) for y in self.years)
        if self.values and self.unchanged == self.values and not self.removed:
            head = (
                f"Rien de nouveau : le projet avait déjà l'APL officielle de ce classeur pour "
                f"{format_int(self.communes)} commune(s), année(s) {years} ({format_int(self.unchanged)} valeur(s) "
                "inchangée(s))"
            )
        else:
            head = (
                f"APL officielle importée pour {format_int(self.communes)} commune(s) du territoire, année(s) {years} "
                f"({format_int(self.values)} valeur(s), {len(self.variants)} colonne(s) : {', '.join(self.variants)}) : "
                f"{format_int(self.added)} ajoutée(s), {format_int(self.updated)} mise(s) à jour, "
                f"{format_int(self.unchanged)} inchangée(s)"
                + (f", {format_int(self.removed)} retirée(s)" if self.removed else "")
            )
        parts = [head]
        if self.missing:
            parts.append(
                f"{len(self.missing)} commune(s) du territoire absente(s) du classeur : {', '.join(self.missing[:6])}"
            )
        if self.skipped_sheets:
            parts.append(f"feuille(s) laissée(s) de côté : {', '.join(self.skipped_sheets)}")
        return report_text(parts)


def _commune(code: object) -> str:
    text = str(code).strip() if code is not None else ""
    if text.isdigit() and len(text) == 4:  # a spreadsheet ate the leading zero
        text = "0" + text
    for prefix, city in _CITY_OF_ARRONDISSEMENT:
        if text.startswith(prefix) and len(text) == 5:
            return city
    return text.upper()


def _number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return parse_french_number(str(value))
    except ValidationError:
        return None


def _read_sheet(
    rows: list[tuple[Any, ...]], wanted: Collection[str]
) -> tuple[list[str], dict[str, dict[str, tuple[float, float, float]]]]:
    """(APL column names, {commune: {column: (value, standardised population, total population)}})
    of one year sheet."""
    header_at = next((i for i, r in enumerate(rows[:40]) if any("code commune" in _plain(c) for c in r)), None)
    if header_at is None:
        raise ValidationError("ligne d'en-tête « Code commune INSEE » introuvable")
    header = [_plain(c) for c in rows[header_at]]
    names = [str(c).strip() if c is not None else "" for c in rows[header_at]]
    code_col = next(i for i, h in enumerate(header) if "code commune" in h)
    apl_cols = [i for i, h in enumerate(header) if h.startswith("apl")]
    weight_col = next((i for i, h in enumerate(header) if "population standardisee" in h), None)
    total_col = next((i for i, h in enumerate(header) if "population totale" in h), None)
    if not apl_cols:
        raise ValidationError("aucune colonne « APL aux … »")
    found: dict[str, dict[str, tuple[float, float, float]]] = {}
    for row in rows[header_at + 1 :]:
        if code_col >= len(row):
            continue
        code = _commune(row[code_col])
        if code not in wanted:
            continue  # the units row, footnotes and communes outside the territory
        weight = _number(row[weight_col]) if weight_col is not None and weight_col < len(row) else None
        people = _number(row[total_col]) if total_col is not None and total_col < len(row) else None
        for i in apl_cols:
            value = _number(row[i]) if i < len(row) else None
            if value is None:
                continue
            std, total = weight or 0.0, people or 0.0
            previous = found.setdefault(code, {}).get(names[i])
            if previous is not None:  # arrondissements of one city: APL weighted by standardised population
                both = previous[1] + std
                value = (previous[0] * previous[1] + value * std) / both if both else value
                std, total = both, previous[2] + total
            found[code][names[i]] = (value, std, total)
    return [names[i] for i in apl_cols], found


def import_official_apl(uow: UnitOfWork, project_id: int, path: Path, refdata: RefData) -> AplImportReport:
    """Import every "APL YYYY" sheet for the project's communes; the years it brings are replaced."""
    from openpyxl import load_workbook  # heavy import, only when a workbook is read

    with uow:
        territory = set(
            uow.session.execute(
                select(col(TerritoryCommune.insee_code)).where(col(TerritoryCommune.project_id) == project_id)
            ).scalars()
        )
    if not territory:
        raise ValidationError("Choisissez d'abord les communes du territoire (étape 0).")
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError(f"« {path.name} » n'est pas un classeur Excel (.xlsx) lisible : {exc}.") from exc
    report = AplImportReport()
    records: list[dict[str, object]] = []
    seen: set[str] = set()
    try:
        for sheet in workbook.worksheets:
            match = _SHEET.match(sheet.title)
            if match is None:
                report.skipped_sheets.append(sheet.title)
                continue
            year = int(match.group(1))
            try:
                variants, found = _read_sheet(list(sheet.iter_rows(values_only=True)), territory)
            except ValidationError as exc:
                raise ValidationError(f"Feuille « {sheet.title} » : {exc.message}.") from exc
            report.years.append(year)
            report.variants.extend(v for v in variants if v not in report.variants)
            for code, columns in found.items():
                seen.add(code)
                for variant, (value, weight, total) in columns.items():
                    records.append({"project_id": project_id, "commune_code": code, "year": year,
                                    "variant": variant[:120], "value": value,
                                    "standardised_population": weight or None, "total_population": total or None,
                                    "source": f"{SOURCE}, {year}"})  # fmt: skip
    finally:
        workbook.close()
    if not report.years:
        raise ValidationError(
            f"« {path.name} » n'a aucune feuille « APL AAAA » : est-ce bien le classeur APL de la DREES ? "
            f"Feuilles : {', '.join(report.skipped_sheets)}."
        )
    if not records:
        raise ValidationError("Le classeur ne donne l'APL d'aucune commune du territoire : rien n'a été importé.")
    report.communes, report.values = len(seen), len(records)
    report.missing = sorted(
        f"{refdata.communes[c].name} ({c})" if c in refdata.communes else c for c in territory - seen
    )
    with uow:
        before = {
            (r.commune_code, r.year, r.variant): (r.value, r.standardised_population, r.total_population)
            for r in uow.session.execute(
                select(OfficialApl).where(
                    col(OfficialApl.project_id) == project_id, col(OfficialApl.year).in_(report.years)
                )
            ).scalars()
        }
        after = {
            (str(r["commune_code"]), int(str(r["year"])), str(r["variant"])): (
                r["value"],
                r["standardised_population"],
                r["total_population"],
            )
            for r in records
        }
        report.added = sum(1 for key in after if key not in before)
        report.unchanged = sum(1 for key, values in after.items() if before.get(key) == values)
        report.updated = len(after) - report.added - report.unchanged
        report.removed = sum(1 for key in before if key not in after)
        if report.unchanged == len(after) and not report.removed:
            return report  # nothing to write: the project keeps its rows and its « dernière modification »
        touch_project(uow, project_id)
        uow.session.execute(
            delete(OfficialApl).where(
                col(OfficialApl.project_id) == project_id, col(OfficialApl.year).in_(report.years)
            )
        )
        uow.session.execute(OfficialApl.__table__.insert(), records)  # type: ignore[attr-defined]
        uow.commit()
    return report


def official_apl(uow: UnitOfWork, project_id: int) -> list[OfficialAplRow]:
    """The project's published APL values, by year, column and commune."""
    with uow:
        rows = (
            uow.session.execute(
                select(OfficialApl)
                .where(col(OfficialApl.project_id) == project_id)
                .order_by(col(OfficialApl.year), col(OfficialApl.variant), col(OfficialApl.commune_code))
            )
            .scalars()
            .all()
        )
        return [
            OfficialAplRow(r.commune_code, r.year, r.variant, r.value, r.standardised_population, r.total_population)
            for r in rows
        ]


def territory_official_apl(rows: list[OfficialAplRow]) -> dict[tuple[int, str], float]:
    """The territory's APL per (year, column): communes weighted by their standardised population."""
    sums: dict[tuple[int, str], tuple[float, float]] = {}
    for row in rows:
        weight = row.standardised_population or 0.0
        total, weights = sums.get((row.year, row.variant), (0.0, 0.0))
        sums[(row.year, row.variant)] = (total + row.value * weight, weights + weight)
    return {key: total / weights for key, (total, weights) in sums.items() if weights > 0}
