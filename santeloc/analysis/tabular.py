"""Reading the tables users bring (ORS, SCORE-Santé, Géodes, Assurance Maladie exports…).

No Qt, no database: file in, :class:`RawTable` out, every cell as stripped text. Then the
caller shows a preview, lets the user confirm the column mapping suggested by
:func:`guess_mapping`, and converts the cells it needs (see
:func:`santeloc.domain.indicators.parse_french_number`).

- :func:`read_table` — ``.csv``, ``.txt``, ``.tsv`` (encoding and separator detected) and
  ``.xlsx`` / ``.xlsm`` (one sheet); metadata lines before the header and footnotes after the
  table are set aside in :attr:`RawTable.skipped_lines`, each data row keeps its line number;
- :func:`guess_mapping` — which column holds the indicator, the territory value, the
  reference values, the year, the unit, the source…

Errors are :class:`~santeloc.domain.errors.ValidationError` with a French message.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from santeloc.domain.enums import LabelledEnum
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_int
from santeloc.domain.indicators import parse_french_number

TEXT_EXTENSIONS = (".csv", ".txt", ".tsv")
EXCEL_EXTENSIONS = (".xlsx", ".xlsm")
SEPARATORS = (";", "\t", "|", ",")
"""Candidate separators; on a tie the first wins (``;`` before ``,``, the decimal comma)."""

HEADER_WINDOW = 200
"""The header is looked for among the first non-blank rows, this many."""

_SAMPLE_LINES = 100

MAX_CELL_CHARS = 2_000_000
"""Longest cell read (characters); a longer one is refused with its line (or cell) named. Far
above a real table's longest text (an indicator's definition: a few thousand characters)."""

MAX_LINE_CHARS = 8_000_000
"""Longest physical line of a text file (characters); a longer one is refused, its line named."""

MAX_WORKBOOK_BYTES = 600 * 1024 * 1024
"""Most bytes a workbook's parts may take once decompressed (a 100 000-row table: ~60 MB);
beyond, the file is taken for a decompression bomb and refused before being opened."""

MAX_QUOTED_CHARS = 80
"""Characters of a cell quoted in a message (messages never repeat a whole cell)."""

MIXED_ENCODING = "utf-8/windows-1252"
"""The encoding reported for a UTF-8 file with some Windows-1252 lines (each decoded as its own)."""

csv.field_size_limit(MAX_CELL_CHARS)

MAX_RECORD_LINES = 50
"""A quoted field spanning more lines than this (or running to the end of the file over lines
holding separators) is taken for an unbalanced quote: the file is then read again with quotes
as plain characters."""


@dataclass(frozen=True, slots=True)
class RawRow:
    """A data row: its line number in the original file (1-based, as a text editor or a
    spreadsheet shows it; for a record spanning several lines, its first line) and its cells,
    stripped, as many as the headers (more only if a row carries values beyond the last
    column)."""

    line: int
    cells: list[str]


@dataclass(slots=True)
class RawTable:
    """A table read from a file, before any interpretation of its cells.

    Attributes:
        headers: column titles; an empty title becomes ``Colonne N`` (N from 1).
        rows: data rows, in file order.
        encoding: ``utf-8``, ``utf-8-sig`` (with BOM), ``utf-16``, ``windows-1252`` or
            ``utf-8/windows-1252`` (a UTF-8 file with some Windows-1252 lines, each line's
            accents decoded as they were written); empty for a workbook.
        separator: ``;``, ``,``, tab or ``|``; empty for a workbook.
        sheet: name of the sheet read, ``None`` for a text file.
        skipped_lines: (line number, text) of the non-blank lines set aside — metadata
            before the header, footnotes after the table, repeated header lines. Blank lines
            are skipped silently.
        sheet_names: every sheet of the workbook, in order (empty for a text file).
        header_line: line number of the header.
        truncated: ``True`` when ``max_rows`` stopped the reading before the end.
    """

    headers: list[str]
    rows: list[RawRow]
    encoding: str
    separator: str
    sheet: str | None
    skipped_lines: list[tuple[int, str]]
    sheet_names: list[str] = field(default_factory=list)
    header_line: int = 0
    truncated: bool = False


class _EmptyTableError(ValidationError):
    """No non-blank cell at all."""


class _NoHeaderError(ValidationError):
    """Non-blank cells, but no row looks like a header."""


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def read_table(path: Path, *, max_rows: int | None = None, sheet: str | None = None) -> RawTable:
    """Read a table from a ``.csv``, ``.txt``, ``.tsv``, ``.xlsx`` or ``.xlsm`` file.

    Args:
        path: the file.
        max_rows: stop after this many data rows (for a preview); ``RawTable.truncated`` says
            whether rows were left.
        sheet: for a workbook, the name of the sheet to read. By default, the first sheet in
            which a table is found (so that a leading "Sommaire" or "Définitions" sheet is
            passed over); ``RawTable.sheet_names`` lists them all for a sheet picker.

    Text files: the encoding is UTF-8 (with or without BOM), UTF-16 with BOM (Excel's
    "Texte Unicode") or else Windows-1252 — undecodable bytes never stop the reading. The
    separator is the one among ``;``, tab, ``|`` and ``,`` that splits the first lines into the
    most consistent number of fields (``;`` wins a tie, for files with decimal commas). Quoted
    fields may contain separators and line breaks. A trailing separator on every line (RPPS)
    does not make an extra column.

    The header is the first row with as many non-empty cells as the usual row of the file
    (one fewer if its first cell — a corner — is empty), mostly non-numeric (years count as
    titles) and with no cell ending in ":" (a "Territoire : …" metadata line). Rows before it
    and footnote rows after it (a single non-empty cell starting with "Source", "Note",
    "Champ", "Lecture", "*", "(1)"…, and every single-cell row after the first such
    footnote) go to ``skipped_lines``.

    Raises:
        ValidationError: missing or unreadable file, unsupported extension, empty file, no
            header, unknown sheet, unreadable workbook (French messages).
    """
    if max_rows is not None and max_rows < 0:
        raise ValueError("max_rows must be >= 0")
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ValidationError(f"Le fichier « {path.name} » est introuvable.")
    if suffix in TEXT_EXTENSIONS:
        with _gc_paused():
            return _read_text(path, max_rows=max_rows, prefer_tab=suffix == ".tsv")
    if suffix in EXCEL_EXTENSIONS:
        with _gc_paused():
            return _read_workbook(path, max_rows=max_rows, sheet=sheet)
    if suffix == ".xls":
        raise ValidationError(
            f"« {path.name} » est au format Excel 97-2003 (.xls), qui n'est pas pris en charge : "
            "enregistrez-le au format .xlsx ou .csv depuis votre tableur."
        )
    if suffix == ".ods":
        raise ValidationError(
            f"« {path.name} » est un classeur OpenDocument (.ods), qui n'est pas pris en charge : "
            "enregistrez-le au format .xlsx ou .csv depuis votre tableur."
        )
    shown = suffix or "sans extension"
    raise ValidationError(
        f"Format de fichier non pris en charge ({shown}) : utilisez un fichier .csv, .txt, .tsv ou .xlsx."
    )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while hundreds of thousands of lists are built (it
    would scan them over and over: 40 % of the reading time); the previous state is restored."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --------------------------------------------------------------------------------------------
# Text files
# --------------------------------------------------------------------------------------------


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_FALLBACK_ERRORS = "santeloc-windows-1252"


def _windows_1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: bytes that are not UTF-8 are read as Windows-1252 (a mixed file)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bytes(bad).decode("windows-1252", errors="replace"), error.end


codecs.register_error(_FALLBACK_ERRORS, _windows_1252_fallback)


def _detect_encoding(path: Path) -> str:
    """``utf-8-sig``, ``utf-16``, ``utf-8`` (whole file valid), ``windows-1252`` (no UTF-8
    accent at all) or :data:`MIXED_ENCODING` (UTF-8 accents and some bytes that are not)."""
    with path.open("rb") as stream:
        head = stream.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        stream.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        valid = True
        has_utf8 = False
        tail = b""
        while chunk := stream.read(1 << 20):
            if valid:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    valid = False
            if not has_utf8:
                has_utf8 = _UTF8_SEQUENCE.search(tail + chunk) is not None
            if not valid and has_utf8:
                return MIXED_ENCODING
            tail = chunk[-3:]
        if valid:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                valid = False
    if valid:
        return "utf-8"
    return MIXED_ENCODING if has_utf8 else "windows-1252"


def _open_text(path: Path, encoding: str) -> io.TextIOWrapper:
    if encoding == MIXED_ENCODING:
        return path.open("r", encoding="utf-8", errors=_FALLBACK_ERRORS, newline="")
    return path.open("r", encoding=encoding, errors="replace", newline="")


def shorten(text: str, limit: int = MAX_QUOTED_CHARS) -> str:
    """``text`` cut to ``limit`` characters with « … », for quoting a cell in a message."""
    text = " ".join(text[: limit * 4].split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _detect_separator(sample: list[str], prefer_tab: bool) -> str:
    """The candidate that splits the most sample records into the modal number (≥ 2) of fields."""
    candidates = ("\t", ";", "|", ",") if prefer_tab else SEPARATORS
    best, best_score = candidates[0] if prefer_tab else ";", 0
    text = "".join(sample)
    for separator in candidates:
        try:
            widths = [
                len(record) for record in csv.reader(io.StringIO(text, newline=""), delimiter=separator) if record
            ]
        except csv.Error:
            continue
        multi = [width for width in widths if width >= 2]
        if not multi:
            continue
        modal = max(Counter(multi).items(), key=lambda item: (item[1], item[0]))[0]
        score = sum(1 for width in widths if width == modal)
        if score > best_score:
            best, best_score = separator, score
    return best


def _read_text(path: Path, *, max_rows: int | None, prefer_tab: bool) -> RawTable:
    try:
        encoding = _detect_encoding(path)
        with _open_text(path, encoding) as stream:
            sample = list(itertools.islice(stream, _SAMPLE_LINES))
            separator = _detect_separator(sample, prefer_tab)
            try:
                records = _csv_records(itertools.chain(sample, stream), separator, quoting=True)
                table = _build_table(records, max_rows, separator)
            except csv.Error:
                # An unbalanced quote swallowed the rest of the file: read quotes as plain text.
                stream.seek(0)
                table = _build_table(_csv_records(stream, separator, quoting=False), max_rows, separator)
    except _EmptyTableError:
        raise ValidationError("Le fichier est vide.") from None
    except _NoHeaderError:
        raise ValidationError(_no_header_message(path.name)) from None
    except OSError as error:
        raise ValidationError(f"Le fichier « {path.name} » ne peut pas être lu ({error.strerror or error}).") from None
    table.encoding = encoding
    table.separator = separator
    return table


def _csv_records(lines: Iterable[str], separator: str, *, quoting: bool) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) of each record; NUL characters are dropped.

    A physical line over :data:`MAX_LINE_CHARS` or a cell over :data:`MAX_CELL_CHARS` is
    refused with a French :class:`ValidationError` naming its line.
    """
    csv.field_size_limit(MAX_CELL_CHARS)  # process-wide: set again in case something lowered it

    def clean_lines() -> Iterator[str]:
        for number, line in enumerate(lines, start=1):
            if len(line) > MAX_LINE_CHARS:
                raise ValidationError(
                    f"La ligne {number} du fichier compte plus de {format_int(MAX_LINE_CHARS)} caractères : ce n'est pas un tableau lisible. Vérifiez le fichier (ou enregistrez-le à nouveau en CSV)."
                )
            yield line.replace("\0", "") if "\0" in line else line

    clean = clean_lines()
    reader = csv.reader(
        clean,
        delimiter=separator,
        quotechar='"',
        strict=False,
        quoting=csv.QUOTE_MINIMAL if quoting else csv.QUOTE_NONE,
    )
    previous = 0
    pending: tuple[int, list[str]] | None = None  # one record of delay, to inspect the last one
    for record in _guarded(reader):
        if reader.line_num - previous > MAX_RECORD_LINES:
            raise csv.Error("unbalanced quote")
        if pending is not None:
            yield pending
        pending = (previous + 1, record)
        previous = reader.line_num
    if pending is not None:
        line, record = pending
        if previous > line and any("\n" in cell and separator in cell for cell in record):
            raise csv.Error("unbalanced quote")  # a quote left open ran to the end of the file
        yield pending


def _guarded(reader: Any) -> Iterator[list[str]]:
    """The records of a ``csv.reader``; a cell over the field limit becomes a French refusal."""
    iterator = iter(reader)
    while True:
        try:
            record = next(iterator)
        except StopIteration:
            return
        except csv.Error as error:
            if "field larger than field limit" not in str(error):
                raise
            raise ValidationError(
                f"La ligne {reader.line_num} contient une cellule de plus de {format_int(MAX_CELL_CHARS)} caractères : ce fichier n'est pas un tableau lisible (un guillemet mal fermé ?). Rien n'a été importé."
            ) from None
        yield record


def _no_header_message(name: str) -> str:
    return (
        f"Aucune ligne d'en-tête reconnue dans « {name} » : le tableau doit commencer par une ligne de titres "
        "de colonnes (Indicateur, Valeur, Année…) suivie des données, sur au moins deux colonnes."
    )


# --------------------------------------------------------------------------------------------
# Workbooks
# --------------------------------------------------------------------------------------------


def _read_workbook(path: Path, *, max_rows: int | None, sheet: str | None) -> RawTable:
    import openpyxl  # imported here: text files do not pay for it

    unreadable = (
        f"« {path.name} » n'est pas un classeur Excel lisible : ouvrez-le dans votre tableur et "
        "enregistrez-le à nouveau au format .xlsx."
    )
    check_workbook_archive(path, unreadable)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # zipfile, XML, KeyError…: openpyxl raises many kinds
        raise ValidationError(unreadable) from None
    try:
        names = list(workbook.sheetnames)
        if sheet is not None and sheet not in names:
            raise ValidationError(
                f"La feuille « {sheet} » n'existe pas dans « {path.name} » (feuilles : {', '.join(names)})."
            )
        first_failure: ValidationError | None = None
        for name in [sheet] if sheet is not None else names:
            worksheet = workbook[name]
            if not hasattr(worksheet, "iter_rows"):  # a chart sheet
                continue
            try:
                if hasattr(worksheet, "reset_dimensions"):
                    worksheet.reset_dimensions()  # stored dimensions may be wrong: read every row
                rows = worksheet.iter_rows(values_only=True)
                records = ((number, _row_texts(number, row)) for number, row in enumerate(rows, start=1))
                table = _build_table(records, max_rows, " ")
            except _EmptyTableError:
                if sheet is not None:
                    raise ValidationError(f"La feuille « {name} » est vide.") from None
                continue
            except _NoHeaderError:
                failure = ValidationError(_no_header_message(f"{path.name} — feuille {name}"))
                if sheet is not None:
                    raise failure from None
                first_failure = first_failure or failure
                continue
            table.sheet = name
            table.sheet_names = names
            return table
        raise first_failure or ValidationError("Le fichier est vide.")
    except ValidationError:
        raise
    except Exception:
        raise ValidationError(unreadable) from None
    finally:
        workbook.close()


_XML_HEAD_BYTES = 64 * 1024


def check_workbook_archive(path: Path, unreadable: str | None = None) -> None:
    """Refuse, before openpyxl parses anything, a workbook whose parts declare a DTD or entities
    (XML external entities, « billion laughs ») or would decompress to more than
    :data:`MAX_WORKBOOK_BYTES` (a decompression bomb). defusedxml guards openpyxl as well."""
    import zipfile

    unreadable = unreadable or (
        f"« {path.name} » n'est pas un classeur Excel lisible : ouvrez-le dans votre tableur et "
        "enregistrez-le à nouveau au format .xlsx."
    )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > MAX_WORKBOOK_BYTES:
                raise ValidationError(
                    f"« {path.name} » serait anormalement volumineux une fois décompressé (plus de "
                    f"{MAX_WORKBOOK_BYTES // (1024 * 1024)} Mo) : il a été refusé."
                )
            for member in members:
                if not member.filename.lower().endswith((".xml", ".rels", ".vml")):
                    continue
                with archive.open(member) as stream:
                    head = stream.read(_XML_HEAD_BYTES)
                if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                    head = head.decode("utf-16", errors="ignore").encode("utf-8")
                folded = head.upper()
                if b"<!DOCTYPE" in folded or b"<!ENTITY" in folded:
                    raise ValidationError(
                        f"« {path.name} » contient des déclarations XML (DOCTYPE, ENTITY) qu'un classeur Excel "
                        "n'a pas : il a été refusé par sécurité. Ouvrez-le dans votre tableur et enregistrez-le "
                        "à nouveau au format .xlsx."
                    )
    except ValidationError:
        raise
    except Exception:  # not a zip, a truncated or encrypted part…
        raise ValidationError(unreadable) from None


def _row_texts(number: int, row: Iterable[Any]) -> list[str]:
    """A workbook row as texts; a cell over :data:`MAX_CELL_CHARS` is refused, its cell named."""
    texts = [_cell_text(value) for value in row]
    for column, text in enumerate(texts, start=1):
        if len(text) > MAX_CELL_CHARS:
            raise ValidationError(
                f"La cellule {_column_letter(column)}{number} compte plus de {format_int(MAX_CELL_CHARS)} caractères : ce classeur n'est pas un tableau lisible. Rien n'a été importé."
            )
    return texts


def _column_letter(column: int) -> str:
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell_text(value: Any) -> str:
    """A workbook cell as text: ``12.5`` → ``"12.5"``, ``2019.0`` → ``"2019"``, a date → ``"22/11/2026"``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.15g}"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y" if value.time() == time() else "%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value).strip()


# --------------------------------------------------------------------------------------------
# Header, data rows, footnotes — common to text files and workbooks
# --------------------------------------------------------------------------------------------

_FOOTNOTE = re.compile(
    r"^(?:sources?\b|notes?\b|nota\b|n\.?\s?b\b|champs?\b|lecture\b|definitions?\b|methodes?\b|methodologie\b"
    r"|precisions?\b|avertissement|exploitation\b|realisation\b|traitement\b|mise a jour\b|mises a jour\b"
    r"|unites?\s?:|donnees\s?:|date d|remarques?\b|copyright|\(c\)|©|\*|\(\w{1,2}\)|\d{1,2}\)|[¹²³⁴⁵⁶⁷⁸⁹])"
)


def _fold(text: str) -> str:
    """Lower case without accents, for matching words."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def _is_footnote(text: str) -> bool:
    return bool(_FOOTNOTE.match(_fold(text)))


def _numeric_kind(cell: str) -> int:
    """1 for a number (not a year), 0 for a "no value" marker, -1 for text or a year."""
    try:
        number = parse_french_number(cell)
    except ValidationError:
        return -1
    if number is None:
        return 0
    if len(cell) == 4 and cell.isdigit() and 1900 <= number <= 2100:
        return -1
    return 1


def _looks_like_header(cells: list[str]) -> bool:
    kinds = [_numeric_kind(cell) for cell in cells if cell]
    if any(cell.endswith(":") for cell in cells):
        return False
    return kinds.count(-1) > kinds.count(1)


def _build_table(records: Iterator[tuple[int, list[str]]], max_rows: int | None, joiner: str) -> RawTable:
    """Find the header among the first records, then collect data rows and footnotes.

    ``joiner`` rebuilds the text of a skipped line from its cells (the separator of a text
    file, a space for a workbook).
    """
    window: list[tuple[int, list[str], list[str]]] = []  # (line, stripped cells, original cells)
    for line, raw in records:
        cells = [cell.strip() for cell in raw]
        if cells.count("") == len(cells):
            continue
        window.append((line, cells, raw))
        if len(window) >= HEADER_WINDOW:
            break
    if not window:
        raise _EmptyTableError("Le fichier est vide.")

    filled = [len(cells) - cells.count("") for _, cells, _ in window]
    usual = [count for count in filled if count >= 2]
    if not usual:
        raise _NoHeaderError("")
    modal = max(Counter(usual).items(), key=lambda item: (item[1], item[0]))[0]
    header_index = next(
        (
            index
            for index, (_, cells, _) in enumerate(window)
            if (filled[index] >= modal or (modal >= 3 and filled[index] == modal - 1 and cells[0] == ""))
            and _looks_like_header(cells)
        ),
        None,
    )
    if header_index is None:
        raise _NoHeaderError("")

    header_line, header_cells, _ = window[header_index]
    skipped = [(line, _line_text(cells, raw, joiner)) for line, cells, raw in window[:header_index]]
    widths = Counter(_effective_width(cells) for _, cells, _ in window[header_index + 1 :])
    data_width = max(widths.items(), key=lambda item: (item[1], item[0]))[0] if widths else 0
    width = max(_effective_width(header_cells), data_width)
    headers = [
        cell or f"Colonne {number}"
        for number, cell in enumerate(header_cells[:width] + [""] * (width - len(header_cells)), 1)
    ]

    header_trimmed = header_cells[: _effective_width(header_cells)]
    rows: list[RawRow] = []
    truncated = False
    in_footer = False
    rest = itertools.chain(
        window[header_index + 1 :],
        ((line, [cell.strip() for cell in raw], raw) for line, raw in records),
    )
    for line, cells, raw in rest:
        empty = cells.count("")
        if empty == len(cells):
            continue
        if len(cells) - empty == 1 and (in_footer or _is_footnote(next(cell for cell in cells if cell))):
            in_footer = True
            skipped.append((line, _line_text(cells, raw, joiner)))
            continue
        if cells[0] == header_cells[0] and cells[: _effective_width(cells)] == header_trimmed:
            skipped.append((line, _line_text(cells, raw, joiner)))
            continue
        if max_rows is not None and len(rows) >= max_rows:
            truncated = True
            break
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        elif len(cells) > width:
            cells = cells[: max(width, _effective_width(cells))]
        rows.append(RawRow(line, cells))
    return RawTable(headers, rows, "", "", None, skipped, header_line=header_line, truncated=truncated)


def _line_text(cells: list[str], raw: list[str], joiner: str) -> str:
    """Text of a skipped line: its cells up to the last non-empty one, as they were joined."""
    if joiner == " ":
        return " ".join(cell for cell in cells if cell)
    return joiner.join(raw[: _effective_width(cells)]).strip()


def _effective_width(cells: list[str]) -> int:
    """Index of the last non-empty cell, plus one."""
    for index in range(len(cells) - 1, -1, -1):
        if cells[index]:
            return index + 1
    return 0


# --------------------------------------------------------------------------------------------
# Column mapping
# --------------------------------------------------------------------------------------------


class ColumnRole(LabelledEnum):
    """What a column of an indicator table may hold (keys of :func:`guess_mapping`)."""

    LABEL = "label"
    TERRITORY = "value_territory"
    DEPARTEMENT = "value_departement"
    REGION = "value_region"
    FRANCE = "value_france"
    YEAR = "year"
    UNIT = "unit"
    SOURCE = "source"
    OBSERVED = "observed"
    EXPECTED = "expected"
    THEME = "theme"

    @property
    def label(self) -> str:
        """French label for the mapping step."""
        return _ROLE_LABELS[self]


_ROLE_LABELS: dict[ColumnRole, str] = {
    ColumnRole.LABEL: "Indicateur (libellé)",
    ColumnRole.TERRITORY: "Valeur du territoire",
    ColumnRole.DEPARTEMENT: "Valeur du département",
    ColumnRole.REGION: "Valeur de la région",
    ColumnRole.FRANCE: "Valeur France",
    ColumnRole.YEAR: "Année ou période",
    ColumnRole.UNIT: "Unité",
    ColumnRole.SOURCE: "Source",
    ColumnRole.OBSERVED: "Effectif observé",
    ColumnRole.EXPECTED: "Effectif attendu",
    ColumnRole.THEME: "Thème",
}

# Per role: (folded keyword, strength, exact-only). A header equal to a keyword scores
# 10 + strength; a header containing it as whole words scores strength (if not exact-only).
_KEYWORDS: dict[ColumnRole, tuple[tuple[str, int, bool], ...]] = {
    ColumnRole.LABEL: (
        ("indicateur", 3, False),
        ("indicateurs", 3, False),
        ("libelle", 3, False),
        ("intitule", 3, False),
        ("nom de l indicateur", 4, False),
        ("variable", 2, False),
        ("label", 2, True),
    ),
    ColumnRole.TERRITORY: (
        ("territoire", 3, False),
        ("territoire etudie", 4, False),
        ("zone", 2, False),
        ("zone d etude", 3, False),
        ("valeur", 1, False),
        ("valeurs", 1, False),
        ("epci", 2, False),
        ("communaute de communes", 2, False),
        ("cc", 2, True),
        ("pays", 2, True),
        ("cls", 2, True),
        ("cpts", 2, True),
        ("commune", 1, True),
    ),
    ColumnRole.DEPARTEMENT: (
        ("departement", 4, False),
        ("departements", 4, False),
        ("departemental", 4, False),
        ("dep", 4, False),
        ("dept", 4, False),
        ("dpt", 4, False),
    ),
    ColumnRole.REGION: (
        ("region", 4, False),
        ("regions", 4, False),
        ("regional", 4, False),
        ("reg", 4, True),
        ("ile de france", 6, False),  # not France
    ),
    ColumnRole.FRANCE: (
        ("france", 4, False),
        ("france metropolitaine", 5, False),
        ("france entiere", 5, False),
        ("france hexagonale", 5, False),
        ("national", 3, False),
        ("nationale", 3, False),
        ("metropole", 3, False),
        ("fm", 3, True),
    ),
    ColumnRole.YEAR: (
        ("annee", 4, False),
        ("annees", 4, False),
        ("an", 3, True),
        ("periode", 4, False),
        ("millesime", 4, False),
        ("date", 2, True),
        ("year", 3, True),
    ),
    ColumnRole.UNIT: (("unite", 5, False), ("unites", 5, False), ("unit", 4, True), ("denominateur", 3, False)),
    ColumnRole.SOURCE: (("source", 5, False), ("sources", 5, False), ("producteur", 3, False), ("origine", 2, False)),
    ColumnRole.OBSERVED: (
        ("observe", 6, False),
        ("observes", 6, False),
        ("observee", 6, False),
        ("observees", 6, False),
        ("effectif observe", 7, False),
        ("obs", 4, True),
        ("o", 4, True),
    ),
    ColumnRole.EXPECTED: (
        ("attendu", 6, False),
        ("attendus", 6, False),
        ("attendue", 6, False),
        ("attendues", 6, False),
        ("effectif attendu", 7, False),
        ("att", 4, True),
        ("e", 4, True),
    ),
    ColumnRole.THEME: (
        ("theme", 5, False),
        ("themes", 5, False),
        ("thematique", 5, False),
        ("domaine", 3, False),
        ("categorie", 3, False),
        ("rubrique", 3, False),
    ),
}


def _words(text: str) -> str:
    """Folded, punctuation as spaces, single spaces: ``"Dép. (taux)"`` → ``"dep taux"``."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", _fold(text)).split())


def _contains_words(haystack: str, needle: str) -> bool:
    return f" {needle} " in f" {haystack} "


def guess_mapping(headers: Iterable[str], *, known_names: Mapping[str, Iterable[str]] | None = None) -> dict[str, int]:
    """Suggest which column (0-based index) holds each :class:`ColumnRole`.

    Headers are compared without case, accents or punctuation: "Indicateur", "Libellé",
    "Territoire", "Zone", "Valeur", "Département", "Dép.", "Région", "France",
    "France métropolitaine", "Année", "Période", "Unité", "Source", "Observés",
    "Effectif observé", "Attendus", "Thème"… A header equal to a keyword beats one that
    merely contains it ("Valeur Département" goes to the département, not the territory).
    Each role gets at most one column and each column at most one role; roles without a
    convincing column are absent from the result.

    Args:
        headers: the column titles, e.g. :attr:`RawTable.headers`.
        known_names: optional names the project knows, by role value, e.g.
            ``{"territory": ["CC du Morvan"], "departement": ["Nièvre", "58"],
            "region": ["Bourgogne-Franche-Comté"]}``; a header equal to or containing one of
            them is mapped first.

    Returns:
        ``{role value: column index}``, e.g. ``{"label": 0, "territory": 1, "france": 3}``
        (``ColumnRole`` members are strings and can be used as keys).
    """
    folded = [_words(header) for header in headers]
    candidates: list[tuple[int, int, ColumnRole]] = []  # (score, column, role)
    for column, header in enumerate(folded):
        if not header:
            continue
        for role, keywords in _KEYWORDS.items():
            score = 0
            for keyword, strength, exact_only in keywords:
                if header == keyword:
                    score = max(score, 10 + strength)
                elif not exact_only and _contains_words(header, keyword):
                    score = max(score, strength)
            if score:
                candidates.append((score, column, role))
        for role_name, names in (known_names or {}).items():
            role = ColumnRole(role_name)
            for name in names:
                folded_name = _words(name)
                if folded_name and (header == folded_name or _contains_words(header, folded_name)):
                    candidates.append((30 if header == folded_name else 20, column, role))
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for _score, column, role in sorted(candidates, key=lambda item: (-item[0], item[1])):
        if role.value in mapping or column in used:
            continue
        mapping[role.value] = column
        used.add(column)
    return mapping
