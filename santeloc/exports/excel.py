"""The financing workbook (openpyxl) with live formulas, French number formats, tidy sheets.

Sheets:

* **Plan de financement** — expenses per stage (HT, TVA, TTC) and resources per stage; every
  total, share and balance is a formula (``=SUM(…)``, ``=E12/$E$20``), so a user who changes
  an amount in Excel or LibreOffice sees the plan follow. A resource given as a rate of its
  base is a formula too (``=ROUND((E7+E8)*0.35,2)``). Once recalculated, the formulas give
  exactly the figures of the app (checked by the integration tests with LibreOffice).
* **Indicateurs** — the health-status table of step 1, with the index to France and the
  indice comparatif as formulas.
* **Échéancier** — the loan's repayment schedule: interest, principal and remaining capital
  are formulas of the parameters at the top.

Cells are formatted through named cell styles (« Montant », « Total montant »…), registered
once per workbook: users find them in Excel's style gallery, and one assignment per cell
keeps the export fast. Cell addresses of the key figures are returned in
:class:`WorkbookLayout` and also stored as defined names (``TotalDepenses``, ``Solde``…).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from santeloc.domain import financing as rules
from santeloc.domain.enums import ResourceKind, ResourceStatus
from santeloc.domain.formatting import format_cents, format_date
from santeloc.domain.indicators import Unit
from santeloc.domain.xml_text import xml_text
from santeloc.exports.context import ProjectData, indicator_reading, load_project_data
from santeloc.exports.errors import write_atomically
from santeloc.exports.formula_values import UnsupportedFormulaError, evaluate_workbook, write_cached_values
from santeloc.exports.funding_context import status_text
from santeloc.exports.review import INCOMPLETE_MARK
from santeloc.persistence.cells import Formula, set_value
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import health_project as health_svc
from santeloc.services import offer as offer_svc
from santeloc.services.financing import PlanView
from santeloc.services.indicators import UNIT_VALUES

PLAN_SHEET = "Plan de financement"
INDICATORS_SHEET = "Indicateurs"
SCHEDULE_SHEET = "Échéancier"
PROFESSIONALS_SHEET = "Professionnels"
ACTIONS_SHEET = "Actions"

MONEY = '#,##0.00\\ "€"'
PERCENT = "0.00%"
DECIMAL = "#,##0.0"
INTEGER = "#,##0"
DATE = "DD/MM/YYYY"

FONT = "Calibri"  # Excel's default; LibreOffice draws it with the metric-compatible Carlito
ACCENT = "2E7D6B"
THIN = Side(style="thin", color="BFBFBF")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOTAL_FILL = PatternFill("solid", fgColor="E3EFEB")

CATEGORY_PUBLIC = "Subvention publique"
CATEGORY_PRIVATE = "Subvention privée"
CATEGORY_OWNER = "Maître d'ouvrage"
CATEGORY_THIRD_PARTY = "Participation de tiers"

# Named cell styles: (font options, number format, alignment options, border, fill).
_STYLES: dict[str, tuple[dict[str, Any], str, dict[str, Any], bool, PatternFill | None]] = {
    "Titre": ({"bold": True, "size": 14, "color": "1F3B34"}, "General", {}, False, None),
    "Brouillon": ({"bold": True, "size": 12, "color": "C00000"}, "General", {}, False, None),
    "Section": ({"bold": True, "size": 12, "color": ACCENT}, "General", {}, False, None),
    "Note": ({"italic": True, "size": 9, "color": "666666"}, "General", {}, False, None),
    "Note longue": ({"italic": True, "size": 9, "color": "666666"}, "General", {"wrap_text": True}, False, None),
    "Libellé": ({"bold": True}, "General", {}, False, None),
    "En-tête": (
        {"bold": True, "color": "FFFFFF"},
        "General",
        {"wrap_text": True, "vertical": "center", "horizontal": "center"},
        True,
        PatternFill("solid", fgColor=ACCENT),
    ),
    "Texte": ({}, "General", {"vertical": "top"}, True, None),
    "Texte long": ({}, "General", {"vertical": "top", "wrap_text": True}, True, None),
    "Montant": ({}, MONEY, {"vertical": "top"}, True, None),
    "Pourcentage": ({}, PERCENT, {"vertical": "top"}, True, None),
    "Décimal": ({}, DECIMAL, {"vertical": "top"}, True, None),
    "Entier": ({}, INTEGER, {"vertical": "top"}, True, None),
    "Date": ({}, DATE, {"vertical": "top", "horizontal": "center"}, True, None),
    "Total texte": ({"bold": True}, "General", {"vertical": "top"}, True, TOTAL_FILL),
    "Total montant": ({"bold": True}, MONEY, {"vertical": "top"}, True, TOTAL_FILL),
    "Total pourcentage": ({"bold": True}, PERCENT, {"vertical": "top"}, True, TOTAL_FILL),
    "Paramètre montant": ({}, MONEY, {}, False, None),
    "Paramètre pourcentage": ({}, PERCENT, {}, False, None),
}


def _register_styles(workbook: Workbook) -> None:
    for name, (font, number_format, alignment, border, fill) in _STYLES.items():
        style = NamedStyle(name=name)
        style.font = Font(name=FONT, **font)
        style.number_format = number_format
        style.alignment = Alignment(**alignment)
        if border:
            style.border = GRID
        if fill is not None:
            style.fill = fill
        workbook.add_named_style(style)


@dataclass
class WorkbookLayout:
    """Where the key figures are, as ``"Sheet!E20"`` addresses (for tests and for the GUI)."""

    cells: dict[str, str] = field(default_factory=dict)

    def add(self, key: str, sheet: Worksheet, coordinate: str) -> None:
        """Record the address of a key figure."""
        self.cells[key] = f"{sheet.title}!{coordinate}"


def _euros(cents: int) -> float:
    # Cents are exact integers; the division by 100 is the only float, within 1e-12 of the
    # decimal value, which Excel and LibreOffice display and round to the cent exactly.
    return cents / 100


def _put(sheet: Worksheet, coordinate: str, value: Any, style: str) -> None:
    """Write one cell: a :class:`Formula` as a formula, any other text as typed (never a formula)."""
    cell = sheet[coordinate]
    if style:
        cell.style = style
    set_value(cell, value)  # after the style, which would reset the quote prefix


def _row(sheet: Worksheet, row: int, cells: list[tuple[Any, str]]) -> None:
    """Fill a row from column A: (value, style) per column; ``None`` styles leave the cell alone."""
    for column, (value, style) in enumerate(cells, start=1):
        if style:
            cell = sheet.cell(row=row, column=column)
            cell.style = style
            set_value(cell, value)


def _header(sheet: Worksheet, row: int, titles: list[str]) -> None:
    sheet.row_dimensions[row].height = 30  # two lines: "Part de l'étape", "Capital restant dû…"
    _row(sheet, row, [(title, "En-tête" if title else "") for title in titles])


def _fit_rows(sheet: Worksheet) -> None:
    """Give rows with wrapped text the height of their lines (LibreOffice keeps xlsx heights)."""
    widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
    merged: dict[tuple[int, int], float] = {}
    for cells in sheet.merged_cells.ranges:
        merged[(cells.min_row, cells.min_col)] = sum(
            widths.get(get_column_letter(column), 8.43) for column in range(cells.min_col, cells.max_col + 1)
        )
    for row in sheet.iter_rows():
        lines = 1
        for cell in row:
            value = cell.value
            if not isinstance(value, str) or cell.data_type == "f" or not cell.alignment.wrap_text:
                continue
            width = merged.get((cell.row, cell.column), widths.get(cell.column_letter, 8.43))
            per_line = max(1, int(width * 1.05))  # Carlito at 11 pt: about one character per width unit
            lines = max(lines, sum(max(1, math.ceil(len(part) / per_line)) for part in value.split("\n")))
        number = row[0].row
        if lines > 1 and sheet.row_dimensions[number].height is None:
            sheet.row_dimensions[number].height = 15 * lines


def _widths(sheet: Worksheet, widths: list[float]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _page_setup(
    sheet: Worksheet, porteur: str, title_rows: str | None, *, landscape: bool = True, one_page_up_to: int = 0
) -> None:
    """A4, fitted to the width (and to one page when the sheet has at most ``one_page_up_to`` rows)."""
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1 if sheet.max_row <= one_page_up_to else 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.oddHeader.left.text = xml_text(porteur).replace("&", "&&")
    sheet.oddHeader.right.text = "&A"
    sheet.oddFooter.right.text = "Page &P sur &N"
    if title_rows:
        sheet.print_title_rows = title_rows


def _absolute(coordinate: str) -> str:
    column = "".join(c for c in coordinate if c.isalpha())
    return f"${column}${coordinate[len(column) :]}"


def _name(workbook: Workbook, name: str, sheet: Worksheet, coordinate: str) -> None:
    workbook.defined_names[name] = DefinedName(name, attr_text=f"'{sheet.title}'!{_absolute(coordinate)}")


def _share(numerator: str, whole: str) -> str:
    """``=IF($E$20=0,"",E12/$E$20)``: a share that stays blank rather than #DIV/0!."""
    return Formula(f'=IF({_absolute(whole)}=0,"",{numerator}/{_absolute(whole)})')


def _kind(kind: str) -> str:
    try:
        return ResourceKind(kind).label
    except ValueError:
        return kind


def _status(status: str) -> str:
    try:
        return ResourceStatus(status).label
    except ValueError:
        return status


def _category(result: rules.ResourceResult, rule: rules.FunderRule | None) -> str:
    kind = result.resource.kind
    if kind in rules.OWNER_KINDS:
        return CATEGORY_OWNER
    if kind == ResourceKind.PARTICIPATION.value:
        return CATEGORY_THIRD_PARTY
    if rule is not None and not rule.is_public:
        return CATEGORY_PRIVATE
    return CATEGORY_PUBLIC


def _group_code(result: rules.ResourceResult) -> str:
    """The funder group of a line, as :func:`santeloc.domain.financing.analyse` groups them."""
    resource = result.resource
    if resource.kind == ResourceKind.AUTOFINANCEMENT.value:
        return rules.SELF_FUNDING_GROUP
    if resource.kind == ResourceKind.PARTICIPATION.value:
        return rules.THIRD_PARTY_GROUP
    if resource.kind == ResourceKind.EMPRUNT.value:
        return resource.funder_code.strip() or rules.LOAN_GROUP
    return resource.funder_code.strip()


# --- Plan de financement ----------------------------------------------------------------------


def _plan_sheet(workbook: Workbook, data: ProjectData, layout: WorkbookLayout) -> None:
    sheet = workbook.active
    assert sheet is not None
    sheet.title = PLAN_SHEET
    view: PlanView = data.plan
    analysis = view.analysis
    ttc = analysis.balance_ttc
    base = "TTC" if ttc else "HT"
    rules_by_code = {row.rule.code: row.rule for row in view.funders}
    porteur = data.project.porteur_name or "Porteur à préciser"

    _put(sheet, "A1", f"Plan de financement — {data.project.name}", "Titre")
    _put(sheet, "A2", f"{porteur} — plan « {view.plan.name} » — établi le {format_date(data.today)}", "")
    _put(sheet, "A3", f"Montants en euros. Le plan s'équilibre sur les dépenses {base} ; le taux d'une subvention "
         "s'entend de son assiette éligible, les parts du coût du volet ou de l'opération.", "Note")  # fmt: skip
    _put(sheet, "A5", "Dépenses", "Section")
    _header(sheet, 6, ["Volet", "Catégorie", "Libellé", "Année", "Montant HT", "Taux de TVA", "TVA", "Montant TTC"])
    row = 7
    expense_cells: dict[int, tuple[str, str]] = {}  # expense id → (HT cell, TTC cell)
    stage_totals: dict[str, tuple[str, str, str]] = {}  # stage → (HT, TVA, TTC) total cells
    stages = [s for s in analysis.stages if not s.is_empty]
    by_stage: dict[str, list[rules.Expense]] = {}
    for expense_row in view.expenses:
        by_stage.setdefault(expense_row.expense.stage, []).append(expense_row.expense)
    for stage in stages:
        assert stage.stage is not None
        first = row
        for expense in by_stage.get(stage.stage, []):
            _row(sheet, row, [
                (stage.label, "Texte"), (expense.category or None, "Texte"), (expense.label, "Texte long"),
                (expense.year, "Texte"), (_euros(expense.amount_ht_cents), "Montant"),
                (expense.vat_rate_bp / 10_000, "Pourcentage"), (Formula(f"=ROUND(E{row}*F{row},2)"), "Montant"),
                (Formula(f"=E{row}+G{row}"), "Montant"),
            ])  # fmt: skip
            expense_cells[expense.id] = (f"E{row}", f"H{row}")
            row += 1
        last = row - 1

        def total(column: str, first: int = first, last: int = last) -> str | int:
            return Formula(f"=SUM({column}{first}:{column}{last})") if last >= first else 0

        _row(sheet, row, [
            (f"Total {stage.label.lower()}", "Total texte"), (None, "Total texte"), (None, "Total texte"),
            (None, "Total texte"), (total("E"), "Total montant"), (None, "Total texte"), (total("G"), "Total montant"),
            (total("H"), "Total montant"),
        ])  # fmt: skip
        stage_totals[stage.stage] = (f"E{row}", f"G{row}", f"H{row}")
        layout.add(f"depenses_ht:{stage.stage}", sheet, f"E{row}")
        layout.add(f"depenses_ttc:{stage.stage}", sheet, f"H{row}")
        row += 1
    sums = [Formula("=" + "+".join(t[i] for t in stage_totals.values())) if stage_totals else 0 for i in range(3)]
    _row(sheet, row, [
        ("Total des dépenses", "Total texte"), (None, "Total texte"), (None, "Total texte"), (None, "Total texte"),
        (sums[0], "Total montant"), (None, "Total texte"), (sums[1], "Total montant"), (sums[2], "Total montant"),
    ])  # fmt: skip
    grand_ht, grand_ttc = f"E{row}", f"H{row}"
    grand = grand_ttc if ttc else grand_ht
    layout.add("total_depenses_ht", sheet, grand_ht)
    layout.add("total_depenses_ttc", sheet, grand_ttc)
    layout.add("total_depenses", sheet, grand)
    _name(workbook, "TotalDepenses", sheet, grand)
    row += 2

    _put(sheet, f"A{row}", "Ressources", "Section")
    row += 1
    funder_names = {share.code: share.name for share in analysis.overall.funders}
    _header(sheet, row, ["Volet", "Nature", "Libellé", "Financeur", "Montant", "Part du volet", "Part du total",
                         "Statut", "Catégorie", "Assiette éligible", "Taux"])  # fmt: skip
    stored = {item.resource.id: item for item in view.resources}
    row += 1
    first_resource = row
    stage_resource_totals: list[str] = []
    for stage in stages:
        assert stage.stage is not None
        stage_expenses = stage_totals[stage.stage][2 if ttc else 0]
        first = row
        for result in stage.resources:
            resource = result.resource
            rule = rules_by_code.get(resource.funder_code.strip())
            amount: Any
            if not result.counted:
                amount = 0
            elif resource.rate_bp is not None and resource.base_expense_ids:
                cells = [expense_cells[i][1 if result.base_is_ttc else 0] for i in sorted(resource.base_expense_ids)
                         if i in expense_cells]  # fmt: skip
                amount = Formula(f"=ROUND(({'+'.join(cells) or '0'})*{resource.rate_bp / 10_000!r},2)")
            else:
                amount = _euros(result.amount_cents)
            line = stored.get(resource.id)
            status = status_text(resource.status, line.requested_on if line else None,
                                 line.decided_on if line else None) + ("" if result.counted else " (non compté)")  # fmt: skip
            base_value: Any = None
            rate_value: Any = None
            if result.counted and result.base_cents is not None and result.effective_rate_bp is not None:
                base_value = _euros(result.base_cents)
                if resource.rate_bp is not None and resource.base_expense_ids:
                    bases = [expense_cells[i][1 if result.base_is_ttc else 0]
                             for i in sorted(resource.base_expense_ids) if i in expense_cells]  # fmt: skip
                    base_value = Formula("=" + ("+".join(bases) or "0"))
                rate_value = (resource.rate_bp if resource.rate_bp is not None else result.effective_rate_bp) / 10_000
            _row(sheet, row, [
                (stage.label, "Texte"), (_kind(resource.kind), "Texte long"), (resource.label, "Texte long"),
                (funder_names.get(_group_code(result), _group_code(result)), "Texte long"), (amount, "Montant"), (_share(f"E{row}", stage_expenses), "Pourcentage"),
                (_share(f"E{row}", grand), "Pourcentage"), (status, "Texte long"), (_category(result, rule), "Texte"),
                (base_value, "Montant"), (rate_value, "Pourcentage"),
            ])  # fmt: skip
            layout.add(f"ressource:{resource.id}", sheet, f"E{row}")
            layout.add(f"part_etape:{resource.id}", sheet, f"F{row}")
            row += 1
        last = row - 1
        total_cell = f"E{row}"
        _row(sheet, row, [
            (f"Total des ressources — {stage.label.lower()}", "Total texte"), (None, "Total texte"),
            (None, "Total texte"), (None, "Total texte"),
            (Formula(f"=SUM(E{first}:E{last})") if last >= first else 0, "Total montant"),
            (_share(total_cell, stage_expenses), "Total pourcentage"), (None, "Total texte"), (None, "Total texte"),
            (None, "Total texte"),
        ])  # fmt: skip
        stage_resource_totals.append(total_cell)
        layout.add(f"ressources:{stage.stage}", sheet, total_cell)
        row += 1
        _row(sheet, row, [(f"Dépenses {base} — {stage.label.lower()}", "Texte"), (None, "Texte"), (None, "Texte"),
                          (None, "Texte"), (Formula(f"={stage_expenses}"), "Montant")])  # fmt: skip
        row += 1
        _row(sheet, row, [("Solde (ressources − dépenses)", "Total texte"), (None, "Total texte"),
                          (None, "Total texte"), (None, "Total texte"),
                          (Formula(f"={total_cell}-{stage_expenses}"), "Total montant")])  # fmt: skip
        layout.add(f"solde:{stage.stage}", sheet, f"E{row}")
        row += 1
    last_resource = max(row - 1, first_resource)
    row += 1

    _put(sheet, f"A{row}", "Ensemble du plan", "Section")
    row += 1
    _header(sheet, row, ["Poste", "", "", "", "Montant", "Part du total"])
    row += 1
    amounts = f"$E${first_resource}:$E${last_resource}"
    categories = f"$I${first_resource}:$I${last_resource}"
    codes = f"$D${first_resource}:$D${last_resource}"
    stage_column = f"$A${first_resource}:$A${last_resource}"

    def summary(label: str, formula: str, key: str, name: str | None = None, *, total: bool = False) -> str:
        nonlocal row
        _put(sheet, f"A{row}", label, "Libellé" if total else "Normal")  # runs over the empty B–D
        _put(sheet, f"E{row}", formula, "Total montant" if total else "Montant")
        _put(sheet, f"F{row}", _share(f"E{row}", grand), "Total pourcentage" if total else "Pourcentage")
        layout.add(key, sheet, f"E{row}")
        layout.add(f"part:{key}", sheet, f"F{row}")
        if name:
            _name(workbook, name, sheet, f"E{row}")
        cell = f"E{row}"
        row += 1
        return cell

    summary(f"Total des dépenses ({base})", Formula(f"={grand}"), "depenses")
    total_resources = summary(
        "Total des ressources",
        Formula("=" + "+".join(stage_resource_totals)) if stage_resource_totals else Formula("=0"),
        "total_ressources",
        "TotalRessources",
        total=True,
    )
    summary("Solde (ressources − dépenses)", Formula(f"={total_resources}-{grand}"), "solde", "Solde", total=True)
    summary("Financement public (subventions de personnes publiques)",
            Formula(f'=SUMIF({categories},"{CATEGORY_PUBLIC}",{amounts})'), "financement_public", "FinancementPublic")  # fmt: skip
    summary("Subventions d'organismes privés", Formula(f'=SUMIF({categories},"{CATEGORY_PRIVATE}",{amounts})'),
            "financement_prive")  # fmt: skip
    summary("Participation du maître d'ouvrage (emprunts et autofinancement)",
            Formula(f'=SUMIF({categories},"{CATEGORY_OWNER}",{amounts})'), "participation", "Participation")  # fmt: skip
    summary("Participations de tiers (professionnels, SISA)",
            Formula(f'=SUMIF({categories},"{CATEGORY_THIRD_PARTY}",{amounts})'), "participation_tiers")  # fmt: skip
    if data.plan.owner_is_public:
        investment = rules.stage_label("investissement")
        sheet[f"A{row}"] = (
            "Part du maître d'ouvrage dans le financement public de l'investissement (au moins 20 %, CGCT art. L1111-10)"
        )
        own = f'SUMIFS({amounts},{categories},"{CATEGORY_OWNER}",{stage_column},"{investment}")'
        public = f'SUMIFS({amounts},{categories},"{CATEGORY_PUBLIC}",{stage_column},"{investment}")'
        _put(sheet, f"E{row}", Formula(f'=IF(({own}+{public})=0,"",{own}/({own}+{public}))'), "Pourcentage")
        layout.add("part_maitre_ouvrage_public", sheet, f"E{row}")
        row += 1
    row += 1

    _put(sheet, f"A{row}", "Répartition par financeur", "Section")
    row += 1
    _header(sheet, row, ["Financeur", "", "", "Nature", "Montant", "Part du total"])
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    row += 1
    for share in analysis.overall.funders:
        _row(sheet, row, [
            (share.name, "Texte long"), (None, "Texte"), (None, "Texte"), (_kind(share.kind), "Texte long"),
            (Formula(f"=SUMIF({codes},A{row},{amounts})"), "Montant"), (_share(f"E{row}", grand), "Pourcentage"),
        ])  # fmt: skip
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        layout.add(f"financeur:{share.code}", sheet, f"E{row}")
        layout.add(f"part_financeur:{share.code}", sheet, f"F{row}")
        row += 1
    if not analysis.overall.funders:
        _put(sheet, f"A{row}", "Aucune ressource inscrite au plan.", "Note")
        row += 1

    row += 1
    for finding in analysis.findings:
        if finding.severity == rules.INFO and finding.code != rules.F_MINIMUM_PARTICIPATION_OK:
            continue
        _put(sheet, f"A{row}", finding.message, "Note longue")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=11)
        row += 1

    _widths(sheet, [16, 16, 30, 27, 14, 10, 13, 16, 19, 14, 8])  # A4 landscape, fitted to the width: 8 pt or more
    _fit_rows(sheet)
    sheet.freeze_panes = "A7"
    _page_setup(sheet, porteur, None)  # the expenses' header row would head the resources too


# --- Indicateurs ------------------------------------------------------------------------------


def _indicators_sheet(workbook: Workbook, data: ProjectData, layout: WorkbookLayout) -> None:
    sheet = workbook.create_sheet(INDICATORS_SHEET)
    _put(sheet, "A1", f"Indicateurs de santé — {data.project.name}", "Titre")
    _put(sheet, "A2", "Indice France = 100 × territoire ÷ France ; indice comparatif = 100 × observés ÷ attendus "
         "(formules).", "Note")  # fmt: skip
    headers = ["Thème", "Indicateur", "Unité", "Année", "Territoire", "Département", "Région", "France",
               "Indice (France = 100)", "Observés", "Attendus", "Indice comparatif", "Lecture", "Source"]  # fmt: skip
    _header(sheet, 4, headers)
    row = 5
    for indicator in data.indicators:
        unit: Unit | None = Unit(indicator.unit) if indicator.unit in UNIT_VALUES else None
        number = "Entier" if unit is Unit.COUNT else "Décimal"
        _row(sheet, row, [
            (indicator.theme_label, "Texte"), (indicator.label, "Texte long"),
            (unit.label if unit is not None else indicator.unit, "Texte"), (indicator.year, "Texte"),
            (indicator.value_territory, number), (indicator.value_departement, number),
            (indicator.value_region, number), (indicator.value_france, number),
            (Formula(f'=IF(OR(E{row}="",H{row}="",H{row}=0),"",100*E{row}/H{row})'), "Entier"),
            (indicator.observed, "Entier"), (indicator.expected, "Décimal"),
            (Formula(f'=IF(OR(J{row}="",K{row}="",K{row}=0),"",100*J{row}/K{row})'), "Entier"),
            (indicator_reading(indicator), "Texte long"),  # the same reading as in Word
            (indicator.source or None, "Texte"),
        ])  # fmt: skip
        layout.add(f"indicateur:{indicator.id}", sheet, f"E{row}")
        row += 1
    if not data.indicators:
        _put(sheet, f"A{row}", "Aucun indicateur de santé.", "Note")
    else:
        sheet.auto_filter.ref = f"A4:{get_column_letter(len(headers))}{row - 1}"
    _widths(sheet, [24, 44, 22, 8, 12, 12, 12, 12, 12, 11, 11, 12, 34, 26])
    _fit_rows(sheet)
    sheet.freeze_panes = "C5"
    _page_setup(sheet, data.project.porteur_name, "4:4")


# --- Échéancier -------------------------------------------------------------------------------


def _schedule_sheet(workbook: Workbook, data: ProjectData, layout: WorkbookLayout) -> None:
    sheet = workbook.create_sheet(SCHEDULE_SHEET)
    view = data.plan
    loan = view.loan
    schedule = view.schedule
    _put(sheet, "A1", f"Échéancier de l'emprunt — {data.project.name}", "Titre")
    if loan is None or not schedule:
        loans = view.analysis.overall.loans_cents
        text = (
            f"Emprunt inscrit au plan de financement : {format_cents(loans)}. Son taux et sa durée ne sont pas "
            "encore fixés : l'échéancier sera établi avec eux."
            if loans
            else "Le plan de financement ne comporte pas d'emprunt."
        )
        _put(sheet, "A3", text, "Note")
        _widths(sheet, [40])
        _page_setup(sheet, data.project.porteur_name, None)
        return
    parameters: list[tuple[str, Any, str]] = [
        ("Emprunt", loan.label, "Normal"),
        ("Capital emprunté", _euros(loan.principal_cents), "Paramètre montant"),
        ("Taux annuel", loan.rate_bp / 10_000, "Paramètre pourcentage"),
        ("Durée (années)", loan.years, "Normal"),
        ("Remboursement", "annuités constantes" if loan.constant_annuity else "amortissement constant", "Normal"),
        ("Première année", loan.start_year, "Normal"),
    ]
    for offset, (label, value, style) in enumerate(parameters):
        _put(sheet, f"A{3 + offset}", label, "Libellé")
        _put(sheet, f"B{3 + offset}", value, style)
    _put(sheet, "D3", "Les intérêts, le capital remboursé et le capital restant dû sont des formules.", "Note")
    header_row = 10
    _header(sheet, header_row, ["N°", "Année", "Capital restant dû en début", "Échéance", "Intérêts",
                                "Capital remboursé", "Capital restant dû en fin"])  # fmt: skip
    first = header_row + 1
    last = first + len(schedule) - 1
    for period in schedule:
        row = first + period.number - 1
        payment: Any
        principal: Any
        if loan.constant_annuity:
            principal = Formula(f"=C{row}") if row == last else Formula(f"=D{row}-E{row}")
            payment = Formula(f"=E{row}+F{row}") if row == last else _euros(period.payment_cents)
        else:
            principal = Formula(f"=C{row}") if row == last else _euros(period.principal_cents)
            payment = Formula(f"=E{row}+F{row}")
        _row(sheet, row, [
            (period.number, "Texte"), (loan.start_year + period.number - 1 if loan.start_year else None, "Texte"),
            (Formula("=$B$4") if row == first else Formula(f"=G{row - 1}"), "Montant"), (payment, "Montant"),
            (Formula(f"=ROUND(C{row}*$B$5,2)"), "Montant"), (principal, "Montant"), (Formula(f"=C{row}-F{row}"), "Montant"),
        ])  # fmt: skip
    total_row = last + 1
    _row(sheet, total_row, [
        ("Total", "Total texte"), (None, "Total texte"), (None, "Total texte"),
        (Formula(f"=SUM(D{first}:D{last})"), "Total montant"), (Formula(f"=SUM(E{first}:E{last})"), "Total montant"),
        (Formula(f"=SUM(F{first}:F{last})"), "Total montant"), (None, "Total texte"),
    ])  # fmt: skip
    layout.add("emprunt_interets", sheet, f"E{total_row}")
    layout.add("emprunt_total", sheet, f"D{total_row}")
    layout.add("emprunt_restant_fin", sheet, f"G{last}")
    layout.add("emprunt_premiere_echeance", sheet, f"D{first}")
    _name(workbook, "InteretsEmprunt", sheet, f"E{total_row}")
    rent = view.rent_plan()
    row = total_row + 2
    if rent is not None:
        _put(sheet, f"A{row}", "Loyers des professionnels (première année)", "Section")
        row += 1
        _header(sheet, row, ["Occupant", "", "Loyer annuel", "Loyer mensuel", "Par m² et par mois"])
        row += 1
        for occupant in rent.per_occupant:
            per_m2 = _euros(occupant.per_m2_cents) if occupant.per_m2_cents is not None else None
            _row(sheet, row, [
                (occupant.name, "Texte"), (None, "Texte"), (_euros(occupant.annual_cents), "Montant"),
                (_euros(occupant.monthly_cents), "Montant"), (per_m2, "Montant"),
            ])  # fmt: skip
            row += 1
        _put(sheet, f"A{row}", rent.comparison_sentence, "Note")
    _widths(sheet, [22, 24, 22, 16, 16, 18, 22])
    sheet.freeze_panes = f"A{first}"
    _page_setup(sheet, data.project.porteur_name, f"{header_row}:{header_row}", landscape=False)


# --- entry points -----------------------------------------------------------------------------


# --- Professionnels and Actions ---------------------------------------------------------------


@dataclass(frozen=True)
class RegistryData:
    """The registry of professionals (step 2) and the fiches action (step 6), for their sheets."""

    professionals: list[offer_svc.ProfessionalRow]
    actions: list[health_svc.ActionSheet]
    commune_names: dict[str, str] = field(default_factory=dict)


def load_registry(uow: UnitOfWork, project_id: int, refdata: RefData) -> RegistryData:
    """Read the professionals and the fiches action of a project (nothing written)."""
    professionals = offer_svc.list_professionals(uow, project_id)
    codes = {code for p in professionals for code in (p.commune_code, p.secondary_commune_code) if code}
    names = {code: refdata.communes[code].name for code in codes if code in refdata.communes}
    return RegistryData(professionals, health_svc.list_actions(uow, project_id, refdata), names)


def _professionals_sheet(workbook: Workbook, data: ProjectData, registry: RegistryData) -> None:
    sheet = workbook.create_sheet(PROFESSIONALS_SHEET)
    _put(sheet, "A1", f"Professionnels de santé — {data.project.name}", "Titre")
    _put(sheet, "A2", "Professionnels de santé du territoire ; âge calculé pour l'année du document.", "Note")
    headers = ["Nom", "Prénom", "Profession", "Spécialité", "Commune d'exercice", "Second lieu", "Année de naissance",
               "Âge", "Mode d'exercice", "Secteur", "ETP", "Départ annoncé", "RPPS", "Notes"]  # fmt: skip
    _header(sheet, 4, headers)
    row = 5
    names = registry.commune_names
    year = data.today.year
    for p in registry.professionals:
        _row(sheet, row, [
            (p.last_name or None, "Texte"), (p.first_name or None, "Texte"), (p.profession_label, "Texte"),
            (p.speciality or None, "Texte"), (names.get(p.commune_code, p.commune_code) or None, "Texte"),
            (names.get(p.secondary_commune_code, p.secondary_commune_code) or None, "Texte"),
            (p.birth_year, "Texte"), (p.age(year), "Entier"), (p.practice_mode or None, "Texte"),
            (p.sector, "Texte"), (p.fte, "Décimal"), (p.retirement_date, "Date"), (p.rpps or None, "Texte"),
            (p.notes or None, "Texte long"),
        ])  # fmt: skip
        row += 1
    if not registry.professionals:
        _put(sheet, f"A{row}", "Aucun professionnel de santé enregistré.", "Note")
    else:
        sheet.auto_filter.ref = f"A4:{get_column_letter(len(headers))}{row - 1}"
    _widths(sheet, [18, 16, 26, 18, 22, 18, 11, 7, 16, 9, 8, 13, 14, 30])
    _fit_rows(sheet)
    sheet.freeze_panes = "C5"
    _page_setup(sheet, data.project.porteur_name, "4:4")


def _actions_sheet(workbook: Workbook, data: ProjectData, registry: RegistryData) -> None:
    """One line per evaluation indicator, the fiche's columns repeated (filters and pivots work)."""
    sheet = workbook.create_sheet(ACTIONS_SHEET)
    _put(sheet, "A1", f"Fiches action et indicateurs d'évaluation — {data.project.name}", "Titre")
    _put(sheet, "A2", "Une ligne par indicateur d'évaluation ; une fiche sans indicateur occupe une ligne.", "Note")
    headers = ["N°", "Fiche action", "Priorité", "Objectif", "Pilote", "Statut", "Début", "Fin", "Budget",
               "Indicateur", "Unité", "Référence", "Année réf.", "Cible", "Année cible", "Source"]  # fmt: skip
    _header(sheet, 4, headers)
    row = 5
    for number, action in enumerate(registry.actions, start=1):
        draft = action.draft
        fiche: list[tuple[Any, str]] = [
            (number, "Entier"), (draft.title, "Texte long"), (action.priority_title, "Texte long"),
            (action.objective_title, "Texte long"), (draft.pilot or None, "Texte"), (action.status_label, "Texte"),
            (draft.starts_on, "Date"), (draft.ends_on, "Date"),
            (_euros(draft.budget_cents) if draft.budget_cents is not None else None, "Montant"),
        ]  # fmt: skip
        for indicator in draft.indicators or (None,):
            if indicator is None:
                cells: list[tuple[Any, str]] = [(None, "Texte")] * 7
            else:
                cells = [
                    (indicator.label, "Texte long"), (indicator.unit or None, "Texte"),
                    (indicator.baseline, "Décimal"), (indicator.baseline_year, "Texte"),
                    (indicator.target, "Décimal"), (indicator.target_year, "Texte"),
                    (indicator.source or None, "Texte"),
                ]  # fmt: skip
            _row(sheet, row, fiche + cells)
            row += 1
    if not registry.actions:
        _put(sheet, f"A{row}", "Aucune fiche action.", "Note")
    else:
        sheet.auto_filter.ref = f"A4:{get_column_letter(len(headers))}{row - 1}"
    _widths(sheet, [5, 34, 26, 26, 18, 12, 11, 11, 13, 32, 12, 10, 9, 10, 9, 18])
    _fit_rows(sheet)
    sheet.freeze_panes = "C5"
    _page_setup(sheet, data.project.porteur_name, "4:4")


def build_workbook(
    data: ProjectData, registry: RegistryData | None = None, *, incomplete: bool = False
) -> tuple[Workbook, WorkbookLayout]:
    """The workbook of a project, in memory, with the addresses of its key figures.

    With ``registry``, the sheets of the professionals and of the fiches action follow. An
    ``incomplete`` workbook (the relecture lists items for it) says so on its first sheet and in
    every printed page's header.
    """
    workbook = Workbook()
    _register_styles(workbook)
    layout = WorkbookLayout()
    _plan_sheet(workbook, data, layout)
    _indicators_sheet(workbook, data, layout)
    _schedule_sheet(workbook, data, layout)
    if registry is not None:
        _professionals_sheet(workbook, data, registry)
        _actions_sheet(workbook, data, registry)
    workbook.properties.title = xml_text(f"Plan de financement — {data.project.name}")  # cells: see set_text
    workbook.properties.creator = workbook.properties.lastModifiedBy = xml_text(data.project.porteur_name.strip())
    workbook.properties.language = "fr-FR"
    workbook.properties.created = workbook.properties.modified = datetime.now().replace(microsecond=0)
    if incomplete:
        _put(workbook.worksheets[0], "A4", INCOMPLETE_MARK, "Brouillon")  # row 4 is left blank for it
        for sheet in workbook.worksheets:
            sheet.oddHeader.center.text = INCOMPLETE_MARK
    return workbook, layout


def write_workbook(
    data: ProjectData, destination: Path, registry: RegistryData | None = None, *, incomplete: bool = False
) -> WorkbookLayout:
    """Write the workbook atomically to ``destination``; returns the key figures' addresses."""
    workbook, layout = build_workbook(data, registry, incomplete=incomplete)

    try:
        values = evaluate_workbook(workbook)
    except (UnsupportedFormulaError, ArithmeticError):  # a defect of ours: the formulas stay live, uncached
        values = {}

    def save(temporary: Path) -> None:
        workbook.save(str(temporary))
        write_cached_values(temporary, values)  # any viewer shows the figures, recalculating or not

    write_atomically(Path(destination), save)
    return layout


def export_workbook(uow: UnitOfWork, project_id: int, refdata: RefData, destination: Path) -> WorkbookLayout:
    """Read the project and write its financing workbook."""
    data = load_project_data(uow, project_id, refdata)
    return write_workbook(data, destination, load_registry(uow, project_id, refdata))
