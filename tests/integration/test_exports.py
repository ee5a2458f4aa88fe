"""Step 8 on real databases and real templates: Word, Excel, PDF, the whole dossier, bad input.

The LibreOffice tests (PDF conversion, recalculation of the workbook's formulas) need
``soffice``: they are skipped on a developer machine without it, and fail under CI.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import func, select

from santeloc.analysis.tabular import guess_mapping, read_table
from santeloc.domain import financing as rules
from santeloc.domain.enums import TerritorySource
from santeloc.domain.models import Funder
from santeloc.exports import context as ctx
from santeloc.exports import pdf, word
from santeloc.exports.dossier import (
    ALL_DOCUMENTS,
    EXTRA_TEMPLATE_FILES,
    ExportCancelledError,
    export_dossier,
    render_extra,
)
from santeloc.exports.excel import PLAN_SHEET, load_registry, write_workbook
from santeloc.persistence.engine import Database
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import financing, indicators, meetings, mobilisation, offer
from santeloc.services import health_project as hp
from santeloc.services.demo import DEMO_COMMUNES, create_demo_project
from santeloc.services.demo_data import HISTORICAL_RESOURCES, HISTORICAL_TOTAL_EUROS
from santeloc.services.projects import ProjectInfo, create_project, update_project
from santeloc.services.territory import add_communes

TEMPLATES = {**word.TEMPLATE_FILES, **EXTRA_TEMPLATE_FILES}
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "exemples"
SPACES = str.maketrans({"\u202f": " ", "\u00a0": " "})


# --- projects -------------------------------------------------------------------------------


def make_2005_project(uow: UnitOfWork, refdata: RefData) -> ProjectInfo:
    """The guide's Saint-Amand-en-Puisaye of 2005: its territory and its plan, nothing else."""
    project = create_project(uow, "Maison de santé de Saint-Amand-en-Puisaye (2005)",
                             porteur_name="Communauté de communes de la Puisaye Nivernaise")  # fmt: skip
    update_project(uow, project.id, None, description="La maison de santé amandinoise, ouverte le 23 mai 2005.")
    add_communes(uow, project.id, DEMO_COMMUNES, TerritorySource.MANUAL, refdata)
    plan = financing.ensure_plan(uow, project.id).id
    financing.add_expense(uow, plan, stage="investissement", category="travaux", label="Construction",
                          amount_ht_cents=HISTORICAL_TOTAL_EUROS * 100, vat_rate_bp=0, year=2005)  # fmt: skip
    for kind, code, label, euros in HISTORICAL_RESOURCES:
        financing.add_resource(uow, plan, kind=kind.value, funder_code=code, label=label, stage="investissement",
                               amount_cents=euros * 100, status="verse")  # fmt: skip
    return project


def make_rich_project(uow: UnitOfWork, refdata: RefData) -> int:
    """The 2005 project with the example indicators, ages, constats, a study stage, a loan and rents."""
    demo = make_2005_project(uow, refdata)
    update_project(uow, demo.id, None, porteur_name="Communauté de communes Puisaye & Forterre")
    table = read_table(EXAMPLES / "indicateurs-ors-exemple.csv")
    indicators.import_indicators(uow, demo.id, indicators.prepare_import(table, guess_mapping(table.headers)))
    for row in indicators.list_indicators(uow, demo.id):
        if row.label.startswith(("Mortalité prématurée", "Décès par suicide")):
            indicators.constat_from_indicator(uow, row)
    indicators.add_constat(uow, demo.id, "Renoncement aux soins dentaires <nord>", "Relevé en réunion publique.")
    ages = indicators.age_groups_from_table(read_table(EXAMPLES / "ages-territoire-exemple.csv"))
    indicators.set_age_table(uow, demo.id, "territoire", ages, year=2021, source="exemple")
    plan = financing.ensure_plan(uow, demo.id).id
    financing.set_loan(uow, plan, principal_cents=24_094_300, rate_bp=375, years=20, start_year=2006)
    study = financing.add_expense(uow, plan, stage="ingenierie", category="études", label="Étude de faisabilité",
                                  amount_ht_cents=3_000_000, vat_rate_bp=2000, year=2003)  # fmt: skip
    financing.add_resource(uow, plan, kind="subvention", funder_code="ARS", label="FIR — étude", stage="ingenierie",
                           rate_bp=5000, base_expense_ids=[study])  # fmt: skip
    financing.add_resource(uow, plan, kind="autofinancement", funder_code="", label="Autofinancement",
                           stage="ingenierie", amount_cents=1_500_000)  # fmt: skip
    financing.set_rent(uow, plan, annual_charges_cents=600_000, market_rent_cents_per_m2_month=900, split="area",
                       occupants=[rules.Occupant("SCM des médecins", Decimal(180)),
                                  rules.Occupant("Cabinet infirmier", Decimal(60))])  # fmt: skip
    add_team_and_meeting(uow, refdata, demo.id)
    return demo.id


def add_team_and_meeting(uow: UnitOfWork, refdata: RefData, project_id: int) -> None:
    """Steps 2, 5 and 6 of the rich project: a team, sections, a fiche action, a meeting with a task."""
    for name, profession, status in (("Martin", "medecin_generaliste", "signataire"),
                                     ("Petit", "infirmier", "lettre_intention"),
                                     ("Leroy", "pharmacien", "interesse")):  # fmt: skip
        offer.add_professional(uow, project_id, refdata, last_name=name, first_name="Claude", profession=profession,
                               commune_code="58227", birth_year=1962, commitment_status=status)  # fmt: skip
    hp.set_sections(uow, project_id, {"soins.acces_horaires": "Du lundi au vendredi, 8 h – 20 h <samedi matin>.",
                                      "aci.ouverture_samedi": "oui", "identification.forme_juridique": "sisa"})  # fmt: skip
    objective = hp.add_objective(uow, hp.add_priority(uow, project_id, "Accès aux soins"), "Garder les médecins")
    hp.add_action(uow, objective, hp.ActionDraft(
        title="Accueil des internes", objective="Installer deux jeunes médecins", pilot="Dr Martin",
        indicators=(hp.IndicatorDraft("Internes accueillis par an", "internes", 0, 2024, 4, 2027, "Faculté"),),
    ), refdata)  # fmt: skip
    contact = mobilisation.add_contact(uow, project_id, kind="elu", name="Jean Dupuis", role="Maire")
    meeting = meetings.add_meeting(uow, project_id, kind="comite_pilotage", held_on=date(2026, 3, 4),
                                   place="Mairie", agenda="- Point sur le projet\n- Calendrier",
                                   decisions="Lancer l'enquête", participant_ids=[contact])  # fmt: skip
    meetings.add_task(uow, meeting, "Envoyer le questionnaire", owner="Anne Petit", due_on=date(2026, 4, 1))
    offer.add_establishment(uow, project_id, refdata, kind="hopital", name="Centre hospitalier de Cosne",
                            commune_code="58227")  # fmt: skip
    offer.set_measure(uow, project_id, "delai_rdv_generaliste", 12, source="Enquête 2025")
    offer.set_measure(uow, project_id, "part_c2s", 8.5)


def project_ids(uow: UnitOfWork, refdata: RefData) -> dict[str, int]:
    """The projects every template must render: the demo and an empty project."""
    demo = create_demo_project(uow, refdata).id
    empty = create_project(uow, "Projet vide").id
    return {"demo": demo, "empty": empty}


@pytest.fixture
def user_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private user data folder (user templates go under it)."""
    folder = tmp_path / "donnees"
    monkeypatch.setenv("SANTELOC_DATA_DIR", str(folder))
    return folder


def document_text(path: Path) -> str:
    """Every text of a .docx (body, tables, headers, footers), spaces normalised."""
    document = Document(str(path))
    texts: list[str] = []

    def walk(container: Any) -> None:
        for paragraph in container.paragraphs:
            texts.append(paragraph.text)
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    walk(cell)

    walk(document)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            walk(part)
    return "\n".join(texts).translate(SPACES)


def contexts(uow: UnitOfWork, project_id: int, refdata: RefData) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Every document's context(s) for a project, charts shared."""
    charts = ctx.ChartSet.load(uow, project_id, refdata)
    funders = ctx.subvention_funders(uow, project_id, refdata, charts) or [("DETR", "DETR")]
    return {
        "diagnostic": [("diagnostic", ctx.diagnostic_context(uow, project_id, refdata, charts))],
        "subvention": [(code, ctx.subvention_context(uow, project_id, code, refdata, charts)) for code, _ in funders],
        "deliberation": [("deliberation", ctx.deliberation_context(uow, project_id, refdata, charts))],
        "projet_sante": [("projet_sante", ctx.projet_sante_context(uow, project_id, refdata, charts))],
        "compte_rendu": [
            (f"compte-rendu-{meeting_id}", ctx.compte_rendu_context(uow, project_id, meeting_id, refdata, charts))
            for meeting_id in [m for m, _ in ctx.list_meeting_ids(uow, project_id)] or [None]
        ],
    }


def render(key: str, context: dict[str, Any], destination: Path) -> Path:
    """Render a shipped document, whichever table lists its template."""
    if key in EXTRA_TEMPLATE_FILES:
        return render_extra(key, context, destination)
    return word.render_named(key, context, destination)


# --- Word -----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_templates_use_only_variables_the_context_provides(uow: UnitOfWork, refdata: RefData, key: str) -> None:
    used = word.undeclared_variables(word.shipped_templates_dir() / TEMPLATES[key])
    assert used, "the template should use the context"
    projects = project_ids(uow, refdata)
    projects["rich"] = make_rich_project(uow, refdata)
    for name, project_id in projects.items():
        for _label, context in contexts(uow, project_id, refdata)[key]:
            assert used <= set(context), f"{key} / {name}: {sorted(used - set(context))}"


def test_every_template_renders_with_the_demo_and_an_empty_project(
    uow: UnitOfWork, refdata: RefData, tmp_path: Path, user_folder: Path
) -> None:
    for name, project_id in project_ids(uow, refdata).items():
        for key, items in contexts(uow, project_id, refdata).items():
            for label, context in items:
                path = render(key, context, tmp_path / f"{name}-{label}.docx")
                text = document_text(path)
                assert "{{" not in text and "{%" not in text, (name, label)
                assert context["projet"]["nom"] in text
    demo = document_text(tmp_path / "demo-diagnostic.docx")
    assert "Exemple — Maison de santé de Saint-Amand-en-Puisaye" in demo
    assert "Communauté de communes de la Puisaye Nivernaise" in demo
    assert "Saint-Amand-en-Puisaye" in demo and "Page" in demo
    detr = document_text(tmp_path / "demo-DETR.docx")
    assert "1 300 000 € HT" in detr and "280 000 €" in detr
    assert "25 % de l'assiette éligible de 1 120 000 € HT" in detr  # the DETR's rate, with its base
    assert "Dotation d'équipement des territoires ruraux" in detr and "Attestation de non-commencement" in detr
    deliberation = document_text(tmp_path / "demo-deliberation.docx")
    assert "Le conseil communautaire," in deliberation
    assert "Vu le code général des collectivités territoriales" in deliberation
    assert "DÉCIDE :" in deliberation and "Article 1 :" in deliberation and "Article 5 :" in deliberation
    assert "1 370 000 € HT" in deliberation and "25 % de l'assiette éligible de 1 120 000 € HT" in deliberation
    # An empty project: nothing addressed to the app's user, the header says the document is a draft.
    for name in ("empty-diagnostic", "empty-projet_sante", "empty-compte-rendu-None", "empty-deliberation"):
        text = document_text(tmp_path / f"{name}.docx")
        assert "PROJET — document incomplet" in text, name
        assert "[" not in text and "santeloc" not in text.lower() and "étape" not in text.lower(), name
    health = document_text(tmp_path / "empty-projet_sante.docx")
    assert "Projet vide" in health and "Projet de soins" in health and "Signature" in health


def test_the_rich_project_shows_charts_tables_and_escapes_xml(
    uow: UnitOfWork, refdata: RefData, tmp_path: Path, user_folder: Path
) -> None:
    project_id = make_rich_project(uow, refdata)
    charts = ctx.ChartSet.load(uow, project_id, refdata)
    path = word.render_named(
        "diagnostic", ctx.diagnostic_context(uow, project_id, refdata, charts), tmp_path / "diagnostic.docx"
    )
    text = document_text(path)
    assert "Puisaye & Forterre" in text and "Renoncement aux soins dentaires <nord>" in text
    assert "Mortalité prématurée" in text and "significativement supérieur" in text
    assert len(Document(str(path)).inline_shapes) == 5  # map, pyramid, comparison, significance, official APL
    assert set(charts.rendered) == {"carte", "pyramide", "comparaison", "significativite", "apl_officielle:0"}
    ars = ctx.subvention_context(uow, project_id, "ARS", refdata, charts)
    assert ars["financeur"]["montant"].translate(SPACES) == "15 000 €"
    assert ars["financeur"]["lignes"][0]["taux_phrase"].translate(SPACES) == (
        "50 % de l'assiette éligible de 30 000 € HT"
    )
    deliberation = ctx.deliberation_context(uow, project_id, refdata, charts)
    rendered = word.render_named("deliberation", deliberation, tmp_path / "deliberation.docx")
    assert "Agence régionale de santé" in document_text(rendered)
    assert "ressources" not in charts.rendered  # the délibération prints no chart: none was drawn for it
    assert "3 professionnels exerçant sur le territoire" in text and "Médecins généralistes" in text
    assert "Centre hospitalier de Cosne" in text and "12 jours" in text and "8,5 %" in text
    assert "PROJET — document incomplet" in text  # no survey, no constat checked…: a draft, said so
    health = render("projet_sante", ctx.projet_sante_context(uow, project_id, refdata, charts), tmp_path / "ps.docx")
    text = document_text(health)
    assert "Claude Martin" in text and "Claude Petit" in text and "Claude Leroy" not in text  # members sign
    assert "Médecin généraliste" in text and "8 h – 20 h <samedi matin>" in text
    assert "Fiche action 1 : Accueil des internes" in text and "Internes accueillis par an" in text
    assert "4 (2027)" in text and "Dr Martin" in text
    signatures = Document(str(health)).tables[-1]
    assert [c.text for c in signatures.rows[0].cells] == ["Nom et prénom", "Profession", "Date", "Signature"]
    assert len(signatures.rows) == 3  # header and one row per member
    ((meeting_id, _title),) = ctx.list_meeting_ids(uow, project_id)
    minutes = ctx.compte_rendu_context(uow, project_id, meeting_id, refdata, charts)
    text = document_text(render("compte_rendu", minutes, tmp_path / "cr.docx"))
    assert "Comité de pilotage" in text and "4 mars 2026" in text and "Mairie" in text
    assert "Jean Dupuis" in text and "Point sur le projet" in text and "Calendrier" in text
    assert "Lancer l'enquête" in text and "Envoyer le questionnaire" in text and "01/04/2026" in text


# --- Excel ----------------------------------------------------------------------------------


def test_the_workbook_has_live_formulas_and_french_formats(uow: UnitOfWork, refdata: RefData, tmp_path: Path) -> None:
    project_id = make_rich_project(uow, refdata)
    data = ctx.load_project_data(uow, project_id, refdata)
    path = tmp_path / "plan.xlsx"
    layout = write_workbook(data, path, load_registry(uow, project_id, refdata))
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Plan de financement", "Indicateurs", "Échéancier", "Professionnels", "Actions"]
    professionals = workbook["Professionnels"]
    assert professionals.freeze_panes == "C5" and professionals["A4"].value == "Nom"
    assert [professionals.cell(row, 1).value for row in (5, 6, 7)] == ["Petit", "Martin", "Leroy"]
    assert professionals["E5"].value == "Saint-Amand-en-Puisaye" and professionals["H5"].number_format == "#,##0"
    assert professionals["C5"].value == "Infirmier ou infirmière"  # the registry lists by profession, then name
    actions = workbook["Actions"]
    assert actions.freeze_panes == "C5" and actions["B5"].value == "Accueil des internes"
    assert actions["J5"].value == "Internes accueillis par an" and (actions["L5"].value, actions["N5"].value) == (0, 4)
    assert actions["L5"].number_format == "#,##0.0"
    empty = create_project(uow, "Projet vide").id
    write_workbook(ctx.load_project_data(uow, empty, refdata), path, load_registry(uow, empty, refdata))
    assert load_workbook(path)["Actions"]["A5"].value == "Aucune fiche action."
    plan = workbook[PLAN_SHEET]
    assert plan.freeze_panes == "A7"

    def cell(key: str) -> Any:
        sheet, coordinate = layout.cells[key].split("!")
        return workbook[sheet][coordinate]

    assert str(cell("total_depenses").value).startswith("=")
    assert str(cell("total_ressources").value).startswith("=")
    assert cell("solde").value.startswith("=") and cell("total_ressources").number_format == '#,##0.00\\ "€"'
    assert cell("part_financeur:DDR").value.startswith("=") and cell("part_financeur:DDR").number_format == "0.00%"
    ars_line = next(r for r in data.plan.analysis.overall.resources if r.resource.funder_code == "ARS")
    assert cell(f"ressource:{ars_line.id}").value.startswith("=ROUND(")  # a rate of its base, live
    assert cell("emprunt_interets").value.startswith("=SUM(")
    assert workbook["Indicateurs"].freeze_panes == "C5"
    assert workbook.defined_names["TotalDepenses"].attr_text == f"'{PLAN_SHEET}'!{_absolute(layout, 'total_depenses')}"


def _absolute(layout: Any, key: str) -> str:
    coordinate = layout.cells[key].split("!")[1]
    column = "".join(c for c in coordinate if c.isalpha())
    return f"${column}${coordinate[len(column) :]}"


# --- LibreOffice ----------------------------------------------------------------------------


@pytest.fixture
def sqlite_uow(sqlite_database: Database) -> UnitOfWork:
    """One backend is enough for the slow LibreOffice tests."""
    return UnitOfWork(sqlite_database)


@pytest.mark.slow
def test_libreoffice_converts_the_whole_dossier_to_pdf(
    soffice: str, sqlite_uow: UnitOfWork, refdata: RefData, tmp_path: Path, user_folder: Path
) -> None:
    project_id = make_rich_project(sqlite_uow, refdata)
    folder = tmp_path / "dossier"
    folder.mkdir()
    steps: list[str] = []
    files = export_dossier(sqlite_uow, project_id, refdata, folder, set(ALL_DOCUMENTS), True,
                           lambda done, total, what: steps.append(what) or True)  # fmt: skip
    names = sorted(f.name for f in files)
    # Funders by their display names (the ARS's FIR); the historical grants, all paid, get no request.
    expected = ["deliberation", "demande-de-subvention-FIR", "diagnostic-local-de-sante", "plan-de-financement",
                "projet-de-sante"]  # fmt: skip
    (meeting,) = meetings.list_meetings(sqlite_uow, project_id)
    expected.append(f"compte-rendu-2026-03-04-{meeting.id}")
    suffix = {"plan-de-financement": ".xlsx"}
    assert names == sorted(
        ["dossier-complet.zip"] + [f"{n}.pdf" for n in expected] + [f"{n}{suffix.get(n, '.docx')}" for n in expected]
    )
    assert sorted(p.name for p in folder.iterdir()) == names  # no staging folder, no temporary file left
    for path in files:
        if path.suffix == ".pdf":
            assert path.read_bytes()[:5] == b"%PDF-" and path.stat().st_size > 10_000, path.name
    with zipfile.ZipFile(folder / "dossier-complet.zip") as archive:
        assert sorted(archive.namelist()) == [n for n in names if n != "dossier-complet.zip"]
    assert "Conversion en PDF (LibreOffice)" in steps and "Carte du territoire" in steps
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(folder / "diagnostic-local-de-sante.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout  # fmt: skip
        assert "Sommaire à mettre à jour" not in text  # LibreOffice filled the table of contents
        assert text.count("3. L'état de santé des habitants") == 2  # in the contents and as a heading
        assert "Page 1 sur" not in text and "Page 2 sur" in text  # no footer on the cover


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["demo", "rich", "empty"])
def test_formulas_recalculated_by_libreoffice_equal_the_apps_figures(
    soffice: str, sqlite_uow: UnitOfWork, refdata: RefData, tmp_path: Path, kind: str
) -> None:
    if kind == "rich":
        project_id = make_rich_project(sqlite_uow, refdata)
    elif kind == "demo":
        project_id = create_demo_project(sqlite_uow, refdata).id
    else:
        project_id = create_project(sqlite_uow, "Projet vide").id
    data = ctx.load_project_data(sqlite_uow, project_id, refdata)
    path = tmp_path / "plan.xlsx"
    layout = write_workbook(data, path)
    values = pdf.recalculate_xlsx(path)

    def value(key: str) -> Any:
        return values.get(layout.cells[key], 0)

    def euros(cents: int) -> Any:
        return pytest.approx(cents / 100, abs=0.001)

    analysis = data.plan.analysis
    overall = analysis.overall
    assert value("total_depenses") == euros(overall.expenses_cents)
    assert value("total_ressources") == euros(overall.resources_cents)
    assert value("solde") == euros(overall.balance_cents)
    assert value("financement_public") == euros(overall.public_funding_cents)
    assert value("participation") == euros(overall.owner_participation_cents)
    for stage in analysis.stages:
        if not stage.is_empty:
            assert value(f"solde:{stage.stage}") == euros(stage.balance_cents)
            assert value(f"ressources:{stage.stage}") == euros(stage.resources_cents)
    for share in overall.funders:
        assert value(f"financeur:{share.code}") == euros(share.amount_cents)
        exact = value(f"part_financeur:{share.code}") * 10_000
        assert round(exact) == rules.share_bp(share.amount_cents, overall.expenses_cents)
        assert share.share_bp is not None and abs(exact - share.share_bp) <= 1  # the app apportions to 100 %
    for result in overall.resources:
        assert value(f"ressource:{result.id}") == euros(result.amount_cents)
    investment = analysis.stage("investissement")
    if investment.owner_share_of_public_bp is not None:
        assert round(value("part_maitre_ouvrage_public") * 10_000) == investment.owner_share_of_public_bp
    if kind == "demo":
        assert value("total_depenses") == 1_370_000 and round(value("part_financeur:DETR") * 10_000) == 2044
    schedule = data.plan.schedule
    if schedule:
        assert value("emprunt_interets") == euros(sum(p.interest_cents for p in schedule))
        assert value("emprunt_total") == euros(sum(p.payment_cents for p in schedule))
        assert value("emprunt_restant_fin") == pytest.approx(0, abs=0.001)
    else:
        assert "emprunt_interets" not in layout.cells


@pytest.mark.slow
def test_plain_conversion_when_the_macro_cannot_run(
    soffice: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A LibreOffice without Python scripting still gives the PDF (with the placeholder contents)."""
    source = tmp_path / "modele.docx"
    shutil.copyfile(word.shipped_templates_dir() / word.TEMPLATE_FILES["deliberation"], source)
    monkeypatch.setattr(pdf, "_run_macro", lambda jobs, work, timeout: None)
    with pytest.raises(word.ExportError, match="n'existe pas"):
        pdf.convert_to_pdf([source], tmp_path / "pdf")
    (tmp_path / "pdf").mkdir()
    (result,) = pdf.convert_to_pdf([source], tmp_path / "pdf")
    assert result == tmp_path / "pdf" / "modele.pdf" and result.read_bytes()[:5] == b"%PDF-"


def test_without_libreoffice_pdf_export_says_so_and_writes_nothing(
    uow: UnitOfWork, refdata: RefData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(pdf.ENV_SOFFICE, str(tmp_path / "nulle-part" / "soffice"))
    project_id = create_demo_project(uow, refdata).id
    folder = tmp_path / "dossier"
    folder.mkdir()
    with pytest.raises(word.ExportError, match="LibreOffice est introuvable"):
        export_dossier(uow, project_id, refdata, folder, {"deliberation"}, True)
    with pytest.raises(word.ExportError, match="LibreOffice est introuvable"):
        pdf.recalculate_xlsx(tmp_path / "classeur.xlsx")
    assert list(folder.iterdir()) == []


# --- bad templates, bad folders, cancellation -----------------------------------------------


def _user_template(source_key: str, mutate: Any) -> Path:
    """Copy a shipped template into the user's folder and break it with ``mutate(document)``."""
    path = word.copy_template_for_user(word.TEMPLATE_FILES[source_key])
    document = Document(str(path))
    mutate(document)
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    ("tag", "explanation"),
    [
        ("{{ projet.nom|nope }}", "le filtre « nope » n'existe pas"),
        ("{%p if projet.nom %}", "n'est jamais fermée"),
        ("{{ projet.__class__ }}", "mode protégé"),
        ("{{ projet.inconnu }}", "le champ « inconnu » n'existe pas"),
        ("{{ territoire.carte.tpl }}", "mode protégé"),
    ],
)
def test_a_broken_user_template_is_reported_in_french_and_nothing_is_written(
    uow: UnitOfWork, refdata: RefData, tmp_path: Path, user_folder: Path, tag: str, explanation: str
) -> None:
    template = _user_template("diagnostic", lambda document: document.add_paragraph(tag))
    assert word.find_template("diagnostic.docx") == template  # the user's copy wins over the shipped one
    project_id = create_demo_project(uow, refdata).id
    context = ctx.diagnostic_context(uow, project_id, refdata)
    folder = tmp_path / "sortie"
    folder.mkdir()
    with pytest.raises(word.TemplateError) as caught:
        word.render_named("diagnostic", context, folder / "diagnostic.docx")
    message = str(caught.value)
    assert "Le modèle « diagnostic.docx » contient une erreur" in message
    assert explanation in message
    assert "corps du document" in message and "paragraphe n°" in message
    assert list(folder.iterdir()) == []


def test_a_broken_user_template_stops_the_dossier_and_leaves_nothing(
    uow: UnitOfWork, refdata: RefData, tmp_path: Path, user_folder: Path
) -> None:
    _user_template("deliberation", lambda document: document.sections[0].header.add_paragraph("{{ porteur.nom|nope }}"))
    project_id = create_demo_project(uow, refdata).id
    folder = tmp_path / "dossier"
    folder.mkdir()
    with pytest.raises(word.TemplateError, match=r"dans l'en-tête.*« nope »"):
        export_dossier(uow, project_id, refdata, folder, set(ALL_DOCUMENTS), False)
    assert list(folder.iterdir()) == []


def test_a_file_that_is_not_a_word_document_is_refused(tmp_path: Path, user_folder: Path) -> None:
    template = word.user_templates_dir() / "diagnostic.docx"
    template.parent.mkdir(parents=True)
    template.write_text("ceci n'est pas un document Word", encoding="utf-8")
    with pytest.raises(word.TemplateError, match="n'est pas un document Word"):
        word.render_named("diagnostic", {}, tmp_path / "x.docx")


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make a folder read-only, even for root (immutable attribute), or skip."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
        pytest.skip("impossible de rendre un dossier non inscriptible pour root ici (chattr)")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_read_only_folder_gives_a_french_error_and_no_file(
    uow: UnitOfWork, refdata: RefData, tmp_path: Path, user_folder: Path
) -> None:
    project_id = create_demo_project(uow, refdata).id
    folder = tmp_path / "protege"
    folder.mkdir()
    context = ctx.deliberation_context(uow, project_id, refdata)
    with read_only(folder):
        with pytest.raises(word.ExportError, match="est en lecture seule"):
            word.render_named("deliberation", context, folder / "deliberation.docx")
        with pytest.raises(word.ExportError, match="est en lecture seule"):
            export_dossier(uow, project_id, refdata, folder, {"deliberation", "classeur", "zip"}, False)
        assert list(folder.iterdir()) == []


def test_a_full_disk_gives_a_french_error_and_no_partial_file(
    uow: UnitOfWork, refdata: RefData, tmp_path: Path, user_folder: Path
) -> None:
    folder = tmp_path / "petit-disque"
    folder.mkdir()
    mounted = (
        os.geteuid() == 0
        and not subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True
        ).returncode
    )
    if not mounted:
        pytest.skip("pas de petit système de fichiers à remplir ici (il faut être root pour monter un tmpfs)")
    try:
        project_id = make_rich_project(uow, refdata)
        context = ctx.diagnostic_context(uow, project_id, refdata)
        with pytest.raises(word.ExportError, match="Le disque est plein"):
            word.render_named("diagnostic", context, folder / "diagnostic.docx")
        assert list(folder.iterdir()) == []
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_write_errors_are_translated(tmp_path: Path) -> None:
    destination = tmp_path / "plan.xlsx"
    for code, words in ((errno.ENOSPC, "disque est plein"), (errno.EROFS, "lecture seule"),
                        (errno.ENOENT, "n'existe pas")):  # fmt: skip

        def fail(_temporary: Path, code: int = code) -> None:
            raise OSError(code, os.strerror(code))

        with pytest.raises(word.ExportError, match=words):
            word.write_atomically(destination, fail)
    assert list(tmp_path.iterdir()) == []


def test_cancelling_leaves_nothing_behind(uow: UnitOfWork, refdata: RefData, tmp_path: Path, user_folder: Path) -> None:
    project_id = create_demo_project(uow, refdata).id
    folder = tmp_path / "dossier"
    folder.mkdir()
    (folder / "deja-la.txt").write_text("à garder", encoding="utf-8")
    seen: list[str] = []

    def progress(done: int, total: int, what: str) -> bool:
        seen.append(what)
        return len(seen) < 5  # cancel in the middle of the documents

    with pytest.raises(ExportCancelledError, match="aucun fichier"):
        export_dossier(uow, project_id, refdata, folder, set(ALL_DOCUMENTS), False, progress)
    assert [p.name for p in folder.iterdir()] == ["deja-la.txt"]
    assert len(seen) == 5


def test_the_dossier_without_pdf(uow: UnitOfWork, refdata: RefData, tmp_path: Path, user_folder: Path) -> None:
    project_id = create_demo_project(uow, refdata).id
    folder = tmp_path / "dossier"
    folder.mkdir()
    files = export_dossier(uow, project_id, refdata, folder, {"subventions", "classeur"}, False)
    assert [f.name for f in files] == [
        "demande-de-subvention-DETR.docx",
        "demande-de-subvention-DSIL.docx",
        "demande-de-subvention-Region.docx",
        "demande-de-subvention-FIR.docx",  # the Département's grant is granted: no request for it
        "plan-de-financement.xlsx",
    ]
    assert sorted(p.name for p in folder.iterdir()) == sorted(f.name for f in files)
    with pytest.raises(Exception, match="au moins un document"):
        export_dossier(uow, project_id, refdata, folder, {"zip"}, False)


def test_exporting_changes_nothing_in_the_database(uow: UnitOfWork, refdata: RefData, tmp_path: Path) -> None:
    project_id = create_demo_project(uow, refdata).id
    before = financing.list_plans(uow, project_id)
    with uow:
        funders = uow.session.execute(select(func.count()).select_from(Funder)).scalar_one()
    ctx.subvention_context(uow, project_id, "DETR", refdata)
    empty = create_project(uow, "Projet vide").id  # its plan has never been opened: no funder catalogue
    ctx.deliberation_context(uow, empty, refdata)
    assert financing.list_plans(uow, project_id) == before and financing.list_plans(uow, empty) == []
    with uow:
        assert uow.session.execute(select(func.count()).select_from(Funder)).scalar_one() == funders
