"""Text pasted with control characters (U+0001, U+000B from a PDF) never stops a document:
it is kept as typed in the store and cleaned where it enters Word and Excel files."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook

from santeloc.domain.xml_text import xml_safe, xml_text
from santeloc.exports import context as ctx
from santeloc.exports.dossier import ALL_DOCUMENTS, export_dossier
from santeloc.exports.excel import load_registry, write_workbook
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import offer, survey
from santeloc.services.demo import create_demo_project
from santeloc.services.projects import get_project, update_project

PASTED = "Maison de santé\x01 du\x0bcanton\x1f\ufffe"


def test_xml_text_takes_out_only_what_xml_cannot_hold() -> None:
    assert xml_text(PASTED) == "Maison de santé du canton"
    assert xml_text("tab\tand\nnewline\r") == "tab\tand\nnewline\r"
    plain = "déjà propre"
    assert xml_text(plain) is plain
    context = {"a": [PASTED, ("x\x02", 3)], "b": {"c": "ok"}}
    assert xml_safe(context) == {"a": ["Maison de santé du canton", ("x", 3)], "b": {"c": "ok"}}
    assert xml_safe(context["b"]) is context["b"]  # untouched parts are not copied


def test_a_project_renamed_with_control_characters_produces_its_whole_dossier(
    uow: UnitOfWork, refdata: RefData, tmp_path: Path
) -> None:
    project_id = create_demo_project(uow, refdata).id
    update_project(uow, project_id, None, name=PASTED, porteur_name="Commune\x01 de\x0bSaint-Amand")
    offer.add_professional(uow, project_id, refdata, last_name="Du\x01pont", first_name="A\x0bnne",
                           profession="infirmier", notes="copié\x0c d'un PDF", birth_year=1970)  # fmt: skip
    assert "\x01" in get_project(uow, project_id).name  # kept as typed in the store
    (tmp_path / "dossier").mkdir()
    files = export_dossier(uow, project_id, refdata, tmp_path / "dossier", ALL_DOCUMENTS - {"zip"}, False)
    assert len(files) >= 5, files
    words = [path for path in files if path.suffix == ".docx"]
    assert words
    for path in words:
        with zipfile.ZipFile(path) as archive:
            body = archive.read("word/document.xml").decode("utf-8")
        assert "\x01" not in body and "\x0b" not in body
    workbook_path = tmp_path / "plan.xlsx"
    write_workbook(ctx.load_project_data(uow, project_id, refdata), workbook_path,
                   load_registry(uow, project_id, refdata))  # fmt: skip
    texts = [cell.value for sheet in load_workbook(workbook_path) for row in sheet.iter_rows() for cell in row]
    assert any(isinstance(t, str) and "Maison de santé du canton" in t for t in texts)


def test_the_entry_sheet_holds_a_pasted_project_name_and_questions(
    uow: UnitOfWork, refdata: RefData, tmp_path: Path
) -> None:
    project_id = create_demo_project(uow, refdata).id
    update_project(uow, project_id, None, name=PASTED)
    survey.add_question(uow, project_id, "single", "Venez\x01-vous\x0bsouvent ?", ["Oui\x02", "Non"])
    path = survey.export_entry_sheet(uow, project_id, tmp_path / "saisie.xlsx", rows=3)
    assert load_workbook(path).properties.title.startswith("Questionnaire aux habitants — Maison de santé du canton")
