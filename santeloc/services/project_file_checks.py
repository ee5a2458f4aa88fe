"""Checking a project file's rows against the schema before anything is written.

A ``.santeloc`` file comes from someone else's computer: it may be damaged, hand-edited or
crafted. Every field is checked here — type, length, range and enumerated value — and the whole
file is refused with a French message naming the table, the line and the field at the first
problem, so that no bad value ever reaches the database (where one unknown project type once
made the list of projects unreadable). A tolerant reader that guessed would be the wrong fix.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Float, Integer, String, Table, Text
from sqlmodel import SQLModel

from santeloc.domain.enums import (
    CommitmentStatus,
    FinancingStage,
    PorteurType,
    PracticeMode,
    ProjectType,
    QuestionKind,
    ResourceKind,
    ResourceStatus,
    TerritorySource,
)
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_int
from santeloc.domain.models import PROJECT_TABLES
from santeloc.domain.professions import ESTABLISHMENT_KINDS, PROFESSIONS_BY_KEY

MAX_CENTS = 10**12  # 10 milliards d'euros: far above any health project, far below an overflow
MAX_BP = 10_000  # 100 %
MIN_YEAR, MAX_YEAR = 1800, 2200
MAX_INTEGER = 2**31 - 1  # PostgreSQL INTEGER
MAX_FLOAT = 1e15
MAX_TEXT = 1_000_000  # characters of one long text (a whole meeting report is ~20 000)
MAX_ROWS = 2_000_000  # rows in a whole file
MAX_MESSAGE_VALUE = 60  # characters of a wrong value quoted in a message

TABLE_LABELS = {
    "project": "projet",
    "territorycommune": "communes du territoire",
    "indicatorvalue": "indicateurs",
    "constat": "constats",
    "professional": "professionnels",
    "establishment": "établissements",
    "contact": "contacts",
    "meeting": "réunions",
    "surveyquestion": "questions de l'enquête",
    "action": "fiches action",
    "funder": "financeurs",
    "financingplan": "plans de financement",
    "expenseline": "dépenses",
    "resourceline": "ressources",
    "loan": "emprunt",
    "rentsettings": "loyers",
    "rentoccupant": "occupants",
    "populationagegroup": "pyramide des âges",
    "commitmentevent": "historique des engagements",
    "traveltime": "temps de trajet",
    "surveyresponse": "réponses à l'enquête",
    "surveyanswer": "réponses à l'enquête",
    "priority": "priorités",
    "objective": "objectifs",
    "actionindicator": "indicateurs des fiches action",
    "resourcebase": "assiettes des ressources",
    "meetingtask": "tâches des réunions",
    "meetingparticipant": "participants des réunions",
    "healthprojectsection": "sections du projet de santé",
    "projectsetting": "réglages du projet",
    "accessmeasure": "mesures d'accès",
}


def _values(*enums: Iterable[Any], empty: bool = False) -> frozenset[str]:
    allowed = {str(getattr(member, "value", member)) for enum in enums for member in enum}
    if empty:
        allowed.add("")
    return frozenset(allowed)


def _enumerations() -> dict[tuple[str, str], frozenset[str]]:
    # Imported here: these services import the projects service, which this module must not cycle with.
    from santeloc.services.health_project import ACTION_STATUSES
    from santeloc.services.meetings import MEETING_KINDS
    from santeloc.services.mobilisation import CONTACT_KINDS

    stages = _values(FinancingStage)
    return {
        ("project", "porteur_type"): _values(PorteurType),
        ("project", "project_type"): _values(ProjectType),
        ("territorycommune", "source"): _values(TerritorySource),
        ("populationagegroup", "level"): frozenset({"territoire", "reference"}),
        ("professional", "profession"): frozenset(PROFESSIONS_BY_KEY),
        ("professional", "practice_mode"): _values(PracticeMode, empty=True),
        ("professional", "commitment_status"): _values(CommitmentStatus, empty=True),
        ("commitmentevent", "status"): _values(CommitmentStatus),
        ("establishment", "kind"): _values((k for k, _ in ESTABLISHMENT_KINDS), empty=True),
        ("contact", "kind"): _values((k for k, *_ in CONTACT_KINDS), empty=True),
        ("meeting", "kind"): _values((k for k, _ in MEETING_KINDS), empty=True),
        ("surveyquestion", "kind"): _values(QuestionKind),
        ("surveyquestion", "role"): frozenset({"", "commune", "age_group"}),
        ("meetingparticipant", "attendance"): frozenset({"present", "excuse", "absent"}),
        ("action", "status"): _values((k for k, _ in ACTION_STATUSES), empty=True),
        ("expenseline", "stage"): stages,
        ("resourceline", "kind"): _values(ResourceKind),
        ("resourceline", "stage"): stages,
        ("resourceline", "status"): _values(ResourceStatus),
        ("rentsettings", "split_mode"): frozenset({"area", "share"}),
    }


def _show(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= MAX_MESSAGE_VALUE else text[: MAX_MESSAGE_VALUE - 1] + "…"


class _Checker:
    """Checks the rows of one file; raises :class:`ValidationError` naming the first bad field."""

    def __init__(self) -> None:
        self.enumerations = _enumerations()
        self.tables: dict[str, Table] = {}
        for model in PROJECT_TABLES:
            table = model.__table__  # type: ignore[attr-defined]
            assert isinstance(table, Table)
            self.tables[table.name] = table

    def fail(self, table: str, line: int, column: str, problem: str) -> ValidationError:
        where = TABLE_LABELS.get(table, table)
        return ValidationError(f"table « {where} » ({table}), ligne {line}, champ « {column} » : {problem}.")

    def check(self, rows: Mapping[str, list[dict[str, Any]]]) -> None:
        total = sum(len(records) for records in rows.values())
        if total > MAX_ROWS:
            raise ValidationError(f"le fichier compte {total} lignes, {MAX_ROWS} au plus.")
        for name, records in rows.items():
            table = self.tables[name] if name in self.tables else SQLModel.metadata.tables.get(name)
            if table is None:
                continue
            seen: set[int] = set()
            for line, record in enumerate(records, start=1):
                self.check_record(table, line, record)
                if record["id"] in seen:
                    raise self.fail(name, line, "id", f"l'identifiant {record['id']} apparaît deux fois")
                seen.add(record["id"])

    def check_record(self, table: Table, line: int, record: dict[str, Any]) -> None:
        for column in table.columns:
            name = column.name
            if name not in record:
                required = not column.nullable and column.default is None and column.server_default is None
                if required and not column.primary_key:
                    raise self.fail(table.name, line, name, "valeur manquante")
                if column.primary_key:
                    raise self.fail(table.name, line, name, "identifiant manquant")
                continue
            value = record[name]
            if value is None:
                if not column.nullable or column.primary_key:
                    raise self.fail(table.name, line, name, "valeur manquante (vide)")
                continue
            problem = self.problem(table.name, name, column.type, value)
            if problem:
                raise self.fail(table.name, line, name, problem)

    def problem(self, table: str, name: str, kind: Any, value: object) -> str | None:
        """What is wrong with ``value`` for this column, in French, or ``None``."""
        kind = getattr(kind, "impl", kind)  # UTCDateTime decorates DateTime
        if isinstance(kind, Boolean):
            return None if isinstance(value, bool) else f"oui/non attendu, trouvé « {_show(value)} »"
        if isinstance(kind, Integer | BigInteger):
            return self.integer_problem(name, value, big=isinstance(kind, BigInteger))
        if isinstance(kind, Float):
            if isinstance(value, bool) or not isinstance(value, int | float):
                return f"nombre attendu, trouvé « {_show(value)} »"
            if not math.isfinite(value) or abs(value) > MAX_FLOAT:
                return f"nombre hors limites ({_show(value)})"
            if name == "minutes" and value < 0:
                return "un temps de trajet ne peut pas être négatif"
            return None
        if isinstance(kind, DateTime):
            return None if isinstance(value, datetime) else f"date et heure attendues, trouvé « {_show(value)} »"
        if isinstance(kind, Date):
            if not isinstance(value, date) or isinstance(value, datetime):
                return f"date attendue, trouvé « {_show(value)} »"
            return None if MIN_YEAR <= value.year <= MAX_YEAR else f"date hors limites ({value.isoformat()})"
        if isinstance(kind, String | Text):
            if not isinstance(value, str):
                return f"texte attendu, trouvé « {_show(value)} »"
            limit = kind.length if isinstance(kind, String) and kind.length else MAX_TEXT
            if len(value) > limit:
                return f"texte trop long ({len(value)} caractères, {limit} au plus)"
            if "\x00" in value:
                return "texte contenant un caractère nul"
            allowed = self.enumerations.get((table, name))
            if allowed is not None and value not in allowed:
                shown = ", ".join(sorted(v or "(vide)" for v in allowed))
                return f"valeur inconnue « {_show(value)} » (valeurs possibles : {_show(shown)})"
            return None
        return None  # a column type this file format does not know: the database will judge

    def integer_problem(self, name: str, value: object, *, big: bool) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return f"nombre entier attendu, trouvé « {_show(value)} »"
        if name.endswith("_cents"):
            if not 0 <= value <= MAX_CENTS:
                return f"montant hors limites ({_show(value)} centimes ; de 0 à {format_int(MAX_CENTS // 100)} euros)"
        elif name.endswith("_bp"):
            if not 0 <= value <= MAX_BP:
                return f"taux hors limites ({_show(value)} points de base ; de 0 à {MAX_BP}, soit 0 à 100 %)"
        elif name == "years":  # a duration (the loan's), not a calendar year
            if not 0 <= value <= 100:
                return f"durée hors limites ({_show(value)} ans ; de 0 à 100)"
        elif "year" in name:
            if not MIN_YEAR <= value <= MAX_YEAR:
                return f"année hors limites ({_show(value)} ; de {MIN_YEAR} à {MAX_YEAR})"
        elif name in ("men", "women", "version", "position", "years") and value < 0:
            return f"nombre négatif ({_show(value)})"
        if name == "id" and value <= 0:
            return f"identifiant invalide ({_show(value)})"
        if not -MAX_INTEGER - 1 <= value <= (2**53 if big else MAX_INTEGER):
            return f"nombre hors limites ({_show(value)})"
        return None


def check_rows(rows: Mapping[str, list[dict[str, Any]]]) -> None:
    """Check every row of a project file; raises a French :class:`ValidationError` at the first bad field."""
    _Checker().check(rows)
