"""Cached results of the workbook's formulas, so that a viewer that does not recalculate shows the figures.

openpyxl writes a formula with no cached value; Excel recalculates on opening, but a mail preview,
a phone viewer or a PDF converter that does not shows an empty cell. The workbook's formulas are
the application's own (:class:`santeloc.persistence.cells.Formula`), from a small set: cell
references on the same sheet, ``+ - * /``, comparisons, ``SUM``, ``SUMIF``, ``SUMIFS``, ``IF``,
``OR``, ``ROUND``. This module evaluates them (:func:`evaluate_workbook`) and writes each
result into the saved file as the cell's ``<v>`` (:func:`write_cached_values`); the formulas stay
live. A formula outside that set raises :class:`UnsupportedFormulaError` (a test walks the
shipped workbooks, so a new kind of formula cannot slip through unnoticed).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from lxml import etree
from openpyxl import Workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

Value = float | str | bool | None
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

_TOKEN = re.compile(
    r"\s*(?:(?P<string>\"(?:[^\"]|\"\")*\")|(?P<range>\$?[A-Z]{1,3}\$?\d+:\$?[A-Z]{1,3}\$?\d+)"
    r"|(?P<function>[A-Z][A-Z0-9.]*)\(|(?P<ref>\$?[A-Z]{1,3}\$?\d+)"
    r"|(?P<number>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)|(?P<op><>|<=|>=|[-+*/=<>(),]))"
)
_CELL = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


class UnsupportedFormulaError(ValueError):
    """A formula this evaluator does not know (a programming error, never the user's)."""


def _tokens(formula: str) -> list[tuple[str, str]]:
    text = formula[1:] if formula.startswith("=") else formula
    position, found = 0, []
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            if text[position:].strip() == "":
                break
            raise UnsupportedFormulaError(f"formule non reconnue : {formula}")
        kind = match.lastgroup or ""
        found.append((kind, match.group(kind)))
        position = match.end()
    return found


def _number(value: Value) -> float:
    if value is None or value == "":
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    raise UnsupportedFormulaError(f"valeur non numérique : {value!r}")


def _equal(left: Value, right: Value) -> bool:
    if left is None:
        left = "" if isinstance(right, str) else 0.0
    if right is None:
        right = "" if isinstance(left, str) else 0.0
    if isinstance(left, str) or isinstance(right, str):
        return str(left).casefold() == str(right).casefold()
    return _number(left) == _number(right)


def excel_round(value: float, digits: int) -> float:
    """Excel's ROUND: half away from zero, on the decimal the float stands for."""
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


class _Parser:
    """Recursive descent over one formula's tokens; ``cell`` reads another cell's value."""

    def __init__(self, formula: str, cell: Callable[[str], Value]) -> None:
        self.formula = formula
        self.tokens = _tokens(formula)
        self.index = 0
        self.cell = cell

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.index] if self.index < len(self.tokens) else ("end", "")

    def take(self, expected: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if expected is not None and token[1] != expected:
            raise UnsupportedFormulaError(f"« {expected} » attendu dans {self.formula}")
        self.index += 1
        return token

    def parse(self) -> Any:
        value = self.comparison()
        if self.peek()[0] != "end":
            raise UnsupportedFormulaError(f"fin de formule attendue : {self.formula}")
        return value

    def comparison(self) -> Any:
        left = self.additive()
        kind, text = self.peek()
        if kind == "op" and text in ("=", "<>", "<", ">", "<=", ">="):
            self.take()
            right = self.additive()
            if text == "=":
                return _equal(left, right)
            if text == "<>":
                return not _equal(left, right)
            a, b = _number(left), _number(right)
            return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[text]
        return left

    def additive(self) -> Any:
        value = self.term()
        while self.peek() in (("op", "+"), ("op", "-")):
            operator = self.take()[1]
            right = self.term()
            value = _number(value) + _number(right) if operator == "+" else _number(value) - _number(right)
        return value

    def term(self) -> Any:
        value = self.unary()
        while self.peek() in (("op", "*"), ("op", "/")):
            operator = self.take()[1]
            right = _number(self.unary())
            value = _number(value) * right if operator == "*" else _number(value) / right
        return value

    def unary(self) -> Any:
        if self.peek() == ("op", "-"):
            self.take()
            return -_number(self.unary())
        return self.primary()

    def primary(self) -> Any:
        kind, text = self.take()
        if kind == "number":
            return float(text)
        if kind == "string":
            return text[1:-1].replace('""', '"')
        if kind == "ref":
            return self.cell(text.replace("$", ""))
        if kind == "range":
            return [self.cell(c) for c in _range_cells(text)]
        if kind == "op" and text == "(":
            value = self.comparison()
            self.take(")")
            return value
        if kind == "function":
            return self.function(text)
        raise UnsupportedFormulaError(f"élément inattendu « {text} » dans {self.formula}")

    def arguments(self) -> list[Any]:
        values: list[Any] = []
        if self.peek() == ("op", ")"):
            self.take()
            return values
        while True:
            values.append(self.comparison())
            if self.take()[1] == ")":
                return values

    def function(self, name: str) -> Any:
        if name == "IF":  # both branches are evaluated: ours never divide by zero where the test guards
            test, *rest = self.arguments_lazy()
            return rest[0]() if test() else (rest[1]() if len(rest) > 1 else False)
        args = self.arguments()
        if name == "SUM":
            return sum(_number(v) for arg in args for v in (arg if isinstance(arg, list) else [arg]))
        if name == "ROUND":
            return excel_round(_number(args[0]), int(_number(args[1])))
        if name == "OR":
            return any(bool(a) for a in args)
        if name == "SUMIF":
            criteria, wanted, amounts = args
            return sum(_number(v) for c, v in zip(criteria, amounts, strict=True) if _equal(c, wanted))
        if name == "SUMIFS":
            amounts, *pairs = args
            total = 0.0
            for position, amount in enumerate(amounts):
                if all(_equal(pairs[i][position], pairs[i + 1]) for i in range(0, len(pairs), 2)):
                    total += _number(amount)
            return total
        raise UnsupportedFormulaError(f"fonction {name} non prise en charge")

    def arguments_lazy(self) -> list[Callable[[], Any]]:
        """IF's arguments as thunks: only the branch taken is evaluated (a guarded division stays unread)."""
        thunks: list[Callable[[], Any]] = []
        while True:
            start = self.index
            depth = 0
            while True:
                kind, text = self.peek()
                if kind == "end":
                    raise UnsupportedFormulaError(f"parenthèse manquante dans {self.formula}")
                if kind == "function" or text == "(":
                    depth += 1
                elif text == ")":
                    if depth == 0:
                        break
                    depth -= 1
                elif text == "," and depth == 0:
                    break
                self.take()
            tokens = self.tokens[start : self.index]
            thunks.append(self._thunk(tokens))
            if self.take()[1] == ")":
                return thunks

    def _thunk(self, tokens: list[tuple[str, str]]) -> Callable[[], Any]:
        def run() -> Any:
            sub = _Parser.__new__(_Parser)
            sub.formula, sub.tokens, sub.index, sub.cell = self.formula, tokens, 0, self.cell
            return sub.parse()

        return run


def _range_cells(text: str) -> Iterator[str]:
    first, last = text.replace("$", "").split(":")
    (c1, r1), (c2, r2) = (_CELL.fullmatch(part).groups() for part in (first, last))  # type: ignore[union-attr]
    for row in range(int(r1), int(r2) + 1):
        for column in range(column_index_from_string(c1), column_index_from_string(c2) + 1):
            yield f"{get_column_letter(column)}{row}"


def evaluate_sheet(sheet: Worksheet) -> dict[str, Value]:
    """Every formula cell of ``sheet`` → its value ("" for a blank result)."""
    results: dict[str, Value] = {}
    pending: set[str] = set()

    def cell(coordinate: str) -> Value:
        if coordinate in results:
            return results[coordinate]
        value = sheet[coordinate].value
        if not (isinstance(value, str) and sheet[coordinate].data_type == "f"):
            return value if not isinstance(value, int) or isinstance(value, bool) else float(value)
        if coordinate in pending:
            raise UnsupportedFormulaError(f"référence circulaire en {coordinate}")
        pending.add(coordinate)
        computed = _Parser(value, cell).parse()
        pending.discard(coordinate)
        results[coordinate] = computed
        return computed

    for row in sheet.iter_rows():
        for item in row:
            if item.data_type == "f" and isinstance(item.value, str):
                cell(item.coordinate)
    return results


def evaluate_workbook(workbook: Workbook) -> dict[str, dict[str, Value]]:
    """Sheet title → (coordinate → value) of every formula of ``workbook``."""
    return {sheet.title: evaluate_sheet(sheet) for sheet in workbook.worksheets}


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title → its part name inside the xlsx (read from the workbook and its relationships)."""
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    workbook = etree.fromstring(archive.read("xl/workbook.xml"))
    rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    parts = {}
    for sheet in workbook.iter(f"{{{NS}}}sheet"):
        target = targets[sheet.get(f"{{{rel_ns}}}id")] or ""
        parts[sheet.get("name") or ""] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return parts


def write_cached_values(path: Path, values: dict[str, dict[str, Value]]) -> None:
    """Rewrite the saved workbook ``path`` with each formula's result as its cached value."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info.filename)) for info in archive.infolist()]
        parts = _sheet_parts(archive)
    by_part = {parts[title]: cells for title, cells in values.items() if title in parts}
    rewritten = []
    for info, data in entries:
        cells = by_part.get(info.filename)
        if cells:
            data = _with_values(data, cells)
        rewritten.append((info, data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in rewritten:
            archive.writestr(info, data)


def _with_values(xml: bytes, cells: dict[str, Value]) -> bytes:
    root = etree.fromstring(xml)
    for element in root.iter(f"{{{NS}}}c"):
        coordinate = element.get("r")
        if coordinate not in cells or element.find(f"{{{NS}}}f") is None:
            continue
        value = cells[coordinate]
        for old in element.findall(f"{{{NS}}}v"):
            element.remove(old)
        cached = etree.SubElement(element, f"{{{NS}}}v")
        if isinstance(value, bool):
            element.set("t", "b")
            cached.text = "1" if value else "0"
        elif isinstance(value, str) or value is None:
            element.set("t", "str")
            cached.text = value or ""
        else:
            element.attrib.pop("t", None)
            cached.text = repr(float(value)) if not float(value).is_integer() else str(int(value))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
