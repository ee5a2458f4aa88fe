"""Step 7 driven in the real window: the demo's plan, editing lines, rules, loan, rent, scenarios."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QTableWidgetItem
from pytestqt.qtbot import QtBot

from santeloc.gui.fields import shown_refusals
from santeloc.gui.main_window import MainWindow
from santeloc.gui.pages.financing import FinancingPage
from santeloc.persistence.engine import Database
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import financing as svc
from santeloc.services.demo_data import HISTORICAL_PLAN
from santeloc.workflow.steps import StepId, StepState
from tests.gui.conftest import close_messages, drawn, messages


def open_demo_plan(window: MainWindow) -> FinancingPage:
    """Step 7 of the demo, showing its historical scenario: the guide's 2005 plan."""
    window.home.open_demo()
    window.workspace.go_to(StepId.FINANCEMENT)
    page = window.workspace.financing_page
    assert page.view is not None
    historical = next(p for p in svc.list_plans(page.ctx.uow(), page.view.plan.project_id) if p.name == HISTORICAL_PLAN)
    page.show_plan(historical.id)
    return page


def cells(widget: object, column: int) -> list[str]:
    return [widget.item(row, column).text() for row in range(widget.rowCount())]  # type: ignore[attr-defined]


def test_the_demo_plan_with_the_guides_shares(window: MainWindow, qtbot: QtBot) -> None:
    page = open_demo_plan(window)
    assert "795\u202f305\u00a0€" in page.summary.text() and "Plan équilibré" in page.summary.text()
    assert page.expenses.rowCount() == 1 and page.resources.rowCount() == 5
    shares = dict(zip(cells(page.resources, 0), cells(page.resources, 6), strict=True))
    assert shares["DDR"] == "40,81\u00a0%" and shares["Emprunt"] == "30,30\u00a0%"
    qtbot.waitUntil(
        lambda: (
            window.workspace.completeness.get(StepId.FINANCEMENT) is not None
            and window.workspace.completeness[StepId.FINANCEMENT].state is StepState.DONE
        ),
        timeout=10_000,
    )
    page.tabs.setCurrentIndex(2)
    drawn(qtbot, page.plan_chart)
    assert page.plan_chart.figure is not None
    assert any("30,3" in page.findings.item(i).text() for i in range(page.findings.count()))


def test_add_lines_see_the_rules_and_fix_them(window: MainWindow, sqlite_database: Database) -> None:
    info = window.home.create_named("MSP du Bourg")
    assert info is not None
    window.workspace.go_to(StepId.FINANCEMENT)
    page = window.workspace.financing_page
    assert any("aucune dépense" in page.findings.item(i).text().lower() for i in range(page.findings.count()))
    page.add_expense()
    page.expense_label.setText("Construction")
    page.expense_label.editingFinished.emit()
    page.expense_amount.setText("1 000 000")
    page.expense_amount.editingFinished.emit()
    view = svc.load_plan(UnitOfWork(sqlite_database), page.view.plan.id)  # type: ignore[union-attr]
    assert view.expenses[0].expense.amount_ht_cents == 100_000_000 and view.expenses[0].expense.label == "Construction"
    # A negative amount: told in French, the saved value stays.
    page.expense_amount.setText("-5")
    page.expense_amount.editingFinished.emit()
    assert any("négati" in text for text in messages(window) + shown_refusals(window))
    close_messages(window)
    assert (
        svc.load_plan(UnitOfWork(sqlite_database), page.view.plan.id).expenses[0].expense.amount_ht_cents == 100_000_000
    )  # type: ignore[union-attr]
    # A DETR grant at 35 % of the construction: computed, and the plan says what is missing.
    page.add_resource()
    page.by_rate.setChecked(True)
    page.resource_rate.setText("35")
    page.resource_rate.editingFinished.emit()
    page.resource_base.item(0).setCheckState(Qt.CheckState.Checked)
    assert "350\u202f000\u00a0€" in cells(page.resources, 5)
    assert "Reste à financer 650\u202f000\u00a0€" in page.summary.text()
    page.resource_rate.setText("150")
    page.resource_rate.editingFinished.emit()
    assert any("100" in text for text in messages(window) + shown_refusals(window))
    close_messages(window)


def test_loan_and_rent(window: MainWindow) -> None:
    page = open_demo_plan(window)
    page.tabs.setCurrentIndex(3)
    assert page.loan_principal.text() == "240\u202f943"  # suggested from the plan's loan line
    page.loan_rate.setText("3,5")
    page.loan_years.setValue(20)
    assert page.save_loan()
    assert page.schedule.rowCount() == 20
    page.loan_years.setValue(0)
    assert not page.save_loan()
    assert any("au moins un an" in text for text in messages(window))
    close_messages(window)
    page._add_occupant_row("Médecins généralistes", "180", "")
    page._add_occupant_row("Infirmières", "60", "")
    page.rent_charges.setText("12 000")
    page.rent_market.setText("9,50")
    assert page.save_rent()
    assert page.rent_result.rowCount() == 2
    assert "marché" in page.rent_sentence.text()


def test_scenarios_side_by_side(window: MainWindow, qtbot: QtBot) -> None:
    page = open_demo_plan(window)
    reference_id = page.view.plan.id  # type: ignore[union-attr]
    copy = page.duplicate("sans ADEME")
    assert copy is not None and page.view.plan.id == copy.id  # type: ignore[union-attr]
    ademe_row = cells(page.resources, 0).index("ADEME")
    page.resources.selectRow(ademe_row)
    page.delete_resource()
    box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
    next(b for b in box.buttons() if b.text() == "Supprimer").click()
    assert page.resources.rowCount() == 4
    assert "Reste à financer 57\u202f856\u00a0€" in page.summary.text()
    page.tabs.setCurrentIndex(4)
    headers = [page.comparison.horizontalHeaderItem(i).text() for i in range(page.comparison.columnCount())]
    assert "sans ADEME" in headers
    page.show_plan(reference_id)
    assert "Plan équilibré" in page.summary.text()


def test_funder_rules_edited_in_the_table(window: MainWindow, sqlite_database: Database) -> None:
    page = open_demo_plan(window)
    row = cells(page.funders, 0).index("REGION")
    item: QTableWidgetItem = page.funders.item(row, 3)
    item.setText("30")
    view = svc.load_plan(UnitOfWork(sqlite_database), page.view.plan.id)  # type: ignore[union-attr]
    assert next(f for f in view.funders if f.rule.code == "REGION").rule.max_rate_bp == 3000
    row = cells(page.funders, 0).index("REGION")
    page.funders.item(row, 4).setText("beaucoup")
    assert any("n'est pas un montant" in text for text in messages(window))


def test_funder_public_ttc_and_stages(window: MainWindow, sqlite_database: Database) -> None:
    page = open_demo_plan(window)
    row = cells(page.funders, 0).index("DSIL")
    page.funders.item(row, 6).setCheckState(Qt.CheckState.Checked)
    row = cells(page.funders, 0).index("DSIL")
    page.funders.item(row, 5).setText("Investissement, ingénierie")
    rule = next(
        f.rule for f in svc.load_plan(UnitOfWork(sqlite_database), page.view.plan.id).funders if f.rule.code == "DSIL"
    )  # type: ignore[union-attr]
    assert rule.counts_ttc and rule.eligible_stages == {"investissement", "ingenierie"}
    row = cells(page.funders, 0).index("DSIL")
    page.funders.item(row, 5).setText("construction")
    assert any("Étape inconnue : « construction »" in text for text in messages(window))


def test_the_funders_printed_mention_and_attachments_are_edited_in_the_catalogue(
    window: MainWindow, sqlite_database: Database
) -> None:
    page = open_demo_plan(window)
    row = cells(page.funders, 0).index("DSIL")
    page.funders.item(row, 9).setText("Opération inscrite au contrat de relance et de transition écologique.")
    row = cells(page.funders, 0).index("DSIL")
    page.funders.item(row, 10).setText("Délibération ; Plan de financement ; RIB")
    view = svc.load_plan(UnitOfWork(sqlite_database), page.view.plan.id)  # type: ignore[union-attr]
    rule = next(f.rule for f in view.funders if f.rule.code == "DSIL")
    assert rule.mention.startswith("Opération inscrite") and rule.attachment_list == [
        "Délibération",
        "Plan de financement",
        "RIB",
    ]
    assert rule.is_state and page.funders.item(cells(page.funders, 0).index("DSIL"), 7).checkState() == (
        Qt.CheckState.Checked
    )


def test_a_funder_limit_gets_its_source_and_date(window: MainWindow, sqlite_database: Database) -> None:
    """The catalogue says where a rate or ceiling comes from and of when; the rules quote it."""
    from datetime import date

    page = open_demo_plan(window)
    row = cells(page.funders, 0).index("REGION")
    assert page.funders.item(row, 11).text().startswith("exemple du guide")
    page.funders.item(row, 11).setText("Règlement régional d'aide aux maisons de santé")
    row = cells(page.funders, 0).index("REGION")
    page.funders.item(row, 12).setText("12/03/2026")
    view = svc.load_plan(UnitOfWork(sqlite_database), page.view.plan.id)  # type: ignore[union-attr]
    rule = next(f.rule for f in view.funders if f.rule.code == "REGION")
    assert rule.rule_source == "Règlement régional d'aide aux maisons de santé" and rule.rule_date == date(2026, 3, 12)
    assert rule.source_text == "(source : Règlement régional d'aide aux maisons de santé, 12/03/2026)"
    row = cells(page.funders, 0).index("REGION")
    page.funders.item(row, 12).setText("hier soir")  # refused, nothing saved
    view = svc.load_plan(UnitOfWork(sqlite_database), page.view.plan.id)  # type: ignore[union-attr]
    assert next(f for f in view.funders if f.rule.code == "REGION").rule.rule_date == date(2026, 3, 12)
