"""Funders are named to a reader by acronym or by word, accented; never by their code in capitals."""

from __future__ import annotations

from santeloc.domain.financing import default_funders
from santeloc.domain.funder_names import file_safe, funder_label, funder_short_name


def test_words_are_accented_and_acronyms_kept() -> None:
    assert funder_short_name("REGION") == "Région"
    assert funder_short_name("DEPARTEMENT") == "Département"
    assert funder_short_name("ASSURANCE_MALADIE") == "Assurance Maladie"
    assert funder_short_name("DETR") == "DETR"
    assert funder_short_name("MECENAT_LOCAL", "Fondation du pays") == "Fondation du pays"


def test_no_catalogue_label_shows_a_code_in_capitals_with_underscores() -> None:
    for rule in default_funders():
        label = funder_label(rule.code, rule.name)
        assert "_" not in label and rule.name in label


def test_file_names_keep_accents_and_lose_spaces() -> None:
    assert file_safe("Assurance Maladie") == "Assurance-Maladie"
    assert file_safe("Région") == "Région"
    assert file_safe("  ") == "financeur"
