"""Cached values of the workbook's formulas: evaluated as Excel would, written where any viewer reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from santeloc.exports.formula_values import (
    UnsupportedFormulaError,
    evaluate_sheet,
    excel_round,
    write_cached_values,
)


def sheet_with(cells: dict[str, object]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Plan"
    for coordinate, value in cells.items():
        sheet[coordinate] = value
    return workbook


def test_the_formulas_of_the_plan_evaluate_as_excel_does() -> None:
    workbook = sheet_with({
        "A1": "Investissement", "A2": "Investissement", "A3": "Fonctionnement",
        "B1": "Subvention publique", "B2": "Maître d'ouvrage", "B3": "Subvention publique",
        "E1": 1_120_000, "E2": 415_000, "E3": 20_000,
        "F1": "=ROUND(E1*0.25,2)", "F2": "=SUM(E1:E3)", "F3": '=IF($F$2=0,"",F1/$F$2)',
        "G1": '=SUMIF($B$1:$B$3,"Subvention publique",$E$1:$E$3)',
        "G2": '=SUMIFS($E$1:$E$3,$B$1:$B$3,"Subvention publique",$A$1:$A$3,"Investissement")',
        "G3": '=IF(OR(H1="",H2=""),"",100*H1/H2)', "H3": "=-E3+E1-(E2)", "G4": "=E1>E2",
    })  # fmt: skip
    sheet = workbook.active
    assert sheet is not None
    values = evaluate_sheet(sheet)
    assert values["F1"] == 280_000 and values["F2"] == 1_555_000
    assert values["F3"] == pytest.approx(280_000 / 1_555_000)
    assert values["G1"] == 1_140_000 and values["G2"] == 1_120_000
    assert values["G3"] == ""  # the guard's blank, not a division by an empty cell
    assert values["H3"] == 685_000 and values["G4"] is True


def test_round_is_half_away_from_zero_on_the_decimal_the_float_stands_for() -> None:
    assert excel_round(2.675, 2) == 2.68  # binary 2.67499999…: Python's round() gives 2.67
    assert excel_round(-0.125, 2) == -0.13 and excel_round(0.5, 0) == 1


def test_an_unknown_formula_is_refused_not_guessed() -> None:
    workbook = sheet_with({"A1": 3, "A2": "=VLOOKUP(A1,B1:C3,2,FALSE)"})
    sheet = workbook.active
    assert sheet is not None
    with pytest.raises(UnsupportedFormulaError):
        evaluate_sheet(sheet)


def test_the_values_are_written_into_the_file_and_the_formulas_kept(tmp_path: Path) -> None:
    workbook = sheet_with({"A1": 1_000, "A2": 250.5, "A3": "=SUM(A1:A2)", "A4": '=IF(A3=0,"",A2/A3)', "A5": '=""'})
    path = tmp_path / "plan.xlsx"
    workbook.save(str(path))
    assert load_workbook(path, data_only=True)["Plan"]["A3"].value is None  # what openpyxl alone leaves
    sheet = workbook.active
    assert sheet is not None
    write_cached_values(path, {"Plan": evaluate_sheet(sheet)})
    cached = load_workbook(path, data_only=True)["Plan"]
    assert cached["A3"].value == 1_250.5 and cached["A4"].value == pytest.approx(250.5 / 1_250.5)
    assert load_workbook(path)["Plan"]["A3"].value == "=SUM(A1:A2)"
