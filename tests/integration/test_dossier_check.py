"""The demo's dossier read as its recipients read it: nothing for the app's user, one rate per grant.

* no document contains the app's name, « étape », a bracket, « à compléter », « à saisir »,
  « non renseigné » (body, tables, headers and footers);
* every grant shows the same rate, with the same base, in every document that quotes it;
* the plan's totals in Word equal those of the workbook recalculated by LibreOffice;
* the demo leaves no relecture item; an empty project's documents are each named in the
  relecture and marked « PROJET — document incomplet ».
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from santeloc.exports import pdf
from santeloc.exports.context import ChartSet, dossier_review
from santeloc.exports.dossier import ALL_DOCUMENTS, export_dossier
from santeloc.exports.funding_context import THIS_REQUEST
from santeloc.exports.review import INCOMPLETE_MARK
from santeloc.persistence.engine import Database
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services.demo import create_demo_project
from santeloc.services.projects import create_project

FORBIDDEN = re.compile(r"santeloc|étape|\[|à compléter|à saisir|non renseigné", re.IGNORECASE)
SPACES = str.maketrans({"\u202f": " ", "\u00a0": " "})
RATE = re.compile(r"(\d+(?:,\d+)?) % de l'assiette éligible de ([\d ]+) € (HT|TTC)")


def paragraphs(path: Path) -> list[str]:
    """Every paragraph of a .docx: body, table cells, headers and footers, spaces normalised."""
    document = Document(str(path))
    texts: list[str] = []

    def walk(container: Any) -> None:
        for paragraph in container.paragraphs:
            texts.append(paragraph.text.translate(SPACES))
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    walk(cell)

    walk(document)
    for section in document.sections:
        walk(section.header)
        walk(section.footer)
        walk(section.first_page_header)
    return texts


def plan_rows(path: Path) -> set[tuple[str, ...]]:
    """Rows of the plan tables (header « Financeur | Statut | Assiette éligible | Taux | Montant »); a request's
    own lines read « Sollicité — présente demande », the same line elsewhere its dated status: the status of
    those is left out of the comparison."""
    rows: set[tuple[str, ...]] = set()
    for table in Document(str(path)).tables:
        header = [c.text for c in table.rows[0].cells]
        if header[:4] != ["Financeur", "Statut", "Assiette éligible", "Taux"]:
            continue
        for row in table.rows[1:]:
            cells = tuple(c.text.translate(SPACES) for c in row.cells)
            if cells[1] in (THIS_REQUEST, "À solliciter") or cells[1].startswith("Sollicité le"):
                cells = (cells[0], "à obtenir", *cells[2:])
            if cells[0] != "Total des ressources":
                rows.add(cells)
    return rows


@pytest.fixture
def demo_dossier(sqlite_database: Database, refdata: RefData, tmp_path: Path) -> tuple[UnitOfWork, int, list[Path]]:
    uow = UnitOfWork(sqlite_database)
    project_id = create_demo_project(uow, refdata).id
    folder = tmp_path / "dossier"
    folder.mkdir()
    files = export_dossier(uow, project_id, refdata, folder, ALL_DOCUMENTS - {"zip"}, False)
    return uow, project_id, files


def test_the_demo_dossier_speaks_only_to_its_recipients(
    demo_dossier: tuple[UnitOfWork, int, list[Path]], refdata: RefData
) -> None:
    uow, project_id, files = demo_dossier
    review = dossier_review(uow, ChartSet.load(uow, project_id, refdata))
    assert review.total == 0, {k: [i.message for i in v] for k, v in review.documents.items() if v}
    documents = [f for f in files if f.suffix == ".docx"]
    names = {f.name for f in documents}
    assert {"demande-de-subvention-DETR.docx", "demande-de-subvention-DSIL.docx", "deliberation.docx",
            "demande-de-subvention-Region.docx",
            "projet-de-sante.docx", "diagnostic-local-de-sante.docx"} <= names  # fmt: skip
    assert "demande-de-subvention-Departement.docx" not in names  # its grant is granted: nothing to ask
    for path in documents:
        for text in paragraphs(path):
            assert not FORBIDDEN.search(text), (path.name, text)
            assert INCOMPLETE_MARK not in text, path.name


def test_every_rate_of_a_grant_is_the_same_in_every_document(
    demo_dossier: tuple[UnitOfWork, int, list[Path]],
) -> None:
    _uow, _project_id, files = demo_dossier
    with_plan = [f for f in files if f.name.startswith(("demande-de-subvention", "deliberation"))]
    tables = {f.name: plan_rows(f) for f in with_plan}
    reference = tables["deliberation.docx"]
    assert reference, "the délibération annexes the plan"
    for name, rows in tables.items():
        assert rows == reference, name  # same funders, statuses, bases, rates, amounts and shares
    # Each rate quoted in prose matches the plan's (rate, base) of that grant.
    table_rates = {(taux.replace(" %", ""), assiette) for _f, _s, assiette, taux, *_rest in reference if taux != "—"}
    quoted = 0
    for path in with_plan:
        for text in paragraphs(path):
            for rate, base, basis in RATE.findall(text):
                quoted += 1
                assert (rate, f"{base} € {basis}") in table_rates, (path.name, text)
    assert quoted >= len(with_plan)  # every application and the délibération state rates with their base
    detr = " ".join(paragraphs(next(f for f in files if f.name == "demande-de-subvention-DETR.docx")))
    assert "280 000 €, soit 25 % de l'assiette éligible de 1 120 000 € HT" in detr


@pytest.mark.slow
@pytest.mark.usefixtures("soffice")
def test_plan_totals_in_word_equal_the_recalculated_workbook(
    demo_dossier: tuple[UnitOfWork, int, list[Path]], refdata: RefData
) -> None:
    uow, project_id, files = demo_dossier
    workbook = next(f for f in files if f.suffix == ".xlsx")
    values = pdf.recalculate_xlsx(workbook)
    from santeloc.exports.excel import load_registry, write_workbook

    data = ChartSet.load(uow, project_id, refdata).data
    layout = write_workbook(data, workbook, load_registry(uow, project_id, refdata))
    values = pdf.recalculate_xlsx(workbook)

    def euros(key: str) -> str:
        value = round(values[layout.cells[key]])
        return f"{value:,}".replace(",", " ") + " €"

    text = " ".join(paragraphs(next(f for f in files if f.name == "deliberation.docx")))
    assert f"coût total de {euros('total_depenses')} HT" in text
    assert f"Ensemble de l'opération : {euros('total_ressources')} de ressources" in text
    rows = plan_rows(next(f for f in files if f.name == "deliberation.docx"))
    for share in data.plan.analysis.overall.funders:
        if share.kind == "subvention":
            amounts = [int(r[4].replace(" €", "").replace(" ", "")) for r in rows if r[0] == share.name]
            assert f"{sum(amounts):,}".replace(",", " ") + " €" == euros(f"financeur:{share.code}"), share.name


def test_an_empty_project_lists_what_each_document_lacks_and_marks_it(
    sqlite_database: Database, refdata: RefData, tmp_path: Path
) -> None:
    uow = UnitOfWork(sqlite_database)
    project_id = create_project(uow, "Projet vide").id
    review = dossier_review(uow, ChartSet.load(uow, project_id, refdata))
    for key in ("diagnostic", "deliberation", "projet_sante", "classeur"):
        assert review.items(key), key
    where = {item.where for item in review.items("diagnostic")}
    assert "Étape 1 — État de santé, onglet Indicateurs" in where
    folder = tmp_path / "dossier"
    folder.mkdir()
    files = export_dossier(uow, project_id, refdata, folder, {"diagnostic", "deliberation", "projet_sante"}, False)
    for path in files:
        texts = paragraphs(path)
        assert any(INCOMPLETE_MARK in t for t in texts), path.name
        assert not any(FORBIDDEN.search(t) for t in texts), path.name


def test_the_workbook_reads_the_plans_loan_and_names_the_funders(
    sqlite_database: Database, refdata: RefData, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    from santeloc.exports.excel import SCHEDULE_SHEET, load_registry, write_workbook
    from santeloc.services import financing

    uow = UnitOfWork(sqlite_database)
    project_id = create_project(uow, "MSP du Bourg", porteur_name="Commune du Bourg").id
    plan = financing.ensure_plan(uow, project_id).id
    financing.add_expense(uow, plan, stage="investissement", category="travaux", label="Travaux",
                          amount_ht_cents=50_000_000)  # fmt: skip
    financing.add_resource(uow, plan, kind="subvention", funder_code="DEPARTEMENT", label="CD", stage="investissement",
                           amount_cents=25_905_700)  # fmt: skip
    financing.add_resource(uow, plan, kind="emprunt", funder_code="", label="Prêt", stage="investissement",
                           amount_cents=24_094_300)  # fmt: skip
    data = ChartSet.load(uow, project_id, refdata).data
    path = tmp_path / "plan.xlsx"
    write_workbook(data, path, load_registry(uow, project_id, refdata))
    workbook = load_workbook(path)
    note = str(workbook[SCHEDULE_SHEET]["A3"].value).replace("\u202f", " ").replace("\u00a0", " ")
    assert "Emprunt inscrit au plan de financement : 240 943 €" in note  # not « Aucun emprunt »
    texts = {str(c.value) for row in workbook.worksheets[0].iter_rows() for c in row if c.value is not None}
    assert "Département" in texts and not any(FORBIDDEN.search(t) for t in texts if not t.startswith("="))
    review = dossier_review(uow, ChartSet.load(uow, project_id, refdata))
    assert any("emprunt de 240" in i.message for i in review.items("classeur"))
