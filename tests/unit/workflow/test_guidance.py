"""The method explained where it is used: step help, field examples, glossary, next best step — no Qt."""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from pathlib import Path

import pytest

from santeloc.services.progress import ProjectCounts
from santeloc.workflow.guidance import (
    FIELD_EXAMPLES,
    GLOSSARY,
    STEP_HELP,
    ActionKind,
    examples_for,
    find_terms,
    lookup,
    next_best_actions,
    next_best_step,
    search_glossary,
    step_help,
)
from santeloc.workflow.steps import STEPS_BY_ID, StepId

ROOT = Path(__file__).resolve().parents[3]

# --------------------------------------------------------------------------- step help


@pytest.mark.parametrize("step", list(StepId), ids=lambda s: s.name)
def test_every_step_has_its_help(step: StepId) -> None:
    helped = step_help(step)
    assert helped.step is step
    assert len(helped.purpose) > 80
    assert len(helped.gather) >= 2 and all(what and who for what, who in helped.gather)
    assert len(helped.good_looks_like) > 60
    assert helped.pitfalls and all(len(p) > 40 for p in helped.pitfalls)
    assert helped.links and all(isinstance(target, StepId) for _label, target, _tab in helped.links)
    assert set(STEP_HELP) == set(StepId)


def _tab_titles() -> set[str]:
    """The titles given to tabs in the pages' source (``addTab(widget, "Titre")``)."""
    titles: set[str] = set()
    for path in (ROOT / "santeloc" / "gui").rglob("*.py"):
        for node in ast.walk(_parse(path)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("addTab", "insertTab")
            ):
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        titles.add(arg.value)
    return titles


_HALF_WAY = ProjectCounts(
    porteur_named=True, communes=3, indicators=4, professionals=2, access_measures=1, survey_questions=3, contacts=2
)


def test_links_name_tabs_that_exist() -> None:
    """A link's tab hint is the title of a real tab, so the help stays in step with the pages."""
    titles = _tab_titles()
    for helped in STEP_HELP.values():
        for label, _target, tab in helped.links:
            assert not tab or any(t.startswith(tab) for t in titles), f"{label!r}: onglet « {tab} » introuvable"
    for counts in (ProjectCounts(porteur_named=False), _HALF_WAY):
        for action in next_best_actions(counts):
            tab = action.tab_hint
            assert not tab or any(t.startswith(tab) for t in titles), f"{action.text!r}: onglet « {tab} » introuvable"


def test_the_guides_warnings_are_told_where_they_apply() -> None:
    def text(step: StepId) -> str:
        return " ".join(step_help(step).pitfalls).lower()

    assert "murs" in text(StepId.PROFESSIONNELS) and "locaux vides" in text(StepId.PROFESSIONNELS)
    assert "intercommunalité voisine" in text(StepId.TERRITOIRE)
    assert "règlement du bâtiment" in text(StepId.PROJET_SANTE)
    assert "liste de chiffres" in text(StepId.ETAT_SANTE)
    assert "médecins généralistes" in text(StepId.OFFRE)


def test_help_names_who_to_ask() -> None:
    sources = " ".join(who for helped in STEP_HELP.values() for _what, who in helped.gather)
    for source in ("ORS", "CPAM", "ARS", "Ordre", "URPS", "INSEE", "préfecture"):
        assert source in sources, source


# --------------------------------------------------------------------------- field examples


def test_field_examples_cover_the_guides_cases() -> None:
    text = " ".join(f"{e.title} {e.place}" for e in FIELD_EXAMPLES)
    for place in (
        "Castelnau-Magnoac",
        "Saint-Amand-en-Puisaye",
        "sud-ouest mayennais",
        "Cœur d'Hérault",
        "Centre Ouest Bretagne",
        "Lozère",
        "Basse-Normandie",
        "TADOU",
        "Alpes-Maritimes",
    ):
        assert place in text, place
    assert len({e.key for e in FIELD_EXAMPLES}) == len(FIELD_EXAMPLES)
    for example in FIELD_EXAMPLES:
        assert example.figures and example.steps and example.lesson and example.year


def test_cards_carry_the_guides_figures() -> None:
    figures = {e.key: " ".join(e.figures) for e in FIELD_EXAMPLES}
    assert "795 305 €" in figures["saint-amand-en-puisaye"] and "324 547 €" in figures["saint-amand-en-puisaye"]
    assert "2,2 M€" in figures["castelnau-magnoac"] and "70 %" in figures["castelnau-magnoac"]
    assert "15 000 habitants" in figures["basse-normandie-psla"]
    assert "8,3 pour 10 000" in figures["centre-ouest-bretagne-offre"]
    assert "50 % conseil général" in figures["tadou"]


def test_examples_illustrate_the_steps() -> None:
    assert [e.key for e in examples_for(StepId.PROFESSIONNELS)][:2] == ["castelnau-magnoac", "saint-amand-en-puisaye"]
    for step in (StepId.ETAT_SANTE, StepId.OFFRE, StepId.ACCESSIBILITE, StepId.FINANCEMENT, StepId.HABITANTS):
        assert examples_for(step), step


# --------------------------------------------------------------------------- glossary


def test_glossary_has_what_the_app_shows() -> None:
    required = (
        "ARS PRS SRS CLS CPTS MSP SISA SCM ZRR ZIP ZAC APL DETR DSIL FNADT FIR FIQCS DDR FEDER FEADER LEADER ADEME "
        "ETP PDSA C2S CMU-C EPCI PETR ORS URPS URML RPPS FINESS INSEE CPAM MSA SMUR EHPAD SSIAD CLIC ADMR ALD ACI "
        "CGCT HT TTC TVA SCORE-Santé Géodes METRIC SIRET DREES CépiDc SNDS CNAM IVG"
    ).split()
    missing = [term for term in required if term not in GLOSSARY]
    assert not missing, missing
    for entry in GLOSSARY.values():
        assert entry.expansion and len(entry.explanation) > 20, entry.term


def test_etp_has_both_meanings_and_says_how_the_app_tells_them_apart() -> None:
    etp = GLOSSARY["ETP"]
    assert "équivalent temps plein" in etp.expansion and "éducation thérapeutique du patient" in etp.expansion
    assert "toutes lettres" in etp.explanation


def test_lookup_and_find_terms() -> None:
    assert lookup("SCORE") is GLOSSARY["SCORE-Santé"]
    assert lookup("CMU") is GLOSSARY["CMU-C"]
    assert lookup("Ars") is None
    found = [e.term for e in find_terms("La CMU-C, l'ARS et la DETR/DSIL ; SCORE-Santé. EXEMPLE, MSPX, ARSENAL")]
    assert found == ["CMU-C", "ARS", "DETR", "DSIL", "SCORE-Santé"]


def test_search_ignores_accents_and_case_best_first() -> None:
    assert search_glossary("detr")[0].term == "DETR"
    terms = [e.term for e in search_glossary("dotation")]
    assert {"DETR", "DSIL", "DDR"} <= set(terms)
    assert [e.term for e in search_glossary("geodes")] == ["Géodes"]
    assert len(search_glossary("")) == len(GLOSSARY)
    assert search_glossary("zzz introuvable") == []


# The acronyms shown by the application must all be in the glossary. The scan reads the string
# literals of the GUI, the workflow and the services (not docstrings, not regular expressions) and
# picks uppercase tokens of 2 to 6 letters or digits. Tokens that are not acronyms are left out:
ALLOWED_NON_ACRONYMS = {
    "OK",  # a status word ("Démarrage : OK")
    "PDF",  # file formats
    "CSV",
    "XLSX",
    "XLS",
    "JSON",
    "UTF",  # "UTF-8" encoding
    "N°",  # "number" sign (kept for clarity; the pattern cannot match it)
    "HH",  # time and date patterns ("HH:mm:ss", "JJ/MM/AAAA")
    "MM",
    "JJ",
    "AAAA",
    "NFKD",  # Unicode normalisation form
    "EDQUOT",  # errno name
    "FR",  # country code in the RPPS extraction
    "REGION",  # a funder's code in the catalogue (funders are shown by their display name)
}
_ACRONYM = re.compile(r"(?<![\w-])([A-Z][A-Z0-9]{1,5})(?!\w)")
_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")  # "III", "XXI"
_CODE = re.compile(r"^[A-Z]{1,3}\d+$")  # cell references, article numbers, keys: "B2", "L1111", "F1"
_COLOUR = re.compile(r"^[0-9A-F]{6}$")  # "DDEBF7"
_REGEX_CALLS = {"compile", "match", "search", "fullmatch", "sub", "subn", "split", "findall", "finditer"}


def _parse(path: Path) -> ast.Module:
    try:
        return ast.parse(path.read_text(encoding="utf-8"))
    except SyntaxError as exc:  # a file being edited: say which, rather than fail obscurely
        pytest.fail(f"{path.relative_to(ROOT)} ne se lit pas ({exc.msg}, ligne {exc.lineno})")


def _ui_strings(path: Path) -> list[str]:
    tree = _parse(path)
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skipped.add(id(first.value))  # docstring
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _REGEX_CALLS:
            if isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args:
                skipped.update(id(n) for n in ast.walk(node.args[0]))  # a regular expression
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped
    ]


def _is_acronym(token: str) -> bool:
    return not (token in ALLOWED_NON_ACRONYMS or _ROMAN.match(token) or _CODE.match(token) or _COLOUR.match(token))


def _scanned_files() -> list[Path]:
    package = ROOT / "santeloc"
    return sorted(
        [*(package / "gui").rglob("*.py"), *(package / "workflow").glob("*.py"), *(package / "services").glob("*.py")]
    )


def test_every_acronym_shown_is_in_the_glossary() -> None:
    missing: dict[str, set[str]] = {}
    for path in _scanned_files():
        for text in _ui_strings(path):
            for token in _ACRONYM.findall(text):
                if _is_acronym(token) and lookup(token) is None:
                    missing.setdefault(token, set()).add(str(path.relative_to(ROOT)))
    assert not missing, "Sigles affichés absents du lexique (santeloc/workflow/guidance.py, GLOSSARY) : " + "; ".join(
        f"{token} ({', '.join(sorted(files))})" for token, files in sorted(missing.items())
    )


def test_the_scan_sees_what_it_should() -> None:
    """The scan finds real acronyms and ignores docstrings, regular expressions and codes."""
    tokens = {t for path in _scanned_files() for s in _ui_strings(path) for t in _ACRONYM.findall(s)}
    assert {"ARS", "DETR", "APL", "INSEE", "RPPS"} <= tokens
    assert not _is_acronym("III") and not _is_acronym("B2") and not _is_acronym("L1111") and not _is_acronym("F1")
    assert _is_acronym("CLIC") and _is_acronym("C2S")


# --------------------------------------------------------------------------- next best step


def test_a_new_project_starts_with_the_territory() -> None:
    steps = next_best_step(ProjectCounts(porteur_named=False))
    assert steps[0].startswith("Étape 0 — Commencez par le territoire")
    assert steps[1].startswith("Étape 1")


def test_walls_before_professionals_is_the_first_warning() -> None:
    counts = ProjectCounts(
        porteur_named=True, communes=6, indicators=8, constats=2, expenses_cents=79_530_500, resources_cents=0
    )
    actions = next_best_actions(counts)
    assert actions[0].kind is ActionKind.WARNING and actions[0].step is StepId.PROFESSIONNELS
    assert "murs" in actions[0].text


def test_figures_without_constats_is_flagged() -> None:
    counts = ProjectCounts(porteur_named=True, communes=6, indicators=12)
    actions = next_best_actions(counts)
    assert actions[0].kind is ActionKind.WARNING and actions[0].tab_hint == "Constats"
    assert "liste de chiffres" in actions[0].text
    # The same step is not suggested twice.
    assert [a.step for a in actions].count(StepId.ETAT_SANTE) == 1


def test_incomplete_steps_follow_the_method_order() -> None:
    counts = ProjectCounts(porteur_named=True, communes=6, indicators=8, constats=3, professionals=9)
    actions = next_best_actions(counts)
    assert [a.step for a in actions][:2] == [StepId.OFFRE, StepId.ACCESSIBILITE]
    assert "9 professionnel(s)" in actions[0].text and actions[0].tab_hint == "Démographie"


FULL = ProjectCounts(
    porteur_named=True,
    communes=6,
    indicators=8,
    constats=3,
    professionals=9,
    professionals_with_age=9,
    access_measures=4,
    survey_questions=12,
    survey_responses=240,
    contacts=14,
    meetings=3,
    committed_professionals=3,
    priorities=4,
    actions=9,
    expenses_cents=100,
    resources_cents=100,
    professions=4,
    apl_runs=1,
    gps_committed=2,
    paramedical_committed=1,
    plan_started=True,
    plan_ready=True,
    plan_detail="Plan équilibré.",
)
"""A project complete at every step (whatever steps this version equips)."""


class _Item:
    def __init__(self, met: bool, label: str, step: StepId) -> None:
        self.met, self.label, self.detail, self.step = met, label, "Détail.", step


def test_unmet_readiness_items_come_after_the_steps() -> None:
    counts = FULL
    items = [
        _Item(True, "Fonction de coordination", StepId.PROJET_SANTE),
        _Item(False, "Système d'information partagé", StepId.PROJET_SANTE),
    ]
    texts = next_best_step(counts, items)
    assert texts[-1] == "Système d'information partagé : Détail."
    assert not any("coordination" in t for t in texts)


def test_nothing_left_means_dossiers() -> None:
    counts = FULL
    actions = next_best_actions(counts, [])
    assert len(actions) == 1 and actions[0].kind is ActionKind.DONE and actions[0].step is StepId.DOSSIERS
    assert STEPS_BY_ID[actions[0].step].title == "Dossiers"


def test_the_survey_is_suggested_but_never_blocks() -> None:
    counts = replace(FULL, survey_questions=0, survey_responses=0)
    actions = next_best_actions(counts)
    assert actions[0].kind is ActionKind.DONE
    if STEPS_BY_ID[StepId.HABITANTS].available:  # equipped: suggested after, as optional
        assert [a.step for a in actions[1:]] == [StepId.HABITANTS] and "facultatif" in actions[1].text
