"""Made for a 1366 × 768 laptop: every step and tab of the demo fits, charts keep their texts inside.

The offscreen screen cannot be resized from a test, so the window is given the area a maximised
window has on a 1366 × 768 laptop (the screen less a taskbar and the window's title bar).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPointF, QRect, QSettings, QSize, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QFileDialog, QLabel, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from santeloc.exports.chart_style import french_number_text, legends, optional_labels, overflows, titles
from santeloc.exports.maps import place_at
from santeloc.gui.help_panel import SETTINGS_KEY, HelpPanel
from santeloc.gui.main_window import MainWindow, fit_inside, geometry_key, initial_geometry
from santeloc.gui.map_canvas import FigureView
from santeloc.gui.widgets import is_small_screen
from santeloc.services import financing as svc
from santeloc.services.demo import DEMO_COMMUNES
from santeloc.services.demo_data import HISTORICAL_PLAN
from santeloc.workflow.steps import STEPS, StepId
from tests.gui.conftest import drawn

LAPTOP = QSize(1366, 768)
WINDOW = QSize(1366, 768 - 40 - 30)  # less a taskbar and a title bar


def settle() -> None:
    for _ in range(4):
        QApplication.processEvents()


def tabs_of(page: QWidget) -> list[QTabWidget]:
    """The visible tab widgets of a page, outermost first."""
    return [t for t in page.findChildren(QTabWidget) if t.isVisibleTo(page)]


def every_tab(page: QWidget) -> Iterator[str]:
    """Show each tab of ``page`` in turn (nested tabs too), naming where we are."""
    yield "(premier onglet)"
    for tabs in tabs_of(page):
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            settle()
            yield tabs.tabText(index)
        tabs.setCurrentIndex(0)


def sideways(window: QWidget) -> list[str]:
    """The scroll areas of ``window`` that show a horizontal scroll bar."""
    return [
        f"{type(area).__name__} {area.objectName()} (+{area.horizontalScrollBar().maximum()} px)"
        for area in window.findChildren(QAbstractScrollArea)
        if area.isVisible() and area.horizontalScrollBar().isVisible()
    ]


@pytest.fixture
def laptop(window: MainWindow, qtbot: QtBot) -> MainWindow:
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(WINDOW)
    window.home.open_demo()
    settle()
    return window


def test_first_start_fills_a_small_screen_and_centres_on_a_large_one() -> None:
    laptop = QRect(0, 0, 1366, 728)
    assert is_small_screen(laptop)
    assert initial_geometry(laptop) == (laptop, True)
    large = QRect(0, 0, 1920, 1040)
    rect, maximised = initial_geometry(large)
    assert not maximised and large.contains(rect) and rect.center() == large.center()
    assert fit_inside(QRect(500, 300, 1280, 820), laptop) == QRect(86, 0, 1280, 728)


def test_the_geometry_is_remembered_per_screen(window: MainWindow) -> None:
    window.close()
    key = geometry_key(window.screen())
    assert key.startswith("mainWindow/geometry/") and QSettings().value(key) is not None


@pytest.mark.parametrize("help_open", [False, True], ids=["aide fermée", "aide ouverte"])
def test_no_step_or_tab_scrolls_sideways_at_1366_x_768(laptop: MainWindow, help_open: bool) -> None:
    workspace = laptop.workspace
    workspace.help_panel.set_open(help_open, remember=False)
    assert laptop.minimumSizeHint().width() <= LAPTOP.width()
    assert laptop.minimumSizeHint().height() <= WINDOW.height()
    problems = []
    for step in STEPS:
        workspace.go_to(step.id)
        settle()
        for tab in every_tab(workspace.pages[step.id]):
            assert laptop.width() <= LAPTOP.width() and laptop.height() <= LAPTOP.height()
            problems += [f"étape {int(step.id)}, {tab} : {area}" for area in sideways(laptop)]
    assert not problems, "\n".join(problems)


def test_no_chart_title_or_legend_is_cut(laptop: MainWindow, qtbot: QtBot) -> None:
    workspace = laptop.workspace
    workspace.help_panel.set_open(True, remember=False)
    seen = 0
    problems = []
    for step in STEPS:
        workspace.go_to(step.id)
        settle()
        for tab in every_tab(workspace.pages[step.id]):
            for view in workspace.pages[step.id].findChildren(FigureView):
                if not view.isVisible():
                    continue
                drawn(qtbot, view)
                figure = view.figure
                if figure is None:
                    continue
                image = view.image
                assert image is not None and image.width() >= view.width() and image.height() >= view.height()
                renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
                seen += 1
                texts = list(titles(figure)) + [t for t in optional_labels(figure) if t.get_visible()]
                for text in texts:
                    if overflows(text.get_window_extent(renderer), figure):
                        problems.append(f"étape {int(step.id)}, {tab} : « {text.get_text()} » dépasse")
                for legend in legends(figure):
                    if legend.get_visible() and overflows(legend.get_window_extent(renderer), figure):
                        problems.append(f"étape {int(step.id)}, {tab} : une légende dépasse")
    assert seen >= 5
    assert not problems, "\n".join(problems)


def test_help_is_narrower_and_closed_at_first_on_a_small_screen(qtbot: QtBot) -> None:
    QSettings().remove(SETTINGS_KEY)
    compact = HelpPanel(compact=True)
    qtbot.add_widget(compact)
    assert not compact.is_open() and compact.content.maximumWidth() <= 280
    QSettings().remove(SETTINGS_KEY)
    wide = HelpPanel(compact=False)
    qtbot.add_widget(wide)
    assert wide.is_open()


def test_chart_numbers_are_french() -> None:
    assert french_number_text("0.25") == "0,25"
    assert french_number_text("12000") == "12\u202f000"
    assert french_number_text("−1500.5") == "−1\u202f500,5"


def test_the_file_dialog_speaks_french(qtbot: QtBot) -> None:
    dialog = QFileDialog(None, "Ouvrir")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.add_widget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert "&Voir dans\u00a0:" in texts and "Fichiers de &type\u00a0:" in texts
    assert not [t for t in texts if "Look" in t or "Files" in t]


def test_a_project_opens_on_a_fresh_view(laptop: MainWindow) -> None:
    workspace = laptop.workspace
    workspace.go_to(StepId.ETAT_SANTE)
    health_tabs = tabs_of(workspace.pages[StepId.ETAT_SANTE])[0]
    health_tabs.setCurrentIndex(2)
    workspace.go_to(StepId.TERRITOIRE)
    area = workspace.stack.currentWidget()
    assert isinstance(area, QAbstractScrollArea)
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    laptop.ctx.saved.emit("17 fichier(s) produit(s)")
    other = laptop.home.create_named("MSP du Val")
    assert other is not None
    settle()
    assert workspace.current_step() is StepId.TERRITOIRE
    assert health_tabs.currentIndex() == 0
    assert area.verticalScrollBar().value() == 0
    assert "produit" not in workspace.saved_label.text() and laptop.statusBar().currentMessage() == ""


def test_cut_names_show_in_full_as_tooltips(laptop: MainWindow) -> None:
    workspace = laptop.workspace
    workspace.go_to(StepId.ETAT_SANTE)
    settle()
    tree = workspace.health_page.tree
    header = tree.header()
    assert header.sectionSize(0) >= 200  # the indicator names get the width left
    assert header.sectionResizeMode(0) == header.ResizeMode.Interactive  # and can be widened


def test_step_7_keeps_values_and_view_when_fields_change(laptop: MainWindow) -> None:
    workspace = laptop.workspace
    workspace.go_to(StepId.FINANCEMENT)
    page = workspace.financing_page
    assert page.view is not None  # the guide's 2005 plan, the demo's historical scenario
    historical = next(p for p in svc.list_plans(page.ctx.uow(), page.view.plan.project_id) if p.name == HISTORICAL_PLAN)
    page.show_plan(historical.id)
    page.tabs.setCurrentIndex(1)
    settle()
    ademe = next(r for r in range(page.resources.rowCount()) if page.resources.item(r, 0).text() == "ADEME")
    page.resources.selectRow(ademe)
    # Given as a rate, then switched to an amount: the amount the rate gave, never 0 €.
    page.by_rate.setChecked(True)
    page.resource_rate.setText("7")
    page.resource_rate.editingFinished.emit()
    page.resource_base.item(0).setCheckState(Qt.CheckState.Checked)  # 7 % of the works
    line = page.current_resource()
    assert line is not None and line.resource.rate_bp == 700
    area = workspace.stack.currentWidget()
    assert isinstance(area, QAbstractScrollArea)
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    before = area.verticalScrollBar().value()
    page.by_amount.setChecked(True)
    page.by_amount.clicked.emit()
    settle()
    line = page.current_resource()
    assert line is not None and line.resource.rate_bp is None and line.stored_amount_cents > 0
    assert area.verticalScrollBar().value() == before  # not sent back to the top
    # A funder implies the nature: "Emprunt" makes the line a loan.
    page.resource_funder.setCurrentIndex(page.resource_funder.findData("EMPRUNT"))
    page.resource_funder.activated.emit(page.resource_funder.currentIndex())
    line = page.current_resource()
    assert line is not None and line.resource.kind == "emprunt"
    assert not [page.resource_funder.itemText(i) for i in range(page.resource_funder.count())
                if "_" in page.resource_funder.itemText(i)]  # fmt: skip


def test_the_loan_calculator_fills_the_plans_loan_line(laptop: MainWindow) -> None:
    workspace = laptop.workspace
    workspace.go_to(StepId.FINANCEMENT)
    page = workspace.financing_page
    page.tabs.setCurrentIndex(3)
    page.loan_principal.setText("300 000")
    page.loan_rate.setText("3")
    assert page.save_loan()
    assert page.view is not None
    loans = [r for r in page.view.resources if r.resource.kind == "emprunt"]
    assert [r.stored_amount_cents for r in loans] == [30_000_000]


def test_a_new_expense_form_shows_at_once(laptop: MainWindow) -> None:
    workspace = laptop.workspace
    workspace.go_to(StepId.FINANCEMENT)
    page = workspace.financing_page
    page.tabs.setCurrentIndex(0)
    settle()
    assert page.add_expense() is not None
    settle()
    area = workspace.stack.currentWidget()
    assert isinstance(area, QAbstractScrollArea)
    top_left = page.expense_box.mapTo(area.viewport(), page.expense_box.rect().topLeft())
    assert 0 <= top_left.y() < area.viewport().height()


def test_the_map_names_the_commune_under_the_cursor(laptop: MainWindow, qtbot: QtBot) -> None:
    view = laptop.workspace.territory_page.map_view
    drawn(qtbot, view)
    assert view.figure is not None and view.image is not None
    commune = laptop.ctx.refdata.communes["58227"]  # Saint-Amand-en-Puisaye, in the demo's territory
    assert commune.lon is not None and commune.lat is not None
    assert place_at(view.figure, commune.lon, commune.lat) == commune.name
    # The pixel the commune is drawn at, in the view, maps back to that commune.
    axes = view.figure.axes[0]
    x, y = axes.transData.transform((commune.lon, commune.lat))
    ratio = view.image.width() / view.width()
    point = QPointF(x / ratio, view.height() - y / ratio)
    data = view.data_point(point)
    assert data is not None and place_at(view.figure, *data) == commune.name
    shown = [t.get_text() for t in optional_labels(view.figure) if t.get_visible()]
    assert shown and set(shown) <= {laptop.ctx.refdata.communes[c].name for c in DEMO_COMMUNES}
