"""Territory × indicators tables: one row per territory, one column per indicator, a ``Code`` column.

This is how INSEE Statistiques locales, CartoSanté, Odissé/Géodes, SCORE-Santé and Rezone CPTS
export their tables (title lines, sometimes a units row, "N/A - secret statistique" in the
cells). This module only reads the layout (no database, no reference data): which column holds
the codes, which hold indicators, what each indicator's label, period and unit are, and which
cells are "not available" markers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from santeloc.analysis.tabular import RawRow, RawTable
from santeloc.domain.errors import ValidationError
from santeloc.domain.indicators import MISSING_MARKERS, Unit, parse_french_number, parse_unit

# Extra "not available" markers of public exports, compared lower-case without accents.
_EXTRA_MISSING = frozenset({"n/a", "na", "nd", "n.d.", "nc", "s", "secret", "-", "--", "…", "...", "x", "ns", "n.s."})
# Code columns of INSEE Statistiques locales ("Code"), CartoSanté, Odissé/Géodes ("Code géographique",
# "geo"), SCORE-Santé ("Code territoire"), Rezone CPTS ("Code commune", "Code CPTS")…
_CODE_HEADERS = ("code", "codgeo", "code geo", "code geographique", "code insee", "code commune", "codecommune",
                 "depcom", "com", "code territoire", "code zone", "code du territoire", "insee", "geo", "code_insee",
                 "code epci", "code departement", "code region", "code cpts", "code bassin de vie", "code bv")  # fmt: skip
_NAME_HEADERS = ("libelle", "libgeo", "nom", "territoire", "nom du territoire", "commune", "zone", "lib geo",
                 "libelle geographique", "libelle commune", "nom commune", "nom de la commune", "libelle territoire")  # fmt: skip
_YEAR_HEADERS = ("annee", "annees", "year", "periode", "period", "millesime", "date")
_PERIOD = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:\s*[-/–à]\s*((?:19|20)\d{2}))?(?!\d)")
FRANCE_CODES = frozenset({"fr", "fra", "france", "fm", "fe", "france metropolitaine", "france entiere", "frm", "met"})


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().replace("_", " ").split())


def is_missing(text: str) -> bool:
    """Whether a cell says "no value": empty, "N/A - secret statistique", "nd", "s", "-"…"""
    plain = _plain(text)
    return plain in MISSING_MARKERS or plain in _EXTRA_MISSING or plain.startswith("n/a")


def read_value(text: str) -> float | None:
    """A cell's number; None for a "not available" marker; ValidationError when it is neither."""
    if is_missing(text):
        return None
    return parse_french_number(text)


def parse_period(text: str) -> tuple[str, int] | None:
    """("2015-2019", 2019) from "2015-2019", "2015 - 2019", "2015/2019"; ("2022", 2022) from "2022"."""
    match = _PERIOD.fullmatch(text.strip())
    if match is None:
        return None
    first, last = match.group(1), match.group(2)
    if last is None:
        return first, int(first)
    if int(last) < int(first):
        return None
    return f"{first}-{last}", int(last)


def split_header(header: str) -> tuple[str, str, int | None]:
    """An indicator header as (label, period, last year): "Taux de pauvreté 2021" -> ("Taux de pauvreté", "2021", 2021)."""
    matches = list(_PERIOD.finditer(header))
    if not matches:
        return header.strip(), "", None
    last = matches[-1]
    period = parse_period(last.group(0))
    if period is None:
        return header.strip(), "", None
    label = re.sub(r"\(\s*\)", "", header[: last.start()] + header[last.end() :]).strip(" -–,;:")
    return " ".join(label.split()) or header.strip(), period[0], period[1]


def guess_unit(header: str, units_cell: str = "") -> Unit | None:
    """The unit a header ("… (en %)", "Taux … pour 100 000") or a units row names, if any."""
    for text in (units_cell, header):
        if not text.strip():
            continue
        try:
            return parse_unit(text)
        except ValidationError:
            continue
    plain = _plain(header)
    if "taux" in plain or "densite" in plain:
        return None
    if "en nombre" in plain or plain.startswith(("nombre", "nb ", "effectif", "population")):
        return Unit.COUNT
    return None


@dataclass(frozen=True)
class IndicatorColumn:
    """One indicator column of a wide table."""

    index: int
    header: str
    label: str
    period: str
    year: int | None
    unit: Unit | None
    missing: int = 0


@dataclass
class WideLayout:
    """What a territory × indicators table holds."""

    code_column: int
    name_column: int | None
    indicators: list[IndicatorColumn]
    units_row: int | None = None  # index in table.rows of a units row, left out of the data
    level: str = ""  # guessed level of the codes: commune, epci, departement, region, autre
    data_rows: list[int] = field(default_factory=list)
    source: str = ""  # the portal the file comes from, when its title lines or headers say so


def _code_column(headers: list[str]) -> int | None:
    plain = [_plain(h) for h in headers]
    for wanted in _CODE_HEADERS:
        if wanted in plain:
            return plain.index(wanted)
    for index, header in enumerate(plain):
        if header.startswith("code"):
            return index
    return None


def guess_level(codes: list[str]) -> str:
    """Commune (5 characters), EPCI (9 digits), département (2-3), région, or "autre" (bassins de vie…)."""
    sizes = [len(c) for c in codes if c and _plain(c) not in FRANCE_CODES]
    if not sizes:
        return "autre"
    common = max(set(sizes), key=sizes.count)
    share = sizes.count(common) / len(sizes)
    if common == 9 and share > 0.8:
        return "epci"
    if common == 5 and share > 0.8:
        return "commune"
    if common in (2, 3) and share > 0.8:
        return "departement"
    return "autre"


def detect_wide(table: RawTable) -> WideLayout | None:
    """The layout of a territory × indicators table, or None when the table is not one."""
    code = _code_column(table.headers)
    if code is None or len(table.headers) < 2:
        return None
    name = next((i for i, h in enumerate(table.headers) if i != code and _plain(h) in _NAME_HEADERS), None)
    rows = table.rows
    units_row = None
    if rows and (code >= len(rows[0].cells) or _plain(rows[0].cells[code]) in ("", "unite", "unites", "unit")):
        units_row = 0
    data = [i for i, r in enumerate(rows) if i != units_row and code < len(r.cells) and r.cells[code].strip()]
    # Odissé/Géodes give one row per territory *and year*: keep each territory's latest period.
    year_column = next(
        (i for i, h in enumerate(table.headers) if i not in (code, name) and _plain(h) in _YEAR_HEADERS), None
    )
    latest = ""
    if year_column is not None:
        data, latest = _latest_rows(rows, data, code, year_column)
    indicators: list[IndicatorColumn] = []
    for index, header in enumerate(table.headers):
        if index in (code, name, year_column) or not header.strip():
            continue
        numbers = missing = other = 0
        for i in data:
            cells = rows[i].cells
            text = cells[index] if index < len(cells) else ""
            if is_missing(text):
                missing += 1
                continue
            try:
                parse_french_number(text)
                numbers += 1
            except ValidationError:
                other += 1
        if numbers and other <= max(1, (numbers + other) // 20):
            label, period, year = split_header(header)
            if latest and not period:
                span = parse_period(latest)
                period, year = (span[0], span[1]) if span else ("", None)
            units_cell = (
                rows[units_row].cells[index] if units_row is not None and index < len(rows[units_row].cells) else ""
            )
            indicators.append(
                IndicatorColumn(index, header, label, period, year, guess_unit(header, units_cell), missing)
            )
    if not indicators:
        return None
    codes = [rows[i].cells[code].strip() for i in data]
    return WideLayout(code, name, indicators, units_row, guess_level(codes), data, guess_source(table))


# Words of each portal in an export's title lines or headers, and how to cite it.
_SOURCES = (
    (("statistiques locales",), "Insee, Statistiques locales"),
    (("cartosante", "carto sante"), "CartoSanté (ARS, Assurance maladie)"),
    (("geodes", "odisse"), "Santé publique France, Odissé (ex-Géodes)"),
    (("score sante", "scoresante"), "SCORE-Santé (FNORS)"),
    (("rezone",), "Rezone CPTS (Assurance maladie)"),
)


def guess_source(table: RawTable) -> str:
    """The portal an export comes from, from its title lines, footnotes or headers ("" when unsaid)."""
    text = _plain(" ".join([*(t for _line, t in table.skipped_lines), *table.headers])).replace("-", " ")
    for words, source in _SOURCES:
        if any(word in text for word in words):
            return source
    return ""


def _latest_rows(rows: list[RawRow], data: list[int], code: int, year_column: int) -> tuple[list[int], str]:
    """The row of each territory's most recent period, and that period ("" when unreadable)."""
    best: dict[str, tuple[int, int]] = {}
    for i in data:
        cells = rows[i].cells
        span = parse_period(cells[year_column]) if year_column < len(cells) else None
        last = span[1] if span else -1
        key = cells[code].strip().upper()
        if key not in best or last > best[key][0]:
            best[key] = (last, i)
    kept = sorted(i for _last, i in best.values())
    periods = {rows[i].cells[year_column].strip() for i in kept if year_column < len(rows[i].cells)}
    return kept, (periods.pop() if len(periods) == 1 else "")


def reference_row_codes(level: str, departement: str, region: str) -> dict[str, list[str]]:
    """Codes under which a file may give the département, région and France rows."""
    return {
        "value_departement": ([] if level == "region" else [departement]) + [f"D{departement}", f"DEP{departement}"],
        "value_region": [f"R{region}", f"REG{region}"] + ([region] if level == "region" else []),
        "value_france": [code.upper() for code in FRANCE_CODES],
    }
