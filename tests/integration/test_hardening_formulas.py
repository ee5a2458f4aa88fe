"""Formula injection: text a user typed or imported is written as text in every workbook, never as a formula.

Payloads that a spreadsheet would run (``=1+1``, ``=cmd|' /C calc'!A0``…) go into every text
field that reaches the financing workbook or the survey's entry sheet; the exported files are
read back with openpyxl and, when LibreOffice is installed, after a LibreOffice round trip.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from santeloc.domain import financing as rules
from santeloc.exports import context as ctx
from santeloc.exports.excel import load_registry, write_workbook
from santeloc.persistence.cells import Formula, neutralize_formulas, set_value
from santeloc.persistence.engine import Database
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import financing, indicators, offer, survey
from santeloc.services import health_project as hp
from santeloc.services.projects import create_project, list_projects, update_project

PAYLOADS = ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0"]
# What a formula built from a payload would contain; no formula of the app contains these.
MARKERS = ("1+1", "cmd", "2+3", "SUM(A1)", "calc")


def _payload(index: int) -> str:
    return PAYLOADS[index % len(PAYLOADS)]


def make_hostile_project(uow: UnitOfWork, refdata: RefData) -> int:
    """A project whose every free-text field holds a payload."""
    project_id = create_project(uow, "=cmd|' /C calc'!A0").id
    update_project(uow, project_id, None, porteur_name="=1+1")
    plan = financing.ensure_plan(uow, project_id).id
    financing.rename_plan(uow, plan, "=cmd|' /C calc'!A0")
    expenses = []
    for index in range(len(PAYLOADS)):
        expenses.append(financing.add_expense(
            uow, plan, stage="investissement", category=_payload(index + 1), label=_payload(index),
            amount_ht_cents=100_000 * (index + 1), vat_rate_bp=2000, year=2025,
        ))  # fmt: skip
        financing.add_resource(uow, plan, kind="subvention", funder_code="DDR", label=_payload(index),
                               stage="investissement", amount_cents=10_000 * (index + 1))  # fmt: skip
    financing.set_loan(uow, plan, principal_cents=1_000_000, rate_bp=300, years=5, start_year=2026, label="@SUM(A1)")
    financing.set_rent(uow, plan, annual_charges_cents=60_000, market_rent_cents_per_m2_month=900, split="area",
                       occupants=[rules.Occupant(_payload(i), Decimal(50)) for i in range(3)])  # fmt: skip
    for index, payload in enumerate(PAYLOADS):
        offer.add_professional(uow, project_id, refdata, last_name=payload, first_name=_payload(index + 1),
                               profession="infirmier", speciality=_payload(index + 2), notes=_payload(index + 3),
                               practice_mode=_payload(index + 4), birth_year=1970)  # fmt: skip
        indicators.add_custom(uow, project_id, payload, "autre", "pourcentage")
        indicators.add_constat(uow, project_id, payload, _payload(index + 1))
    objective = hp.add_objective(uow, hp.add_priority(uow, project_id, "=1+1"), "-2+3")
    for index, payload in enumerate(PAYLOADS):
        hp.add_action(uow, objective, hp.ActionDraft(
            title=payload, pilot=_payload(index + 1),
            indicators=(hp.IndicatorDraft(_payload(index + 2), _payload(index + 3), 1, 2024, 2, 2027,
                                          _payload(index + 4)),),
        ), refdata)  # fmt: skip
    return project_id


def payload_cells(path: Path) -> tuple[int, int, list[str]]:
    """(cells showing a payload, of which written as formulas, formula cells built from a payload)."""
    workbook = load_workbook(path)
    shown = as_formula = 0
    bad: list[str] = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str):
                    continue
                if cell.data_type == "f" and any(marker in value for marker in MARKERS):
                    bad.append(f"{sheet.title}!{cell.coordinate}: {value}")
                if any(payload in value for payload in PAYLOADS):
                    shown += 1
                    if cell.data_type != "s":
                        as_formula += 1
                        bad.append(f"{sheet.title}!{cell.coordinate}: {value} ({cell.data_type})")
    workbook.close()
    return shown, as_formula, bad


def exact_payloads(path: Path, *, data_only: bool = False) -> dict[str, Any]:
    """Every cell whose value is exactly one of the payloads, by ``Sheet!A1``, with its data type."""
    workbook = load_workbook(path, data_only=data_only)
    found = {
        f"{sheet.title}!{cell.coordinate}": (cell.value, cell.data_type)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value in PAYLOADS
    }
    workbook.close()
    return found


def hostile_workbook(uow: UnitOfWork, refdata: RefData, tmp_path: Path) -> Path:
    """The financing workbook of the hostile project, with the professionals and actions sheets."""
    project_id = make_hostile_project(uow, refdata)
    path = tmp_path / "plan.xlsx"
    write_workbook(ctx.load_project_data(uow, project_id, refdata), path, load_registry(uow, project_id, refdata))
    return path


def hostile_entry_sheet(uow: UnitOfWork, refdata: RefData, tmp_path: Path) -> Path:
    """The survey's entry sheet of a project whose questions, choices and name are payloads."""
    project_id = create_project(uow, "@SUM(A1)").id
    for index, payload in enumerate(PAYLOADS):
        survey.add_question(uow, project_id, "single", f"{payload}", [_payload(index + 1), "Oui " + payload])
        survey.add_question(uow, project_id, "text", _payload(index + 2))
    return survey.export_entry_sheet(uow, project_id, tmp_path / "saisie.xlsx", rows=5)


@pytest.fixture
def workbook_path(uow: UnitOfWork, refdata: RefData, tmp_path: Path) -> Path:
    """The hostile workbook, on each backend."""
    return hostile_workbook(uow, refdata, tmp_path)


@pytest.fixture
def entry_sheet_path(uow: UnitOfWork, refdata: RefData, tmp_path: Path) -> Path:
    """The hostile entry sheet, on each backend."""
    return hostile_entry_sheet(uow, refdata, tmp_path)


def test_no_payload_in_the_workbook_is_a_formula(workbook_path: Path) -> None:
    shown, as_formula, bad = payload_cells(workbook_path)
    assert shown >= 60, shown  # names, labels, categories, occupants, actions, indicators, title lines…
    assert (as_formula, bad) == (0, [])
    exact = exact_payloads(workbook_path)
    assert {value for value, _ in exact.values()} == set(PAYLOADS)
    assert all(data_type == "s" for _, data_type in exact.values())
    workbook = load_workbook(workbook_path)
    plan = workbook["Plan de financement"]
    assert plan["A2"].data_type == "s" and plan["A2"].value.startswith("=1+1 — plan « =cmd|' /C calc'!A0 »")
    assert plan["A1"].data_type == "s" and plan["E7"].data_type == "n"
    risky = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
             if cell.value in PAYLOADS]  # fmt: skip
    assert risky and all(cell.quotePrefix for cell in risky)  # kept as text when someone edits the cell
    formulas = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
                if cell.data_type == "f"]  # fmt: skip
    assert len(formulas) > 20  # the app's own totals and shares stay live


def test_no_payload_in_the_entry_sheet_is_a_formula(entry_sheet_path: Path) -> None:
    shown, as_formula, bad = payload_cells(entry_sheet_path)
    assert shown >= 20, shown
    assert (as_formula, bad) == (0, [])
    workbook = load_workbook(entry_sheet_path)
    assert not [c for s in workbook.worksheets for r in s.iter_rows() for c in r if c.data_type == "f"]


def test_the_entry_sheet_with_payloads_imports_back(uow: UnitOfWork, entry_sheet_path: Path) -> None:
    """Choices that look like formulas are still recognised when typed back as text."""
    workbook = load_workbook(entry_sheet_path)
    sheet = workbook["Saisie"]
    sheet["A2"] = "1"
    cell = sheet["B2"]
    set_value(cell, "+cmd")  # the first question's first choice
    workbook.save(entry_sheet_path)
    (project,) = list_projects(uow)
    preview = survey.read_entry_sheet(uow, project.id, entry_sheet_path)
    assert not preview.errors, preview.errors
    assert preview.responses[0].answers and "+cmd" in preview.responses[0].answers.values()


def test_cells_helpers() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    set_value(sheet["A1"], "=1+1")
    set_value(sheet["A2"], Formula("=1+1"))
    set_value(sheet["A3"], "#N/A")
    set_value(sheet["A4"], 12)
    sheet["A5"] = "=2+2"
    assert [sheet[f"A{i}"].data_type for i in range(1, 6)] == ["s", "f", "s", "n", "f"]
    assert neutralize_formulas(workbook) == 2  # A2 and A5
    assert sheet["A5"].data_type == "s" and sheet["A5"].value == "=2+2" and sheet["A5"].quotePrefix


# --- LibreOffice round trip -------------------------------------------------------------------


def round_trip(soffice: str, source: Path) -> Iterator[Path]:
    """``source`` opened and saved again as .xlsx by LibreOffice."""
    with tempfile.TemporaryDirectory(prefix="santeloc-roundtrip-") as work:
        out = Path(work) / "out"
        profile = Path(work) / "profile"
        subprocess.run(
            [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
             "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        yield out / source.name


@pytest.mark.slow
@pytest.mark.parametrize("build", [hostile_workbook, hostile_entry_sheet], ids=["workbook", "entry_sheet"])
def test_payloads_survive_a_libreoffice_round_trip_as_typed(
    soffice: str, sqlite_database: Database, refdata: RefData, tmp_path: Path, build: Any
) -> None:
    source: Path = build(UnitOfWork(sqlite_database), refdata, tmp_path)
    before = exact_payloads(source)
    for converted in round_trip(soffice, source):
        after = exact_payloads(converted, data_only=True)  # what LibreOffice computed, if anything
        assert after == before, sorted(set(before.items()) ^ set(after.items()))[:5]
        shown, as_formula, bad = payload_cells(converted)
        assert shown >= len(before) and (as_formula, bad) == (0, [])
