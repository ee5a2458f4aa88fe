"""Use cases of step 4: the inhabitants' questionnaire, from the questions to the constats.

- Questions (:func:`add_question`, :func:`update_question`, :func:`move_question`…) of five kinds:
  single or multiple choice, scale (ordered levels, lowest first), number and free text; choices
  are stored one per line. :data:`STARTER_QUESTIONS` is a ready set on the use and perception of
  care, with a commune question and an age-group question whose answers fill each response's
  commune and age group (their *role*).
- :func:`export_printable` writes the questionnaire to hand out (Word), :func:`export_entry_sheet`
  the Excel sheet to type the paper answers into (drop-down lists, a hidden sheet identifying the
  questionnaire by its fingerprint, :func:`questionnaire_id`), and :func:`import_entry_sheet`
  reads it back — all the rows or none, with a French message per faulty line.
- :func:`tabulate`, :func:`cross_tabulate` (by commune or age group) and
  :func:`answer_to_constat`, which turns an answer's share into a finding of the diagnostic.
"""

from __future__ import annotations

import hashlib
import json
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlmodel import col

from santeloc.analysis.tabular import check_workbook_archive
from santeloc.domain.enums import QuestionKind
from santeloc.domain.errors import NotFoundError, ValidationError
from santeloc.domain.formatting import format_date, format_decimal, format_int, format_percent, plural
from santeloc.domain.indicators import parse_french_number
from santeloc.domain.models import (
    Constat,
    Project,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
    TerritoryCommune,
)
from santeloc.domain.xml_text import xml_safe, xml_text
from santeloc.persistence.cells import neutralize_formulas
from santeloc.persistence.files import write_atomically
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services.indicators import add_constat
from santeloc.services.projects import touch_project as _touch

ROLE_COMMUNE = "commune"
ROLE_AGE_GROUP = "age_group"
ROLE_LABELS = {ROLE_COMMUNE: "Commune de résidence", ROLE_AGE_GROUP: "Tranche d'âge"}

MAX_COLUMN = 16_384  # the last column of a worksheet (XFD)
CHOICE_KINDS = frozenset({QuestionKind.SINGLE.value, QuestionKind.MULTIPLE.value, QuestionKind.SCALE.value})
DEFAULT_SCALE = ("1", "2", "3", "4", "5")
OTHER_COMMUNE = "Autre commune"
MULTIPLE_SEPARATOR = ";"
CONSTAT_STEP = 4


@dataclass(frozen=True)
class StarterQuestion:
    """A question of the starter set; the commune question gets the territory's communes as choices."""

    kind: str
    text: str
    choices: tuple[str, ...] = ()
    role: str = ""


STARTER_QUESTIONS: tuple[StarterQuestion, ...] = (
    StarterQuestion("single", "Dans quelle commune habitez-vous ?", (), ROLE_COMMUNE),
    StarterQuestion(
        "single",
        "Quelle est votre tranche d'âge ?",
        ("Moins de 25 ans", "25 à 39 ans", "40 à 59 ans", "60 à 74 ans", "75 ans ou plus"),
        ROLE_AGE_GROUP,
    ),
    StarterQuestion(
        "single",
        "Avez-vous un médecin traitant ?",
        ("Oui", "Non, je n'en trouve pas", "Non, je n'en ai pas cherché"),
    ),
    StarterQuestion(
        "single",
        "Au cours des douze derniers mois, avez-vous renoncé à des soins dont vous aviez besoin ?",
        ("Oui", "Non", "Je ne sais pas"),
    ),
    StarterQuestion(
        "multiple",
        "Si vous avez renoncé à des soins, pour lesquels ?",
        (
            "Médecin généraliste",
            "Dentiste",
            "Ophtalmologiste",
            "Gynécologue ou sage-femme",
            "Kinésithérapeute",
            "Psychologue ou psychiatre",
            "Autres soins",
        ),
    ),
    StarterQuestion(
        "multiple",
        "Et pour quelles raisons ?",
        (
            "Délai de rendez-vous trop long",
            "Professionnel trop éloigné",
            "Horaires qui ne me conviennent pas",
            "Pas de moyen de transport",
            "Coût trop élevé",
            "Autre raison",
        ),
    ),
    StarterQuestion(
        "single",
        "En général, sous quel délai obtenez-vous un rendez-vous chez un médecin généraliste ?",
        ("Le jour même", "En 2 à 7 jours", "En 8 à 15 jours", "Au-delà de 15 jours", "Je n'y arrive pas"),
    ),
    StarterQuestion("number", "Combien de minutes vous faut-il pour aller chez votre médecin ?"),
    StarterQuestion(
        "single",
        "Comment vous y rendez-vous le plus souvent ?",
        (
            "En voiture, je conduis",
            "En voiture, quelqu'un me conduit",
            "À pied ou à vélo",
            "En transport en commun ou à la demande",
            "Le professionnel vient chez moi",
        ),
    ),
    StarterQuestion(
        "scale",
        "Les horaires d'ouverture des cabinets vous conviennent-ils ?",
        ("Pas du tout", "Plutôt non", "Plutôt oui", "Tout à fait"),
    ),
    StarterQuestion(
        "multiple",
        "À quels moments aimeriez-vous pouvoir consulter ?",
        ("Tôt le matin (avant 9 h)", "À l'heure du déjeuner", "En soirée (après 18 h)", "Le samedi matin"),
    ),
    StarterQuestion(
        "single",
        "Le soir ou le week-end, savez-vous qui appeler quand votre médecin est fermé ?",
        ("Oui", "Non"),
    ),
    StarterQuestion(
        "multiple",
        "Quelles actions de prévention ou de dépistage connaissez-vous près de chez vous ?",
        (
            "Dépistage des cancers (sein, côlon, col de l'utérus)",
            "Vaccination",
            "Ateliers nutrition ou activité physique",
            "Aide à l'arrêt du tabac",
            "Prévention des chutes",
            "Aucune",
        ),
    ),
    StarterQuestion(
        "scale",
        "Dans l'ensemble, êtes-vous satisfait(e) de l'offre de soins près de chez vous ?",
        ("Pas du tout satisfait(e)", "Peu satisfait(e)", "Plutôt satisfait(e)", "Très satisfait(e)"),
    ),
    StarterQuestion("text", "Qu'est-ce qui améliorerait le plus votre accès aux soins ?"),
)
"""The starter questionnaire: use and perception of care (unmet needs, delays, distance, opening
hours, unscheduled care, prevention), with the commune and the age group first."""


@dataclass(frozen=True)
class QuestionRow:
    """A question as the step shows it; ``number`` is its rank in the questionnaire (Q1, Q2…)."""

    id: int
    number: int
    kind: str
    text: str
    choices: tuple[str, ...]
    role: str = ""

    @property
    def kind_label(self) -> str:
        """French label of the kind."""
        try:
            return QuestionKind(self.kind).label
        except ValueError:
            return self.kind

    @property
    def code(self) -> str:
        """``Q3``."""
        return f"Q{self.number}"

    @property
    def has_choices(self) -> bool:
        """Single, multiple choice or scale."""
        return self.kind in CHOICE_KINDS

    @property
    def short_text(self) -> str:
        """The text cut to 80 characters, for messages."""
        return _shorten(self.text, 80)

    @property
    def hint(self) -> str:
        """How to answer, in French (printed under the question)."""
        return {
            QuestionKind.SINGLE.value: "Cochez une seule case.",
            QuestionKind.MULTIPLE.value: "Plusieurs réponses possibles.",
            QuestionKind.SCALE.value: "Cochez une case sur l'échelle.",
            QuestionKind.NUMBER.value: "Indiquez un nombre.",
            QuestionKind.TEXT.value: "Réponse libre.",
        }.get(self.kind, "")


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _plain(text: str) -> str:
    """Case, accents, apostrophes and spaces aside: how answers are matched to choices."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").replace("\u00a0", " "))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


# --- roles (commune, age group) -------------------------------------------------------------


def _roles_of(questions: Sequence[SurveyQuestion]) -> dict[int, str]:
    """question id → role, from the questions' own ``role`` column."""
    return {q.id: q.role for q in questions if q.role and q.role in ROLE_LABELS and q.id is not None}


def _save_roles(uow: UnitOfWork, project_id: int, roles: dict[int, str]) -> None:
    """Give each question of the project its role in ``roles`` (none for the others)."""
    for question in _questions(uow, project_id):
        wanted = roles.get(question.id or 0, "")
        if question.role != wanted:
            question.role = wanted
            uow.session.add(question)


def _check_role(role: str, kind: str) -> None:
    if role == ROLE_AGE_GROUP and kind != QuestionKind.SINGLE.value:
        raise ValidationError("La question de la tranche d'âge doit être à choix unique.")
    if role == ROLE_COMMUNE and kind not in (QuestionKind.SINGLE.value, QuestionKind.TEXT.value):
        raise ValidationError("La question de la commune doit être à choix unique ou à réponse libre.")


# --- questions -------------------------------------------------------------------------------


def _questions(uow: UnitOfWork, project_id: int) -> list[SurveyQuestion]:
    return list(
        uow.session.execute(
            select(SurveyQuestion)
            .where(col(SurveyQuestion.project_id) == project_id)
            .order_by(col(SurveyQuestion.position), col(SurveyQuestion.id))
        )
        .scalars()
        .all()
    )


def _split_choices(choices: str | Iterable[str]) -> list[str]:
    lines = choices.splitlines() if isinstance(choices, str) else list(choices)
    return [" ".join(str(line).split()) for line in lines if str(line).strip()]


def _rows(questions: Sequence[SurveyQuestion], roles: dict[int, str]) -> list[QuestionRow]:
    return [
        QuestionRow(q.id or 0, number, q.kind, q.text, tuple(_split_choices(q.choices)), roles.get(q.id or 0, ""))
        for number, q in enumerate(questions, start=1)
    ]


def _load_rows(uow: UnitOfWork, project_id: int) -> list[QuestionRow]:
    questions = _questions(uow, project_id)
    return _rows(questions, _roles_of(questions))


def list_questions(uow: UnitOfWork, project_id: int) -> list[QuestionRow]:
    """The questionnaire, in order."""
    with uow:
        return _load_rows(uow, project_id)


def get_question(uow: UnitOfWork, question_id: int) -> QuestionRow:
    """One question (with its number in the questionnaire)."""
    with uow:
        question = uow.session.get(SurveyQuestion, question_id)
        if question is None:
            raise NotFoundError("Cette question n'existe plus (supprimée depuis un autre poste ?).")
        return next(r for r in _load_rows(uow, question.project_id) if r.id == question_id)


def check_question(kind: str, text: str, choices: str | Iterable[str]) -> tuple[str, str]:
    """Validate a question; returns (cleaned text, choices one per line). French messages."""
    try:
        QuestionKind(kind)
    except ValueError:
        raise ValidationError(f"Type de question inconnu : « {kind} ».") from None
    cleaned = text.strip()
    if not cleaned:
        raise ValidationError("La question a besoin d'un intitulé.")
    if len(cleaned) > 1000:
        raise ValidationError(f"L'intitulé de la question est trop long ({len(cleaned)} caractères) : 1 000 au plus.")
    items = _split_choices(choices)
    if kind not in CHOICE_KINDS:
        return cleaned, ""
    if kind == QuestionKind.SCALE.value and not items:
        items = list(DEFAULT_SCALE)
    if len(items) < 2:
        raise ValidationError("Une question à choix a besoin d'au moins deux réponses possibles (une par ligne).")
    seen: dict[str, str] = {}
    for item in items:
        if MULTIPLE_SEPARATOR in item:
            raise ValidationError(
                f"La réponse « {item} » contient un point-virgule, qui sépare les réponses multiples dans la "
                "feuille de saisie : remplacez-le par une virgule."
            )
        if len(item) > 200:
            raise ValidationError(f"La réponse « {_shorten(item, 40)} » est trop longue : 200 caractères au plus.")
        if _plain(item) in seen:
            raise ValidationError(f"La réponse « {item} » figure deux fois dans la liste.")
        seen[_plain(item)] = item
    return cleaned, "\n".join(items)


def _next_position(uow: UnitOfWork, project_id: int) -> int:
    current = uow.session.execute(
        select(func.max(SurveyQuestion.position)).where(col(SurveyQuestion.project_id) == project_id)
    ).scalar()
    return int(current or 0) + 1


def add_question(
    uow: UnitOfWork, project_id: int, kind: str, text: str, choices: str | Iterable[str] = "", *, role: str = ""
) -> int:
    """Add a question at the end of the questionnaire; ``role`` is ``commune``, ``age_group`` or ""."""
    cleaned, lines = check_question(kind, text, choices)
    if role:
        if role not in ROLE_LABELS:
            raise ValueError(role)
        _check_role(role, kind)
    with uow:
        _touch(uow, project_id)
        question = SurveyQuestion(
            project_id=project_id, position=_next_position(uow, project_id), kind=kind, text=cleaned, choices=lines
        )
        uow.session.add(question)
        uow.flush()
        assert question.id is not None
        if role:
            roles = {qid: r for qid, r in _roles_now(uow, project_id).items() if r != role}
            roles[question.id] = role
            _save_roles(uow, project_id, roles)
        uow.commit()
        return question.id


def _roles_now(uow: UnitOfWork, project_id: int) -> dict[int, str]:
    return _roles_of(_questions(uow, project_id))


def _commune_choices(uow: UnitOfWork, project_id: int, refdata: RefData | None) -> list[str]:
    """Names of the territory's communes (département added to tell homonyms apart) and "Autre commune"."""
    if refdata is None:
        return []
    codes = uow.session.execute(
        select(col(TerritoryCommune.insee_code)).where(col(TerritoryCommune.project_id) == project_id)
    ).scalars()
    communes = [refdata.communes[code] for code in codes if code in refdata.communes]
    if not communes:
        return []
    names = Counter(_plain(c.name) for c in communes)
    labels = [f"{c.name} ({c.departement})" if names[_plain(c.name)] > 1 else c.name for c in communes]
    return sorted(labels, key=_plain) + [OTHER_COMMUNE]


def add_starter_questions(uow: UnitOfWork, project_id: int, refdata: RefData | None = None) -> list[int]:
    """Add :data:`STARTER_QUESTIONS` (those already present, same text, are skipped).

    The commune question lists the territory's communes (with ``refdata``); with no territory it
    becomes a free-text question. Roles already given to other questions are kept.
    """
    with uow:
        _touch(uow, project_id)
        existing = _questions(uow, project_id)
        present = {_plain(q.text) for q in existing}
        roles = _roles_of(existing)
        position = _next_position(uow, project_id)
        created: list[tuple[SurveyQuestion, str]] = []
        for starter in STARTER_QUESTIONS:
            if _plain(starter.text) in present:
                continue
            kind, choices = starter.kind, starter.choices
            if starter.role == ROLE_COMMUNE:
                communes = _commune_choices(uow, project_id, refdata)
                kind, choices = (QuestionKind.SINGLE.value, tuple(communes)) if communes else ("text", ())
            cleaned, lines = check_question(kind, starter.text, choices)
            question = SurveyQuestion(project_id=project_id, position=position, kind=kind, text=cleaned, choices=lines)
            position += 1
            uow.session.add(question)
            created.append((question, starter.role))
        uow.flush()
        taken = set(roles.values())
        for question, role in created:
            if role and role not in taken and question.id is not None:
                roles[question.id] = role
        _save_roles(uow, project_id, roles)
        uow.commit()
        return [q.id for q, _role in created if q.id is not None]


def _used_values(uow: UnitOfWork, question_id: int) -> Counter[str]:
    """How many answers use each value (each choice of a multiple answer counted)."""
    counter: Counter[str] = Counter()
    for value in uow.session.execute(
        select(col(SurveyAnswer.value)).where(col(SurveyAnswer.question_id) == question_id)
    ).scalars():
        counter.update(value.splitlines())
    return counter


def update_question(
    uow: UnitOfWork,
    question_id: int,
    *,
    kind: str | None = None,
    text: str | None = None,
    choices: str | Iterable[str] | None = None,
) -> None:
    """Change a question. Once answers are imported its kind is fixed and a choice in use cannot
    be removed (nor renamed); the text may still be corrected."""
    with uow:
        question = uow.session.get(SurveyQuestion, question_id)
        if question is None:
            raise NotFoundError("Cette question n'existe plus (supprimée depuis un autre poste ?).")
        new_kind = kind if kind is not None else question.kind
        new_choices = choices if choices is not None else question.choices
        if kind is not None and kind != question.kind and kind not in CHOICE_KINDS and choices is None:
            new_choices = ""
        cleaned, lines = check_question(new_kind, text if text is not None else question.text, new_choices)
        roles = _roles_now(uow, question.project_id)
        if question_id in roles:
            _check_role(roles[question_id], new_kind)
        used = _used_values(uow, question_id)
        if used and new_kind != question.kind:
            raise ValidationError(
                f"{plural(sum(used.values()), 'réponse')} déjà importée(s) pour cette question : son type ne peut "
                "plus changer. Supprimez d'abord les réponses, ou créez une nouvelle question."
            )
        if used and new_kind in CHOICE_KINDS:
            kept = set(lines.splitlines())
            lost = [value for value in used if value not in kept]
            if lost:
                raise ValidationError(
                    f"La réponse « {lost[0]} » est utilisée par {plural(used[lost[0]], 'questionnaire')} importé(s) : "
                    "elle ne peut pas être retirée ni renommée."
                )
        renamed = question.text != cleaned
        question.kind, question.text, question.choices = new_kind, cleaned, lines
        uow.session.add(question)
        if renamed and question_id in roles:
            _save_roles(uow, question.project_id, roles)
        _touch(uow, question.project_id)
        uow.commit()


def set_question_role(uow: UnitOfWork, question_id: int, role: str | None) -> None:
    """Make a question the one giving each respondent's commune (``commune``) or age group
    (``age_group``), or remove its role (``None``). A role moves from any other question."""
    if role is not None and role not in ROLE_LABELS:
        raise ValueError(role)
    with uow:
        question = uow.session.get(SurveyQuestion, question_id)
        if question is None:
            raise NotFoundError("Cette question n'existe plus (supprimée depuis un autre poste ?).")
        if role is not None:
            _check_role(role, question.kind)
        roles = {qid: r for qid, r in _roles_now(uow, question.project_id).items() if qid != question_id and r != role}
        if role is not None:
            roles[question_id] = role
        _save_roles(uow, question.project_id, roles)
        _touch(uow, question.project_id)
        uow.commit()


def _renumber(uow: UnitOfWork, questions: Sequence[SurveyQuestion]) -> None:
    for position, question in enumerate(questions, start=1):
        if question.position != position:
            question.position = position
            uow.session.add(question)


def delete_question(uow: UnitOfWork, question_id: int) -> int:
    """Delete a question with its answers; returns how many answers went with it."""
    with uow:
        question = uow.session.get(SurveyQuestion, question_id)
        if question is None:
            return 0
        project_id = question.project_id
        answers = uow.session.execute(
            select(func.count()).select_from(SurveyAnswer).where(col(SurveyAnswer.question_id) == question_id)
        ).scalar_one()
        uow.session.execute(delete(SurveyAnswer).where(col(SurveyAnswer.question_id) == question_id))
        uow.session.delete(question)
        uow.flush()
        _renumber(uow, _questions(uow, project_id))
        _touch(uow, project_id)
        uow.commit()
        return int(answers)


def reorder_questions(uow: UnitOfWork, project_id: int, ordered_ids: Sequence[int]) -> None:
    """Put the questions in this order (every question of the project, once)."""
    with uow:
        questions = {q.id or 0: q for q in _questions(uow, project_id)}
        if sorted(ordered_ids) != sorted(questions):
            raise ValidationError(
                "La liste des questions a changé depuis son affichage (ajout ou suppression depuis un autre poste) : "
                "rechargez-la puis recommencez."
            )
        _renumber(uow, [questions[qid] for qid in ordered_ids])
        _touch(uow, project_id)
        uow.commit()


def move_question(uow: UnitOfWork, question_id: int, offset: int) -> None:
    """Move a question up (``offset`` < 0) or down, within the questionnaire's bounds."""
    with uow:
        question = uow.session.get(SurveyQuestion, question_id)
        if question is None:
            raise NotFoundError("Cette question n'existe plus (supprimée depuis un autre poste ?).")
        questions = _questions(uow, question.project_id)
        index = next(i for i, q in enumerate(questions) if q.id == question_id)
        target = max(0, min(len(questions) - 1, index + offset))
        questions.insert(target, questions.pop(index))
        _renumber(uow, questions)
        _touch(uow, question.project_id)
        uow.commit()


def questionnaire_id(questions: Sequence[QuestionRow]) -> str:
    """Fingerprint of a questionnaire: its questions' kinds, texts and choices, in order.

    Stable across saves and project copies; any change of a question, of its choices or of the
    order gives another fingerprint, so that an entry sheet is only read back into the
    questionnaire it was made for.
    """
    payload = [[q.kind, " ".join(q.text.split()), list(q.choices)] for q in questions]
    digest = hashlib.sha256(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return digest.hexdigest()[:20].upper()


# --- answers ---------------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """A spreadsheet cell as text: ``3.0`` → ``"3"``, ``12.5`` → ``"12,5"``, a date → ``"22/11/2026"``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.15g}".replace(".", ",")
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y" if value.time() == time() else "%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return format_date(value)
    return str(value).strip()


def _number_text(number: float) -> str:
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def parse_answer(question: QuestionRow, value: object) -> str:
    """The stored form of an answer, or "" for no answer.

    Choices are matched whatever the case, accents or spacing, and stored as written in the
    questionnaire; multiple answers are separated by « ; » (or line breaks) and stored one per
    line; numbers are read the French way (``12,5``).

    Raises:
        ValidationError: a choice outside the list, a number that is not one (French message).
    """
    if isinstance(value, float | int) and not isinstance(value, bool) and question.kind == QuestionKind.NUMBER.value:
        return _number_text(float(value))
    text = cell_text(value)
    if not text:
        return ""
    if question.kind == QuestionKind.NUMBER.value:
        try:
            number = parse_french_number(text)
        except ValidationError:
            raise ValidationError(f"« {text} » n'est pas un nombre.") from None
        return "" if number is None else _number_text(number)
    if question.kind == QuestionKind.TEXT.value:
        return text
    allowed = {_plain(choice): choice for choice in question.choices}
    parts = [text] if question.kind != QuestionKind.MULTIPLE.value else re.split(r"[;\n]", text)
    chosen: list[str] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        choice = allowed.get(_plain(part))
        if choice is None:
            listed = " ; ".join(question.choices)
            raise ValidationError(f"« {part} » ne fait pas partie des réponses possibles ({listed}).")
        if choice not in chosen:
            chosen.append(choice)
    if question.kind != QuestionKind.MULTIPLE.value and len(chosen) > 1:
        raise ValidationError("une seule réponse est possible.")
    return "\n".join(sorted(chosen, key=question.choices.index))


# --- files -----------------------------------------------------------------------------------


def _questionnaire(uow: UnitOfWork, project_id: int) -> tuple[Project, list[QuestionRow]]:
    with uow:
        project = uow.session.get(Project, project_id)
        if project is None:
            raise NotFoundError("Ce projet n'existe plus (il a peut-être été supprimé depuis un autre poste).")
        questions = _load_rows(uow, project_id)
    if not questions:
        raise ValidationError(
            "Le questionnaire n'a encore aucune question : ajoutez-en, ou partez du questionnaire type."
        )
    return project, questions


# --- Excel entry sheet -----------------------------------------------------------------------

ENTRY_SHEET = "Saisie"
LISTS_SHEET = "Listes"
ID_SHEET = "santeloc"
ID_MARKER = "Feuille de saisie santeloc"
FORMAT_VERSION = 1
RESPONDENT_HEADER = "N° du questionnaire"


def _column_header(question: QuestionRow) -> str:
    return f"{question.code}. {question.text}"


def export_entry_sheet(uow: UnitOfWork, project_id: int, path: Path, *, rows: int = 500) -> Path:
    """Write the Excel sheet to type the paper questionnaires into.

    Sheet « Saisie »: one row per respondent (first column: the questionnaire's number), one
    column per question; choice questions have a drop-down list (a multiple answer accepts
    several choices separated by « ; »), numbers are checked as numbers. A hidden sheet holds the
    lists, another (very hidden) identifies the questionnaire (:func:`questionnaire_id`), so that
    :func:`import_entry_sheet` recognises a sheet made for another questionnaire.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    project, questions = _questionnaire(uow, project_id)
    questions, project_name = xml_safe(questions), xml_text(project.name)  # what XML can hold
    if rows < 1:
        raise ValueError("rows must be positive")
    last_row = rows + 1

    def write(target: Path) -> None:
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = ENTRY_SHEET
        lists = workbook.create_sheet(LISTS_SHEET)
        lists.sheet_state = "hidden"
        ident = workbook.create_sheet(ID_SHEET)
        ident.sheet_state = "veryHidden"
        workbook.properties.title = f"Questionnaire aux habitants — {project_name}"
        workbook.properties.creator = "santeloc"

        bold = Font(bold=True)
        header_fill = PatternFill("solid", fgColor="DDEBF7")
        wrap = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row=1, column=1, value=RESPONDENT_HEADER)
        sheet.column_dimensions["A"].width = 14
        list_column = 0
        for index, question in enumerate(questions, start=2):
            letter = get_column_letter(index)
            sheet.cell(row=1, column=index, value=_column_header(question))
            sheet.column_dimensions[letter].width = 24 if question.kind != QuestionKind.TEXT.value else 40
            cells = f"{letter}2:{letter}{last_row}"
            if question.has_choices:
                list_column += 1
                list_letter = get_column_letter(list_column)
                lists.cell(row=1, column=list_column, value=question.code)
                for offset, choice in enumerate(question.choices, start=2):
                    lists.cell(row=offset, column=list_column, value=choice)
                reference = (
                    f"{quote_sheetname(LISTS_SHEET)}!${list_letter}$2:${list_letter}${len(question.choices) + 1}"
                )
                if question.kind == QuestionKind.MULTIPLE.value:
                    validation = DataValidation(
                        type="list", formula1=reference, allow_blank=True, showErrorMessage=True,
                        errorStyle="information", errorTitle="Plusieurs réponses",
                        error="Plusieurs réponses sont possibles : séparez-les par « ; ».",
                        showInputMessage=True, promptTitle=question.code,
                        prompt="Plusieurs réponses possibles : choisissez-en une ou tapez-les séparées par « ; ».",
                    )  # fmt: skip
                else:
                    validation = DataValidation(
                        type="list", formula1=reference, allow_blank=True, showErrorMessage=True,
                        errorStyle="stop", errorTitle="Réponse non prévue",
                        error="Choisissez une des réponses de la liste.",
                    )  # fmt: skip
            elif question.kind == QuestionKind.NUMBER.value:
                validation = DataValidation(
                    type="decimal", operator="between", formula1="-1000000000", formula2="1000000000",
                    allow_blank=True, showErrorMessage=True, errorTitle="Nombre attendu",
                    error="Cette question attend un nombre (par exemple 12 ou 12,5).",
                )  # fmt: skip
            else:
                for row in range(2, last_row + 1):
                    sheet.cell(row=row, column=index).number_format = "@"
                continue
            validation.add(cells)
            sheet.add_data_validation(validation)
        for cell in sheet[1]:
            cell.font, cell.fill, cell.alignment = bold, header_fill, wrap
        sheet.row_dimensions[1].height = 75
        sheet.freeze_panes = "B2"

        ident.append([ID_MARKER])
        ident.append(["Format", FORMAT_VERSION])
        ident.append(["Questionnaire", questionnaire_id(questions)])
        ident.append(["Projet", project.id])
        ident.append(["Nom du projet", project_name])
        ident.append(["Exporté le", format_date(date.today())])
        ident.append(["Feuille", ENTRY_SHEET])
        ident.append(["Colonne", "Question", "Code"])
        for index, question in enumerate(questions, start=2):
            ident.append([index, question.id, question.code])
        neutralize_formulas(workbook)  # question texts, choices and names stay text, never formulas
        workbook.save(target)

    return write_atomically(Path(path), write)


@dataclass(frozen=True)
class ParsedResponse:
    """One respondent read from an entry sheet, checked."""

    line: int
    respondent: str
    commune_code: str
    age_group: str
    answers: dict[int, str]


@dataclass(frozen=True)
class EntrySheetPreview:
    """What an entry sheet holds: the respondents ready to save and the errors, by line."""

    responses: list[ParsedResponse]
    errors: list[tuple[int, str]]
    empty_rows: int
    exported_on: str
    fingerprint: str

    @property
    def ok(self) -> bool:
        """True when every line is correct and there is at least one respondent."""
        return not self.errors and bool(self.responses)


class SurveyImportError(ValidationError):
    """An entry sheet refused as a whole; ``errors`` lists (line, French message)."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        shown = "\n".join(f"ligne {line} — {message}" if line else message for line, message in errors[:20])
        more = f"\n… et {plural(len(errors) - 20, 'autre erreur', 'autres erreurs')}." if len(errors) > 20 else ""
        super().__init__(
            f"Feuille de saisie refusée, rien n'a été importé ({plural(len(errors), 'erreur')}) :\n{shown}{more}"
        )
        self.errors = errors


@dataclass(frozen=True)
class SurveyImportReport:
    """What an import saved."""

    imported: int
    answers: int
    replaced: int
    empty_rows: int

    def summary(self) -> str:
        """The report in plain French."""
        text = f"{plural(self.imported, 'questionnaire importé', 'questionnaires importés')}"
        text += f" ({plural(self.answers, 'réponse')})"
        if self.replaced:
            text += (
                f" ; {plural(self.replaced, 'questionnaire précédent remplacé', 'questionnaires précédents remplacés')}"
            )
        if self.empty_rows:
            text += f" ; {plural(self.empty_rows, 'ligne numérotée sans réponse ignorée', 'lignes numérotées sans réponse ignorées')}"
        return text + "."


def _commune_resolver(uow: UnitOfWork, project_id: int, refdata: RefData | None) -> Callable[[str], str]:
    codes = list(
        uow.session.execute(
            select(col(TerritoryCommune.insee_code)).where(col(TerritoryCommune.project_id) == project_id)
        ).scalars()
    )
    names: dict[str, str] = {}
    if refdata is not None:
        for code in codes:
            commune = refdata.communes.get(code)
            if commune is not None:
                names.setdefault(_plain(commune.name), code)
                names[_plain(f"{commune.name} ({commune.departement})")] = code

    def resolve(answer: str) -> str:
        if answer.upper() in codes:
            return answer.upper()
        found = names.get(_plain(answer))
        if found:
            return found
        if refdata is not None and answer and _plain(answer) != _plain(OTHER_COMMUNE):
            matches = [c for c in refdata.search(answer, 5) if _plain(c.name) == _plain(answer)]
            if len(matches) == 1:
                return matches[0].code
        return ""

    return resolve


def _read_identification(workbook: Any, name: str) -> dict[str, Any]:
    if ID_SHEET not in workbook.sheetnames:
        raise ValidationError(
            f"« {name} » n'est pas une feuille de saisie exportée par santeloc (sa feuille d'identification "
            "manque) : exportez la feuille de saisie depuis l'étape « Ressenti des habitants » et saisissez-y les "
            "réponses."
        )
    worksheet = workbook[ID_SHEET]
    if hasattr(worksheet, "reset_dimensions"):
        worksheet.reset_dimensions()
    rows = [list(row) for row in worksheet.iter_rows(values_only=True)]
    if not rows or rows[0][:1] != [ID_MARKER]:
        raise ValidationError(f"La feuille d'identification de « {name} » est illisible : rien n'a été importé.")
    info: dict[str, Any] = {"columns": []}
    in_columns = False
    for row in rows[1:]:
        if not row or row[0] is None:
            continue
        if row[0] == "Colonne":
            in_columns = True
            continue
        if in_columns:
            column = int(row[0])
            if not 1 <= column <= MAX_COLUMN:
                raise ValidationError(
                    f"La feuille d'identification de « {name} » a été modifiée (colonne {str(row[0])[:20]} hors "
                    f"limites, de 1 à {MAX_COLUMN}) : rien n'a été importé."
                )
            info["columns"].append((column, int(row[1])))
        else:
            info[str(row[0])] = row[1] if len(row) > 1 else None
    return info


def read_entry_sheet(uow: UnitOfWork, project_id: int, path: Path, refdata: RefData | None = None) -> EntrySheetPreview:
    """Read a filled entry sheet and check every line, without saving anything.

    Raises:
        ValidationError: not an .xlsx entry sheet, a sheet made for another questionnaire (or
            for this one before it changed), moved columns (French messages).
    """
    path = Path(path)
    if not path.is_file():
        raise ValidationError(f"Le fichier « {path.name} » est introuvable.")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise ValidationError(
            f"« {path.name} » n'est pas un classeur .xlsx : la feuille de saisie s'importe telle qu'exportée par "
            "santeloc (format .xlsx), seule façon de reconnaître le questionnaire auquel elle répond."
        )
    project, questions = _questionnaire(uow, project_id)
    by_id = {q.id: q for q in questions}
    import openpyxl

    unreadable = (
        f"« {path.name} » n'est pas un classeur Excel lisible : ouvrez-le dans votre tableur et enregistrez-le "
        "à nouveau au format .xlsx."
    )
    check_workbook_archive(path, unreadable)  # XML entities, decompression bombs: refused before parsing
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # zipfile, XML, KeyError…: openpyxl raises many kinds
        raise ValidationError(unreadable) from None
    try:
        try:
            info = _read_identification(workbook, path.name)
        except (TypeError, ValueError, IndexError):
            raise ValidationError(
                f"La feuille d'identification de « {path.name} » a été modifiée : rien n'a été importé."
            ) from None
        fingerprint = str(info.get("Questionnaire") or "")
        exported_on = str(info.get("Exporté le") or "")
        if fingerprint != questionnaire_id(questions):
            when = f", exportée le {exported_on}" if exported_on else ""
            if str(info.get("Projet")) == str(project_id) and str(info.get("Nom du projet")) == project.name:
                raise ValidationError(
                    f"Le questionnaire a été modifié depuis l'export de cette feuille de saisie{when} (questions, "
                    "réponses possibles ou ordre) : rien n'a été importé. Exportez une nouvelle feuille de saisie et "
                    "recopiez-y les réponses."
                )
            raise ValidationError(
                f"Cette feuille de saisie a été faite pour un autre questionnaire (projet « {info.get('Nom du projet')} »"
                f"{when}) : rien n'a été importé. Exportez la feuille de saisie de ce projet-ci."
            )
        # The fingerprint covers the order of the questions: columns are matched by position (ids
        # differ in a copy of the project, which must still read the sheets of its original).
        stored: list[tuple[int, int]] = info["columns"]
        if len(stored) != len(questions):
            raise ValidationError(
                "La feuille d'identification ne correspond pas au questionnaire : rien n'a été importé."
            )
        columns = [(column, question.id) for (column, _old_id), question in zip(stored, questions, strict=True)]
        sheet_name = str(info.get("Feuille") or ENTRY_SHEET)
        if sheet_name not in workbook.sheetnames:
            visible = [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"]
            if not visible:
                raise ValidationError(f"La feuille « {ENTRY_SHEET} » manque dans « {path.name} ».")
            sheet_name = visible[0]
        worksheet = workbook[sheet_name]
        if hasattr(worksheet, "reset_dimensions"):
            worksheet.reset_dimensions()  # stored dimensions may be wrong once another program saved it
        records = worksheet.iter_rows(values_only=True)
        header = list(next(records, ()))
        for column, question_id in columns:
            title = cell_text(header[column - 1]) if column - 1 < len(header) else ""
            expected = by_id[question_id].code
            if not title.startswith(f"{expected}.") and title != expected:
                from openpyxl.utils import get_column_letter

                raise ValidationError(
                    f"Les colonnes de la feuille « {sheet_name} » ont été déplacées ou renommées : la colonne "
                    f"{get_column_letter(column)} devrait être celle de la question {expected}. Rien n'a été importé."
                )
        with uow:
            resolve = _commune_resolver(uow, project_id, refdata)
        responses: list[ParsedResponse] = []
        errors: list[tuple[int, str]] = []
        seen: dict[str, int] = {}
        empty_rows = 0
        for line, record in enumerate(records, start=2):
            cells = list(record)
            respondent = cell_text(cells[0]) if cells else ""
            answers: dict[int, str] = {}
            row_errors: list[str] = []
            has_content = False
            for column, question_id in columns:
                raw = cells[column - 1] if column - 1 < len(cells) else None
                if cell_text(raw):
                    has_content = True
                question = by_id[question_id]
                try:
                    value = parse_answer(question, raw)
                except ValidationError as exc:
                    row_errors.append(f"{question.code} « {_shorten(question.text, 60)} » : {exc.message}")
                    continue
                if value:
                    answers[question_id] = value
            if not has_content:
                if respondent:
                    empty_rows += 1
                continue
            label = f"questionnaire n° {respondent[:80]} — " if respondent else ""
            if len(respondent) > 80:
                row_errors.append("le numéro du questionnaire dépasse 80 caractères")
            elif respondent and respondent in seen:
                row_errors.append(f"le questionnaire n° {respondent} est déjà saisi ligne {seen[respondent]}")
            elif respondent:
                seen[respondent] = line
            if row_errors:
                errors.extend((line, label + message) for message in row_errors)
                continue
            commune_code = age_group = ""
            for question_id, value in answers.items():
                role = by_id[question_id].role
                if role == ROLE_COMMUNE:
                    commune_code = resolve(value)
                elif role == ROLE_AGE_GROUP:
                    age_group = value[:40]
            responses.append(ParsedResponse(line, respondent, commune_code, age_group, answers))
    except ValidationError:
        raise
    except Exception:  # a part of the workbook that openpyxl cannot parse, met while reading
        raise ValidationError(unreadable) from None
    finally:
        workbook.close()
    if not responses and not errors:
        errors.append((0, "La feuille de saisie ne contient aucun questionnaire rempli."))
    return EntrySheetPreview(responses, errors, empty_rows, exported_on, fingerprint)


def import_entry_sheet(
    uow: UnitOfWork, project_id: int, path: Path, refdata: RefData | None = None, *, replace: bool = False
) -> SurveyImportReport:
    """Import a filled entry sheet: every respondent, or none.

    ``replace=True`` removes the responses imported before, in the same transaction (to import
    again a sheet completed since). Otherwise a questionnaire number already imported refuses
    the whole sheet.

    Raises:
        SurveyImportError: faulty lines (answer outside the choices, number that is not one,
            questionnaire number twice), with a French message per line; nothing is saved.
        ValidationError: not an entry sheet, sheet from another questionnaire, empty sheet.
    """
    preview = read_entry_sheet(uow, project_id, path, refdata)
    if preview.errors:
        raise SurveyImportError(preview.errors)
    with uow:
        _touch(uow, project_id)
        if questionnaire_id(_load_rows(uow, project_id)) != preview.fingerprint:
            raise ValidationError(
                "Le questionnaire a été modifié pendant l'import (depuis un autre poste ?) : rien n'a été importé."
            )
        existing = list(
            uow.session.execute(
                select(col(SurveyResponse.id), col(SurveyResponse.respondent)).where(
                    col(SurveyResponse.project_id) == project_id
                )
            ).all()
        )
        replaced = 0
        if replace and existing:
            ids = [row[0] for row in existing]
            uow.session.execute(delete(SurveyAnswer).where(col(SurveyAnswer.response_id).in_(ids)))
            uow.session.execute(delete(SurveyResponse).where(col(SurveyResponse.id).in_(ids)))
            replaced = len(ids)
        elif existing:
            known = {row[1] for row in existing if row[1]}
            clash = [r.respondent for r in preview.responses if r.respondent in known]
            if clash:
                shown = ", ".join(clash[:5]) + ("…" if len(clash) > 5 else "")
                raise ValidationError(
                    f"{plural(len(clash), 'questionnaire')} déjà importé(s) (n° {shown}) : rien n'a été importé. "
                    "Pour importer à nouveau une feuille complétée, choisissez de remplacer les réponses précédentes."
                )
        records = [
            SurveyResponse(
                project_id=project_id, respondent=r.respondent, commune_code=r.commune_code, age_group=r.age_group
            )
            for r in preview.responses
        ]
        uow.session.add_all(records)
        uow.flush()
        answers = [
            {"response_id": record.id, "question_id": question_id, "value": value}
            for record, parsed in zip(records, preview.responses, strict=True)
            for question_id, value in parsed.answers.items()
        ]
        table = SurveyAnswer.__table__  # type: ignore[attr-defined]
        for start in range(0, len(answers), 5_000):
            uow.session.execute(table.insert(), answers[start : start + 5_000])
        uow.commit()
    return SurveyImportReport(len(records), len(answers), replaced, preview.empty_rows)


def response_count(uow: UnitOfWork, project_id: int) -> int:
    """How many questionnaires have been imported."""
    with uow:
        return int(
            uow.session.execute(
                select(func.count()).select_from(SurveyResponse).where(col(SurveyResponse.project_id) == project_id)
            ).scalar_one()
        )


def delete_responses(uow: UnitOfWork, project_id: int) -> int:
    """Remove every imported questionnaire (the questions stay); returns how many."""
    with uow:
        _touch(uow, project_id)
        ids = list(
            uow.session.execute(
                select(col(SurveyResponse.id)).where(col(SurveyResponse.project_id) == project_id)
            ).scalars()
        )
        uow.session.execute(delete(SurveyAnswer).where(col(SurveyAnswer.response_id).in_(ids)))
        uow.session.execute(delete(SurveyResponse).where(col(SurveyResponse.id).in_(ids)))
        uow.commit()
        return len(ids)


# --- tabulation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TabulationRow:
    """One answer of a question: how many respondents gave it and their share (in %) of those who
    answered the question."""

    label: str
    count: int
    share: float


@dataclass(frozen=True)
class Tabulation:
    """Counts and shares of a question's answers.

    ``mean``/``median``/``minimum``/``maximum`` are the statistics of a number question; for a
    scale, ``mean`` is the mean level (1 = first level). ``texts`` holds free answers.
    """

    question: QuestionRow
    respondents: int
    answered: int
    rows: list[TabulationRow]
    mean: float | None = None
    median: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def no_answer(self) -> int:
        """Respondents who left the question blank."""
        return self.respondents - self.answered

    @property
    def note(self) -> str:
        """What the reader must know to read the shares, in French."""
        base = (
            f"{plural(self.answered, 'répondant')} à cette question sur "
            f"{plural(self.respondents, 'questionnaire')} ; parts calculées sur les répondants."
        )
        if self.question.kind == QuestionKind.MULTIPLE.value:
            base += " Plusieurs réponses possibles : le total dépasse 100 %."
        return base


def _load_answers(uow: UnitOfWork, question_id: int) -> tuple[QuestionRow, int, list[tuple[str, str, str]]]:
    """(question, respondents of the project, [(value, commune code, age group)])."""
    question = uow.session.get(SurveyQuestion, question_id)
    if question is None:
        raise NotFoundError("Cette question n'existe plus (supprimée depuis un autre poste ?).")
    row = next(r for r in _load_rows(uow, question.project_id) if r.id == question_id)
    respondents = uow.session.execute(
        select(func.count()).select_from(SurveyResponse).where(col(SurveyResponse.project_id) == question.project_id)
    ).scalar_one()
    answers = uow.session.execute(
        select(col(SurveyAnswer.value), col(SurveyResponse.commune_code), col(SurveyResponse.age_group))
        .join(SurveyResponse, col(SurveyResponse.id) == col(SurveyAnswer.response_id))
        .where(col(SurveyAnswer.question_id) == question_id, col(SurveyAnswer.value) != "")
    ).all()
    return row, int(respondents), [(a[0], a[1], a[2]) for a in answers]


def _categories(question: QuestionRow, values: Iterable[str]) -> list[str]:
    """The question's choices in order, then any other value met (choices edited since)."""
    categories = list(question.choices)
    for value in values:
        for item in value.splitlines():
            if item not in categories:
                categories.append(item)
    return categories


def _share(count: int, total: int) -> float:
    return 100.0 * count / total if total else 0.0


def _number_label(value: float) -> str:
    return format_int(int(value)) if value.is_integer() else format_decimal(value, 2).rstrip("0").rstrip(",")


def _tabulate(question: QuestionRow, respondents: int, values: list[str]) -> Tabulation:
    answered = len(values)
    if question.kind == QuestionKind.TEXT.value:
        return Tabulation(question, respondents, answered, [], texts=list(values))
    if question.kind == QuestionKind.NUMBER.value:
        numbers = sorted(float(v) for v in values)
        frequency = Counter(numbers)
        rows = [
            TabulationRow(_number_label(n), frequency[n], _share(frequency[n], answered)) for n in sorted(frequency)
        ]
        if not numbers:
            return Tabulation(question, respondents, 0, [])
        return Tabulation(
            question, respondents, answered, rows, statistics.fmean(numbers), statistics.median(numbers),
            numbers[0], numbers[-1],
        )  # fmt: skip
    counts = Counter(item for value in values for item in value.splitlines())
    categories = _categories(question, values)
    rows = [TabulationRow(c, counts[c], _share(counts[c], answered)) for c in categories]
    mean = None
    if question.kind == QuestionKind.SCALE.value and answered:
        levels = [categories.index(v) + 1 for v in values]
        mean = statistics.fmean(levels)
    return Tabulation(question, respondents, answered, rows, mean)


def tabulate(uow: UnitOfWork, question_id: int) -> Tabulation:
    """Counts and shares of each answer of a question (see :class:`Tabulation`)."""
    with uow:
        question, respondents, answers = _load_answers(uow, question_id)
    return _tabulate(question, respondents, [a[0] for a in answers])


@dataclass(frozen=True)
class CrossRow:
    """One group (a commune, an age group) of a cross-tabulation: counts and shares per category,
    in the order of :attr:`CrossTabulation.categories`; ``mean`` for a number or a scale."""

    group: str
    answered: int
    counts: tuple[int, ...]
    shares: tuple[float, ...]
    mean: float | None


@dataclass(frozen=True)
class CrossTabulation:
    """A question's answers by commune or by age group, with the whole as ``total``."""

    question: QuestionRow
    by: str
    categories: tuple[str, ...]
    rows: list[CrossRow]
    total: CrossRow

    @property
    def by_label(self) -> str:
        """ "Commune" or "Tranche d'âge"."""
        return "Commune" if self.by == ROLE_COMMUNE else "Tranche d'âge"


def _cross_row(question: QuestionRow, group: str, values: list[str], categories: Sequence[str]) -> CrossRow:
    tab = _tabulate(question, len(values), values)
    if question.kind == QuestionKind.NUMBER.value:
        return CrossRow(group, tab.answered, (), (), tab.mean)
    by_label = {r.label: r for r in tab.rows}
    counts = tuple(by_label[c].count if c in by_label else 0 for c in categories)
    return CrossRow(group, tab.answered, counts, tuple(_share(c, tab.answered) for c in counts), tab.mean)


def cross_tabulate(
    uow: UnitOfWork, question_id: int, by: str = ROLE_COMMUNE, refdata: RefData | None = None
) -> CrossTabulation:
    """A question's answers by commune (``by="commune"``, named with ``refdata``) or by age group
    (``by="age_group"``, in the order of the age question's choices). Respondents who did not
    give their commune or age form a last group."""
    if by not in (ROLE_COMMUNE, ROLE_AGE_GROUP):
        raise ValidationError("Le croisement se fait par commune ou par tranche d'âge.")
    with uow:
        question, _respondents, answers = _load_answers(uow, question_id)
        age_order: list[str] = []
        if by == ROLE_AGE_GROUP:
            age_question = next((q for q in _load_rows(uow, _project_of(uow, question_id)) if q.role == by), None)
            age_order = [c[:40] for c in age_question.choices] if age_question else []
    if question.kind == QuestionKind.TEXT.value:
        raise ValidationError(
            "Une question à réponse libre ne se croise pas : choisissez une question à choix, une échelle ou un nombre."
        )
    index = 1 if by == ROLE_COMMUNE else 2
    groups: dict[str, list[str]] = {}
    for answer in answers:
        groups.setdefault(answer[index], []).append(answer[0])
    categories = tuple(_categories(question, [a[0] for a in answers])) if question.has_choices else ()

    def label(key: str) -> str:
        if not key:
            return "Autre commune ou non précisée" if by == ROLE_COMMUNE else "Âge non précisé"
        if by == ROLE_COMMUNE and refdata is not None and key in refdata.communes:
            return refdata.communes[key].name
        return key

    def order(key: str) -> tuple[int, int, str]:
        if not key:
            return (2, 0, "")
        if key in age_order:
            return (0, age_order.index(key), "")
        return (1, 0, _plain(label(key)))

    rows = [_cross_row(question, label(key), groups[key], categories) for key in sorted(groups, key=order)]
    total = _cross_row(question, "Ensemble", [a[0] for a in answers], categories)
    return CrossTabulation(question, by, categories, rows, total)


def _project_of(uow: UnitOfWork, question_id: int) -> int:
    question = uow.session.get(SurveyQuestion, question_id)
    if question is None:
        raise NotFoundError("Cette question n'existe plus (supprimée depuis un autre poste ?).")
    return question.project_id


def answer_to_constat(uow: UnitOfWork, question_id: int, choice: str | None, comment: str = "") -> int:
    """Turn an answer into a finding of the diagnostic (step 4), titled with its share.

    ``choice`` names one of the question's answers (any case or accents); for a number question
    it is ignored and the finding gives the mean and the median.
    """
    tab = tabulate(uow, question_id)
    question = tab.question
    if question.kind == QuestionKind.TEXT.value:
        raise ValidationError(
            "Une question à réponse libre ne donne pas de pourcentage : rédigez vous-même le constat."
        )
    if not tab.answered:
        raise ValidationError(f"Aucune réponse n'a encore été importée pour la question {question.code}.")
    subject = _shorten(question.text, 160)
    if question.kind == QuestionKind.NUMBER.value:
        assert tab.mean is not None and tab.median is not None
        title = (
            f"« {subject} » : {_number_label(round(tab.mean, 1))} en moyenne, {_number_label(tab.median)} "
            f"en valeur médiane ({plural(tab.answered, 'répondant')})"
        )
    else:
        wanted = _plain(choice or "")
        row = next((r for r in tab.rows if _plain(r.label) == wanted), None)
        if row is None:
            listed = " ; ".join(question.choices)
            raise ValidationError(f"« {choice} » ne fait pas partie des réponses possibles ({listed}).")
        title = (
            f"{format_percent(row.share, 0)} des habitants interrogés répondent « {_shorten(row.label, 80)} » "
            f"à « {subject} » ({format_int(row.count)} sur {format_int(tab.answered)})"
        )
    title = " ".join(title.split())[:300]  # as add_constat stores it
    with uow:
        project_id = _project_of(uow, question_id)
        twin = uow.session.execute(
            select(col(Constat.id)).where(col(Constat.project_id) == project_id, col(Constat.title) == title)
        ).first()
    if twin is not None:
        raise ValidationError("Ce constat a déjà été retenu.")
    return add_constat(uow, project_id, title, comment, step=CONSTAT_STEP)


# --- printable Word questionnaire -------------------------------------------------------------

DEFAULT_INTRODUCTION = (
    "Madame, Monsieur,\n"
    "Les élus de votre territoire préparent, avec les professionnels de santé, un projet pour améliorer l'accès "
    "aux soins. Vos réponses nous aideront à connaître vos besoins et votre avis sur l'offre de soins près de chez "
    "vous. Ce questionnaire est anonyme ; il prend une dizaine de minutes. Une fois rempli, merci de le déposer à "
    "la mairie."
)
CHECKBOX = "☐"
NBSP = "\u00a0"


def export_printable(
    uow: UnitOfWork,
    project_id: int,
    path: Path,
    *,
    title: str = "Votre accès aux soins : donnez votre avis",
    introduction: str = DEFAULT_INTRODUCTION,
) -> Path:
    """Write the questionnaire to print and hand out (Word): title, introduction, each question
    with a box ☐ per choice, lines for free answers, a box for numbers."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    project, questions = _questionnaire(uow, project_id)

    def write(target: Path) -> None:
        document = Document()
        document.core_properties.title = title
        document.core_properties.subject = f"Questionnaire aux habitants — {project.name}"
        document.core_properties.author = project.porteur_name or "santeloc"
        document.core_properties.language = "fr-FR"
        normal = document.styles["Normal"]
        normal.font.size = Pt(11)
        for section in document.sections:
            section.left_margin = section.right_margin = Cm(2)
            section.top_margin = section.bottom_margin = Cm(1.8)
        document.add_heading(title, level=0)
        if project.porteur_name:
            document.add_paragraph(project.porteur_name).alignment = WD_ALIGN_PARAGRAPH.LEFT
        for text in introduction.strip().splitlines():
            if text.strip():
                document.add_paragraph(text.strip())
        for question in questions:
            heading = document.add_paragraph()
            heading.paragraph_format.space_before = Pt(10)
            heading.paragraph_format.keep_with_next = True
            heading.add_run(f"{question.number}. {question.text}").bold = True
            hint = document.add_paragraph()
            hint.paragraph_format.keep_with_next = True
            hint.paragraph_format.space_after = Pt(2)
            hint_run = hint.add_run(question.hint)
            hint_run.italic = True
            hint_run.font.size = Pt(9)
            if question.kind == QuestionKind.SCALE.value or (question.has_choices and len(question.choices) > 12):
                # No-break spaces inside each choice: a line break only falls between two boxes.
                boxes = (CHECKBOX + NBSP + choice.replace(" ", NBSP) for choice in question.choices)
                line = document.add_paragraph("     ".join(boxes))
                line.paragraph_format.left_indent = Cm(0.6)
            elif question.has_choices:
                for position, choice in enumerate(question.choices, start=1):
                    item = document.add_paragraph(f"{CHECKBOX} {choice}")
                    item.paragraph_format.left_indent = Cm(0.6)
                    item.paragraph_format.space_after = Pt(0)
                    item.paragraph_format.keep_with_next = position < len(question.choices)
            elif question.kind == QuestionKind.NUMBER.value:
                item = document.add_paragraph("Réponse : ________________")
                item.paragraph_format.left_indent = Cm(0.6)
            else:
                for position in range(4):
                    item = document.add_paragraph("_" * 78)
                    item.paragraph_format.space_after = Pt(0)
                    item.paragraph_format.keep_with_next = position < 3
        closing = document.add_paragraph()
        closing.paragraph_format.space_before = Pt(16)
        closing.add_run("Merci de votre participation !").bold = True
        document.save(str(target))

    return write_atomically(Path(path), write)
