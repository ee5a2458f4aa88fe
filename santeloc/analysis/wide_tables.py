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


COUNT = "nombre"
RATE = "taux"
"""Kinds of indicator: a count adds up over territories; a rate, share, mean, median, index,
density, life expectancy, income or APL never does (it is averaged, weighted, or refused)."""

_PER_INHABITANT = re.compile(r"\bpar (?:habitant|hab\b|personne|patient|medecin|menage|an et par|km)|accessibles? par")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
# Label starts of values that never add up over territories (plain text, no accents).
_RATE_STARTS = ("taux", "part ", "part des", "part de", "proportion", "pourcentage", "esperance", "mediane",
                "median", "moyenne", "moyen ", "indice", "densite", "apl", "ratio", "rapport", "evol", "variation",
                "age moyen", "age median", "revenu", "salaire", "niveau de vie", "score", "icm", "sir", "smr",
                "accessibilite")  # fmt: skip
# Label starts of counts (people, doctors, places…), when no rate word comes first.
_COUNT_STARTS = ("nombre", "nb ", "nb.", "nbre", "effectif", "population", "logements", "emplois", "etablissements",
                 "naissances", "deces", "menages", "beneficiaires", "habitants", "personnes", "unites legales",
                 "creations", "medecin", "medecins", "pharmacie", "ecole", "college", "lycee", "lits", "places",
                 "patients", "professionnels", "infirmier", "chirurgien", "sage", "masseur")  # fmt: skip


def _explicit_unit(text: str) -> tuple[Unit | None, str]:
    """The unit a units cell or a header's parentheses state ("en %", "pour 100 000", "en nombre")."""
    plain = _plain(text)
    if not plain:
        return None, ""
    if _PER_INHABITANT.search(plain):  # « En nombre de consultations… par habitant » is a rate
        return Unit.RATIO, RATE
    if any(word in plain for word in ("euro", "€")):
        return Unit.EUROS, RATE
    try:
        unit = parse_unit(text)
    except ValidationError:
        return None, ""
    if unit is Unit.YEARS and not re.fullmatch(r"(?:en )?(?:ans|annees?|ages?)", plain):
        return None, ""  # « 65 ans ou plus », « moins de 75 ans » name an age band, not the unit
    return unit, (COUNT if unit is Unit.COUNT else RATE)


def _rate_unit(label: str) -> Unit:
    """The unit of a value that is not a count, from its label (plain text)."""
    if label.startswith(("evol", "variation")):
        return Unit.VARIATION_PERCENT
    if label.startswith("taux"):
        if any(w in label for w in ("standardise", "premature", "comparatif", "incidence", "admission", "ald",
                                    "cause", "suicide", "cancer", "hospitalis", "recours")):  # fmt: skip
            return Unit.PER_100000  # SCORE-Santé, CépiDc, Cnam: per 100 000 inhabitants
        if any(w in label for w in ("mortalite", "natalite", "deces", "naissance")):
            return Unit.PER_1000  # Insee's crude birth and death rates: ‰
        return Unit.PERCENT  # taux de pauvreté, de chômage, d'activité…: %
    if label.startswith(("part ", "part des", "part de", "proportion", "pourcentage")):
        return Unit.PERCENT
    if label.startswith("esperance") or "age moyen" in label or "age median" in label:
        return Unit.YEARS
    if any(w in label for w in ("niveau de vie", "revenu", "salaire", "euros")):
        return Unit.EUROS
    if label.startswith(("indice", "icm", "sir", "smr")):
        return Unit.INDEX
    return Unit.RATIO  # densities, APL, means and medians of other things: stated as they are


def classify_column(header: str, units_cell: str = "") -> tuple[Unit | None, str]:
    """(unit, kind) of an indicator column: kind :data:`COUNT`, :data:`RATE` or "" (unknown).

    The units row comes first (« En nombre de consultations/visites accessibles par habitant
    standardisé » is a rate per inhabitant, « En nombre d'habitants » a count), then what the
    header says in parentheses (« (en %) », « (en nombre) », « (pour 100 000 hab.) »), then the
    label's first words: « Taux… », « Part… », « Espérance… », « Médiane… », « Indice… »,
    « Densité… », « APL… » are rates (a rate per 100 000 for standardised or premature mortality,
    ‰ for Insee's crude rates, % otherwise; € for incomes; years for life expectancy), « Nombre… »,
    « Population… », « Logements… »… counts.
    """
    label = _plain(split_header(header)[0])
    if label.startswith(("evol", "variation", "taux d'evolution", "taux de variation", "taux d evolution")):
        return Unit.VARIATION_PERCENT, RATE  # « Évol. annuelle moy. … (en %) » may be negative
    unit, kind = _explicit_unit(units_cell)
    if unit is not None:
        return unit, kind
    for inner in _PARENTHESES.findall(header):
        unit, kind = _explicit_unit(inner)
        if unit is not None:
            return unit, kind
    if label.startswith(_RATE_STARTS) or " par habitant" in label:
        stated = _PER_100000_IN_LABEL.search(label)
        if stated is not None:
            return parse_unit(stated.group(0)), RATE
        return _rate_unit(label), RATE
    if "en nombre" in label or label.startswith(_COUNT_STARTS):
        return Unit.COUNT, COUNT
    return None, ""


_PER_100000_IN_LABEL = re.compile(r"pour (?:100 ?000|10 ?000|1 ?000|100)\b")


def guess_unit(header: str, units_cell: str = "") -> Unit | None:
    """The unit a header or a units row names (see :func:`classify_column`), if any."""
    return classify_column(header, units_cell)[0]


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
    kind: str = ""  # COUNT, RATE or "" when neither the units row nor the label says
    units_text: str = ""  # the units row's cell, as written (« En nombre de consultations… »)


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
    zoning: Zoning | None = None  # the level with what it was recognised from
    population_column: int | None = None  # each row's population (weights of rates), when given
    standardised_column: int | None = None  # each row's standardised population (DREES APL)
    standardised_rule: bool = False  # the file's note asks for means weighted by standardised population


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
            if not period and (stated := title_year(table)) is not None:
                period, year = str(stated), stated  # « Millésime : 2023 » in the title lines
            unit, kind = classify_column(header, units_cell)
            indicators.append(IndicatorColumn(index, header, label, period, year, unit, missing, kind, units_cell))
    if not indicators:
        return None
    codes = [rows[i].cells[code].strip() for i in data]
    names = [rows[i].cells[name].strip() for i in data] if name is not None else []
    zoning = guess_zoning(table, code, codes, names)
    layout = WideLayout(code, name, indicators, units_row, zoning.level, data, guess_source(table), zoning)
    layout.population_column, layout.standardised_column = _population_columns(indicators)
    layout.standardised_rule = _says_standardised_weights(table)
    return layout


def _population_columns(indicators: list[IndicatorColumn]) -> tuple[int | None, int | None]:
    """The columns giving each row's population and standardised population (weights of rates)."""
    total = standardised = None
    for column in indicators:
        plain = _plain(column.label)
        if column.kind != COUNT or not plain.startswith("population"):
            continue
        if "standardis" in plain:
            standardised = column.index if standardised is None else standardised
        elif total is None:
            total = column.index
    return total, standardised


def _says_standardised_weights(table: RawTable) -> bool:
    """Whether the file's notes ask for means weighted by standardised population (DREES APL)."""
    return any(
        "pondere par la population standardisee" in _plain(text)
        or "ponderer par la population standardisee" in _plain(text)
        for _line, text in table.skipped_lines
    )


_YEAR_LINE = re.compile(r"^(?:millesime|annee|annee de reference|periode|date des donnees)\s*:\s*((?:19|20)\d{2})$")


def title_year(table: RawTable) -> int | None:
    """The year a title line states (« Millésime : 2023 »), if any."""
    for line, text in table.skipped_lines:
        if line >= table.header_line:
            break
        match = _YEAR_LINE.match(_plain(text))
        if match:
            return int(match.group(1))
    return None


@dataclass(frozen=True)
class Zoning:
    """The geographic level of a table's rows and how it was recognised (said in the summary)."""

    level: str  # commune, epci, departement, region, autre
    label: str  # « bassins de vie », « départements »…
    evidence: str  # « ligne « Référentiel géographique : … » », « colonne « Code BV » », « codes à 5 caractères »…

    @property
    def from_codes(self) -> bool:
        """Whether only the shape of the codes told the level (no metadata line, title or name)."""
        return self.evidence.startswith("codes")


# Zoning names in metadata lines and code headers (plain text), most specific first.
_ZONING_WORDS: tuple[tuple[str, str, str], ...] = (
    ("bassins de vie", "autre", "bassins de vie"), ("bassin de vie", "autre", "bassins de vie"),
    ("canton-ville", "autre", "cantons-villes"), ("cantons-villes", "autre", "cantons-villes"),
    ("canton ville", "autre", "cantons-villes"), ("pseudo-canton", "autre", "cantons-villes"),
    ("canton", "autre", "cantons"), ("zone d'emploi", "autre", "zones d'emploi"),
    ("zones d'emploi", "autre", "zones d'emploi"), ("territoire de vie", "autre", "territoires de vie-santé"),
    ("territoires de vie", "autre", "territoires de vie-santé"), ("aire d'attraction", "autre", "aires d'attraction"),
    ("unite urbaine", "autre", "unités urbaines"), ("arrondissement", "autre", "arrondissements"),
    ("cpts", "autre", "territoires de CPTS"), ("iris", "autre", "IRIS"),
    ("intercommunalite", "epci", "intercommunalités (EPCI)"), ("epci", "epci", "intercommunalités (EPCI)"),
    ("departement", "departement", "départements"), ("region", "region", "régions"),
    ("commune", "commune", "communes"),
)  # fmt: skip
_ZONING_LINE = re.compile(
    r"^(?:referentiel geographique|decoupage(?: geographique)?|niveau(?: geographique)?|maille|echelon|zonage"
    r"|territoires?|niveau de restitution)\s*:\s*(.+)$"
)
_LEVEL_LABELS = {"commune": "communes", "epci": "intercommunalités (EPCI)", "departement": "départements",
                 "region": "régions", "autre": "autre zonage"}  # fmt: skip


def _zoning_in(text: str) -> tuple[str, str] | None:
    """(level, label) of the zoning a text names; after « par » when it says « France par … »."""
    plain = _plain(text)
    if " par " in f" {plain} ":
        plain = plain.split("par ", 1)[1] if plain.startswith("par ") else plain.split(" par ", 1)[1]
    found = [(plain.find(word), -len(word), level, label) for word, level, label in _ZONING_WORDS if word in plain]
    if not found:
        return None
    _position, _length, level, label = min(found)
    return level, label


def guess_zoning(table: RawTable, code_column: int, codes: list[str], names: list[str]) -> Zoning:
    """The level of a table's rows: its metadata line (« Référentiel géographique : France par
    bassin de vie », « Découpage : Commune »), else its code column's title (« Code bassin de
    vie »), else its rows' names (« BV … »), else the shape of its codes."""
    for line, text in table.skipped_lines:
        if line >= table.header_line:
            break
        match = _ZONING_LINE.match(_plain(text))
        if match and (found := _zoning_in(match.group(1))) is not None:
            return Zoning(found[0], found[1], f"ligne « {' '.join(text.split())[:120]} »")
    header = table.headers[code_column] if code_column < len(table.headers) else ""
    plain_header = _plain(header)
    if plain_header.startswith("code ") and (found := _zoning_in(plain_header[5:])) is not None:
        if found[0] != "commune" or plain_header in ("code commune", "code insee commune"):
            return Zoning(found[0], found[1], f"colonne « {header} »")
    named = [_plain(n) for n in names if n]
    if named and sum(n.startswith(("bv ", "bassin de vie")) for n in named) > len(named) / 2:
        return Zoning("autre", "bassins de vie", "noms des lignes (« BV … »)")
    level = guess_level(codes)
    shape = {"commune": "codes à 5 caractères", "epci": "codes SIREN à 9 chiffres",
             "departement": "codes à 2 ou 3 caractères"}.get(level, "codes d'un autre zonage")  # fmt: skip
    return Zoning(level, _LEVEL_LABELS[level], shape)


# Words of each portal in an export's title lines or headers, and how to cite it.
_SOURCES = (
    (("statistiques locales",), "Insee, Statistiques locales"),
    (("drees", "accessibilite potentielle localisee"), "DREES"),
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
