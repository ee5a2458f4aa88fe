"""Importing a territory × indicators table (INSEE Statistiques locales, CartoSanté, Odissé…).

The user says which column holds the codes and at which level (commune, EPCI, département,
région, or another zoning whose rows they pick), and which indicator columns to keep. Each
kept column becomes one indicator of the project: the territory's value is computed from the
rows of its communes (counts summed, other values weighted by population, and said so in the
indicator's comment), the département, région and France values are read from the file's own
rows when it has them, else aggregated from its communes when it covers them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlmodel import col

from santeloc.analysis.tabular import RawTable
from santeloc.analysis.wide_tables import IndicatorColumn, WideLayout, _plain, read_value, reference_row_codes
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_int
from santeloc.domain.indicators import Unit
from santeloc.domain.models import TerritoryCommune
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services.indicators import ImportPreview, check_indicator, import_indicators
from santeloc.services.places import report_text

LEVELS: tuple[tuple[str, str], ...] = (
    ("commune", "Communes (code INSEE)"),
    ("epci", "Intercommunalités (EPCI)"),
    ("departement", "Départements"),
    ("region", "Régions"),
    ("autre", "Autre zonage (bassins de vie, territoires de CPTS…) : choisir les lignes"),
)
COVERAGE = 0.95  # share of a level's communes the file must give to aggregate it
_BASE_UNITS = {1.0: Unit.RATIO, 100.0: Unit.PERCENT, 1000.0: Unit.PER_1000, 10000.0: Unit.PER_10000,
               100000.0: Unit.PER_100000}  # fmt: skip


@dataclass(frozen=True)
class Ratio:
    """A rate recomputed from two columns: sum of the numerators / sum of the denominators × base."""

    numerator: int
    denominator: int
    base: float = 100.0
    label: str = ""


@dataclass
class WideImport:
    """The indicators a wide table gives the project, and what was read as missing."""

    preview: ImportPreview
    missing: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    rows_used: int = 0

    def summary(self) -> str:
        """Plain French, the same in the GUI and the command line."""
        parts = [
            f"{format_int(len(self.preview.rows))} indicateur(s) à partir de {format_int(self.rows_used)} ligne(s) du territoire"
        ]
        total = sum(self.missing.values())
        if total:
            parts.append(
                f"{format_int(total)} case(s) « non disponible » (N/A, secret statistique, nd…) lues comme manquantes"
            )
        parts.extend(self.notes)
        if self.preview.errors:
            parts.append(f"{len(self.preview.errors)} erreur(s) : rien ne sera importé")
        return report_text(parts)


def _unit(column: IndicatorColumn, values: Sequence[float]) -> Unit:
    if column.unit is not None:
        return column.unit
    plain = _plain(column.header)
    if "taux" in plain or "densite" in plain or "indice" in plain:
        return Unit.RATIO
    return Unit.COUNT if values and all(v == int(v) for v in values) else Unit.RATIO


def _aggregate(pairs: list[tuple[float, float]], unit: Unit) -> tuple[float, str]:
    """Counts are summed; other values are averaged, weighted by population when known."""
    if unit is Unit.COUNT:
        return sum(v for v, _w in pairs), "somme des communes"
    weight = sum(w for _v, w in pairs)
    if weight > 0:
        return sum(v * w for v, w in pairs) / weight, "moyenne pondérée par la population"
    return sum(v for v, _w in pairs) / len(pairs), "moyenne simple"


def territory_codes(uow: UnitOfWork, project_id: int) -> list[str]:
    """The project's communes."""
    with uow:
        return list(
            uow.session.execute(
                select(col(TerritoryCommune.insee_code)).where(col(TerritoryCommune.project_id) == project_id)
            ).scalars()
        )


def _weight(refdata: RefData, level: str, code: str) -> float:
    if level == "commune":
        commune = refdata.communes.get(code)
        return float(commune.population or 0) if commune else 0.0
    if level == "epci" and code in refdata.epcis:
        return float(sum(c.population or 0 for c in refdata.communes_of_epci(code)))
    return 0.0


def prepare_wide_import(
    table: RawTable,
    layout: WideLayout,
    refdata: RefData,
    territory: Collection[str],
    *,
    level: str,
    columns: Sequence[int] | None = None,
    chosen_rows: Collection[str] = (),
    source: str = "",
    theme: str = "",
    today: date | None = None,
    ratios: Sequence[Ratio] = (),
) -> WideImport:
    """Turn the chosen indicator columns into the project's indicators (checked, not saved).

    ``ratios`` add rates recomputed from a numerator and a denominator column, which is exact
    where averaging the communes' rates is only an approximation.
    """
    if level not in dict(LEVELS):
        raise ValidationError(f"Niveau « {level} » inconnu : {', '.join(k for k, _l in LEVELS)}.")
    if not territory:
        raise ValidationError("Choisissez d'abord les communes du territoire (étape 0).")
    wanted = [c for c in layout.indicators if columns is None or c.index in set(columns)]
    if not wanted and not ratios:
        raise ValidationError("Choisissez au moins une colonne d'indicateur.")
    by_code: dict[str, list[str]] = {}
    for i in layout.data_rows:
        cells = table.rows[i].cells
        by_code.setdefault(cells[layout.code_column].strip().upper(), cells)
    targets = _targets(level, territory, refdata, chosen_rows)
    used = [code for code in targets if code in by_code]
    if not used:
        raise ValidationError(_no_rows_message(level, targets))
    departement = Counter(refdata.communes[c].departement for c in territory if c in refdata.communes).most_common(1)
    region = Counter(refdata.communes[c].region for c in territory if c in refdata.communes).most_common(1)
    result = WideImport(ImportPreview(rows=[], errors=[]), rows_used=len(used))
    if len(used) < len(targets):
        result.notes.append(f"{len(targets) - len(used)} territoire(s) attendu(s) absent(s) du fichier")
    for column in wanted:
        _one_indicator(table, layout, column, by_code, used, level, refdata, result, source, theme, today,
                       departement[0][0] if departement else "", region[0][0] if region else "")  # fmt: skip
    for ratio in ratios:
        _one_ratio(table, layout, ratio, by_code, used, level, result, source or layout.source, theme, today,
                   departement[0][0] if departement else "", region[0][0] if region else "")  # fmt: skip
    return result


def _one_ratio(
    table: RawTable,
    layout: WideLayout,
    ratio: Ratio,
    by_code: dict[str, list[str]],
    used: list[str],
    level: str,
    result: WideImport,
    source: str,
    theme: str,
    today: date | None,
    departement: str,
    region: str,
) -> None:
    """One recomputed rate: territory and reference rows from the sums of both columns."""
    headers = table.headers
    names = [headers[i] if i < len(headers) else f"Colonne {i + 1}" for i in (ratio.numerator, ratio.denominator)]
    label = ratio.label or f"{names[0]} / {names[1]}"

    def pair(cells: list[str]) -> tuple[float, float] | None:
        texts = [cells[i] if i < len(cells) else "" for i in (ratio.numerator, ratio.denominator)]
        numerator, denominator = read_value(texts[0]), read_value(texts[1])
        return (numerator, denominator) if numerator is not None and denominator else None

    def rate(cells_list: list[list[str]]) -> float | None:
        pairs = [p for p in (pair(cells) for cells in cells_list) if p is not None]
        total = sum(d for _n, d in pairs)
        return sum(n for n, _d in pairs) / total * ratio.base if pairs and total else None

    try:
        if ratio.base not in _BASE_UNITS:
            raise ValidationError(f"base {ratio.base:g} : 1, 100, 1 000, 10 000 ou 100 000")
        territory_rows = [by_code[code] for code in used]
        result.missing[label] += sum(1 for cells in territory_rows if pair(cells) is None)
        references: dict[str, float | None] = {}
        for key, codes in reference_row_codes(level, departement, region).items():
            row = next((by_code[c] for c in codes if c and c in by_code), None)
            references[key] = rate([row]) if row is not None else None
        values: dict[str, object] = {
            "label": label[:300], "unit": _BASE_UNITS[ratio.base].value, "year": None, "period": "",
            "source": source[:300], "theme": theme, "value_territory": rate(territory_rows), **references,
            "observed": None, "expected": None,
            "comment": f"Taux recalculé : somme de « {names[0]} » / somme de « {names[1]} » des lignes du territoire",
        }  # fmt: skip
        check_indicator(values, today=today)
        result.preview.rows.append(values)
    except ValidationError as exc:
        result.preview.errors.append((0, f"« {label} » : {exc.message}"))


def _targets(level: str, territory: Collection[str], refdata: RefData, chosen: Collection[str]) -> list[str]:
    if level == "commune":
        return sorted(territory)
    if level == "epci":
        epcis = {refdata.communes[c].epci for c in territory if c in refdata.communes}
        return sorted(code for code in epcis if code)
    if level == "departement":
        return sorted({refdata.communes[c].departement for c in territory if c in refdata.communes})
    if level == "region":
        return sorted({refdata.communes[c].region for c in territory if c in refdata.communes})
    if not chosen:
        raise ValidationError("Choisissez dans la liste les lignes qui correspondent à votre territoire.")
    return sorted(code.strip().upper() for code in chosen)


def _no_rows_message(level: str, targets: list[str]) -> str:
    shown = ", ".join(targets[:5])
    return f"Aucune ligne du fichier ne correspond au territoire (niveau « {dict(LEVELS)[level]} », codes {shown}…)."


def _one_indicator(
    table: RawTable,
    layout: WideLayout,
    column: IndicatorColumn,
    by_code: dict[str, list[str]],
    used: list[str],
    level: str,
    refdata: RefData,
    result: WideImport,
    source: str,
    theme: str,
    today: date | None,
    departement: str,
    region: str,
) -> None:
    def value(cells: list[str]) -> float | None:
        text = cells[column.index] if column.index < len(cells) else ""
        return read_value(text)

    try:
        pairs: list[tuple[float, float]] = []
        for code in used:
            number = value(by_code[code])
            if number is None:
                result.missing[column.label] += 1
            else:
                pairs.append((number, _weight(refdata, level, code)))
        unit = _unit(column, [v for v, _w in pairs])
        notes: list[str] = []
        territory_value: float | None = None
        if len(pairs) == 1 and len(used) == 1:
            territory_value = pairs[0][0]
        elif pairs:
            territory_value, how = _aggregate(pairs, unit)
            notes.append(f"Valeur du territoire : {how} ({len(pairs)} sur {len(used)})")
        references = _references(by_code, value, level, refdata, unit, departement, region, notes)
        values: dict[str, object] = {
            "label": column.label[:300],
            "unit": unit.value,
            "year": column.year,
            "period": column.period if column.period and "-" in column.period else "",
            "source": (source or layout.source)[:300],
            "theme": theme,
            "value_territory": territory_value,
            **references,
            "observed": None,
            "expected": None,
            "comment": " ; ".join(notes),
        }
        check_indicator(values, today=today)
        result.preview.rows.append(values)
    except ValidationError as exc:
        result.preview.errors.append((0, f"« {column.header} » : {exc.message}"))


def _references(
    by_code: dict[str, list[str]],
    read: Callable[[list[str]], float | None],
    level: str,
    refdata: RefData,
    unit: Unit,
    departement: str,
    region: str,
    notes: list[str],
) -> dict[str, float | None]:
    """Département, région and France values: the file's own rows, else its communes aggregated."""
    found: dict[str, float | None] = {"value_departement": None, "value_region": None, "value_france": None}
    rows = reference_row_codes(level, departement, region)
    for key, codes in rows.items():
        for code in codes:
            if code and code in by_code:
                found[key] = read(by_code[code])
                break
    if level != "commune":
        return found
    scopes = {
        "value_departement": [c.code for c in refdata.communes_of_departement(departement)] if departement else [],
        "value_region": [c.code for c in refdata.communes.values() if c.region == region] if region else [],
        "value_france": list(refdata.communes),
    }
    for key, codes in scopes.items():
        if found[key] is not None or not codes:
            continue
        present = [c for c in codes if c in by_code]
        if len(present) < COVERAGE * len(codes):
            continue
        pairs = []
        for code in present:
            number = read(by_code[code])
            if number is not None:
                pairs.append((number, _weight(refdata, "commune", code)))
        if pairs:
            found[key], how = _aggregate(pairs, unit)
            notes.append(f"{dict(_REFERENCE_NAMES)[key]} : {how} des communes du fichier")
    return found


_REFERENCE_NAMES = (("value_departement", "Département"), ("value_region", "Région"), ("value_france", "France"))


def import_wide_table(uow: UnitOfWork, project_id: int, prepared: WideImport) -> int:
    """Save the indicators in one transaction (nothing if any column failed)."""
    return import_indicators(uow, project_id, prepared.preview)
