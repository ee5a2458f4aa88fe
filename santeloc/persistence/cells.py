"""Writing spreadsheet cells safely: what a user typed or imported is stored as text, never as a formula.

openpyxl turns any string that begins with ``=`` into a live formula, and a spreadsheet program
turns a text cell beginning with ``=``, ``+``, ``-`` or ``@`` into a formula as soon as someone
edits it. A plan named ``=cmd|' /C calc'!A0`` must reach the préfecture as those characters, so:

* :class:`Formula` marks the formulas the application writes itself (totals, shares…); only
  they are written as formulas;
* :func:`set_value` writes any other string as a text cell (``data_type = "s"``) and, when it
  begins with a formula character, with the « quote prefix » flag that Excel and LibreOffice
  keep on edit (the apostrophe a user would type before ``=``);
* :func:`neutralize_formulas` does the same for a whole workbook that holds no formula of the
  application (the survey's entry sheet).

Shared by the exports and the services that write workbooks, so it lives beside
:mod:`santeloc.persistence.files` (services may not import :mod:`santeloc.exports`).
"""

from __future__ import annotations

from typing import Any

from santeloc.domain.xml_text import xml_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Formula(str):
    """A formula written by the application itself (``=SUM(E7:E9)``), never built from user text alone."""

    __slots__ = ()


def is_risky(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (first character ``= + - @`` or a control)."""
    return text.startswith(FORMULA_STARTS)


def set_text(cell: Any, text: str) -> None:
    """Store ``text`` in an openpyxl cell as a text cell, as typed, whatever its first character
    (but for the characters XML cannot hold, see :mod:`santeloc.domain.xml_text`)."""
    text = xml_text(text)
    cell.value = text
    if cell.data_type != "s":  # "=…" is inferred as a formula, "#N/A" as an error
        cell.data_type = "s"
    if is_risky(text):
        cell.quotePrefix = True


def set_value(cell: Any, value: Any) -> None:
    """Store ``value`` in a cell: a :class:`Formula` as a formula, any other string as text, numbers as numbers."""
    if isinstance(value, Formula):
        cell.value = str(value)
    elif isinstance(value, str):
        set_text(cell, value)
    else:
        cell.value = value


def neutralize_formulas(workbook: Any) -> int:
    """Turn every formula cell of ``workbook`` into the text it holds; returns how many were turned.

    For workbooks whose cells all come from the user (the survey's entry sheet): call it just
    before saving. Style assignments after it would drop the quote prefix, so call it last.
    """
    count = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and (cell.data_type != "s" or is_risky(value)):
                    if cell.data_type != "s":
                        count += 1
                    set_text(cell, value)
    return count
