"""The demo's dossier as a préfecture, an ARS and a council read it (issue 24).

* a request only for what is still to obtain, for exactly its pending lines, dated from its filing;
* one rate per grant, of its eligible base; the operation an investment grant funds is the investment;
* the rules in force (décret n° 2018-514 art. 10, CGCT L1111-10 III), never the 2010 programme's 35 %;
* the owner commits its own money, not the professionals';
* document properties name the porteur and today; every workbook formula carries its value;
* an empty project is refused by the CLI, and with --brouillon every first page says « incomplet ».
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from santeloc.domain.enums import FinancingStage, ResourceKind, ResourceStatus
from santeloc.domain.formatting import format_cents
from santeloc.exports import context as ctx
from santeloc.exports.dossier import ALL_DOCUMENTS, export_dossier
from santeloc.exports.funding_context import long_date
from santeloc.exports.review import INCOMPLETE_MARK
from santeloc.persistence.engine import Database
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services.demo import create_demo_project
from santeloc.services.projects import create_project

SPACES = str.maketrans({"\u202f": " ", "\u00a0": " "})
PENDING = (ResourceStatus.A_SOLLICITER.value, ResourceStatus.SOLLICITE.value)


def text_of(path: Path) -> str:
    """Body, tables, headers (first page's included) of a .docx, spaces normalised."""
    document = Document(str(path))
    texts: list[str] = []

    def walk(container: object) -> None:
        for paragraph in container.paragraphs:  # type: ignore[attr-defined]
            texts.append(paragraph.text)
        for table in container.tables:  # type: ignore[attr-defined]
            for row in table.rows:
                for cell in row.cells:
                    walk(cell)

    walk(document)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header):
            walk(part)
    return "\n".join(texts).translate(SPACES)


def first_page_header(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).sections[0].first_page_header.paragraphs)


def plain(text: str) -> str:
    return text.translate(SPACES)


def test_each_request_asks_only_its_pending_lines_dated_from_its_filing(
    sqlite_database: Database, refdata: RefData
) -> None:
    uow = UnitOfWork(sqlite_database)
    project_id = create_demo_project(uow, refdata).id
    charts = ctx.ChartSet.load(uow, project_id, refdata)
    view = charts.data.plan
    pending: dict[str, int] = {}
    granted: dict[str, int] = {}
    for result in view.analysis.overall.resources:
        resource = result.resource
        if result.counted and resource.kind == ResourceKind.SUBVENTION.value:
            into = pending if resource.status in PENDING else granted
            into[resource.funder_code] = into.get(resource.funder_code, 0) + result.amount_cents
    funders = [code for code, _name in ctx.subvention_funders(uow, project_id, refdata, charts)]
    assert set(funders) == set(pending)  # a fully granted funder (the Département) gets no request
    assert "DEPARTEMENT" in granted and "DEPARTEMENT" not in funders
    requested = {row.resource.funder_code: row.requested_on for row in view.resources if row.requested_on}
    for code in funders:
        context = ctx.subvention_context(uow, project_id, code, refdata, charts)
        funder = context["financeur"]
        assert plain(funder["montant"]) == plain(format_cents(pending[code])), code
        assert (
            sum(int(plain(line["montant"]).replace(" ", "").rstrip("€")) for line in funder["lignes"]) * 100
            == (pending[code])
        )
        if code in granted:  # the FIR: its granted study is quoted, not asked again
            assert funder["acquis"] and all("accordé le" in line["statut"] for line in funder["acquis"])
        pending_rows = [r for r in view.resources if r.resource.funder_code == code and r.resource.status in PENDING]
        filed = [r.requested_on for r in pending_rows if r.requested_on]
        expected = min(filed) if filed else charts.data.today
        assert funder["date_demande"] == long_date(expected), code
        if not filed:
            assert any(k["evenement"] == "Présente demande de subvention" for k in context["calendrier"])
        stages = {r.resource.stage for r in pending_rows}
        assert funder["investissement"] == (stages != {FinancingStage.FONCTIONNEMENT.value}), code
    assert "DETR" in requested and "DEPARTEMENT" in requested


def test_the_demo_dossier_reads_as_its_recipients_expect(
    sqlite_database: Database, refdata: RefData, tmp_path: Path
) -> None:
    uow = UnitOfWork(sqlite_database)
    project_id = create_demo_project(uow, refdata).id
    folder = tmp_path / "dossier"
    folder.mkdir()
    files = export_dossier(uow, project_id, refdata, folder, ALL_DOCUMENTS - {"zip"}, False)
    texts = {f.name: text_of(f) for f in files if f.suffix == ".docx"}
    view = ctx.load_project_data(uow, project_id, refdata).plan
    investment = view.analysis.stage(FinancingStage.INVESTISSEMENT.value)
    detr = texts["demande-de-subvention-DETR.docx"]
    # The operation a State investment grant funds is the investment, HT; the grant, one rate of its base.
    assert (
        f"Coût de l'opération (volet investissement) : {plain(format_cents(investment.expenses_ht_cents))} HT" in detr
    )
    assert "Subvention sollicitée : 280 000 €, soit 25 % de l'assiette éligible de 1 120 000 € HT" in detr
    assert "20,44 %" not in detr and "21,54 %" not in detr  # no share of the total or of the volet beside it
    assert (
        "Demande établie le 15 janvier 2026" in detr and "établie le 15 janvier 2026" in detr.split("Je soussigné")[1]
    )
    assert "Sollicité — présente demande" in detr
    fir = texts["demande-de-subvention-FIR.docx"]
    assert (
        "Coût de l'action (volet fonctionnement) : 40 000 € HT" in fir and "Attestation de non-commencement" not in fir
    )
    assert "Subvention sollicitée : 20 000 €" in fir and "35 000 €" not in fir
    for name, text in texts.items():
        assert "dans la limite de 35 %" not in text and "35 % des aides" not in text, name
    assert "décret n° 2018-514" in texts["deliberation.docx"]
    # The owner commits its own money (loans + self-funding), not the professionals' participation.
    overall = view.analysis.overall
    own = sum(
        r.amount_cents for r in overall.resources if r.counted and r.resource.kind in ("emprunt", "autofinancement")
    )
    third = sum(r.amount_cents for r in overall.resources if r.counted and r.resource.kind == "participation")
    assert third > 0 and overall.owner_participation_cents == own
    article = next(line for line in texts["deliberation.docx"].splitlines() if line.startswith("Article 4"))
    assert f"soit {plain(format_cents(own))}" in article and "Participation des professionnels" in article
    assert article.count(" %") == 1  # one percentage, on the L1111-10 base
    assert (
        "47,3 % de son financement public" in article and "47,3 % du financement public" in (texts["deliberation.docx"])
    )
    # Properties: the porteur, French, today; never the library.
    for path in files:
        if path.suffix == ".docx":
            properties = Document(str(path)).core_properties
            assert properties.author == "Communauté de communes de la Puisaye Nivernaise", path.name
            assert "python-docx" not in (properties.comments or "") and properties.language == "fr-FR"
            assert properties.created is not None and properties.created.year == date.today().year
    workbook = next(f for f in files if f.suffix == ".xlsx")
    values = load_workbook(workbook, data_only=True)
    formulas = load_workbook(workbook)
    assert formulas.properties.creator == "Communauté de communes de la Puisaye Nivernaise"
    count = 0
    for sheet in formulas.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                count += 1
                cached = values[sheet.title][cell.coordinate].value
                # A blank is only the "" of a guarded share or index (IF(…,"",…)).
                assert cached is not None or ',"",' in str(cell.value), (sheet.title, cell.coordinate, cell.value)
    assert count > 100
    plan = values.worksheets[0]
    cells = [c for row in plan.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any("sont des formules" in c.value or "modifiez" in c.value for c in cells)


def cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SANTELOC_DATA_DIR": str(data_dir)}
    env.pop("SANTELOC_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "santeloc.cli", *args], capture_output=True, text=True, env=env, timeout=300
    )


def test_the_cli_refuses_an_incomplete_dossier_unless_brouillon(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/santeloc.db"
    from santeloc.persistence.engine import open_database

    database = open_database(url)
    project_id = create_project(UnitOfWork(database), "Projet vide").id
    database.dispose()
    out = tmp_path / "dossier"
    refused = cli("--database-url", url, "dossier", str(project_id), str(out), data_dir=tmp_path)
    assert refused.returncode == 1 and not out.exists()
    assert "Dossier incomplet" in refused.stderr and "--brouillon" in refused.stderr
    assert "La présentation du projet est vide. (Étape 0 — Projet et territoire, onglet Projet)" in refused.stderr
    draft = cli("--database-url", url, "dossier", str(project_id), str(out), "--brouillon", data_dir=tmp_path)
    assert draft.returncode == 0, draft.stderr
    documents = sorted(out.glob("*.docx"))
    assert documents
    for path in documents:
        assert INCOMPLETE_MARK in first_page_header(path), path.name
        text = text_of(path)
        assert "porté par ." not in text and "charge de ," not in text, path.name
    workbook = load_workbook(out / "plan-de-financement.xlsx")
    assert workbook.worksheets[0]["A4"].value == INCOMPLETE_MARK


def test_the_relecture_finds_contradictions_and_the_steps_follow_it(
    sqlite_database: Database, refdata: RefData
) -> None:
    from dataclasses import replace

    from santeloc.exports.review import items_by_step, review_project
    from santeloc.services import financing as financing_svc
    from santeloc.services import health_project as health_svc
    from santeloc.services.progress import project_counts
    from santeloc.workflow.steps import STEPS, StepId, StepState, assess

    uow = UnitOfWork(sqlite_database)
    project_id = create_demo_project(uow, refdata).id
    assert review_project(uow, project_id, refdata).total == 0
    # A fiche back to draft, with a pilot outside the team; a grant whose label quotes another rate.
    sheet = health_svc.list_actions(uow, project_id)[0]
    draft = replace(sheet.draft, status="brouillon", pilot="Dr Inconnu-Ailleurs")
    health_svc.update_action(uow, sheet.id, draft, sheet.version)
    plan = financing_svc.list_plans(uow, project_id)[0]
    detr = next(r for r in financing_svc.load_plan(uow, plan.id).resources if r.resource.funder_code == "DETR")
    financing_svc.update_resource(uow, detr.resource.id, detr.version, label="DETR 2026 (30 %)")
    review = review_project(uow, project_id, refdata)
    messages = [item.message for items in review.documents.values() for item in items]
    assert any("encore au statut Brouillon" in m for m in messages)
    assert any("Dr Inconnu-Ailleurs" in m and "n'est pas membre de l'équipe" in m for m in messages)
    assert any("annonce 30 %" in m.replace("\u00a0", " ") and "25 %" in m.replace("\u00a0", " ") for m in messages)
    relecture = items_by_step(review)
    counts = replace(project_counts(uow, project_id), relecture=relecture)
    states = {step.id: assess(step, counts).state for step in STEPS}
    assert states[StepId.PROJET_SANTE] is StepState.PARTIAL and states[StepId.FINANCEMENT] is StepState.PARTIAL
    assert states[StepId.DOSSIERS] is StepState.PARTIAL


def test_section_2_quotes_the_computed_figures_once(sqlite_database: Database, refdata: RefData) -> None:
    from santeloc.domain.formatting import format_int
    from santeloc.exports.review import review_project
    from santeloc.services import indicators as indicators_svc
    from santeloc.services.demography import demography_report

    uow = UnitOfWork(sqlite_database)
    project_id = create_demo_project(uow, refdata).id
    context = ctx.projet_sante_context(uow, project_id, refdata)
    diagnostic = context["diagnostic"]
    assert diagnostic["present"] and diagnostic["equipe"] and diagnostic["locaux"]
    report = demography_report(uow, project_id, refdata, context_today(uow, project_id, refdata))
    for row, computed in zip(diagnostic["offre"], report.professions, strict=True):
        assert (row["departs5"], row["departs10"]) == (
            format_int(computed.departures.get(5, 0)),
            format_int(computed.departures.get(10, 0)),
        )
    total5 = sum(d.departures.get(5, 0) for d in report.professions)
    assert diagnostic["departs"].startswith(f"Au total, {total5} départ")
    shown = " ".join(a["valeur"] for a in diagnostic["acces"])
    assert "oui = 1" not in shown and ",0 jours" not in shown and "Oui" in shown
    assert all(", 2019" not in i["source"] or "2015-2019" not in i["source"] for i in diagnostic["indicateurs"])
    # A constat quoting another share than its indicator is found by the relecture.
    constat = next(c for c in indicators_svc.list_constats(uow, project_id) if "75 ans" in c.title)
    indicators_svc.update_constat(uow, constat.id, title="Une population âgée : 18 % de 75 ans et plus")
    messages = [i.message for items in review_project(uow, project_id, refdata).documents.values() for i in items]
    assert any("cite 18,0 %" in m.replace("\u00a0", " ") and "16,2 %" in m.replace("\u00a0", " ") for m in messages)


def context_today(uow: UnitOfWork, project_id: int, refdata: RefData) -> date:
    return ctx.load_project_data(uow, project_id, refdata).today
