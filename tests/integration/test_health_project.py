"""Step 6 on a real database (SQLite and PostgreSQL): priorities, fiches action, projet de santé,
PRS coherence table and the readiness checklist."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from santeloc.domain.errors import ConflictError, ValidationError
from santeloc.domain.models import Action, ActionCommune, ActionIndicator, ActionMilestone, ActionPlanLink
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import financing as financing_svc
from santeloc.services import health_project as hp
from santeloc.services import indicators as indicators_svc
from santeloc.services import offer as offer_svc
from santeloc.services import projects as project_svc
from santeloc.services.coherence import coherence_table
from santeloc.services.demo import create_demo_project
from santeloc.services.territory import add_communes
from santeloc.workflow.readiness import readiness_checklist
from santeloc.workflow.steps import StepId

PDL = "pays_de_la_loire_srs_2023_2028"
NORMANDIE = "normandie_prs_2023_2028"
CRAON, CHATEAU_GONTIER = "53084", "53062"  # Mayenne, Pays de la Loire


def _tree(uow: UnitOfWork, project_id: int) -> int:
    """A priority and an objective; returns the objective's id."""
    priority = hp.add_priority(uow, project_id, "Garantir l'accès aux soins de premier recours")
    return hp.add_objective(uow, priority, "Maintenir des médecins généralistes sur le territoire")


@pytest.fixture
def pdl_project(uow: UnitOfWork, refdata: RefData) -> int:
    """A project in Mayenne (Pays de la Loire) with two communes."""
    project = project_svc.create_project(uow, "Pôle de santé du Craonnais", porteur_name="CC du Pays de Craon")
    add_communes(uow, project.id, [CRAON, CHATEAU_GONTIER], refdata=refdata)
    return project.id


# --- readiness checklist on the guide's 2005 project ----------------------------------------------


def saint_amand_2005(uow: UnitOfWork, refdata: RefData) -> project_svc.ProjectInfo:
    """The guide's maison de santé as the first demo held it: territory and 2005 plan, nothing else
    (the plan written directly, like a plan whose step 7 was never opened: no funder catalogue)."""
    from santeloc.domain.models import ExpenseLine, FinancingPlan, ResourceLine
    from santeloc.services.demo import DEMO_COMMUNES
    from santeloc.services.demo_data import HISTORICAL_RESOURCES, HISTORICAL_TOTAL_EUROS

    project = project_svc.create_project(uow, "Maison de santé de Saint-Amand-en-Puisaye (2005)",
                                         porteur_name="Communauté de communes de la Puisaye Nivernaise")  # fmt: skip
    add_communes(uow, project.id, DEMO_COMMUNES, refdata=refdata)
    with uow:
        plan = FinancingPlan(project_id=project.id, name="Plan de financement réalisé (2003-2005)")
        uow.session.add(plan)
        uow.flush()
        assert plan.id is not None
        uow.session.add(ExpenseLine(plan_id=plan.id, stage="investissement", category="travaux", label="Construction",
                                    amount_ht_cents=HISTORICAL_TOTAL_EUROS * 100, vat_rate_bp=0, year=2005))  # fmt: skip
        for position, (kind, code, label, euros) in enumerate(HISTORICAL_RESOURCES):
            uow.session.add(ResourceLine(plan_id=plan.id, kind=kind.value, funder_code=code, label=label,
                                         stage="investissement", amount_cents=euros * 100, status="verse",
                                         position=position))  # fmt: skip
        uow.commit()
    return project_svc.get_project(uow, project.id)


def _complete_the_demo(uow: UnitOfWork, refdata: RefData, project_id: int) -> dict[str, int]:
    """What a team would enter in steps 5 and 6 for the guide's maison de santé."""
    ids = {}
    for name, profession, status in (
        ("Dr Martin", "medecin_generaliste", "signataire"),
        ("Dr Durand", "medecin_generaliste", "signataire"),
        ("Mme Petit", "infirmier", "lettre_intention"),
        ("M. Leroy", "pharmacien", "interesse"),  # met, not a member: does not have to sign
    ):
        ids[name] = offer_svc.add_professional(
            uow, project_id, refdata, last_name=name, profession=profession, commune_code="58227",
            birth_year=1965, commitment_status=status,
        )  # fmt: skip
    hp.set_sections(
        uow,
        project_id,
        {
            "soins.acces_horaires": "Ouverture du lundi au vendredi de 8 h à 20 h, le samedi de 8 h à 12 h.",
            "soins.non_programmes": "Une plage sans rendez-vous chaque jour, tenue à tour de rôle.",
            "pro.coordination": "Une coordinatrice salariée de la SISA, 0,5 ETP.",
            "pro.stagiaires": "Deux maîtres de stage ; un studio pour l'interne.",
            "pro.systeme_information": "Logiciel partagé labellisé, messagerie sécurisée de santé.",
            "aci.ouverture_semaine": "oui",
            "aci.ouverture_samedi": "non",
            "aci.soins_non_programmes": "oui",
            "aci.coordination": "oui",
            "aci.systeme_information": "oui",
        },
    )
    objective = _tree(uow, project_id)
    hp.add_action(
        uow,
        objective,
        hp.ActionDraft(
            title="Programme de prévention des maladies cardiovasculaires",
            objective="Réduire la mortalité cardiovasculaire prématurée du canton",
            pilot="Dr Martin",
            plan_links=(hp.PlanLinkRef(PDL, "OS1-OO1"),),  # Nièvre is not in Pays de la Loire
        ),
        refdata,
    )
    return ids


def test_readiness_checklist_of_the_demo_project(uow: UnitOfWork, refdata: RefData) -> None:
    demo = saint_amand_2005(uow, refdata)
    checklist = readiness_checklist(uow, demo.id, refdata)
    assert [i.key for i in checklist.ars] == [
        "projet_signe",
        "equipe_minimale",
        "coherence_prs",
        "horaires_soins_non_programmes",
        "coordination",
        "maitrise_stage",
        "systeme_information",
        "actions_prevention",
        "plan_financement",
    ]
    assert [i.key for i in checklist.aci] == [
        "aci_horaires",
        "aci_soins_non_programmes",
        "aci_coordination",
        "aci_systeme_information",
    ]
    # The guide only gives the demo's financing: that item alone is met.
    assert [i.key for i in checklist.items if i.met] == ["plan_financement"]
    financing = checklist.item("plan_financement")
    assert financing.step is StepId.FINANCEMENT
    assert "795\u202f305\u00a0€" in financing.detail and "tous les financeurs identifiés" in financing.detail
    assert checklist.item("projet_signe").step is StepId.PROFESSIONNELS
    assert "Aucune fiche action" in checklist.item("coherence_prs").detail
    assert checklist.item("coordination").where.endswith("Projet professionnel › Fonction de coordination")
    assert "sans réponse" in checklist.item("aci_horaires").detail
    assert checklist.summary() == (
        "Attendus de l'ARS : 1 sur 9 remplis ; socle de l'accord conventionnel interprofessionnel : 0 sur 4."
    )
    # The check reads only: no funder catalogue was seeded, no section written.
    assert financing_svc.load_plan(uow, financing_svc.list_plans(uow, demo.id)[0].id).funders == ()
    assert not any(hp.get_sections(uow, demo.id).values())

    ids = _complete_the_demo(uow, refdata, demo.id)
    checklist = readiness_checklist(uow, demo.id, refdata)
    met = {i.key for i in checklist.items if i.met}
    assert met == {
        "equipe_minimale",
        "horaires_soins_non_programmes",
        "coordination",
        "maitrise_stage",
        "systeme_information",
        "actions_prevention",
        "plan_financement",
        "aci_soins_non_programmes",
        "aci_coordination",
        "aci_systeme_information",
    }
    signed = checklist.item("projet_signe")
    assert signed.detail == (
        "2 signataire(s) sur 3 membres de l'équipe ; pas encore signé : Mme Petit (infirmier ou infirmière)."
    )
    # The demo is in Nièvre (Bourgogne-Franche-Comté): its link to the Pays de la Loire plan does not count.
    coherence = checklist.item("coherence_prs")
    assert "« Programme de prévention des maladies cardiovasculaires »" in coherence.detail
    assert "cite un plan d'une autre région" in coherence.detail.replace("citent", "cite")
    assert checklist.item("aci_horaires").detail.startswith(
        "Critère non rempli : non pour « Ouverture le samedi matin »"
    )

    # Fix what is missing: the nurse signs, the action is justified, the Saturday opening is decided.
    offer_svc.update_professional(uow, ids["Mme Petit"], None, refdata, commitment_status="signataire")
    sheet = hp.list_actions(uow, demo.id, refdata)[0]
    hp.update_action(
        uow,
        sheet.id,
        replace(sheet.draft, plan_justification="Aucun plan régional de Bourgogne-Franche-Comté n'est encore chargé."),
        sheet.version,
        refdata=refdata,
    )
    hp.set_section(uow, demo.id, "aci.ouverture_samedi", "oui")
    checklist = readiness_checklist(uow, demo.id, refdata)
    assert checklist.ars_ready and checklist.aci_ready, [i.detail for i in checklist.missing]
    assert checklist.item("projet_signe").detail == "Les 3 membres de l'équipe ont signé le projet de santé."

    # An unbalanced stage, or a grant without funder, shows at once.
    plan_id = financing_svc.list_plans(uow, demo.id)[0].id
    financing_svc.add_expense(
        uow, plan_id, stage="fonctionnement", category="coordination", label="Coordinatrice", amount_ht_cents=3_000_000
    )
    financing_svc.add_resource(
        uow, plan_id, kind="subvention", funder_code="", label="Subvention promise", stage="fonctionnement",
        amount_cents=2_000_000,
    )  # fmt: skip
    financing = readiness_checklist(uow, demo.id, refdata).item("plan_financement")
    assert not financing.met
    assert "fonctionnement : il manque 10\u202f000\u00a0€" in financing.detail
    assert "subvention(s) sans financeur identifié : « Subvention promise »" in financing.detail


# --- PRS coherence table ------------------------------------------------------------------------------


def test_coherence_table_on_the_pays_de_la_loire_plan(uow: UnitOfWork, refdata: RefData, pdl_project: int) -> None:
    objective = _tree(uow, pdl_project)

    def action(title: str, *codes: tuple[str, str], justification: str = "") -> int:
        links = tuple(hp.PlanLinkRef(pack, code) for pack, code in codes)
        draft = hp.ActionDraft(title=title, pilot="Coordinatrice", plan_links=links, plan_justification=justification)
        return hp.add_action(uow, objective, draft, refdata).id

    msp = action("Maison de santé de Craon", (PDL, "OS4-OO1"))
    installation = action("Accueil des internes", (PDL, "OS4-OO1-2"))  # a sub-objective of OS4-OO1
    prevention = action("Ateliers nutrition", (PDL, "OS1-OO1"), (PDL, "OS4-OO1"))
    general = action("Communication", (PDL, "OS4"))  # an orientation only: too general
    lost = action("Transport solidaire", (NORMANDIE, "AX2"))  # another région's plan
    justified = action("Jardin partagé", justification="Demande des habitants lors de l'atelier du 12 mars.")

    hp.choose_plan_pack(uow, pdl_project, PDL, refdata)
    table = coherence_table(uow, pdl_project, refdata=refdata)
    assert table.pack is not None and table.pack.key == PDL
    assert table.level_label == "Objectif opérationnel"
    assert len(table.objectives) == 19 and table.objectives[0].code == "OS1-OO1"
    os4 = next(row for row in table.objectives if row.code == "OS4-OO1")
    assert os4.title == "Améliorer l’accès aux soins de premier recours" and os4.parent_code == "OS4"

    assert [a.action_id for a in table.actions] == [msp, installation, prevention, general, lost, justified]
    assert table.covers(msp, "OS4-OO1") and table.covers(installation, "OS4-OO1")
    assert not table.covers(installation, "OS4-OO2")
    by_id = {a.action_id: a for a in table.actions}
    assert by_id[prevention].codes == ("OS1-OO1", "OS4-OO1")
    assert by_id[installation].linked_codes == ("OS4-OO1-2",)
    assert by_id[general].codes == () and by_id[general].general_codes == ("OS4",)
    assert by_id[lost].other_links == (f"{NORMANDIE} : AX2",)
    assert {a.action_id for a in table.actions_for("OS4-OO1")} == {msp, installation, prevention}

    uncovered = [row.code for row in table.uncovered]
    assert "OS4-OO1" not in uncovered and "OS1-OO1" not in uncovered
    assert "OS4-OO3" in uncovered and len(uncovered) == 17
    assert [a.action_id for a in table.too_general] == [general]  # in the plan, but in no column
    assert [a.action_id for a in table.outside_plan] == [lost, justified]
    assert [a.action_id for a in table.unjustified] == [lost]
    matrix = table.matrix()
    assert len(matrix) == 6 and all(len(row) == 19 for row in matrix)
    assert sum(map(sum, matrix)) == 4
    assert table.summary() == (
        "Plan « Schéma régional de santé 2023-2028 — Pays de la Loire » : 2 objectif opérationnel(s) sur 19 "
        "couvert(s) par au moins une action, 17 sans action. 1 action reliée(s) seulement à un niveau plus général "
        "que l'objectif opérationnel. 2 actions hors du plan, dont 1 sans justification."
    )

    # The readiness checklist reflects it: the fiche citing only Normandie is neither in the plan nor justified.
    coherence = readiness_checklist(uow, pdl_project, refdata).item("coherence_prs")
    assert not coherence.met
    assert coherence.detail == (
        "1 fiche(s) action sur 6 ne sont reliées à aucun objectif du plan de votre région et ne sont pas "
        "justifiées : « Transport solidaire ». 1 fiche(s) citent un plan d'une autre région : ces liens ne comptent pas."
    )
    general_sheet = next(s for s in hp.list_actions(uow, pdl_project, refdata) if s.id == general)
    assert [f.code for f in general_sheet.findings if f.field == "plan_links"] == [hp.F_GENERAL_LINK]

    # Another pack of the same région can be compared; a plan of another région cannot be chosen.
    with pytest.raises(ValidationError) as refused:
        hp.choose_plan_pack(uow, pdl_project, NORMANDIE, refdata)
    assert refused.value.message == (
        "Le plan « Projet régional de santé 2023-2028 — Normandie » concerne la région Normandie, alors que le "
        "territoire du projet est en région Pays de la Loire : choisissez un plan de votre région."
    )
    assert project_svc.get_project(uow, pdl_project).plan_pack_key == PDL
    other = coherence_table(uow, pdl_project, pack_key=NORMANDIE, refdata=refdata)
    assert [a.codes for a in other.actions if a.action_id == lost] == [("AX2",)]
    assert [p.key for p in hp.available_packs(uow, pdl_project, refdata)] == [PDL]


# --- bad input: findings, drafts still saved ----------------------------------------------------------


def test_bad_fiches_are_saved_with_precise_findings(uow: UnitOfWork, refdata: RefData, pdl_project: int) -> None:
    objective = _tree(uow, pdl_project)
    draft = hp.ActionDraft(
        title="Télésurveillance des insuffisants cardiaques",
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 3, 1),
        indicators=(hp.IndicatorDraft("Patients télésurveillés", "nombre", 4, 2027, 40, 2025, "CPAM"),),
        plan_links=(hp.PlanLinkRef(NORMANDIE, "AX2"),),
    )
    sheet = hp.add_action(uow, objective, draft, refdata)
    messages = {f.code: f.message for f in sheet.alerts}
    name = "La fiche action « Télésurveillance des insuffisants cardiaques »"
    assert messages == {
        hp.F_NO_PILOT: f"{name} n'a pas de pilote : indiquez la personne ou la structure qui la conduit et en rend compte.",
        hp.F_NO_OBJECTIVE: f"{name} n'a pas d'objectif : écrivez ce que l'action doit changer pour les habitants ou "
        "les professionnels (champ « Objectif de l'action »).",
        hp.F_END_BEFORE_START: f"{name} se termine le 01/03/2026, avant son début le 01/09/2026 : corrigez la date "
        "de début ou la date de fin.",
        hp.F_TARGET_BEFORE_BASELINE: f"{name}, indicateur « Patients télésurveillés » : l'année de la cible (2025) "
        "précède celle de la valeur de référence (2027) ; la cible doit être datée après la référence.",
        hp.F_OTHER_REGION: f"{name} est reliée à l'objectif « AX2 » du plan « Projet régional de santé 2023-2028 — "
        "Normandie » (région Normandie), alors que le territoire du projet est en région Pays de la Loire : ce lien "
        "ne montre pas la cohérence avec le projet régional de santé de votre région. Reliez-la à un objectif du "
        "plan de votre région.",
        hp.F_OUTSIDE_PLAN: f"{name} n'est reliée à aucun objectif du projet régional de santé de votre région et ne "
        "donne pas de justification : reliez-la à un objectif du plan ou expliquez pourquoi elle en sort (champ "
        "« Justification hors plan régional »).",
    }
    fields = {f.code: f.field for f in sheet.findings}
    assert fields[hp.F_NO_PILOT] == "pilot" and fields[hp.F_TARGET_BEFORE_BASELINE] == "indicators"
    assert all(f.action_id == sheet.id for f in sheet.findings)

    # The draft is stored as typed, bad dates, bad years and foreign link included.
    again = hp.get_action(uow, sheet.id, refdata)
    assert again.draft == replace(draft, status="brouillon")
    with uow:
        assert uow.session.execute(select(ActionPlanLink.objective_code)).scalars().all() == ["AX2"]
        assert uow.session.execute(select(ActionIndicator.target_year)).scalars().all() == [2025]
    assert [f.code for f in hp.project_findings(uow, pdl_project, refdata)][:6] == [f.code for f in sheet.alerts]

    # Fixed, the alerts go away; the version moves even when only an indicator changes.
    fixed = hp.update_action(
        uow,
        sheet.id,
        replace(
            again.draft,
            pilot="Dr Lemoine",
            objective="Éviter les hospitalisations pour décompensation",
            ends_on=date(2027, 9, 1),
            plan_links=(hp.PlanLinkRef(PDL, "OS5-OO1-2"),),
        ),
        again.version,
        refdata=refdata,
    )
    assert [f.code for f in fixed.alerts] == [hp.F_TARGET_BEFORE_BASELINE]
    indicator = replace(fixed.draft.indicators[0], baseline_year=2025, target_year=2027)
    final = hp.update_action(uow, sheet.id, replace(fixed.draft, indicators=(indicator,)), fixed.version)
    assert final.version == fixed.version + 1 and not final.alerts
    with pytest.raises(ConflictError, match="a été modifiée par quelqu'un d'autre"):
        hp.update_action(uow, sheet.id, final.draft, fixed.version)


def test_input_that_cannot_be_stored_is_refused_and_nothing_is_saved(
    uow: UnitOfWork, refdata: RefData, pdl_project: int
) -> None:
    objective = _tree(uow, pdl_project)
    cases = [
        (hp.ActionDraft(title="  "), "Donnez un intitulé de la fiche action."),
        (hp.ActionDraft(title="A", status="fini"), "Statut de fiche action inconnu : « fini »"),
        (hp.ActionDraft(title="A", budget_cents=-1), "Le budget de la fiche action ne peut pas être négatif."),
        (hp.ActionDraft(title="A", communes=("5308",)), "Code INSEE invalide : « 5308 »"),
        (
            hp.ActionDraft(title="A", communes=("99999",)),
            "Code INSEE inconnu dans le territoire de l'action : « 99999 »",
        ),
        (
            hp.ActionDraft(title="A", plan_links=(hp.PlanLinkRef(PDL, "OS9-OO9"),)),
            "L'objectif « OS9-OO9 » n'existe pas dans le plan « Schéma régional de santé 2023-2028 — Pays de la Loire ».",
        ),
        (
            hp.ActionDraft(title="A", plan_links=(hp.PlanLinkRef("atlantide", "X"),)),
            "Plan régional inconnu : « atlantide »",
        ),
        (
            hp.ActionDraft(title="A", indicators=(hp.IndicatorDraft("Taux", "%", 1, 20255),)),
            "Indicateur « Taux » : l'année de référence 20255 n'est pas plausible (entre 1950 et 2100).",
        ),
        (hp.ActionDraft(title="A", indicators=(hp.IndicatorDraft("", "%", 3),)), "n'a pas de libellé"),
        (hp.ActionDraft(title="A", constat_ids=(987654,)), "Un des constats reliés à la fiche action n'existe plus"),
    ]
    for draft, message in cases:
        with pytest.raises(ValidationError) as error:
            hp.add_action(uow, objective, draft, refdata)
        assert message in error.value.message
    with uow:
        assert uow.session.execute(select(Action)).scalars().all() == []


# --- fiche contents, levers, priorities ----------------------------------------------------------------


def test_a_complete_fiche_and_its_stored_formats(uow: UnitOfWork, refdata: RefData, pdl_project: int) -> None:
    constat = indicators_svc.add_constat(uow, pdl_project, "Trois généralistes sur cinq partiront d'ici 5 ans")
    objective = _tree(uow, pdl_project)
    draft = hp.ActionDraft(
        title="Maison de santé pluriprofessionnelle de Craon",
        objective="Regrouper les professionnels de premier recours dans des locaux adaptés",
        description="Construction d'un bâtiment de 600 m² près de la pharmacie.\nDeux studios pour les internes.",
        target_public="Habitants du Craonnais",
        pilot="Communauté de communes du Pays de Craon",
        partners=(hp.Partner("ARS", "validation du projet de santé"), hp.Partner("SISA du Craonnais", "")),
        communes=(CRAON, CHATEAU_GONTIER, CRAON),
        starts_on=date(2026, 1, 1),
        ends_on=date(2028, 12, 31),
        milestones=(
            hp.Milestone(date(2027, 6, 1), "Pose de la première pierre"),
            hp.Milestone(date(2026, 3, 15), "Choix de l'architecte"),
        ),
        status="prevue",
        budget_cents=150_000_000,
        constat_ids=(constat,),
        plan_links=(hp.PlanLinkRef(PDL, "OS4-OO1-1"),),
        indicators=(hp.IndicatorDraft("Médecins généralistes installés", "nombre", 5, 2025, 7, 2029, "RPPS"),),
    )
    sheet = hp.add_action(uow, objective, draft, refdata)
    assert sheet.draft.communes == (CRAON, CHATEAU_GONTIER)
    assert [m.label for m in sheet.draft.milestones] == ["Choix de l'architecte", "Pose de la première pierre"]
    assert sheet.draft.partners == draft.partners and sheet.status_label == "Prévue"
    assert sheet.findings == ()
    assert sheet.priority_title == "Garantir l'accès aux soins de premier recours"
    with uow:
        row = uow.session.get(Action, sheet.id)
        assert row is not None
        assert row.partners == "ARS — validation du projet de santé\nSISA du Craonnais"
        assert row.objective == "Regrouper les professionnels de premier recours dans des locaux adaptés"
        assert row.description == (
            "Construction d'un bâtiment de 600 m² près de la pharmacie.\nDeux studios pour les internes."
        )
        places = uow.session.execute(
            select(ActionCommune.commune_code)
            .where(ActionCommune.action_id == sheet.id)
            .order_by(ActionCommune.position)
        ).scalars()
        assert list(places) == [CRAON, CHATEAU_GONTIER]
        steps = uow.session.execute(select(ActionMilestone).where(ActionMilestone.action_id == sheet.id)).scalars()
        assert sorted((m.due_on, m.label) for m in steps) == [
            (date(2026, 3, 15), "Choix de l'architecte"),
            (date(2027, 6, 1), "Pose de la première pierre"),
        ]
    # Deleting the constat unlinks it; deleting the priority takes its objectives and fiches along.
    indicators_svc.delete_constat(uow, constat)
    assert hp.get_action(uow, sheet.id, refdata).draft.constat_ids == ()
    priority = hp.list_priorities(uow, pdl_project)[0]
    assert priority.objectives[0].action_count == 1
    hp.delete_priority(uow, priority.id)
    assert hp.list_actions(uow, pdl_project, refdata) == [] and hp.list_priorities(uow, pdl_project) == []


def test_an_action_from_a_lever_of_the_guide(uow: UnitOfWork, refdata: RefData, pdl_project: int) -> None:
    objective = _tree(uow, pdl_project)
    sheet = hp.add_action_from_lever(
        uow, objective, "maison_medicale_garde", starts_on=date(2026, 1, 31), link_suggested=True, refdata=refdata
    )
    assert sheet.title == "Maison médicale de garde"
    assert sheet.draft.ends_on == date(2028, 1, 31)  # 24 months
    assert sheet.draft.partners[1] == hp.Partner("SAMU - centre 15", "régulation des appels")
    assert sheet.draft.indicators[0].label == "Nombre de consultations de garde par an"
    assert sheet.draft.plan_links[0] == hp.PlanLinkRef(PDL, "OS4-OO3")  # soins non programmés
    assert [f.code for f in sheet.alerts] == [hp.F_NO_PILOT]  # the rest is prefilled
    plain = hp.add_action_from_lever(uow, objective, "transport_soins", refdata=refdata)
    assert plain.draft.plan_links == () and plain.draft.starts_on is None and plain.has(hp.F_OUTSIDE_PLAN)
    with pytest.raises(ValidationError, match="Levier inconnu"):
        hp.add_action_from_lever(uow, objective, "teleportation", refdata=refdata)


def test_priorities_from_constats_and_a_workshop_vote(uow: UnitOfWork, pdl_project: int) -> None:
    first = indicators_svc.add_constat(uow, pdl_project, "Mortalité prématurée élevée", "Indice 128")
    second = indicators_svc.add_constat(uow, pdl_project, "Départs de médecins à 5 ans")
    created = hp.add_priorities_from_constats(uow, pdl_project, [first, second, first])
    assert len(created) == 2
    assert hp.add_priorities_from_constats(uow, pdl_project, [first]) == []  # already a priority
    free = hp.add_priority(uow, pdl_project, "Santé des jeunes")
    rows = hp.list_priorities(uow, pdl_project)
    assert [r.title for r in rows] == ["Mortalité prématurée élevée", "Départs de médecins à 5 ans", "Santé des jeunes"]
    assert rows[0].description == "Indice 128"

    scores = hp.tally_points([{created[1]: 3, free: 2}, {created[1]: 2, created[0]: 1}])
    assert scores == {created[1]: 5.0, free: 2.0, created[0]: 1.0}
    ranks = hp.tally_ranks([[free, created[1]], [created[1], free, created[0]]], [*created, free])
    assert ranks == {created[0]: 1.0, created[1]: 5.0, free: 5.0}
    rows = hp.apply_vote(uow, pdl_project, scores)
    assert [(r.id, r.score) for r in rows] == [(created[1], 5.0), (free, 2.0), (created[0], 1.0)]
    with pytest.raises(ValidationError, match="des points négatifs"):
        hp.tally_points([{free: -1}])
    with pytest.raises(ValidationError, match="une priorité y figure deux fois"):
        hp.tally_ranks([[free, free]], [free])

    hp.reorder_priorities(uow, pdl_project, [created[0], created[1], free])
    assert [r.id for r in hp.list_priorities(uow, pdl_project)] == [created[0], created[1], free]
    with pytest.raises(ConflictError, match="rien n'a été réordonné"):
        hp.reorder_priorities(uow, pdl_project, [created[0], free])
    with pytest.raises(ValidationError, match="Donnez un intitulé de la priorité"):
        hp.add_priority(uow, pdl_project, " ")


# --- projet de santé ---------------------------------------------------------------------------------


def test_sections_structured_fields_and_concurrent_edits(uow: UnitOfWork, pdl_project: int) -> None:
    keys = [s.key for s in hp.SECTIONS]
    assert len(keys) == len(set(keys)) and {s.part for s in hp.SECTIONS} == set(hp.PART_LABELS)
    assert all(s.guidance for s in hp.SECTIONS)
    stored = hp.set_sections(
        uow,
        pdl_project,
        {
            "identification.siret": "732 829 320 00074",
            "identification.finess": "530012345",
            "identification.forme_juridique": "sisa",
            "identification.date_ouverture": "1/9/2027",
            "aci.coordination": "Oui",
        },
    )
    assert stored["identification.siret"] == "73282932000074"
    assert stored["identification.date_ouverture"] == "01/09/2027" and stored["aci.coordination"] == "oui"
    sections = hp.get_sections(uow, pdl_project)
    assert sections["identification.forme_juridique"] == "sisa" and sections["pro.coordination"] == ""
    for key, value, message in (
        ("identification.siret", "73282932000075", "sa clé de contrôle ne correspond pas"),
        ("identification.finess", "53001", "il compte 9 caractères"),
        ("identification.forme_juridique", "sarl", "valeur « sarl » inconnue"),
        ("identification.date_ouverture", "31/02/2027", "n'est pas une date au format JJ/MM/AAAA"),
        ("aci.ouverture_samedi", "peut-être", "répondez « oui » ou « non »"),
    ):
        with pytest.raises(ValidationError, match=message):
            hp.set_section(uow, pdl_project, key, value)
    assert hp.get_sections(uow, pdl_project) == sections

    hp.set_section(uow, pdl_project, "pro.coordination", "Texte de Claire", expected="")
    with pytest.raises(ConflictError, match="« Fonction de coordination » a été modifiée"):
        hp.set_section(uow, pdl_project, "pro.coordination", "Texte de Paul", expected="")
    assert hp.get_sections(uow, pdl_project)["pro.coordination"] == "Texte de Claire"
    assert hp.default_sections(uow, pdl_project) == {
        "identification.nom": "Pôle de santé du Craonnais",
        "identification.sites": "mono_site",
    }


def test_diagnostic_prealable_from_steps_1_to_3(uow: UnitOfWork, refdata: RefData) -> None:
    demo = saint_amand_2005(uow, refdata)
    indicator = indicators_svc.add_custom(uow, demo.id, "Mortalité prématurée", "mortalite_prematuree", "indice")
    indicators_svc.update_indicator(
        uow, indicator, None, observed=60.0, expected=40.0, year=2019, source="Inserm-CépiDc"
    )
    indicators_svc.add_constat(uow, demo.id, "Accidentologie supérieure au département", "Routes départementales")
    this_year = date.today().year
    for name, profession, age in (
        ("A", "medecin_generaliste", 64),
        ("B", "medecin_generaliste", 45),
        ("C", "infirmier", 30),
    ):
        offer_svc.add_professional(
            uow,
            demo.id,
            refdata,
            last_name=name,
            profession=profession,
            commune_code="58227",
            birth_year=this_year - age,
        )
    offer_svc.set_measure(uow, demo.id, "delai_rdv_generaliste", 12)
    text = hp.diagnostic_summary(uow, demo.id, refdata)
    assert text.startswith("Le territoire du projet réunit 6 communes et ")
    assert "département de référence : Nièvre (58), région Bourgogne-Franche-Comté." in text
    assert "– Mortalité prématurée : Indice comparatif de 150,0" in text and "(source : Inserm-CépiDc, 2019)" in text
    assert "– Accidentologie supérieure au département (Routes départementales)" in text
    assert "Offre de soins : 3 professionnels de santé exercent sur le territoire :" in text
    assert "– Médecins généralistes : 2, soit " in text and "1 départ prévisible d'ici 5\u202fans" in text
    assert "Délai moyen pour un rendez-vous chez un médecin généraliste : 12,0 jours" in text
    written = hp.draft_diagnostic_section(uow, demo.id, refdata)
    assert written == text
    hp.set_section(uow, demo.id, "diagnostic.prealable", "Texte retravaillé.")
    assert hp.draft_diagnostic_section(uow, demo.id, refdata) == "Texte retravaillé."  # never overwritten silently

    team = hp.list_team(uow, demo.id)
    assert team == []  # nobody committed yet
    assert len(hp.list_team(uow, demo.id, members_only=False)) == 3


def test_the_demo_meets_every_expectation_of_the_ars(uow: UnitOfWork, refdata: RefData) -> None:
    demo = create_demo_project(uow, refdata)
    checklist = readiness_checklist(uow, demo.id, refdata)
    assert checklist.ars_ready and checklist.aci_ready, [i.detail for i in checklist.missing]
