"""The guide's levers catalogue: complete, French, and pointing at the right plan objectives."""

from __future__ import annotations

import pytest

from santeloc.domain.errors import ValidationError
from santeloc.domain.levers import FAMILY_LABELS, LEVERS, LEVERS_BY_KEY, find_lever, keyword_score, plain_text
from santeloc.refdata.prs import default_folder, load_pack


def test_every_lever_is_a_complete_fiche_action_template() -> None:
    assert len(LEVERS_BY_KEY) == len(LEVERS)  # unique keys
    for lever in LEVERS:
        assert lever.family in FAMILY_LABELS, lever.key
        assert lever.title and lever.summary and lever.objective and lever.target_public, lever.key
        assert lever.partners and all(p.name and p.role for p in lever.partners), lever.key
        assert 6 <= lever.duration_months <= 60, lever.key
        assert lever.indicators and all(i.label and i.unit for i in lever.indicators), lever.key
        assert lever.prs_keywords and all(k == plain_text(k) for k in lever.prs_keywords), lever.key
        for line in lever.partners_text.splitlines():
            assert " — " in line  # "Partenaire — rôle", as fiches action store them


def test_the_guides_levers_are_all_there() -> None:
    expected = {
        "aide_installation",
        "bourses_contrats_engagement",
        "aides_stages_logement",
        "maison_sante",
        "pole_sante",
        "telemedecine",
        "transport_soins",
        "maison_medicale_garde",
        "programme_prevention",
    }
    assert expected <= set(LEVERS_BY_KEY)
    assert {lever.family for lever in LEVERS} == set(FAMILY_LABELS)
    assert "TADOU" in LEVERS_BY_KEY["transport_soins"].example


def test_an_unknown_lever_is_refused_in_french() -> None:
    with pytest.raises(ValidationError, match="Levier inconnu : « hélicoptère »"):
        find_lever("hélicoptère")
    assert find_lever("telemedecine").title == "Télémédecine et télésanté"


def test_keywords_match_whole_word_starts_without_accents() -> None:
    assert plain_text("L’accès aux soins non programmés — Œuvre") == "l acces aux soins non programmes oeuvre"
    assert keyword_score(("numerique",), "Développer l’usage du numérique en santé") == 1
    assert keyword_score(("coordonne",), "exercice coordonné") == 1
    assert keyword_score(("stage",), "dépistage organisé") == 0  # not inside a word
    assert keyword_score(("stage",), "accueil des stagiaires") == 0
    assert keyword_score(("non programmes", "urgence"), "Réponse aux soins non programmés et aux urgences") == 2
    assert keyword_score((), "anything") == 0


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("aide_installation", "OS4-OO1-2"),  # Faciliter l'installation … attractivité des territoires
        ("maison_sante", "OS4-OO1"),  # Améliorer l'accès aux soins de premier recours
        ("maison_medicale_garde", "OS4-OO3"),  # réponse aux demandes de soins non programmés
        ("telemedecine", "OS4-OO2"),  # accès aux soins spécialisés … ressources numériques
        ("programme_prevention", "OS1-OO1"),  # prévention et promotion de la santé
    ],
)
def test_each_lever_finds_its_objective_in_the_pays_de_la_loire_plan(key: str, expected: str) -> None:
    pack = load_pack(default_folder() / "pays_de_la_loire_srs_2023_2028.json")
    lever = LEVERS_BY_KEY[key]
    scores = {o.code: keyword_score(lever.prs_keywords, f"{o.title} {o.description}") for o in pack.walk()}
    best = max(scores.values())
    assert best > 0 and scores[expected] == best, sorted(scores.items(), key=lambda kv: -kv[1])[:4]
