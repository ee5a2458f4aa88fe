"""Hostile user templates: every one ends, quickly, in a French message naming the template and the place.

Endless or huge loops, recursive macros, gigabyte strings, enormous numbers, division by zero,
syntax errors and unknown variables; well-behaved uses of ``range`` and filters still render.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from docx import Document

from santeloc.exports import template_limits as limits
from santeloc.exports import word

CONTEXT = {"projet": {"nom": "Maison de santé", "communes": ["Toucy", "Bléneau"]}, "nombre": 3}

# (template text, words the explanation must contain)
HOSTILE: list[tuple[str, str]] = [
    ("{% for i in range(10**10) %}x{% endfor %}", "range(…) donne"),
    ("{% for i in range(0 - 10**12, 10**12) %}{% endfor %}", "range(…) donne"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "secondes"),
    ('{% for i in range(100000) %}{{ "y" * 1000000 }}{% endfor %}', "caractères"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "s'appelle elle-même"),
    ("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}", "secondes"),
    ('{{ "x" * 2000000000 }}', "texte ou une liste"),
    ('{{ "x" * 10**10 }}', "texte ou une liste"),
    ("{{ [1, 2, 3] * 10**9 }}", "texte ou une liste"),
    ("{{ (10**10) ** (10**10) }}", "trop grand"),
    ("{{ 2 ** 100000 }}", "trop grand"),
    ("{{ 1 / 0 }}", "divise par zéro"),
    ("{{ 1 // 0 }}", "divise par zéro"),
    ("{{ nombre % 0 }}", "divise par zéro"),
    ('{{ "{:>9999999999}".format("a") }}', "texte ou une liste"),
    ('{{ "a"|center(1000000000) }}', "texte ou une liste"),
    ('{{ "a"|indent(1000000000) }}', "texte ou une liste"),
    ('{{ "%-999999999s"|format("a") }}', "texte ou une liste"),
    ('{{ "ab".replace("", "y" * 4000000) }}', "texte ou une liste"),
    ('{{ "a".zfill(10**9) }}', "texte ou une liste"),
    ('{% set s = "x" * 4000000 %}{{ s + s }}', "texte ou une liste"),
    ("{{ projet.nom( }}", "mal écrite"),
    ("{{ inconnu }}", "la variable « inconnu » n'existe pas"),
    ("{{ projet.nom + 1 }}", "types incompatibles"),
    ("{{ projet.communes[7] }}", "n'existe pas"),
    ("{{ range(1.5) }}", "nombres entiers"),
    ("{% for c in projet.communes %}{{ c.__class__ }}{% endfor %}", "mode protégé"),
]

FRIENDLY: list[tuple[str, str]] = [
    ("{% for i in range(3) %}{{ i }}{% endfor %}", "012"),
    ("{% for i in range(3)|reverse %}{{ i }}{% endfor %}", "210"),
    ("{{ range(4)|list|length }}-{{ range(2, 8, 2)|join(',') }}", "4-2,4,6"),
    ('{{ "x" * 3 }}{{ 2 ** 10 }}{{ "{:>4}".format("a") }}', "xxx1024   a"),
    ("{{ projet.nom|upper|center(20) }}", "MAISON DE SANTÉ"),
    ("{% for c in projet.communes %}{{ c }} {% endfor %}", "Toucy Bléneau"),
]


def make_template(folder: Path, text: str) -> Path:
    """A one-paragraph Word template holding ``text`` after a first ordinary paragraph."""
    document = Document()
    document.add_paragraph("Dossier")
    document.add_paragraph(text)
    path = folder / "modele.docx"
    document.save(str(path))
    return path


@pytest.fixture(autouse=True)
def short_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Limits reached within seconds, so the suite stays fast (the mechanism is the same)."""
    monkeypatch.setattr(limits, "MAX_RENDER_SECONDS", 2.0)
    monkeypatch.setattr(limits, "MAX_OUTPUT_CHARS", 5_000_000)


@pytest.mark.parametrize(("text", "explanation"), HOSTILE, ids=[f"hostile{i}" for i in range(len(HOSTILE))])
def test_hostile_templates_end_in_a_french_message(tmp_path: Path, text: str, explanation: str) -> None:
    template = make_template(tmp_path, text)
    out = tmp_path / "sortie"
    out.mkdir()
    started = time.monotonic()
    with pytest.raises(word.TemplateError) as caught:
        word.render_document(template, CONTEXT, out / "document.docx")
    elapsed = time.monotonic() - started
    message = caught.value.message
    print(f"refusé en {elapsed:.2f} s")  # never hangs: the template's own time limit (2 s here) stops it
    assert message.startswith("Le modèle « modele.docx » contient une erreur dans le corps du document"), message
    assert explanation in message, message
    assert "aucun document n'a été écrit" in message and len(message) < 1_000
    for english in ("division by zero", "Traceback", "maximum recursion", "object of type", "unsupported operand"):
        assert english not in message
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(("text", "expected"), FRIENDLY, ids=[f"friendly{i}" for i in range(len(FRIENDLY))])
def test_ordinary_templates_still_render(tmp_path: Path, text: str, expected: str) -> None:
    template = make_template(tmp_path, text)
    path = word.render_document(template, CONTEXT, tmp_path / "document.docx")
    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    assert expected in paragraphs[1], paragraphs


def test_the_place_is_named(tmp_path: Path) -> None:
    template = make_template(tmp_path, "Montant : {{ nombre / 0 }}")
    with pytest.raises(word.TemplateError, match=r"paragraphe n° 2, près de « \{\{ nombre / 0 \}\} »"):
        word.render_document(template, CONTEXT, tmp_path / "document.docx")


def test_limits_apply_only_while_rendering() -> None:
    limits.tick(10**9)  # outside render_limits(): nothing counted, nothing raised
    with limits.render_limits(), pytest.raises(limits.TemplateLimitError):
        limits.tick(limits.MAX_STEPS + 1)
