"""Migration 0005 moves what 0.1.0 kept as marked text into columns and tables.

``tests/data/santeloc-0.1.0-fiches.sqlite`` was written by santeloc 0.1.0 (schema 0003): the demo,
a fiche action whose objective, communes and milestones were marked lines of its description
(with a user line that merely starts with "Jalons :"), and questionnaire roles kept in a project
setting keyed by question text.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from sqlalchemy import select

from santeloc.domain.models import ProjectSetting
from santeloc.persistence.engine import open_database
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import health_project as hp
from santeloc.services import survey

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "santeloc-0.1.0-fiches.sqlite"


def test_marked_lines_and_roles_move_into_columns(tmp_path: Path) -> None:
    copy = tmp_path / FIXTURE.name
    shutil.copy(FIXTURE, copy)
    database = open_database(f"sqlite:///{copy}")
    try:
        uow = UnitOfWork(database)
        sheets = {s.title: s.draft for s in hp.list_actions(uow, 1)}
        interns = sheets["Accueillir les internes"]
        assert interns.objective == "Faire venir deux internes par semestre"
        assert interns.description == (
            "Logement meublé en mairie.\nJalons : (ce texte tapé par l'utilisateur reste du texte libre)"
        )
        assert interns.communes == ("58227", "58012")
        assert [(m.on, m.label) for m in interns.milestones] == [
            (date(2026, 1, 15), "Convention avec la faculté"),
            (date(2026, 9, 1), "Premier interne accueilli"),
        ]
        plain = sheets["Sans champs marqués"]
        assert (plain.objective, plain.description, plain.communes) == ("", "Texte libre seul.", ())
        roles = {q.text: q.role for q in survey.list_questions(uow, 1)}
        assert roles["Dans quelle commune habitez-vous ?"] == survey.ROLE_COMMUNE
        assert roles["Quel âge avez-vous ?"] == survey.ROLE_AGE_GROUP
        assert roles["Une remarque ?"] == ""
        with uow:
            keys = set(uow.session.execute(select(ProjectSetting.key)).scalars())
        assert "survey_question_roles" not in keys
    finally:
        database.dispose()


def test_a_user_typing_jalons_keeps_a_description(tmp_path: Path) -> None:
    """The bug of 0.1.0: a line "Jalons :" typed in the description was read as a marker."""
    database = open_database(f"sqlite:///{tmp_path}/new.db")
    try:
        uow = UnitOfWork(database)
        from santeloc.services.projects import create_project

        project = create_project(uow, "Essai")
        priority = hp.add_priority(uow, project.id, "Accès")
        objective = hp.add_objective(uow, priority, "Attirer")
        text = "Objectif de l'action : pas un marqueur\nJalons :\n01/01/2026 — pas un jalon"
        sheet = hp.add_action(uow, objective, hp.ActionDraft(title="Fiche", description=text))
        again = hp.get_action(uow, sheet.id).draft
        assert again.description == text and again.objective == "" and again.milestones == ()
    finally:
        database.dispose()
