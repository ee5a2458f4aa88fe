"""Common layouts of the travel-time and age tables users bring, and files without a header row.

* Travel times: ``COM1,COM2,KM,HC,HP`` (off-peak / peak minutes), INSEE Métric outputs,
  origin/destination/minutes in French or English: the columns are recognised.
* INSEE population by age: wide (one row per commune, ``SEXE1_AGED100000`` … ``SEXE2_AGED100100``
  for single years, or ``…_AGEQ65000`` style bands) or long (``CODGEO;SEXE;AGED100;NB``), summed
  over the territory's communes into the age groups that feed the pyramid.
* A file whose first row is data is read with "Colonne 1…" titles and the user is asked which
  column is what (:data:`HEADERLESS_QUESTION`), instead of a data row silently becoming the header.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Collection, Sequence
from pathlib import Path

from santeloc.analysis.tabular import RawRow, RawTable, read_table
from santeloc.domain.errors import ValidationError
from santeloc.domain.indicators import parse_french_number
from santeloc.services.column_guess import guess_columns
from santeloc.services.indicators import AgeGroup

HEADERLESS_QUESTION = "Ce fichier n'a pas de ligne de titres : indiquez ce que contient chaque colonne."
_NO_HEADER = "Aucune ligne d'en-tête"


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().replace("_", " ").split())


def read_any_table(path: Path, *, sheet: str | None = None) -> tuple[RawTable, bool]:
    """The table, and whether it had no header row (its columns are then "Colonne 1", "Colonne 2"…)."""
    try:
        return read_table(path, sheet=sheet), False
    except ValidationError as exc:
        if not exc.message.startswith(_NO_HEADER) or path.suffix.lower() not in (".csv", ".txt", ".tsv"):
            raise
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text, encoding = raw.decode("cp1252"), "windows-1252"
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise ValidationError(f"« {path.name} » est vide.")
    separator = max((";", "\t", ",", "|"), key=lambda s: lines[0].count(s))
    rows = [
        RawRow(number, [c.strip() for c in cells])
        for number, cells in enumerate(csv.reader(lines, delimiter=separator), 1)
    ]
    width = max(len(r.cells) for r in rows)
    headers = [f"Colonne {i + 1}" for i in range(width)]
    return RawTable(headers, rows, encoding, separator, None, [], header_line=0), True


# --- travel times ----------------------------------------------------------------------------

TRAVEL_WORDS: dict[str, Sequence[str]] = {
    "origin": ("com1", "codgeo ori", "code origine", "origine", "origin", "commune de depart", "depart", "source",
               "from", "idsrc", "src", "com ori", "codgeo 1", "ori"),
    "destination": ("com2", "codgeo des", "codgeo dest", "code destination", "destination", "commune d arrivee",
                    "arrivee", "dest", "to", "iddst", "dst", "com des", "codgeo 2", "des"),
    "minutes": ("hc", "minutes", "min", "duree", "temps", "temps de trajet", "duration", "time", "travel time", "hp"),
}  # fmt: skip


def guess_travel_columns(headers: Sequence[str], fields: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Origin, destination and minutes of a travel table (off-peak "HC" preferred to peak "HP")."""
    return guess_columns(headers, fields, TRAVEL_WORDS, {"minutes": ("km", "distance", "metre")}, weak=())


# --- population by age -----------------------------------------------------------------------

_WIDE_AGE = re.compile(r"^SEXE([12])_AGE[A-Z]*?(\d{3})(\d{3})$", re.IGNORECASE)
_WIDE_AGE_SHORT = re.compile(r"^SEXE([12])_AGE[A-Z]*?(\d{2})(\d{3})$", re.IGNORECASE)


def _wide_columns(headers: Sequence[str]) -> dict[int, tuple[int, int]]:
    """{column: (sex 1 man / 2 woman, lower age)} of an INSEE wide age table."""
    found: dict[int, tuple[int, int]] = {}
    for index, header in enumerate(headers):
        match = _WIDE_AGE.match(header.strip()) or _WIDE_AGE_SHORT.match(header.strip())
        if match:
            found[index] = (int(match.group(1)), int(match.group(3)))
    return found


def _code_column(headers: Sequence[str]) -> int | None:
    for wanted in ("codgeo", "code", "code commune", "com", "depcom", "code insee", "geo"):
        for index, header in enumerate(headers):
            if _plain(header) == wanted:
                return index
    return None


def _groups(totals: dict[int, list[float]]) -> list[AgeGroup]:
    lows = sorted(totals)
    groups = []
    for position, low in enumerate(lows):
        high = lows[position + 1] - 1 if position + 1 < len(lows) else None
        label = f"{low} ans" if high == low else (f"{low}-{high} ans" if high is not None else f"{low} ans ou plus")
        men, women = totals[low]
        groups.append(AgeGroup(label, low, high, round(men), round(women)))
    return groups


def insee_age_groups(table: RawTable, communes: Collection[str]) -> tuple[list[AgeGroup], int]:
    """Age groups of the territory from an INSEE table (wide or long), and the number of communes found.

    Raises ValidationError (one short French sentence) when the table is neither layout.
    """
    code = _code_column(table.headers)
    if code is None:
        raise ValidationError("Table des âges INSEE : colonne du code de la commune (« codgeo ») introuvable.")
    wanted = {c.upper() for c in communes}
    totals: dict[int, list[float]] = {}
    seen: set[str] = set()
    wide = _wide_columns(table.headers)
    if wide:
        for raw in table.rows:
            commune = raw.cells[code].strip().upper() if code < len(raw.cells) else ""
            if commune not in wanted:
                continue
            seen.add(commune)
            for index, (sex, low) in wide.items():
                value = parse_french_number(raw.cells[index]) if index < len(raw.cells) else None
                totals.setdefault(low, [0.0, 0.0])[sex - 1] += value or 0.0
    else:
        plain = [_plain(h) for h in table.headers]
        sex_col = next((i for i, h in enumerate(plain) if h in ("sexe", "sex")), None)
        age_col = next((i for i, h in enumerate(plain) if h.startswith("age")), None)
        count_col = next(
            (i for i, h in enumerate(plain) if h in ("nb", "effectif", "population", "valeur", "pop")), None
        )
        if sex_col is None or age_col is None or count_col is None:
            raise ValidationError(
                "Table des âges INSEE non reconnue : une colonne par âge et par sexe (« SEXE1_AGED100000… »), "
                "ou les colonnes « codgeo », « sexe », « aged100 » et « nb »."
            )
        for raw in table.rows:
            cells = raw.cells
            if max(code, sex_col, age_col, count_col) >= len(cells) or cells[code].strip().upper() not in wanted:
                continue
            seen.add(cells[code].strip().upper())
            age = parse_french_number(cells[age_col].lstrip("0") or "0")
            count = parse_french_number(cells[count_col]) or 0.0
            if age is None or cells[sex_col].strip() not in ("1", "2"):
                continue
            totals.setdefault(int(age), [0.0, 0.0])[int(cells[sex_col].strip()) - 1] += count
    if not seen:
        raise ValidationError("La table des âges ne contient aucune commune du territoire : rien n'a été enregistré.")
    return _groups(totals), len(seen)


def read_travel_table(path: Path) -> tuple[RawTable, dict[str, int], str]:
    """A travel table, its recognised columns, and the question to ask when it has no header row."""
    from santeloc.services.offer import MATRIX_FIELDS

    table, headerless = read_any_table(path)
    if headerless:
        return table, {}, HEADERLESS_QUESTION
    return table, guess_travel_columns(table.headers, MATRIX_FIELDS), ""


def age_groups_from_file(path: Path, communes: Collection[str] | None) -> list[AgeGroup]:
    """Age groups from an INSEE table (summed over ``communes``, or every row when None) or a simple one."""
    from santeloc.services.indicators import age_groups_from_table

    table, _headerless = read_any_table(path)
    if _code_column(table.headers) is not None and (_wide_columns(table.headers) or len(table.headers) >= 4):
        try:
            wanted = (
                communes if communes is not None else [r.cells[_code_column(table.headers) or 0] for r in table.rows]
            )
            return insee_age_groups(table, wanted)[0]
        except ValidationError:
            pass
    return age_groups_from_table(table)
