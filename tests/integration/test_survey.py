"""Step 4 on a real database (SQLite and PostgreSQL): the inhabitants' questionnaire, its Word and
Excel exports, the import of the filled entry sheet, tabulations and constats."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest
from sqlalchemy import func, select

from santeloc.domain.errors import ValidationError
from santeloc.domain.models import SurveyAnswer, SurveyResponse
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import indicators
from santeloc.services import projects as project_svc
from santeloc.services import survey as svc
from santeloc.services.territory import add_communes

TERRITORY = ["58227", "58012"]  # Saint-Amand-en-Puisaye, Arquian


@pytest.fixture
def project_id(uow: UnitOfWork, refdata: RefData) -> int:
    info = project_svc.create_project(uow, "MSP de Puisaye")
    add_communes(uow, info.id, TERRITORY, refdata=refdata)
    return info.id


@pytest.fixture
def questions(uow: UnitOfWork, project_id: int, refdata: RefData) -> dict[str, svc.QuestionRow]:
    """A small questionnaire: commune, age group, one question of each kind."""
    svc.add_starter_questions(uow, project_id, refdata)
    starter = svc.list_questions(uow, project_id)
    keep = {starter[0].id, starter[1].id}
    for question in starter:
        if question.id not in keep:
            svc.delete_question(uow, question.id)
    svc.add_question(uow, project_id, "single", "Avez-vous renoncé à des soins ?", "Oui\nNon\nJe ne sais pas")
    svc.add_question(uow, project_id, "multiple", "Pour quels soins ?", ["Dentiste", "Généraliste", "Ophtalmologiste"])
    svc.add_question(
        uow,
        project_id,
        "scale",
        "Les horaires vous conviennent-ils ?",
        "Pas du tout\nPlutôt non\nPlutôt oui\nTout à fait",
    )
    svc.add_question(uow, project_id, "number", "Minutes pour aller chez le médecin ?")
    svc.add_question(uow, project_id, "text", "Vos suggestions")
    rows = svc.list_questions(uow, project_id)
    return dict(zip(["commune", "age", "renounce", "which", "hours", "minutes", "text"], rows, strict=True))


def commune_names(refdata: RefData) -> tuple[str, str]:
    return refdata.communes[TERRITORY[0]].name, refdata.communes[TERRITORY[1]].name


def fill(path: Path, rows: list[list[object]], *, first_row: int = 2) -> Path:
    """Type answers into an exported entry sheet, as a user would, and save it."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Saisie"]
    for offset, values in enumerate(rows, start=first_row):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=offset, column=column, value=value)
    workbook.save(path)
    return path


def answers_in_database(uow: UnitOfWork) -> tuple[int, int]:
    with uow:
        responses = uow.session.execute(select(func.count()).select_from(SurveyResponse)).scalar_one()
        answers = uow.session.execute(select(func.count()).select_from(SurveyAnswer)).scalar_one()
        return int(responses), int(answers)


def good_rows(refdata: RefData) -> list[list[object]]:
    saint_amand, arquian = commune_names(refdata)
    return [
        ["1", saint_amand, "60 à 74 ans", "Oui", "Dentiste ; ophtalmologiste", "Plutôt non", 25, "Un dentiste !"],
        ["2", saint_amand, "25 à 39 ans", "non", None, "Tout à fait", "10", None],
        ["3", arquian, "75 ans ou plus", "Oui", "Dentiste", "Pas du tout", "32,5", None],
        ["4", "Autre commune", "60 à 74 ans", "Oui", "Généraliste", "Plutôt oui", None, "Horaires du samedi"],
        ["5", None, None, "Je ne sais pas", None, None, 12, None],
        ["6"],  # numbered but left blank: ignored
    ]


# --- questions ---------------------------------------------------------------------------------


def test_starter_set_with_the_territory_communes_and_roles(uow: UnitOfWork, project_id: int, refdata: RefData) -> None:
    created = svc.add_starter_questions(uow, project_id, refdata)
    assert len(created) == len(svc.STARTER_QUESTIONS)
    assert svc.add_starter_questions(uow, project_id, refdata) == []  # already there
    rows = svc.list_questions(uow, project_id)
    assert [r.number for r in rows] == list(range(1, len(rows) + 1))
    commune, age = rows[0], rows[1]
    assert commune.role == "commune" and commune.kind == "single"
    assert set(commune.choices) == {*commune_names(refdata), "Autre commune"}
    assert commune.choices[-1] == "Autre commune"
    assert age.role == "age_group" and age.choices[0] == "Moins de 25 ans"
    kinds = {r.kind for r in rows}
    assert kinds == {"single", "multiple", "scale", "number", "text"}
    texts = " ".join(r.text.lower() for r in rows)
    for theme in ("renoncé", "délai", "horaires", "minutes", "prévention", "commune", "tranche d'âge"):
        assert theme in texts


def test_without_territory_the_commune_question_is_free_text(uow: UnitOfWork) -> None:
    bare = project_svc.create_project(uow, "Sans territoire").id
    svc.add_starter_questions(uow, bare)
    commune = svc.list_questions(uow, bare)[0]
    assert (commune.kind, commune.role, commune.choices) == ("text", "commune", ())


def test_edit_reorder_and_delete_questions(uow: UnitOfWork, project_id: int) -> None:
    a = svc.add_question(uow, project_id, "single", "Question A ?", "Oui\nNon")
    b = svc.add_question(uow, project_id, "number", "Question B ?", "ignoré")
    c = svc.add_question(uow, project_id, "scale", "Question C ?")
    assert svc.get_question(uow, b).choices == ()
    assert svc.get_question(uow, c).choices == ("1", "2", "3", "4", "5")

    svc.move_question(uow, c, -5)
    assert [q.id for q in svc.list_questions(uow, project_id)] == [c, a, b]
    svc.reorder_questions(uow, project_id, [b, a, c])
    assert [(q.id, q.code) for q in svc.list_questions(uow, project_id)] == [(b, "Q1"), (a, "Q2"), (c, "Q3")]
    with pytest.raises(ValidationError, match="La liste des questions a changé"):
        svc.reorder_questions(uow, project_id, [a, c])

    svc.update_question(uow, a, text="  Question A, corrigée ?  ", choices="Oui\nNon\nNe sait pas")
    assert svc.get_question(uow, a).text == "Question A, corrigée ?"
    assert svc.get_question(uow, a).choices == ("Oui", "Non", "Ne sait pas")
    svc.update_question(uow, a, kind="text")
    assert svc.get_question(uow, a).choices == ()

    svc.delete_question(uow, b)
    assert [(q.id, q.number) for q in svc.list_questions(uow, project_id)] == [(a, 1), (c, 2)]


@pytest.mark.parametrize(
    ("kind", "text", "choices", "message"),
    [
        ("single", "  ", "Oui\nNon", "La question a besoin d'un intitulé"),
        ("single", "Une seule réponse ?", "Oui", "au moins deux réponses possibles"),
        ("multiple", "Doublon ?", "Oui\nNon\noui", "La réponse « oui » figure deux fois"),
        ("multiple", "Point-virgule ?", "Oui; souvent\nNon", "contient un point-virgule"),
        ("sondage", "Type ?", "", "Type de question inconnu"),
    ],
)
def test_bad_questions_are_refused_in_french(
    uow: UnitOfWork, project_id: int, kind: str, text: str, choices: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        svc.add_question(uow, project_id, kind, text, choices)
    assert svc.list_questions(uow, project_id) == []


def test_roles_follow_the_rules(uow: UnitOfWork, project_id: int, questions: dict[str, svc.QuestionRow]) -> None:
    with pytest.raises(ValidationError, match="La question de la tranche d'âge doit être à choix unique"):
        svc.set_question_role(uow, questions["which"].id, "age_group")
    with pytest.raises(ValidationError, match="tranche d'âge doit être à choix unique"):
        svc.update_question(uow, questions["age"].id, kind="multiple")
    svc.set_question_role(uow, questions["renounce"].id, "age_group")  # the role moves
    roles = {q.id: q.role for q in svc.list_questions(uow, project_id)}
    assert roles[questions["renounce"].id] == "age_group" and roles[questions["age"].id] == ""
    svc.set_question_role(uow, questions["renounce"].id, None)
    assert all(q.role != "age_group" for q in svc.list_questions(uow, project_id))


# --- Word questionnaire ------------------------------------------------------------------------


def test_printable_questionnaire_reopens_in_word(
    uow: UnitOfWork, project_id: int, questions: dict[str, svc.QuestionRow], tmp_path: Path
) -> None:
    path = svc.export_printable(uow, project_id, tmp_path / "questionnaire.docx")
    document = docx.Document(str(path))
    texts = [p.text.replace("\u00a0", " ") for p in document.paragraphs]
    assert texts[0] == "Votre accès aux soins : donnez votre avis"
    assert document.core_properties.title == "Votre accès aux soins : donnez votre avis"
    assert any(t.startswith("Madame, Monsieur") for t in texts)
    assert "3. Avez-vous renoncé à des soins ?" in texts
    assert "☐ Je ne sais pas" in texts
    assert "Plusieurs réponses possibles." in texts
    assert any("☐ Pas du tout" in t and "☐ Tout à fait" in t for t in texts)  # a scale on one line
    assert "Réponse : ________________" in texts  # the number question
    assert sum(1 for t in texts if set(t) == {"_"}) == 4  # lines for the free answer
    assert texts[-1] == "Merci de votre participation !"
    assert not list(tmp_path.glob(".~santeloc-*"))  # no temporary file left


def test_empty_questionnaire_is_not_exported(uow: UnitOfWork, project_id: int, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(ValidationError, match="Le questionnaire n'a encore aucune question"):
        svc.export_printable(uow, project_id, folder / "q.docx")
    with pytest.raises(ValidationError, match="aucune question"):
        svc.export_entry_sheet(uow, project_id, folder / "q.xlsx")
    assert list(folder.iterdir()) == []


def test_export_into_a_missing_folder_says_so(
    uow: UnitOfWork, project_id: int, questions: dict[str, svc.QuestionRow], tmp_path: Path
) -> None:
    with pytest.raises(ValidationError, match="n'existe pas"):
        svc.export_entry_sheet(uow, project_id, tmp_path / "absent" / "saisie.xlsx")


# --- Excel entry sheet -------------------------------------------------------------------------


def test_entry_sheet_reopens_with_lists_and_identification(
    uow: UnitOfWork, project_id: int, questions: dict[str, svc.QuestionRow], tmp_path: Path, refdata: RefData
) -> None:
    path = svc.export_entry_sheet(uow, project_id, tmp_path / "saisie.xlsx", rows=50)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Saisie", "Listes", "santeloc"]
    sheet = workbook["Saisie"]
    assert sheet.sheet_state == "visible"
    assert workbook["Listes"].sheet_state == "hidden"
    assert workbook["santeloc"].sheet_state == "veryHidden"
    headers = [c.value for c in sheet[1]]
    assert headers[0] == "N° du questionnaire"
    assert headers[1] == "Q1. Dans quelle commune habitez-vous ?"
    assert headers[3] == "Q3. Avez-vous renoncé à des soins ?"
    assert len(headers) == 1 + len(questions)
    assert sheet.freeze_panes == "B2"

    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert set(validations) == {"B2:B51", "C2:C51", "D2:D51", "E2:E51", "F2:F51", "G2:G51"}
    assert validations["D2:D51"].type == "list" and validations["D2:D51"].errorStyle == "stop"
    assert validations["E2:E51"].errorStyle == "information"  # several choices separated by « ; »
    assert validations["G2:G51"].type == "decimal"
    lists = workbook["Listes"]
    reference = validations["D2:D51"].formula1
    column = reference.split("!")[1].split(":")[0].replace("$", "")[0]
    assert [lists[f"{column}{row}"].value for row in range(2, 5)] == ["Oui", "Non", "Je ne sais pas"]
    communes = [c.value for c in lists["A"][1:] if c.value]
    assert set(communes) == {*commune_names(refdata), "Autre commune"}

    ident = {row[0]: row[1] for row in workbook["santeloc"].iter_rows(values_only=True) if row[0]}
    assert ident["Questionnaire"] == svc.questionnaire_id(svc.list_questions(uow, project_id))
    assert ident["Nom du projet"] == "MSP de Puisaye"


def test_import_tabulate_cross_tabulate_and_constat(
    uow: UnitOfWork, project_id: int, questions: dict[str, svc.QuestionRow], tmp_path: Path, refdata: RefData
) -> None:
    path = fill(svc.export_entry_sheet(uow, project_id, tmp_path / "saisie.xlsx"), good_rows(refdata))
    report = svc.import_entry_sheet(uow, project_id, path, refdata)
    assert (report.imported, report.empty_rows, report.replaced) == (5, 1, 0)
    assert report.answers == 26
    assert report.summary() == "5 questionnaires importés (26 réponses) ; 1 ligne numérotée sans réponse ignorée."
    assert svc.response_count(uow, project_id) == 5

    renounce = svc.tabulate(uow, questions["renounce"].id)
    assert (renounce.respondents, renounce.answered, renounce.no_answer) == (5, 5, 0)
    assert [(r.label, r.count) for r in renounce.rows] == [("Oui", 3), ("Non", 1), ("Je ne sais pas", 1)]
    assert renounce.rows[0].share == pytest.approx(60.0)

    which = svc.tabulate(uow, questions["which"].id)
    assert [(r.label, r.count) for r in which.rows] == [("Dentiste", 2), ("Généraliste", 1), ("Ophtalmologiste", 1)]
    assert which.answered == 3 and which.rows[0].share == pytest.approx(200 / 3)
    assert "le total dépasse 100 %" in which.note

    hours = svc.tabulate(uow, questions["hours"].id)
    assert hours.mean == pytest.approx((2 + 4 + 1 + 3) / 4)  # mean level, 1 = "Pas du tout"

    minutes = svc.tabulate(uow, questions["minutes"].id)
    assert (minutes.answered, minutes.mean, minutes.median, minutes.minimum, minutes.maximum) == (
        4, pytest.approx(19.875), pytest.approx(18.5), 10, 32.5,
    )  # fmt: skip
    assert [r.label for r in minutes.rows] == ["10", "12", "25", "32,5"]

    text = svc.tabulate(uow, questions["text"].id)
    assert sorted(text.texts) == ["Horaires du samedi", "Un dentiste !"]

    saint_amand, arquian = commune_names(refdata)
    by_commune = svc.cross_tabulate(uow, questions["renounce"].id, "commune", refdata)
    assert by_commune.categories == ("Oui", "Non", "Je ne sais pas")
    groups = {r.group: r for r in by_commune.rows}
    assert groups[saint_amand].counts == (1, 1, 0)
    assert groups[arquian].counts == (1, 0, 0) and groups[arquian].shares[0] == pytest.approx(100.0)
    assert groups["Autre commune ou non précisée"].answered == 2  # "Autre commune" and no answer
    assert by_commune.rows[-1].group == "Autre commune ou non précisée"
    assert by_commune.total.counts == (3, 1, 1) and by_commune.by_label == "Commune"

    by_age = svc.cross_tabulate(uow, questions["minutes"].id, "age_group")
    assert [r.group for r in by_age.rows] == ["25 à 39 ans", "60 à 74 ans", "75 ans ou plus", "Âge non précisé"]
    assert by_age.rows[0].mean == pytest.approx(10.0) and by_age.rows[1].mean == pytest.approx(25.0)
    with pytest.raises(ValidationError, match="réponse libre ne se croise pas"):
        svc.cross_tabulate(uow, questions["text"].id, "commune")
    with pytest.raises(ValidationError, match="par commune ou par tranche d'âge"):
        svc.cross_tabulate(uow, questions["renounce"].id, "sexe")

    constat_id = svc.answer_to_constat(uow, questions["renounce"].id, "oui", "Surtout les plus âgés")
    constat = next(c for c in indicators.list_constats(uow, project_id) if c.id == constat_id)
    assert constat.step == 4 and constat.comment == "Surtout les plus âgés"
    assert constat.title == (
        "60 % des habitants interrogés répondent « Oui » à « Avez-vous renoncé à des soins ? » (3 sur 5)"
    )
    with pytest.raises(ValidationError, match="Ce constat a déjà été retenu"):
        svc.answer_to_constat(uow, questions["renounce"].id, "Oui")
    with pytest.raises(ValidationError, match="« Peut-être » ne fait pas partie des réponses possibles"):
        svc.answer_to_constat(uow, questions["renounce"].id, "Peut-être")
    minutes_constat = svc.answer_to_constat(uow, questions["minutes"].id, None)
    assert "19,9 en moyenne, 18,5 en valeur médiane (4 répondants)" in next(
        c.title for c in indicators.list_constats(uow, project_id) if c.id == minutes_constat
    )
    with pytest.raises(ValidationError, match="réponse libre"):
        svc.answer_to_constat(uow, questions["text"].id, "x")

    # Answered questions keep their kind and the choices in use.
    with pytest.raises(ValidationError, match="son type ne peut plus changer"):
        svc.update_question(uow, questions["renounce"].id, kind="multiple")
    with pytest.raises(ValidationError, match="« Je ne sais pas » est utilisée par 1 questionnaire"):
        svc.update_question(uow, questions["renounce"].id, choices="Oui\nNon")
    svc.update_question(uow, questions["renounce"].id, text="Avez-vous dû renoncer à des soins ?")


def test_bad_answers_refuse_the_whole_sheet_with_a_message_per_line(
    uow: UnitOfWork, project_id: int, questions: dict[str, svc.QuestionRow], tmp_path: Path, refdata: RefData
) -> None:
    rows = good_rows(refdata)
    rows[1][3] = "Peut-être"  # line 3: outside the choices
    rows[2][6] = "une demi-heure"  # line 4: not a number
    rows[3][4] = "Dentiste ; Kiné"  # line 5: one of the choices is unknown
    rows[4][0] = "1"  # line 6: questionnaire number already typed line 2
    path = fill(svc.export_entry_sheet(uow, project_id, tmp_path / "saisie.xlsx"), rows)
    with pytest.raises(svc.SurveyImportError) as caught:
        svc.import_entry_sheet(uow, project_id, path, refdata)
    errors = caught.value.errors
    assert [line for line, _ in errors] == [3, 4, 5, 6]
    assert errors[0][1] == (
        "questionnaire n° 2 — Q3 « Avez-vous renoncé à des soins ? » : « Peut-être » ne fait pas partie des "
        "réponses possibles (Oui ; Non ; Je ne sais pas)."
    )
    assert "Q6 « Minutes pour aller chez le médecin ? » : « une demi-heure » n'est pas un nombre." in errors[1][1]
    assert "« Kiné » ne fait pas partie des réponses possibles" in errors[2][1]
    assert "le questionnaire n° 1 est déjà saisi ligne 2" in errors[3][1]
    message = str(caught.value)
    assert message.startswith("Feuille de saisie refusée, rien n'a été importé (4 erreurs) :")
    assert "ligne 3 — questionnaire n° 2" in message
    assert answers_in_database(uow) == (0, 0)

    preview = svc.read_entry_sheet(uow, project_id, path, refdata)
    assert not preview.ok and len(preview.responses) == 1  # only line 2 is right, and it was not saved


def test_sheet_from_another_questionnaire_is_recognised(
    uow: UnitOfWork, project_id: int, questions: dict[str, svc.QuestionRow], tmp_path: Path, refdata: RefData
) -> None:
    other = project_svc.create_project(uow, "Centre de santé de Cosne").id
    svc.add_question(uow, other, "single", "Êtes-vous satisfait ?", "Oui\nNon")
    foreign = fill(svc.export_entry_sheet(uow, other, tmp_path / "cosne.xlsx"), [["1", "Oui"]])
    with pytest.raises(
        ValidationError, match="faite pour un autre questionnaire \\(projet « Centre de santé de Cosne »"
    ):
        svc.import_entry_sheet(uow, project_id, foreign, refdata)
    assert answers_in_database(uow) == (0, 0)

    # The same questionnaire changed since its sheet was exported.
    path = fill(svc.export_entry_sheet(uow, project_id, tmp_path / "saisie.xlsx"), good_rows(refdata))
    svc.update_question(uow, questions["renounce"].id, choices="Oui\nNon\nJe ne sais pas\nNon concerné")
    with pytest.raises(ValidationError, match="Le questionnaire a été modifié depuis l'export de cette feuille"):
        svc.import_entry_sheet(uow, project_id, path, refdata)
    assert answers_in_database(uow) == (0, 0)


def test_files_that_are_not_entry_sheets(
    uow: UnitOfWork, project_id: int, questions: dict[str, svc.QuestionRow], tmp_path: Path
) -> None:
    csv = tmp_path / "saisie.csv"
    csv.write_text("N°;Q1\n1;Oui\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"n'est pas un classeur \.xlsx"):
        svc.import_entry_sheet(uow, project_id, csv)
    plain = tmp_path / "perso.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["N°", "Commune"])  # type: ignore[union-attr]
    workbook.save(plain)
    with pytest.raises(ValidationError, match="n'est pas une feuille de saisie exportée par santeloc"):
        svc.import_entry_sheet(uow, project_id, plain)
    broken = tmp_path / "casse.xlsx"
    broken.write_bytes(b"PK\x03\x04 pas un classeur")
    with pytest.raises(ValidationError, match="n'est pas un classeur Excel lisible"):
        svc.import_entry_sheet(uow, project_id, broken)
    with pytest.raises(ValidationError, match="introuvable"):
        svc.import_entry_sheet(uow, project_id, tmp_path / "absent.xlsx")
    empty = svc.export_entry_sheet(uow, project_id, tmp_path / "vide.xlsx")
    with pytest.raises(svc.SurveyImportError, match="aucun questionnaire rempli"):
        svc.import_entry_sheet(uow, project_id, empty)
    moved = svc.export_entry_sheet(uow, project_id, tmp_path / "deplace.xlsx")
    workbook = openpyxl.load_workbook(moved)
    workbook["Saisie"]["D1"] = "Autre chose"
    workbook.save(moved)
    with pytest.raises(ValidationError, match="la colonne D devrait être celle de la question Q3"):
        svc.import_entry_sheet(uow, project_id, moved)
    assert answers_in_database(uow) == (0, 0)


def test_importing_again_refuses_or_replaces(
    uow: UnitOfWork, project_id: int, questions: dict[str, svc.QuestionRow], tmp_path: Path, refdata: RefData
) -> None:
    path = fill(svc.export_entry_sheet(uow, project_id, tmp_path / "saisie.xlsx"), good_rows(refdata))
    svc.import_entry_sheet(uow, project_id, path, refdata)
    with pytest.raises(ValidationError, match="5 questionnaires déjà importé\\(s\\) \\(n° 1, 2, 3, 4, 5\\)"):
        svc.import_entry_sheet(uow, project_id, path, refdata)
    assert answers_in_database(uow) == (5, 26)
    fill(path, [["7", None, None, "Non"]], first_row=8)  # the sheet completed since
    report = svc.import_entry_sheet(uow, project_id, path, refdata, replace=True)
    assert (report.imported, report.replaced) == (6, 5)
    assert answers_in_database(uow) == (6, 27)
    assert svc.delete_responses(uow, project_id) == 6
    assert answers_in_database(uow) == (0, 0)


def test_a_copied_project_reads_the_sheet_of_its_original(
    uow: UnitOfWork, project_id: int, questions: dict[str, svc.QuestionRow], tmp_path: Path, refdata: RefData
) -> None:
    path = fill(svc.export_entry_sheet(uow, project_id, tmp_path / "saisie.xlsx"), good_rows(refdata))
    copy = project_svc.duplicate_project(uow, project_id, "Copie").id
    copied = svc.list_questions(uow, copy)
    assert [q.role for q in copied][:2] == ["commune", "age_group"]  # roles follow the copy
    report = svc.import_entry_sheet(uow, copy, path, refdata)
    assert report.imported == 5
    assert svc.response_count(uow, project_id) == 0
    by_age = svc.cross_tabulate(uow, copied[2].id, "age_group")
    assert by_age.rows[0].group == "25 à 39 ans"
