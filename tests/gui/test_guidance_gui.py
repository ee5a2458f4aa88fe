"""Guidance in the GUI: the onboarding tour, the help panel, the glossary, tooltips, the manual."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QLabel, QPushButton, QTabWidget, QTextBrowser, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from santeloc.gui.glossary import GlossaryDialog, add_glossary_tooltips
from santeloc.gui.help_panel import SETTINGS_KEY as HELP_KEY
from santeloc.gui.help_panel import HelpPanel, help_html, next_actions_html, select_tab, step_url
from santeloc.gui.main_window import MainWindow
from santeloc.gui.manual import ManualDialog, manual_path
from santeloc.gui.onboarding import OnboardingTour, mark_onboarding_done, reset_onboarding, should_show_onboarding
from santeloc.services.progress import ProjectCounts
from santeloc.workflow.guidance import GLOSSARY, next_best_actions
from santeloc.workflow.steps import StepId


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    """Each test starts as a first-time user (tour not seen, help panel never toggled)."""
    reset_onboarding()
    QSettings().remove(HELP_KEY)
    yield
    reset_onboarding()
    QSettings().remove(HELP_KEY)


def _add_help_panel(window: MainWindow) -> HelpPanel:
    """The workspace's help panel beside the step pages."""
    return window.workspace.help_panel


def test_the_tour_is_driven_to_its_end(window: MainWindow, qtbot: QtBot) -> None:
    assert should_show_onboarding()
    _add_help_panel(window)
    tour = OnboardingTour(window)
    seen: list[int] = []
    tour.step_changed.connect(seen.append)
    tour.start()
    assert tour.isVisible() and tour.current_index() == 0
    assert 5 <= len(tour.steps) <= 7
    # First stop: the list of projects (empty at first start: the "Nouveau projet…" button).
    assert tour.highlighted_rect() is not None
    assert tour.findChild(QLabel, "onboardingTitle").text() == "Vos projets"  # type: ignore[union-attr]
    titles = []
    with qtbot.waitSignal(tour.finished, timeout=2000) as finished:
        for _ in range(len(tour.steps)):
            titles.append(tour.current_step().title)
            assert tour.is_running()
            qtbot.mouseClick(tour.next_button, Qt.MouseButton.LeftButton)
    assert finished.args == [True]
    assert seen == list(range(len(tour.steps)))
    assert titles[2] == "Les neuf étapes de la méthode"
    assert not tour.isVisible() and not tour.is_running()
    assert not should_show_onboarding()
    # Arriving at the navigation opened the demo project, so the step pages could be shown.
    assert window.stack.currentWidget() is window.workspace


def test_each_stop_shows_its_area(window: MainWindow, qtbot: QtBot) -> None:
    panel = _add_help_panel(window)
    tour = OnboardingTour(window, remember=False)
    tour.start()
    rects = []
    for _ in range(len(tour.steps)):
        rects.append(tour.highlighted_rect())
        if tour.current_index() == 2:
            nav = window.findChild(QWidget, "stepNavigation")
            assert nav is not None and rects[-1] is not None
            assert rects[-1].contains(nav.mapTo(window, nav.rect().center()))
        if tour.current_index() == 5:
            assert rects[-1] is not None and rects[-1].contains(panel.mapTo(window, panel.rect().center()))
        # The bubble never covers the area it presents, and stays in the window.
        bubble = tour.bubble.geometry()
        assert tour.rect().contains(bubble)
        if rects[-1] is not None and rects[-1].width() < 400:  # a large area may hold the bubble
            assert not bubble.intersects(rects[-1])
        tour.next()
    assert all(rect is not None for rect in rects), rects
    assert should_show_onboarding()  # remember=False


def test_the_tour_can_be_skipped_and_goes_back(window: MainWindow, qtbot: QtBot) -> None:
    tour = OnboardingTour(window)
    tour.start()
    qtbot.keyClick(tour, Qt.Key.Key_Right)
    assert tour.current_index() == 1
    qtbot.keyClick(tour, Qt.Key.Key_Left)
    assert tour.current_index() == 0 and not tour.previous_button.isEnabled()
    with qtbot.waitSignal(tour.finished, timeout=2000) as finished:
        qtbot.keyClick(tour, Qt.Key.Key_Escape)
    assert finished.args == [False]
    assert not should_show_onboarding()  # skipping counts as seen
    # Replayable: a new tour starts again at the first stop.
    again = OnboardingTour(window)
    again.start()
    assert again.current_index() == 0
    again.skip()


def test_onboarding_flag_is_per_user_setting(qtbot: QtBot) -> None:
    assert should_show_onboarding()
    mark_onboarding_done()
    assert not should_show_onboarding()
    reset_onboarding()
    assert should_show_onboarding()


# --------------------------------------------------------------------------- help panel


def _click_link(qtbot: QtBot, browser: QTextBrowser, href: str) -> None:
    """Click, with the mouse, the first link of ``browser`` that points to ``href``."""
    document = browser.document()
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.isValid() and fragment.charFormat().anchorHref() == href:
                cursor = QTextCursor(document)
                cursor.setPosition(fragment.position() + 1)
                browser.setTextCursor(cursor)
                browser.ensureCursorVisible()
                point = browser.cursorRect(cursor).center() - QPoint(3, 0)  # on the link's first letter
                qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)
                return
            fragments += 1
        block = block.next()
    raise AssertionError(f"no link to {href}")


def test_help_panel_emits_navigate_on_a_link(qtbot: QtBot) -> None:
    panel = HelpPanel(step=StepId.FINANCEMENT, compact=False)
    qtbot.add_widget(panel)
    panel.resize(420, 700)
    panel.show()
    assert "Plan de financement" in panel.browser.toPlainText()
    assert "Saint-Amand-en-Puisaye" in panel.browser.toPlainText()  # a field example card
    steps: list[int] = []
    tabs: list[tuple[int, str]] = []
    panel.navigate.connect(steps.append)
    panel.navigate_to_tab.connect(lambda step, tab: tabs.append((step, tab)))
    with qtbot.waitSignal(panel.navigate, timeout=1000):
        _click_link(qtbot, panel.browser, step_url(StepId.FINANCEMENT, "Équilibre et règles"))
    assert steps == [7] and tabs == [(7, "Équilibre et règles")]
    with qtbot.waitSignal(panel.navigate, timeout=1000):
        _click_link(qtbot, panel.browser, step_url(StepId.DOSSIERS))  # a card's "Illustre : 8. Dossiers"
    assert steps == [7, 8] and tabs[-1] == (8, "")
    with qtbot.waitSignal(panel.glossary_requested, timeout=1000) as term:
        panel.activate_link("santeloc://glossaire/DETR")
    assert term.args == ["DETR"]
    with qtbot.waitSignal(panel.manual_requested, timeout=1000) as chapter:
        panel.activate_link("santeloc://manuel/7")
    assert chapter.args == [7]
    panel.activate_link("https://exemple.fr/")  # not santeloc's: ignored
    assert steps == [7, 8]


def test_help_panel_links_come_from_the_help(qtbot: QtBot) -> None:
    html = help_html(StepId.PROFESSIONNELS)
    assert "locaux vides" in html and "Castelnau-Magnoac" in html
    assert 'href="santeloc://step/1?tab=Graphiques"' in html
    assert 'href="santeloc://glossaire/URPS"' in html  # acronyms link to the glossary


def test_help_panel_open_state_is_remembered(qtbot: QtBot) -> None:
    panel = HelpPanel(compact=False)
    qtbot.add_widget(panel)
    panel.show()
    assert panel.is_open() and panel.browser.isVisible()
    panel.toggle()
    assert not panel.is_open() and not panel.browser.isVisible() and panel.open_button.isVisible()
    again = HelpPanel(compact=False)
    qtbot.add_widget(again)
    assert not again.is_open()  # remembered for this user
    qtbot.mouseClick(again.open_button, Qt.MouseButton.LeftButton)
    assert again.is_open()
    assert HelpPanel(compact=False).is_open()


def test_help_panel_follows_the_workspace(window: MainWindow, qtbot: QtBot) -> None:
    window.home.open_demo()
    panel = _add_help_panel(window)
    panel.set_step(StepId.ETAT_SANTE)
    panel.activate_link(step_url(StepId.FINANCEMENT))
    assert window.workspace.current_step() is StepId.FINANCEMENT
    page = window.workspace.pages[StepId.FINANCEMENT]
    assert select_tab(page, "Emprunt et loyers")
    tabs = page.findChild(QTabWidget, "financingTabs")
    assert tabs is not None and tabs.tabText(tabs.currentIndex()) == "Emprunt et loyers"
    assert select_tab(page, "equilibre")  # accents and case ignored
    assert not select_tab(page, "Onglet inexistant")


# --------------------------------------------------------------------------- glossary


def test_glossary_search_filters(qtbot: QtBot) -> None:
    dialog = GlossaryDialog()
    qtbot.add_widget(dialog)
    assert len(dialog.visible_terms()) == len(GLOSSARY)
    dialog.search.setText("dotation")  # typed text with accents must go through setText
    terms = dialog.visible_terms()
    assert {"DETR", "DSIL", "DDR"} <= set(terms) and len(terms) < len(GLOSSARY)
    qtbot.keyClicks(dialog.search, "")  # nothing typed: nothing changes
    dialog.search.setText("géodes")
    assert dialog.visible_terms() == ["Géodes"]
    assert "Santé publique France" in dialog.detail.toPlainText()
    dialog.search.setText("zzz")
    assert dialog.visible_terms() == [] and "Aucun sigle" in dialog.detail.toPlainText()
    assert dialog.select_term("ETP")
    assert dialog.current_term() == "ETP" and "toutes lettres" in dialog.detail.toPlainText()
    assert GlossaryDialog(term="SCORE").current_term() == "SCORE-Santé"


def _spaces(text: str) -> str:
    """Tooltips use French no-break spaces; compare with plain ones."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_tooltips_are_added_and_existing_ones_kept(qtbot: QtBot) -> None:
    root = QWidget()
    qtbot.add_widget(root)
    layout = QVBoxLayout(root)
    label = QLabel("<b>Subvention DETR</b> et FNADT")
    button = QPushButton("Contacter l'ARS")
    button.setToolTip("Ouvre la fiche du contact")
    plain = QLabel("Rien à expliquer ici")
    tabs = QTabWidget()
    tabs.addTab(QWidget(), "Temps d'accès et indice APL")
    tabs.addTab(QWidget(), "Recettes")
    for widget in (label, button, plain, tabs):
        layout.addWidget(widget)
    assert add_glossary_tooltips(root) == 3
    assert _spaces(label.toolTip()).startswith("DETR : dotation d'équipement des territoires ruraux.")
    assert "\nFNADT : fonds national" in _spaces(label.toolTip())
    assert _spaces(button.toolTip()).startswith("Ouvre la fiche du contact\n\nARS : agence régionale de santé.")
    assert plain.toolTip() == ""
    assert (
        _spaces(tabs.tabToolTip(0)).startswith("APL : accessibilité potentielle localisée.")
        and tabs.tabToolTip(1) == ""
    )
    # Idempotent; and when the text changes, only what was added is replaced.
    assert add_glossary_tooltips(root) == 0
    button.setText("Contacter la CPAM")
    add_glossary_tooltips(root)
    assert _spaces(button.toolTip()).startswith("Ouvre la fiche du contact\n\nCPAM : caisse primaire")
    assert "ARS" not in button.toolTip()


def test_tooltips_on_the_real_window(window: MainWindow, qtbot: QtBot) -> None:
    window.home.open_demo()
    window.workspace.go_to(StepId.ACCESSIBILITE)
    add_glossary_tooltips(window)
    tabs = window.findChild(QTabWidget, "accessTabs")
    assert tabs is not None
    index = next(i for i in range(tabs.count()) if "APL" in tabs.tabText(i))
    assert "accessibilité potentielle localisée" in tabs.tabToolTip(index)


# --------------------------------------------------------------------------- manual


def test_the_manual_opens_offline_with_its_screenshots(qtbot: QtBot) -> None:
    dialog = ManualDialog()
    qtbot.add_widget(dialog)
    assert manual_path().is_file()
    text = dialog.browser.toPlainText()
    assert "Installer et lancer santeloc" in text and "./run.sh" in text
    names = dialog.image_names()
    assert len(names) >= 10
    for name in names:
        assert (manual_path().parent / name).is_file(), name
        image = dialog.browser.document().resource(QTextDocument.ResourceType.ImageResource, name)
        assert image is not None, name
    headings = [h.text for h in dialog.headings]
    for step in StepId:
        assert any(h.startswith(f"Étape {int(step)} — ") for h in headings), step
    assert dialog.show_step(7)
    dialog.search.setText("PostgreSQL")
    assert dialog.find_next()
    dialog.search.setText("mot absent du manuel")
    assert not dialog.find_next() and "introuvable" in dialog.search_status.text()


def test_a_missing_manual_says_so(qtbot: QtBot, tmp_path: object) -> None:
    from pathlib import Path

    dialog = ManualDialog(path=Path(str(tmp_path)) / "absent.md")
    qtbot.add_widget(dialog)
    assert "Manuel introuvable" in dialog.browser.toPlainText()


def test_next_actions_label_links_to_the_steps(qtbot: QtBot) -> None:
    actions = next_best_actions(ProjectCounts(porteur_named=True, communes=6, indicators=12))
    label = QLabel(next_actions_html(actions))
    qtbot.add_widget(label)
    assert "À faire ensuite" in label.text() and "liste de chiffres" in label.text()
    assert f'href="{step_url(StepId.ETAT_SANTE, "Constats")}"' in label.text()
    panel = HelpPanel(compact=False)
    qtbot.add_widget(panel)
    label.linkActivated.connect(panel.activate_link)
    with qtbot.waitSignal(panel.navigate_to_tab, timeout=1000) as target:
        label.linkActivated.emit(step_url(StepId.ETAT_SANTE, "Constats"))
    assert target.args == [1, "Constats"]
    assert next_actions_html([]) == ""
