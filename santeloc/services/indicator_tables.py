"""Importing a territory × indicators table (INSEE Statistiques locales, CartoSanté, DREES APL…).

The table's geographic level is read from the file (its « Référentiel géographique : France par
… » line, its code column's title, its rows' names, the shape of its codes) and said in the
summary. Each kept column becomes one indicator of the project, **at its level**:

- the territory's value comes only from rows that make the territory: its communes in a table
  by commune, the EPCI(s) or département(s) it covers exactly, or the rows the user chose (a
  table by bassin de vie or canton-ville asks for them). A département or région that is larger
  than the territory never gives the territory's value: its row goes to the département or
  région reference value, and the territory's value stays empty;
- a count is summed over the territory's rows; a rate, share, mean, median, index, density,
  income or APL is never summed: it is averaged weighted by population (by the standardised
  population where the source says so, as the DREES asks for the APL), or refused with a
  sentence saying why when the weights are unknown;
- the département, région and France values are read from the file's own rows when it has
  them, else aggregated from its communes (or départements) when it covers them.

Saving is idempotent (see :func:`santeloc.services.indicators.save_indicators`): importing the
same file again updates what it brought and says what changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlmodel import col

from santeloc.analysis.tabular import RawTable
from santeloc.analysis.wide_tables import (
    COUNT,
    IndicatorColumn,
    WideLayout,
    Zoning,
    _plain,
    detect_wide,
    read_value,
    reference_row_codes,
)
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_int, plural
from santeloc.domain.indicators import Unit
from santeloc.domain.models import TerritoryCommune
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services.indicators import ImportPreview, IndicatorSaveReport, check_indicator, save_indicators
from santeloc.services.places import report_text

LEVELS: tuple[tuple[str, str], ...] = (
    ("commune", "Communes (code INSEE)"),
    ("epci", "Intercommunalités (EPCI)"),
    ("departement", "Départements"),
    ("region", "Régions"),
    ("autre", "Autre zonage (bassins de vie, cantons-villes, territoires de CPTS…) : choisir les lignes"),
)
COVERAGE = 0.95  # share of a level's communes the file must give to aggregate it
_BASE_UNITS = {1.0: Unit.RATIO, 100.0: Unit.PERCENT, 1000.0: Unit.PER_1000, 10000.0: Unit.PER_10000,
               100000.0: Unit.PER_100000}  # fmt: skip
_LEVEL_WORDS = {"commune": "communes", "epci": "intercommunalités (EPCI)", "departement": "départements",
                "region": "régions", "autre": "autre zonage"}  # fmt: skip
_REFERENCE_NAMES = (("value_departement", "Département"), ("value_region", "Région"), ("value_france", "France"))


class RowsNeededError(ValidationError):
    """The table is by another zoning (bassins de vie, cantons-villes…): which rows make the territory?

    ``candidates`` are (code, name) of rows that may belong to the territory (their code or
    name is one of its communes'), for the caller to propose (a CLI option, a list to tick).
    """

    def __init__(self, message: str, candidates: list[tuple[str, str]], code_header: str = "Code") -> None:
        super().__init__(message)
        self.candidates = candidates
        self.code_header = code_header


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
    level_note: str = ""  # « Niveau géographique : départements (ligne « Référentiel… ») »
    territory_note: str = ""  # why the territory's value is empty, when it is
    refused: list[str] = field(default_factory=list)  # columns not imported, each with why
    rows_hint: list[str] = field(default_factory=list)  # rows the user may name as the territory
    saved: IndicatorSaveReport | None = None  # what the saving changed (after import_wide_table)

    def summary(self) -> str:
        """Plain French, the same in the GUI and the command line."""
        parts = [self.level_note] if self.level_note else []
        if self.rows_used:
            parts.append(
                f"{format_int(len(self.preview.rows))} indicateur(s) à partir de "
                f"{format_int(self.rows_used)} ligne(s) du territoire"
            )
        else:
            parts.append(f"{format_int(len(self.preview.rows))} indicateur(s), valeurs de référence seulement")
        if self.territory_note:
            parts.append(self.territory_note)
        total = sum(self.missing.values())
        if total:
            parts.append(
                f"{format_int(total)} case(s) « non disponible » (N/A, secret statistique, nd…) lues comme manquantes"
            )
        parts.extend(self.notes)
        parts.extend(self.refused)
        if self.preview.errors:
            parts.append(f"{len(self.preview.errors)} erreur(s) : rien ne sera importé")
        if self.saved is not None:
            parts.append(self.saved.summary())
        return report_text(parts)


# --- level ------------------------------------------------------------------------------


def detect_table(table: RawTable, refdata: RefData) -> WideLayout | None:
    """:func:`detect_wide`, with the level checked against the reference data's names.

    Two-character codes are départements or régions (« 84 » is both): the rows' names decide
    when no metadata line said it.
    """
    layout = detect_wide(table)
    if layout is None or layout.zoning is None or not layout.zoning.from_codes:
        return layout
    if layout.level == "departement" and layout.name_column is not None:
        rows = [table.rows[i].cells for i in layout.data_rows]
        pairs = [(r[layout.code_column].strip().upper(), _plain(r[layout.name_column])) for r in rows]
        as_dep = sum(1 for c, n in pairs if c in refdata.departements and _plain(refdata.departements[c].name) == n)
        as_reg = sum(1 for c, n in pairs if c in refdata.regions and _plain(refdata.regions[c].name) == n)
        if as_reg > as_dep:
            layout.level = "region"
            layout.zoning = Zoning("region", "régions", "noms des lignes (noms de régions)")
    return layout


def _level_note(layout: WideLayout, level: str) -> str:
    zoning = layout.zoning
    if zoning is not None and zoning.level == level:
        article = "la" if zoning.evidence.startswith(("ligne", "colonne")) else "les"
        return f"Niveau géographique : {zoning.label} (d'après {article} {zoning.evidence})"
    return f"Niveau géographique : {_LEVEL_WORDS[level]} (choisi à l'import)"


# --- weights and aggregation --------------------------------------------------------------


def _unit_and_kind(column: IndicatorColumn) -> tuple[Unit, str]:
    """The stored unit and the kind (count or not); an unrecognised unit is never summed."""
    if column.unit is not None:
        return column.unit, COUNT if column.unit is Unit.COUNT else column.kind or "taux"
    return Unit.RATIO, ""


def territory_codes(uow: UnitOfWork, project_id: int) -> list[str]:
    """The project's communes."""
    with uow:
        return list(
            uow.session.execute(
                select(col(TerritoryCommune.insee_code)).where(col(TerritoryCommune.project_id) == project_id)
            ).scalars()
        )


class _Weights:
    """Each row's weight for averaging a rate: standardised population, population, or None."""

    def __init__(self, layout: WideLayout, by_code: dict[str, list[str]], level: str, refdata: RefData) -> None:
        self.layout, self.by_code, self.level, self.refdata = layout, by_code, level, refdata
        self._population: dict[str, float] = {}

    def standardised(self, column: IndicatorColumn) -> bool:
        """Whether the source asks for means weighted by standardised population (DREES APL)."""
        if self.layout.standardised_column is None:
            return False
        text = _plain(f"{column.units_text} {column.label}")
        return self.layout.standardised_rule or "standardise" in text

    def name(self, column: IndicatorColumn) -> str:
        if self.standardised(column):
            return "moyenne pondérée par la population standardisée (règle de la source)"
        if self.layout.population_column is not None and self.level == "autre":
            return "moyenne pondérée par la population de chaque ligne (colonne du fichier)"
        return "moyenne pondérée par la population"

    def of(self, code: str, column: IndicatorColumn, level: str | None = None) -> float | None:
        level = level or self.level
        cells = self.by_code.get(code)
        if self.standardised(column) and cells is not None:
            return self._cell(cells, self.layout.standardised_column)
        known = self._reference_population(level, code)
        if known is not None:
            return known
        if cells is not None and self.layout.population_column is not None:
            return self._cell(cells, self.layout.population_column)
        return None

    @staticmethod
    def _cell(cells: list[str], index: int | None) -> float | None:
        if index is None or index >= len(cells):
            return None
        try:
            return read_value(cells[index])
        except ValidationError:
            return None

    def _reference_population(self, level: str, code: str) -> float | None:
        refdata = self.refdata
        if level == "commune":
            commune = refdata.communes.get(code)
            return float(commune.population or 0) if commune else None
        key = f"{level}:{code}"
        if key in self._population:
            return self._population[key]
        value: float | None = None
        if level == "epci" and code in refdata.epcis:
            value = float(sum(c.population or 0 for c in refdata.communes_of_epci(code)))
        elif level == "departement" and code in refdata.departements:
            value = float(sum(c.population or 0 for c in refdata.communes_of_departement(code)))
        elif level == "region" and code in refdata.regions:
            value = float(sum(c.population or 0 for c in refdata.communes.values() if c.region == code))
        self._population[key] = value  # type: ignore[assignment]
        return value


class _RefusedError(Exception):
    """A column cannot be aggregated (a rate without weights): not imported, with why."""


def _aggregate(pairs: list[tuple[float, float | None]], kind: str, weights_name: str, what: str) -> tuple[float, str]:
    """Counts are summed; anything else is averaged weighted by population, or refused."""
    if kind == COUNT:
        return sum(v for v, _w in pairs), "somme"
    if any(w is None for _v, w in pairs):
        raise _RefusedError(
            f"ce n'est pas un effectif (un taux, une part, une moyenne… ne s'additionne pas) et le fichier ne "
            f"donne pas la population de chaque ligne de {what} pour en faire une moyenne pondérée"
        )
    weight = sum(w or 0.0 for _v, w in pairs)
    if weight <= 0:
        raise _RefusedError(f"ce n'est pas un effectif et la population de {what} est nulle : pas de moyenne possible")
    return sum(v * (w or 0.0) for v, w in pairs) / weight, weights_name


# --- preparing ----------------------------------------------------------------------------


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

    ``chosen_rows`` are the codes of the rows that make the territory (required for another
    zoning such as bassins de vie; for the other levels they replace the automatic choice).
    ``ratios`` add rates recomputed from a numerator and a denominator column, which is exact
    where averaging the rows' rates is only an approximation.

    Raises:
        RowsNeededError: a table by another zoning and no rows chosen.
        ValidationError: unknown level, no territory, no column, no row of the file concerns the territory.
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
    departement_found = Counter(refdata.communes[c].departement for c in territory if c in refdata.communes)
    region_found = Counter(refdata.communes[c].region for c in territory if c in refdata.communes)
    departement = departement_found.most_common(1)[0][0] if departement_found else ""
    region = region_found.most_common(1)[0][0] if region_found else ""
    result = WideImport(ImportPreview(rows=[], errors=[]), level_note=_level_note(layout, level))
    used = _territory_rows(table, layout, refdata, territory, level, chosen_rows, by_code, result)
    result.rows_used = len(used)
    reference_rows = reference_row_codes(level, departement, region)
    if not used and not any(code in by_code for codes in reference_rows.values() for code in codes if code):
        if result.rows_hint:  # only rows larger than the territory: the user must say they are it
            raise RowsNeededError(
                f"{result.territory_note}, et le fichier ne donne ni le département, ni la région, ni la France : "
                "indiquez si cette ligne forme bien votre territoire.",
                [(code, _row_name(layout, by_code[code], code)[len(code) :].strip()) for code in result.rows_hint],
                table.headers[layout.code_column],
            )
        targets = _targets(level, territory, refdata)
        raise ValidationError(
            f"Aucune ligne du fichier ne concerne le territoire ({_LEVEL_WORDS[level]}, codes "
            f"{', '.join(targets[:5]) or '—'}…), ni son département, sa région ou la France."
        )
    weights = _Weights(layout, by_code, level, refdata)
    context = _Context(table, layout, by_code, used, level, refdata, result, source or layout.source, theme, today,
                       departement, region, weights)  # fmt: skip
    for column in wanted:
        _one_indicator(context, column)
    for ratio in ratios:
        _one_ratio(context, ratio)
    return result


@dataclass
class _Context:
    table: RawTable
    layout: WideLayout
    by_code: dict[str, list[str]]
    used: list[str]
    level: str
    refdata: RefData
    result: WideImport
    source: str
    theme: str
    today: date | None
    departement: str
    region: str
    weights: _Weights


def _row_name(layout: WideLayout, cells: list[str] | None, code: str) -> str:
    if cells is None or layout.name_column is None or layout.name_column >= len(cells):
        return code
    return f"{code} {cells[layout.name_column].strip()}"


def _territory_rows(
    table: RawTable,
    layout: WideLayout,
    refdata: RefData,
    territory: Collection[str],
    level: str,
    chosen_rows: Collection[str],
    by_code: dict[str, list[str]],
    result: WideImport,
) -> list[str]:
    """The codes of the rows that make the territory (empty: the territory's value stays empty)."""
    if chosen_rows:
        chosen = sorted({code.strip().upper() for code in chosen_rows if code.strip()})
        used = [code for code in chosen if code in by_code]
        absent = [code for code in chosen if code not in by_code]
        if not used:
            raise ValidationError(f"Aucune des lignes choisies ({', '.join(absent[:8])}) n'est dans le fichier.")
        if absent:
            result.notes.append(f"ligne(s) choisie(s) absente(s) du fichier : {', '.join(absent[:8])}")
        shown = ", ".join(_row_name(layout, by_code[code], code) for code in used[:6])
        result.notes.append(f"Territoire = {plural(len(used), 'ligne choisie', 'lignes choisies')} : {shown}")
        return used
    if level == "autre":
        label = layout.zoning.label if layout.zoning and layout.zoning.level == "autre" else "un autre zonage"
        raise RowsNeededError(
            f"Ce tableau donne des {label}, pas des communes : indiquez quelles lignes forment votre territoire "
            "(leurs valeurs seront additionnées pour les effectifs, moyennées pondérées par la population pour "
            "les taux).",
            _candidates(layout, table, refdata, territory),
            table.headers[layout.code_column],
        )
    targets = _targets(level, territory, refdata)
    present = [code for code in targets if code in by_code]
    if level == "commune":
        if len(present) < len(targets):
            result.notes.append(f"{len(targets) - len(present)} commune(s) du territoire absente(s) du fichier")
        return present
    # EPCI, département, région: their value is the territory's only when they are the territory.
    known = {c for c in territory if c in refdata.communes}
    covered = set().union(*(_communes_of(level, code, refdata) for code in targets)) if targets else set()
    if present and covered == known and len(present) == len(targets):
        return present
    population = sum(refdata.communes[c].population or 0 for c in known)
    names = ", ".join(_row_name(layout, by_code.get(code), code) for code in present[:4])
    where = {
        "departement": "est reprise comme valeur départementale",
        "region": "est reprise comme valeur régionale",
    }.get(level, "n'est reprise nulle part")
    if present:
        result.territory_note = (
            f"Valeur du territoire laissée vide : la ligne {names} couvre plus que le territoire "
            f"({format_int(population)} habitants) ; sa valeur {where}"
        )
        if level == "epci":
            result.rows_hint = present
    else:
        result.territory_note = "Valeur du territoire laissée vide : le fichier n'a pas de ligne du territoire"
    return []


def _communes_of(level: str, code: str, refdata: RefData) -> set[str]:
    if level == "epci" and code in refdata.epcis:
        return set(refdata.epcis[code].communes)
    if level == "departement" and code in refdata.departements:
        return {c.code for c in refdata.communes_of_departement(code)}
    if level == "region":
        return {c.code for c in refdata.communes.values() if c.region == code}
    return set()


def _targets(level: str, territory: Collection[str], refdata: RefData) -> list[str]:
    if level == "commune":
        return sorted(territory)
    if level == "epci":
        epcis = {refdata.communes[c].epci for c in territory if c in refdata.communes}
        return sorted(code for code in epcis if code)
    if level == "departement":
        return sorted({refdata.communes[c].departement for c in territory if c in refdata.communes})
    if level == "region":
        return sorted({refdata.communes[c].region for c in territory if c in refdata.communes})
    return []


def _candidates(
    layout: WideLayout, table: RawTable, refdata: RefData, territory: Collection[str]
) -> list[tuple[str, str]]:
    """Rows whose code is a territory commune's (a bassin de vie is coded by its main commune) or
    whose name is a territory commune's name."""
    names = {_plain(refdata.communes[c].name) for c in territory if c in refdata.communes}
    found: list[tuple[str, str]] = []
    for i in layout.data_rows:
        cells = table.rows[i].cells
        code = cells[layout.code_column].strip()
        name = cells[layout.name_column].strip() if layout.name_column is not None else ""
        if code.upper() in territory or (name and _plain(name) in names):
            found.append((code, name))
    return found[:20]


# --- one column ---------------------------------------------------------------------------


def _one_indicator(ctx: _Context, column: IndicatorColumn) -> None:
    def value(cells: list[str]) -> float | None:
        text = cells[column.index] if column.index < len(cells) else ""
        return read_value(text)

    label = column.label
    try:
        unit, kind = _unit_and_kind(column)
        notes: list[str] = []
        if column.units_text:
            notes.append(f"Unité indiquée par le fichier : « {' '.join(column.units_text.split())} »")
        if column.unit is None:
            notes.append("Unité non reconnue : valeur enregistrée comme ratio, jamais additionnée (vérifiez-la)")
        pairs: list[tuple[float, float | None]] = []
        for code in ctx.used:
            number = value(ctx.by_code[code])
            if number is None:
                ctx.result.missing[label] += 1
            else:
                pairs.append((number, ctx.weights.of(code, column)))
        territory_value: float | None = None
        if len(pairs) == 1 and len(ctx.used) == 1:
            territory_value = pairs[0][0]
        elif pairs:
            territory_value, how = _aggregate(pairs, kind, ctx.weights.name(column), "territoire")
            notes.append(f"Valeur du territoire : {how} des {len(pairs)} lignes (sur {len(ctx.used)})")
        references = _references(ctx, column, value, kind, notes)
        values: dict[str, object] = {
            "label": label[:300],
            "unit": unit.value,
            "year": column.year,
            "period": column.period if column.period and "-" in column.period else "",
            "source": ctx.source[:300],
            "theme": ctx.theme,
            "value_territory": territory_value,
            **references,
            "observed": None,
            "expected": None,
            "comment": " ; ".join(notes),
        }
        check_indicator(values, today=ctx.today)
        ctx.result.preview.rows.append(values)
    except _RefusedError as exc:
        ctx.result.refused.append(f"« {label} » non importé : {exc}")
    except ValidationError as exc:
        ctx.result.preview.errors.append((0, f"« {column.header} » : {exc.message}"))


def _references(
    ctx: _Context,
    column: IndicatorColumn,
    read: Callable[[list[str]], float | None],
    kind: str,
    notes: list[str],
) -> dict[str, float | None]:
    """Département, région and France values: the file's own rows, else its rows aggregated."""
    found: dict[str, float | None] = {"value_departement": None, "value_region": None, "value_france": None}
    for key, codes in reference_row_codes(ctx.level, ctx.departement, ctx.region).items():
        for code in codes:
            if code and code in ctx.by_code:
                found[key] = read(ctx.by_code[code])
                break
    refdata = ctx.refdata
    if ctx.level == "commune":
        scopes = {
            "value_departement": [c.code for c in refdata.communes_of_departement(ctx.departement)]
            if ctx.departement in refdata.departements
            else [],
            "value_region": [c.code for c in refdata.communes.values() if c.region == ctx.region] if ctx.region else [],
            "value_france": list(refdata.communes),
        }
    elif ctx.level == "departement":
        scopes = {
            "value_region": [d.code for d in refdata.departements.values() if d.region == ctx.region]
            if ctx.region
            else [],
            "value_france": list(refdata.departements),
        }
    else:
        return found
    what = "communes" if ctx.level == "commune" else "départements"
    for key, codes in scopes.items():
        if found[key] is not None or not codes:
            continue
        present = [c for c in codes if c in ctx.by_code]
        if len(present) < COVERAGE * len(codes):
            continue
        pairs = []
        for code in present:
            number = read(ctx.by_code[code])
            if number is not None:
                pairs.append((number, ctx.weights.of(code, column)))
        if not pairs:
            continue
        try:
            found[key], how = _aggregate(pairs, kind, ctx.weights.name(column), dict(_REFERENCE_NAMES)[key].lower())
        except _RefusedError:
            continue  # no weights: the reference stays empty rather than wrong
        notes.append(f"{dict(_REFERENCE_NAMES)[key]} : {how} des {what} du fichier")
    return found


def _one_ratio(ctx: _Context, ratio: Ratio) -> None:
    """One recomputed rate: territory and reference rows from the sums of both columns."""
    headers = ctx.table.headers
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
        territory_rows = [ctx.by_code[code] for code in ctx.used]
        ctx.result.missing[label] += sum(1 for cells in territory_rows if pair(cells) is None)
        references: dict[str, float | None] = {}
        for key, codes in reference_row_codes(ctx.level, ctx.departement, ctx.region).items():
            row = next((ctx.by_code[c] for c in codes if c and c in ctx.by_code), None)
            references[key] = rate([row]) if row is not None else None
        values: dict[str, object] = {
            "label": label[:300], "unit": _BASE_UNITS[ratio.base].value, "year": None, "period": "",
            "source": ctx.source[:300], "theme": ctx.theme, "value_territory": rate(territory_rows), **references,
            "observed": None, "expected": None,
            "comment": f"Taux recalculé : somme de « {names[0]} » / somme de « {names[1]} » des lignes du territoire",
        }  # fmt: skip
        check_indicator(values, today=ctx.today)
        ctx.result.preview.rows.append(values)
    except ValidationError as exc:
        ctx.result.preview.errors.append((0, f"« {label} » : {exc.message}"))


def import_wide_table(uow: UnitOfWork, project_id: int, prepared: WideImport) -> int:
    """Save the indicators in one transaction (nothing if any column failed), updating those a
    previous import of the same file brought; returns how many indicators the file gave.

    ``prepared.saved`` then says what changed (added, updated, unchanged)."""
    prepared.saved = save_indicators(uow, project_id, prepared.preview)
    return prepared.saved.total
