"""Financing plan (step 7): balance, shares, funder rules, CGCT L1111-10, loan, rent, scenarios."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from santeloc.domain.errors import ValidationError
from santeloc.domain.financing import (
    F_CEILING_EXCEEDED,
    F_INVALID_RESOURCE,
    F_MINIMUM_PARTICIPATION,
    F_MINIMUM_PARTICIPATION_OK,
    F_MISSING_BASE,
    F_NO_BASE,
    F_NO_EXPENSE,
    F_NOT_ELIGIBLE,
    F_RATE_EXCEEDED,
    F_REFUSED,
    F_UNBALANCED,
    F_UNKNOWN_FUNDER,
    STAGES,
    Expense,
    Finding,
    FunderRule,
    Occupant,
    Plan,
    PlanAnalysis,
    Resource,
    analyse,
    apportion,
    code_list_text,
    compare_plans,
    default_funders,
    format_bp,
    ht_from_ttc_cents,
    loan_schedule,
    parse_code_list,
    rent_plan,
    share_bp,
    ttc_from_ht_cents,
    validate_expense,
    validate_funder,
    validate_resource,
    yearly_payments,
)
from santeloc.domain.formatting import NBSP, NNBSP

INV = "investissement"
ING = "ingenierie"
FONC = "fonctionnement"


def plain(text: str) -> str:
    """Messages use narrow / no-break spaces (1 234 €, 20 %): compare with plain spaces."""
    return text.replace(NNBSP, " ").replace(NBSP, " ")


def euros(amount: int) -> int:
    return amount * 100


def codes(analysis: PlanAnalysis) -> list[str]:
    return [finding.code for finding in analysis.findings]


def only(analysis: PlanAnalysis, code: str) -> Finding:
    matches = [finding for finding in analysis.findings if finding.code == code]
    assert len(matches) == 1, analysis.findings
    return matches[0]


def grant(
    rid: int,
    funder: str,
    amount: int | None = None,
    *,
    rate_bp: int | None = None,
    stage: str = INV,
    base: frozenset[int] = frozenset(),
    label: str | None = None,
    status: str = "a_solliciter",
) -> Resource:
    return Resource(rid, "subvention", funder, label or funder, stage, amount, rate_bp, base, status)


# --- The guide's worked example: Saint-Amand-en-Puisaye (Nièvre), 2005 ----------------------

SAINT_AMAND = Plan(
    expenses=[Expense(1, INV, "travaux", "Construction de la maison de santé", euros(795_305), 0, 2005)],
    resources=[
        Resource(1, "emprunt", "EMPRUNT", "Emprunt de la communauté de communes", INV, euros(240_943)),
        grant(2, "DDR", euros(324_547)),
        grant(3, "FNADT", euros(50_000)),
        grant(4, "DEPARTEMENT", euros(121_959), label="Conseil général de la Nièvre"),
        grant(5, "ADEME", euros(57_856), label="ADEME (chaufferie bois)"),
    ],
    funders=default_funders(),
    maitre_ouvrage_is_public=True,
    maitre_ouvrage_name="la communauté de communes",
)


def test_saint_amand_is_balanced_and_each_share_matches_the_hand_calculation() -> None:
    analysis = analyse(SAINT_AMAND)
    inv = analysis.stage(INV)
    assert inv.expenses_ht_cents == euros(795_305)
    assert inv.resources_cents == euros(240_943 + 324_547 + 50_000 + 121_959 + 57_856) == euros(795_305)
    assert inv.balance_cents == 0 and analysis.is_balanced
    assert analysis.overall.balance_cents == 0

    # Hand calculation, shares of 795 305 € rounded half up to 0,01 %:
    #   DDR    324 547 / 795 305 = 0,408079 → 40,81 %
    #   FNADT   50 000 / 795 305 = 0,062869 →  6,29 %
    #   CG     121 959 / 795 305 = 0,153349 → 15,33 %
    #   ADEME   57 856 / 795 305 = 0,072747 →  7,27 %
    #   loan   240 943 / 795 305 = 0,302957 → 30,30 %
    #   total                                 100,00 %
    shares = {funder.code: funder.share_bp for funder in inv.funders}
    assert shares == {"DDR": 4081, "FNADT": 629, "DEPARTEMENT": 1533, "ADEME": 727, "EMPRUNT": 3030}
    assert sum(value or 0 for value in shares.values()) == 10_000
    assert plain(format_bp(4081)) == "40,81 %"
    assert [r.share_of_stage_bp for r in inv.resources] == [3030, 4081, 629, 1533, 727]
    ddr = analysis.overall.funder("DDR")
    assert ddr is not None and ddr.share_bp == ddr.share_of_overall_bp == 4081

    # Public funding: DDR + FNADT + CG + ADEME = 554 362 €, i.e. 554 362 / 795 305 = 69,70 %.
    assert inv.public_funding_cents == euros(324_547 + 50_000 + 121_959 + 57_856) == euros(554_362)
    assert inv.public_funding_share_bp == 6970
    # The maître d'ouvrage's participation is the loan: 240 943 €.
    assert inv.owner_participation_cents == inv.loans_cents == euros(240_943)
    assert inv.self_funding_cents == 0 and inv.private_funding_cents == 0
    # Against the grants alone: 240 943 / 554 362 = 0,434631 → 43,46 %.
    assert share_bp(inv.owner_participation_cents, inv.public_funding_cents) == 4346
    # CGCT L1111-10 counts the owner (a personne publique) in the public funding:
    # 240 943 / (554 362 + 240 943) = 240 943 / 795 305 = 30,30 % ≥ 20 %.
    assert inv.public_funding_with_owner_cents == euros(795_305)
    assert inv.owner_share_of_public_bp == 3030
    ok = only(analysis, F_MINIMUM_PARTICIPATION_OK)
    assert ok.severity == "info"
    assert plain(ok.message) == (
        "Investissement : la communauté de communes apporte 30,3 % du financement public (240 943 € sur "
        "795 305 €), ce qui respecte le minimum de 20 % (CGCT, art. L1111-10)."
    )
    assert analysis.errors == ()
    # All direct public aids of 2005 (DDR, FNADT, conseil général, ADEME = 554 362 €) stay within the
    # subsidisable expense (décret n° 2018-514 art. 10); no 35 % State cap is applied any more.
    assert analysis.alerts == ()
    cap = only(analysis, "plafond_aides_publiques_respecte")
    assert "554 362 €, soit 69,7 % de la dépense subventionnable de 795 305 € HT" in plain(cap.message)
    assert "35 %" not in plain(cap.message) and "2018-514" in cap.message


def test_empty_stages_of_saint_amand_report_nothing() -> None:
    analysis = analyse(SAINT_AMAND)
    ing = analysis.stage(ING)
    assert ing.is_empty and ing.expenses_cents == 0 and ing.public_funding_share_bp is None
    assert [stage.stage for stage in analysis.stages] == list(STAGES)


# --- Balance ----------------------------------------------------------------------------------


def test_missing_resources_are_reported_per_stage() -> None:
    plan = Plan(
        [
            Expense(1, INV, "travaux", "Travaux", euros(500_000), 2_000),
            Expense(2, ING, "etudes", "Étude", euros(20_000)),
        ],
        [
            Resource(1, "autofinancement", "", "Fonds propres", INV, euros(462_000)),
            Resource(2, "autofinancement", "", "Fonds propres", ING, euros(25_000)),
        ],
        default_funders(),
    )
    analysis = analyse(plan)
    assert analysis.stage(INV).balance_cents == -euros(38_000)
    assert analysis.stage(INV).remaining_to_finance_cents == euros(38_000)
    messages = [plain(f.message) for f in analysis.findings if f.code == F_UNBALANCED]
    assert messages == [
        "Ingénierie : les ressources dépassent de 5 000 € les dépenses (20 000 € HT) ; réduisez une ressource ou "
        "complétez les dépenses.",
        "Investissement : il manque 38 000 € pour équilibrer le plan.",
    ]
    assert all(f.severity == "erreur" for f in analysis.findings if f.code == F_UNBALANCED)


def test_a_plan_can_balance_ttc() -> None:
    expenses = [Expense(1, INV, "travaux", "Travaux", euros(100_000), 2_000)]
    resources = [Resource(1, "autofinancement", "", "Fonds propres", INV, euros(120_000))]
    assert analyse(Plan(expenses, resources, [], balance_ttc=True)).stage(INV).balance_cents == 0
    assert analyse(Plan(expenses, resources, [])).stage(INV).balance_cents == euros(20_000)


def test_plan_without_expense_is_an_error() -> None:
    analysis = analyse(Plan([], [], default_funders()))
    finding = only(analysis, F_NO_EXPENSE)
    assert finding.severity == "erreur"
    assert "aucune dépense" in finding.message


# --- Lines given as a rate ----------------------------------------------------------------------


def test_rate_based_grant_uses_its_base_ht_or_ttc_as_the_funder_counts() -> None:
    expenses = [
        Expense(1, INV, "travaux", "Travaux", euros(400_000), 2_000),
        Expense(2, INV, "honoraires", "Honoraires", euros(40_000), 2_000),
    ]
    funders = [FunderRule("HT", "Financeur HT"), FunderRule("TTC", "Financeur TTC", counts_ttc=True)]
    resources = [
        grant(1, "HT", rate_bp=2_500, base=frozenset({1, 2})),
        grant(2, "TTC", rate_bp=1_000, base=frozenset({1})),
    ]
    analysis = analyse(Plan(expenses, resources, funders))
    first, second = analysis.stage(INV).resources
    assert first.amount_cents == euros(110_000) and first.base_cents == euros(440_000) and not first.base_is_ttc
    assert second.amount_cents == euros(48_000) and second.base_cents == euros(480_000) and second.base_is_ttc
    assert first.effective_rate_bp == 2_500


def test_rate_is_rounded_half_up_once() -> None:
    expenses = [Expense(1, INV, "travaux", "Travaux", 1_005, 0)]
    analysis = analyse(Plan(expenses, [grant(1, "AUTRE", rate_bp=5_000, base=frozenset({1}))], default_funders()))
    assert analysis.stage(INV).resources[0].amount_cents == 503  # 502,5 cents → 503


def test_rate_based_grant_without_base_is_an_error() -> None:
    plan = Plan(
        [Expense(1, INV, "travaux", "Travaux", euros(1_000))],
        [grant(7, "REGION", rate_bp=2_000, label="Région")],
        default_funders(),
    )
    analysis = analyse(plan)
    finding = only(analysis, F_NO_BASE)
    assert finding.severity == "erreur" and finding.resource_id == 7
    assert plain(finding.message) == (
        "La subvention « Région » n'a pas d'assiette : choisissez les dépenses qu'elle finance."
    )
    assert analysis.stage(INV).resources[0].amount_cents == 0


def test_base_citing_a_deleted_expense_is_an_error() -> None:
    plan = Plan(
        [Expense(1, INV, "travaux", "Travaux", euros(1_000))],
        [grant(1, "AUTRE", rate_bp=2_000, base=frozenset({1, 9}))],
        default_funders(),
    )
    finding = only(analyse(plan), F_MISSING_BASE)
    assert "n° 9" in finding.message and finding.severity == "erreur"


# --- Funder rules -----------------------------------------------------------------------------


def test_rate_above_the_funders_maximum_is_an_alert_with_the_amounts() -> None:
    expenses = [Expense(1, INV, "travaux", "Travaux", euros(1_000_000), 2_000)]
    plan = Plan(expenses, [grant(1, "REGION", rate_bp=3_000, base=frozenset({1}), label="Région")], default_funders())
    finding = only(analyse(plan), F_RATE_EXCEEDED)
    assert finding.severity == "alerte" and finding.resource_id == 1
    assert plain(finding.message) == (
        "La subvention « Région » est demandée au taux de 30 % ; Région finance au plus 25 % de "
        "l'assiette (source : exemple du guide méthodologique pour les élus (2010), 01/01/2010), soit 250 000 € "
        "sur 1 000 000 € HT (demandé : 300 000 €)."
    )


def test_amount_above_the_maximum_rate_of_the_stage_is_an_alert() -> None:
    expenses = [Expense(1, INV, "travaux", "Travaux", euros(1_000_000))]
    plan = Plan(expenses, [grant(1, "DETR", euros(400_000))], default_funders())
    finding = only(analyse(plan), F_RATE_EXCEEDED)
    source = "(source : programme national des maisons de santé en milieu rural 2010-2013, 01/01/2010)"
    assert "40,0 %" in plain(finding.message) and f"au plus 35 % {source}, soit 350 000 €" in plain(finding.message)
    # Within the rate: no alert.
    plan = Plan(expenses, [grant(1, "DETR", euros(350_000))], default_funders())
    assert F_RATE_EXCEEDED not in codes(analyse(plan))


def test_ceiling_is_checked_on_all_the_funders_lines_of_the_project() -> None:
    expenses = [
        Expense(1, ING, "etudes", "Étude", euros(40_000)),
        Expense(2, FONC, "coordination", "Coordination", euros(60_000)),
    ]
    resources = [grant(1, "ARS", euros(30_000), stage=ING), grant(2, "ARS", euros(30_000), stage=FONC)]
    finding = only(analyse(Plan(expenses, resources, default_funders())), F_CEILING_EXCEEDED)
    assert finding.severity == "alerte"
    assert "60 000 €" in plain(finding.message) and "50 000 €" in plain(finding.message)
    assert "dépassement de 10 000 €" in plain(finding.message)
    single = analyse(Plan(expenses, [grant(1, "REGION", euros(160_000), stage=ING)], default_funders()))
    assert only(single, F_CEILING_EXCEEDED).resource_id == 1


def test_grant_in_a_stage_the_funder_does_not_fund_is_an_alert() -> None:
    plan = Plan(
        [Expense(1, FONC, "secretariat", "Secrétariat", euros(10_000))],
        [grant(3, "DETR", euros(1_000), stage=FONC, label="DETR")],
        default_funders(),
    )
    finding = only(analyse(plan), F_NOT_ELIGIBLE)
    assert finding.severity == "alerte" and finding.resource_id == 3
    assert "Fonctionnement" in finding.message and "investissement" in finding.message


def test_base_with_expenses_of_a_category_the_funder_excludes_is_an_alert() -> None:
    ademe = FunderRule("ADEME", "ADEME", eligible_stages=frozenset({INV}), eligible_categories=frozenset({"Energie"}))
    expenses = [
        Expense(1, INV, "energie", "Chaufferie bois", euros(100_000)),
        Expense(2, INV, "mobilier", "Mobilier", euros(20_000)),
        Expense(3, ING, "energie", "Étude thermique", euros(5_000)),
    ]
    plan = Plan(expenses, [grant(1, "ADEME", rate_bp=3_000, base=frozenset({1, 2, 3}))], [ademe])
    finding = only(analyse(plan), F_NOT_ELIGIBLE)
    message = plain(finding.message)
    assert "« Mobilier » (catégorie « mobilier »)" in message
    assert "« Étude thermique » (étape Ingénierie)" in message
    assert "Chaufferie" not in message


def test_unknown_funder_is_counted_as_public_with_an_alert() -> None:
    plan = Plan([Expense(1, INV, "travaux", "Travaux", euros(100))], [grant(1, "XYZ", euros(100))], default_funders())
    analysis = analyse(plan)
    assert only(analysis, F_UNKNOWN_FUNDER).severity == "alerte"
    assert analysis.stage(INV).public_funding_cents == euros(100)


def test_refused_grant_is_not_counted() -> None:
    plan = Plan(
        [Expense(1, INV, "travaux", "Travaux", euros(100))],
        [grant(1, "DETR", euros(30), status="refuse"), Resource(2, "autofinancement", "", "Fonds", INV, euros(100))],
        default_funders(),
    )
    analysis = analyse(plan)
    assert only(analysis, F_REFUSED).severity == "info"
    assert analysis.stage(INV).balance_cents == 0
    assert analysis.stage(INV).resources[0].counted is False


def test_invalid_line_is_reported_and_not_counted() -> None:
    plan = Plan([Expense(1, INV, "travaux", "Travaux", euros(100))], [grant(1, "DETR", -5)], default_funders())
    analysis = analyse(plan)
    finding = only(analysis, F_INVALID_RESOURCE)
    assert "ne peut pas être négatif" in finding.message and "n'est pas comptée" in finding.message
    assert analysis.stage(INV).resources_cents == 0


# --- CGCT art. L1111-10: the public maître d'ouvrage's minimum participation ------------------------


def test_owner_bringing_less_than_20_percent_of_the_public_funding_is_an_error() -> None:
    # 500 000 € of works: 440 000 € of public grants, 60 000 € of self-funding.
    # Public funding of the operation = 440 000 + 60 000 = 500 000 €; 60 000 / 500 000 = 12,0 % < 20 %.
    # At least 20 % × 500 000 = 100 000 € are required, 40 000 € more than brought.
    plan = Plan(
        [Expense(1, INV, "travaux", "Travaux", euros(500_000))],
        [
            grant(1, "DETR", euros(175_000)),
            grant(2, "REGION", euros(125_000)),
            grant(3, "DEPARTEMENT", euros(140_000)),
            Resource(4, "autofinancement", "", "Fonds propres", INV, euros(60_000)),
        ],
        default_funders(),
        maitre_ouvrage_is_public=True,
        maitre_ouvrage_name="la communauté de communes",
    )
    analysis = analyse(plan)
    assert analysis.stage(INV).owner_share_of_public_bp == 1_200
    finding = only(analysis, F_MINIMUM_PARTICIPATION)
    assert finding.severity == "erreur" and finding.stage == INV
    assert plain(finding.message) == (
        "Investissement : la communauté de communes apporte 12,0 % du financement public (60 000 € sur 500 000 €) ; "
        "le minimum légal est 20 % (CGCT, art. L1111-10). La communauté de communes doit apporter au moins "
        "100 000 € en autofinancement ou emprunt, soit 40 000 € de plus à la place de subventions publiques."
    )


def test_owner_bringing_exactly_20_percent_with_loan_and_self_funding_passes() -> None:
    # Grants 80 000 €, loan 15 000 € + self-funding 5 000 € = 20 000 €: 20 000 / 100 000 = 20 %.
    plan = Plan(
        [Expense(1, INV, "travaux", "Travaux", euros(100_000))],
        [
            grant(1, "DETR", euros(35_000)),
            grant(2, "DEPARTEMENT", euros(45_000)),
            Resource(3, "emprunt", "", "Emprunt", INV, euros(15_000)),
            Resource(4, "autofinancement", "", "Fonds propres", INV, euros(5_000)),
        ],
        default_funders(),
    )
    analysis = analyse(plan)
    assert F_MINIMUM_PARTICIPATION not in codes(analysis)
    assert "20,0 %" in plain(only(analysis, F_MINIMUM_PARTICIPATION_OK).message)


def test_private_funding_is_left_out_of_the_public_funding() -> None:
    # 100 000 € = 20 000 € of patronage (private) + 64 000 € of grants + 16 000 € of self-funding.
    # Public funding = 64 000 + 16 000 = 80 000 €; 16 000 / 80 000 = 20 % → complies.
    mecene = FunderRule("MECENAT", "Fondation", is_public=False)
    plan = Plan(
        [Expense(1, INV, "travaux", "Travaux", euros(100_000))],
        [
            grant(1, "MECENAT", euros(20_000)),
            grant(2, "DEPARTEMENT", euros(64_000)),
            Resource(3, "autofinancement", "", "Fonds propres", INV, euros(16_000)),
        ],
        [*default_funders(), mecene],
    )
    inv = analyse(plan).stage(INV)
    assert inv.private_funding_cents == euros(20_000)
    assert inv.public_funding_with_owner_cents == euros(80_000)
    assert inv.owner_share_of_public_bp == 2_000
    assert F_MINIMUM_PARTICIPATION not in codes(analyse(plan))


def test_a_shortfall_is_never_displayed_as_the_minimum() -> None:
    # 19,96 % would read "20,0 %" with one decimal: the message shows two.
    plan = Plan(
        [Expense(1, INV, "travaux", "Travaux", 1_000_000)],
        [grant(1, "DEPARTEMENT", 800_400), Resource(2, "autofinancement", "", "Fonds", INV, 199_600)],
        default_funders(),
    )
    message = plain(only(analyse(plan), F_MINIMUM_PARTICIPATION).message)
    assert "apporte 19,96 % du financement public" in message


def test_a_rate_just_above_the_maximum_is_not_displayed_as_the_maximum() -> None:
    plan = Plan([Expense(1, INV, "travaux", "Travaux", 1_000_000)], [grant(1, "DETR", 350_040)], default_funders())
    assert "représente 35,004 % des dépenses" in plain(only(analyse(plan), F_RATE_EXCEEDED).message)


def test_the_rule_does_not_apply_to_a_private_owner_or_outside_investment() -> None:
    expenses = [
        Expense(1, INV, "travaux", "Travaux", euros(100)),
        Expense(2, FONC, "coordination", "Coordination", euros(100)),
    ]
    resources = [grant(1, "DEPARTEMENT", euros(100)), grant(2, "ARS", euros(100), stage=FONC)]
    private = analyse(Plan(expenses, resources, default_funders(), maitre_ouvrage_is_public=False))
    assert F_MINIMUM_PARTICIPATION not in codes(private)
    assert private.stage(INV).owner_share_of_public_bp is None
    only_running = analyse(Plan(expenses[1:], resources[1:], default_funders()))
    assert F_MINIMUM_PARTICIPATION not in codes(only_running)


# --- Validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expense", "message"),
    [
        (Expense(1, INV, "", "Travaux", -1), "Le montant HT de la dépense « Travaux » ne peut pas être négatif."),
        (
            Expense(1, INV, "", "Travaux", 1, 12_000),
            "Le taux de TVA de la dépense « Travaux » doit être compris entre 0 % et 100 % (saisi : 120,0 %).",
        ),
        (
            Expense(1, INV, "", "Travaux", 1, -100),
            "Le taux de TVA de la dépense « Travaux » doit être compris entre 0 % et 100 % (saisi : -1,0 %).",
        ),
        (
            Expense(1, "etudes", "", "Travaux", 1),
            "L'étape « etudes » est inconnue : choisissez Ingénierie, Investissement ou Fonctionnement.",
        ),
        (Expense(1, INV, "", "  ", 1), "Donnez un libellé à la dépense."),
    ],
)
def test_validate_expense(expense: Expense, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_expense(expense)
    assert plain(caught.value.message) == message


@pytest.mark.parametrize(
    ("resource", "message"),
    [
        (
            grant(1, "DETR", label="DETR"),
            "Indiquez le montant de la ressource « DETR » ou son taux sur une assiette de dépenses.",
        ),
        (
            grant(1, "DETR", 100, rate_bp=2_000, label="DETR"),
            "Indiquez soit un montant, soit un taux pour la ressource « DETR », pas les deux.",
        ),
        (grant(1, "DETR", -100, label="DETR"), "Le montant de la ressource « DETR » ne peut pas être négatif."),
        (
            grant(1, "DETR", rate_bp=10_001, label="DETR"),
            "Le taux de la ressource « DETR » doit être compris entre 0 % et 100 % (saisi : 100,0 %).",
        ),
        (
            grant(1, "DETR", rate_bp=15_000, label="DETR"),
            "Le taux de la ressource « DETR » doit être compris entre 0 % et 100 % (saisi : 150,0 %).",
        ),
        (
            grant(1, "DETR", 100, stage="travaux"),
            "L'étape « travaux » est inconnue : choisissez Ingénierie, Investissement ou Fonctionnement.",
        ),
        (
            Resource(1, "don", "", "Don", INV, 100),
            "Le type de ressource « don » est inconnu : choisissez Subvention, Emprunt ou Autofinancement.",
        ),
        (
            grant(1, "DETR", 100, status="perdu", label="DETR"),
            "Le statut « perdu » de la ressource « DETR » est inconnu.",
        ),
    ],
)
def test_validate_resource(resource: Resource, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_resource(resource)
    assert plain(caught.value.message) == message


def test_validate_resource_checks_the_base_when_given_the_plans_expenses() -> None:
    resource = grant(1, "DETR", rate_bp=2_000, base=frozenset({4}), label="DETR")
    validate_resource(resource)
    with pytest.raises(ValidationError, match="n° 4"):
        validate_resource(resource, expense_ids={1, 2})


def test_default_catalogue_is_valid_and_carries_the_guides_figures() -> None:
    funders = {rule.code: rule for rule in default_funders()}
    for rule in funders.values():
        validate_funder(rule)
        assert rule.conditions
    assert {
        "DETR",
        "DSIL",
        "FNADT",
        "REGION",
        "DEPARTEMENT",
        "ARS",
        "FEDER",
        "FEADER",
        "ADEME",
        "ASSURANCE_MALADIE",
        "AUTRE",
        "DDR",
        "EMPRUNT",
    } <= funders.keys()
    assert funders["REGION"].max_rate_bp == 2_500 and funders["REGION"].ceiling_cents == euros(150_000)
    assert funders["ARS"].ceiling_cents == euros(50_000)
    assert funders["ARS"].eligible_stages == frozenset({ING, FONC})
    assert funders["DETR"].max_rate_bp == funders["FNADT"].max_rate_bp == 3_500
    assert funders["DSIL"].max_rate_bp is None and funders["DSIL"].ceiling_cents is None
    with pytest.raises(ValidationError, match="taux maximal"):
        validate_funder(FunderRule("X", "X", max_rate_bp=12_000))


def test_code_lists_round_trip() -> None:
    stages = parse_code_list("fonctionnement; ingenierie,\n")
    assert stages == frozenset({FONC, ING})
    assert code_list_text(stages) == "ingenierie,fonctionnement"
    assert parse_code_list("") == frozenset()


# --- Properties: shares, HT/TTC ---------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=10**11)


@given(
    expenses=st.lists(st.integers(min_value=1, max_value=10**10), min_size=1, max_size=6),
    cuts=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=8),
    funders=st.lists(st.sampled_from(["DETR", "REGION", "DEPARTEMENT", "ARS", "FEDER", ""]), min_size=8, max_size=8),
)
def test_shares_of_a_balanced_stage_sum_to_exactly_100_percent(
    expenses: list[int], cuts: list[int], funders: list[str]
) -> None:
    total = sum(expenses)
    resource_amounts = apportion(cuts, total) if sum(cuts) else [total]
    resources = [
        grant(i, funders[i], amount, label=f"R{i}") if i % 3 else Resource(i, "emprunt", "", "Emprunt", INV, amount)
        for i, amount in enumerate(resource_amounts)
    ]
    plan = Plan(
        [Expense(i, INV, "", f"D{i}", amount, 2_000) for i, amount in enumerate(expenses)], resources, default_funders()
    )
    inv = analyse(plan).stage(INV)
    assert inv.balance_cents == 0
    assert sum(f.share_bp or 0 for f in inv.funders) == 10_000
    assert sum(r.share_of_stage_bp or 0 for r in inv.resources) == 10_000
    for funder in inv.funders:  # each apportioned share within 1 bp of the exact one
        assert abs(Fraction(funder.amount_cents * 10_000, total) - (funder.share_bp or 0)) < 1


@given(ht=amounts, vat=st.integers(min_value=0, max_value=10_000))
def test_ht_to_ttc_to_ht_gives_back_the_same_amount(ht: int, vat: int) -> None:
    ttc = ttc_from_ht_cents(ht, vat)
    assert abs(ht_from_ttc_cents(ttc, vat) - ht) <= 1
    assert ht_from_ttc_cents(ttc, vat) == ht  # in fact exact (see the docstring)
    assert Expense(1, INV, "", "x", ht, vat).amount_ttc_cents == ttc


@given(ttc=amounts, vat=st.integers(min_value=0, max_value=10_000))
def test_ttc_to_ht_to_ttc_is_within_one_cent(ttc: int, vat: int) -> None:
    assert abs(ttc_from_ht_cents(ht_from_ttc_cents(ttc, vat), vat) - ttc) <= 1


def test_ttc_is_rounded_half_up() -> None:
    assert ttc_from_ht_cents(5, 1_000) == 6  # 5,5 cents → 6
    assert ttc_from_ht_cents(79_530_500, 2_000) == 95_436_600


@given(
    weights=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=12),
    total=st.integers(min_value=0, max_value=10**12),
)
def test_apportion_sums_exactly_and_stays_within_one_unit(weights: list[int], total: int) -> None:
    if sum(weights) == 0:
        weights = [*weights, 1]
    parts = apportion(weights, total)
    assert sum(parts) == total
    for weight, part in zip(weights, parts, strict=True):
        assert abs(Fraction(weight * total, sum(weights)) - part) < 1


# --- Loan -------------------------------------------------------------------------------------

principals = st.integers(min_value=0, max_value=10**11)
rates = st.integers(min_value=0, max_value=10_000)
durations = st.integers(min_value=1, max_value=40)
frequencies = st.sampled_from([1, 2, 4, 12])


@settings(max_examples=150, deadline=None)
@given(principal=principals, rate=rates, years=durations, per_year=frequencies, annuity=st.booleans())
def test_loan_schedule_repays_exactly_the_principal(
    principal: int, rate: int, years: int, per_year: int, annuity: bool
) -> None:
    schedule = loan_schedule(principal, rate, years, constant_annuity=annuity, periods_per_year=per_year)
    assert len(schedule) == years * per_year
    assert [row.number for row in schedule] == list(range(1, len(schedule) + 1))
    assert sum(row.principal_cents for row in schedule) == principal
    assert schedule[-1].remaining_cents == 0
    assert sum(row.payment_cents for row in schedule) == principal + sum(row.interest_cents for row in schedule)
    remaining = principal
    for row in schedule:
        assert row.payment_cents == row.interest_cents + row.principal_cents
        assert row.interest_cents >= 0 and row.principal_cents >= 0
        remaining -= row.principal_cents
        assert row.remaining_cents == remaining >= 0


@settings(max_examples=150, deadline=None)
@given(principal=principals, rate=rates, years=durations, per_year=frequencies)
def test_constant_annuity_payments_are_equal_except_the_last(
    principal: int, rate: int, years: int, per_year: int
) -> None:
    payments = [row.payment_cents for row in loan_schedule(principal, rate, years, periods_per_year=per_year)]
    if len(payments) > 1:
        assert max(payments[:-1]) - min(payments[:-1]) <= 1


@settings(deadline=None)
@given(
    principal=st.integers(min_value=100_000, max_value=10**10),
    rate=st.integers(min_value=0, max_value=1_000),
    years=durations,
)
def test_constant_annuity_matches_the_textbook_formula(principal: int, rate: int, years: int) -> None:
    r = Fraction(rate, 10_000)
    exact = Fraction(principal, years) if rate == 0 else principal * r / (1 - (1 + r) ** -years)
    first = loan_schedule(principal, rate, years)[0].payment_cents
    assert abs(first - exact) <= 1


@settings(deadline=None)
@given(principal=principals, rate=rates, years=durations, per_year=frequencies)
def test_constant_amortisation_repays_the_same_principal_each_period(
    principal: int, rate: int, years: int, per_year: int
) -> None:
    schedule = loan_schedule(principal, rate, years, constant_annuity=False, periods_per_year=per_year)
    parts = [row.principal_cents for row in schedule]
    assert len(set(parts[:-1])) <= 1
    assert 0 <= parts[-1] - parts[0] < len(parts) or len(parts) == 1


def test_loan_examples() -> None:
    # 100 000 € at 5 % over 3 years, constant amortisation: 33 333,33 € a year, the last one 33 333,34 €.
    rows = loan_schedule(euros(100_000), 500, 3, constant_annuity=False)
    assert [r.principal_cents for r in rows] == [3_333_333, 3_333_333, 3_333_334]
    assert [r.interest_cents for r in rows] == [500_000, 333_333, 166_667]
    # 0 %: 1 200 € over one year, monthly: 100 € a month.
    assert {r.payment_cents for r in loan_schedule(euros(1_200), 0, 1, periods_per_year=12)} == {euros(100)}
    # 10 000 € at 12 % over 1 year, monthly (1 % a month): textbook annuity 888,49 €.
    rows = loan_schedule(euros(10_000), 1_200, 1, periods_per_year=12)
    assert rows[0].payment_cents == 88_849 and rows[0].interest_cents == 10_000
    assert yearly_payments(rows, 12) == [sum(r.payment_cents for r in rows)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((100, 300, 0), "La durée de l'emprunt doit être d'au moins un an."),
        ((100, 300, -2), "La durée de l'emprunt doit être d'au moins un an."),
        ((-100, 300, 10), "Le montant emprunté ne peut pas être négatif."),
        ((100, -1, 10), "Le taux de l'emprunt ne peut pas être négatif."),
        ((100, 10_001, 10), "Le taux de l'emprunt ne peut pas dépasser 100 % (saisi : 100,01 %)."),
    ],
)
def test_loan_bad_input(args: tuple[int, int, int], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        loan_schedule(*args)
    assert plain(caught.value.message) == message


def test_loan_periods_per_year_must_be_sensible() -> None:
    with pytest.raises(ValidationError, match="entre 1 et 12 échéances"):
        loan_schedule(100, 100, 1, periods_per_year=0)


# --- Rent -------------------------------------------------------------------------------------


def test_rent_split_by_area_and_compared_with_the_market() -> None:
    # 20 580 € a year (annuity 17 580 € + charges 3 000 €) for 175 m²:
    # 20 580 / 175 / 12 = 9,80 € per m² and per month; market 11,10 €: (11,10 − 9,80) / 11,10 = 11,7 % → 12 %.
    rent = rent_plan(
        euros(17_580),
        euros(3_000),
        [
            Occupant("Médecins", Decimal("100")),
            Occupant("Infirmiers", Decimal("50")),
            Occupant("Kinésithérapeute", Decimal("25")),
        ],
        market_rent_per_m2_cents=1_110,
    )
    assert rent.total_annual_cents == euros(20_580)
    assert rent.rent_per_m2_cents == 980 and rent.total_area_m2 == Decimal("175")
    assert [(o.name, o.annual_cents, o.monthly_cents, o.per_m2_cents) for o in rent.per_occupant] == [
        ("Médecins", 1_176_000, 98_000, 980),
        ("Infirmiers", 588_000, 49_000, 980),
        ("Kinésithérapeute", 294_000, 24_500, 980),
    ]
    assert rent.gap_to_market_bp == -1_171
    assert plain(rent.comparison_sentence) == (
        "Le loyer nécessaire, 9,80 € par m² et par mois, est inférieur de 12 % à la valeur locative du marché "
        "(11,10 € par m² et par mois)."
    )


def test_rent_split_by_share_and_sentences_without_data() -> None:
    rent = rent_plan(
        euros(10_000), 1, [Occupant("SCM", None, 6_667), Occupant("Association", None, 3_333)], split="share"
    )
    assert sum(o.annual_cents for o in rent.per_occupant) == euros(10_000) + 1
    assert rent.rent_per_m2_cents is None and "indiquez la surface" in rent.comparison_sentence
    rent = rent_plan(euros(12_000), 0, [Occupant("SCM", Decimal("100"))])
    assert "indiquez la valeur locative" in rent.comparison_sentence
    above = rent_plan(euros(12_000), 0, [Occupant("SCM", Decimal("100"))], market_rent_per_m2_cents=800)
    assert "est supérieur de 25 %" in plain(above.comparison_sentence)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"occupants": []}, "Ajoutez au moins un occupant pour répartir le loyer."),
        (
            {"occupants": [Occupant("Dr Martin")]},
            "Indiquez la surface occupée par « Dr Martin » (répartition à la surface).",
        ),
        (
            {"occupants": [Occupant("Dr Martin", Decimal(0))]},
            "La surface occupée par « Dr Martin » doit être supérieure à zéro.",
        ),
        (
            {"occupants": [Occupant("A", None, 5_000), Occupant("B", None, 4_500)], "split": "share"},
            "Les parts des occupants totalisent 95,00 % : elles doivent faire exactement 100 %.",
        ),
        (
            {"occupants": [Occupant("A", None, None)], "split": "share"},
            "Indiquez la part du loyer de « A » (répartition par parts).",
        ),
        (
            {"occupants": [Occupant("A", Decimal(1))], "annual_annuity_cents": -1},
            "L'annuité de l'emprunt ne peut pas être négative.",
        ),
    ],
)
def test_rent_bad_input(kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"annual_annuity_cents": 100, "annual_charges_cents": 0, **kwargs}
    with pytest.raises(ValidationError) as caught:
        rent_plan(**arguments)  # type: ignore[arg-type]
    assert plain(caught.value.message) == message


@given(
    annuity=amounts,
    charges=st.integers(min_value=0, max_value=10**9),
    areas=st.lists(
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("10000"), places=2), min_size=1, max_size=15
    ),
)
def test_rent_split_sums_exactly_to_the_total(annuity: int, charges: int, areas: list[Decimal]) -> None:
    occupants = [Occupant(f"P{i}", area) for i, area in enumerate(areas)]
    rent = rent_plan(annuity, charges, occupants, market_rent_per_m2_cents=1_000)
    assert sum(o.annual_cents for o in rent.per_occupant) == annuity + charges == rent.total_annual_cents
    for occupant, row in zip(occupants, rent.per_occupant, strict=True):
        assert occupant.area_m2 is not None
        exact = Fraction(occupant.area_m2) * (annuity + charges) / Fraction(sum(areas))
        assert abs(exact - row.annual_cents) < 1


@given(annuity=amounts, shares=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=10))
def test_rent_split_by_shares_sums_exactly(annuity: int, shares: list[int]) -> None:
    fixed = apportion([*shares, 1], 10_000)  # shares that total 100 %
    rent = rent_plan(annuity, 0, [Occupant(f"P{i}", None, s) for i, s in enumerate(fixed)], split="share")
    assert sum(o.annual_cents for o in rent.per_occupant) == annuity


# --- Scenarios --------------------------------------------------------------------------------


def test_compare_plans_side_by_side() -> None:
    reference = analyse(SAINT_AMAND)
    variant = analyse(
        Plan(
            SAINT_AMAND.expenses,
            [
                Resource(1, "emprunt", "EMPRUNT", "Emprunt", INV, euros(240_943)),
                grant(2, "DDR", euros(374_547)),
                grant(6, "REGION", euros(121_959)),
                Resource(7, "autofinancement", "", "Fonds propres", INV, euros(57_856)),
            ],
            default_funders(),
        )
    )
    table = compare_plans([("Réalisé", reference), ("Variante", variant)])
    assert table.columns == ("Réalisé", "Variante")
    keys = [row.key for row in table.rows]
    assert keys[:2] == ["depenses_ht", "depenses_ttc"]
    assert keys[2:8] == [
        "subvention:DDR",
        "subvention:FNADT",
        "subvention:DEPARTEMENT",
        "subvention:ADEME",
        "subvention:REGION",
        "emprunt:EMPRUNT",
    ]
    assert "autofinancement:AUTOFINANCEMENT" in keys and keys[-1] == "solde"
    assert table.row("subvention:FNADT").values == (euros(50_000), None)
    assert [plain(c) for c in table.row("subvention:FNADT").cells()] == ["50 000 €", "—"]
    assert table.row("financement_public").values == (euros(554_362), euros(496_506))
    assert [plain(c) for c in table.row("part_financement_public").cells()] == ["69,70 %", "62,43 %"]
    assert table.row("part_mo_financement_public").values == (3_030, 3_757)
    assert table.row("solde").values == (0, 0)


def test_direct_public_aids_above_the_subsidisable_expense_are_flagged_with_the_decree() -> None:
    expenses = [Expense(1, INV, "travaux", "Travaux", euros(100_000))]
    within = Plan(expenses, [grant(1, "DETR", euros(60_000)), grant(2, "REGION", euros(40_000))], default_funders())
    ok = only(analyse(within), "plafond_aides_publiques_respecte")
    assert "100 000 €, soit 100,0 % de la dépense subventionnable de 100 000 € HT" in plain(ok.message)
    over = Plan(expenses, [grant(1, "DETR", euros(70_000)), grant(2, "REGION", euros(40_000))], default_funders())
    alert = only(analyse(over), "plafond_aides_publiques")
    assert alert.severity == "alerte" and "2018-514" in alert.message
    assert "la dépassent de 10 000 €" in plain(alert.message)


def test_a_third_party_participation_is_not_the_owners_money() -> None:
    expenses = [Expense(1, INV, "travaux", "Travaux", euros(100_000))]
    resources = [
        grant(1, "DETR", euros(70_000)),
        Resource(2, "participation", "", "Participation de la SISA", INV, euros(20_000)),
        Resource(3, "autofinancement", "", "Fonds propres", INV, euros(10_000)),
    ]
    analysis = analyse(Plan(expenses, resources, default_funders()))
    inv = analysis.stage(INV)
    assert inv.balance_cents == 0
    assert inv.owner_participation_cents == euros(10_000) and inv.self_funding_cents == euros(10_000)
    # 10 000 € of 80 000 € of public funding = 12,5 % < 20 %: the SISA's money does not make up the owner's share.
    assert only(analysis, F_MINIMUM_PARTICIPATION).severity == "erreur"
    assert {f.name for f in inv.funders} >= {"Participations de tiers"}


def test_a_self_funding_line_that_names_a_funder_is_flagged() -> None:
    expenses = [Expense(1, INV, "travaux", "Travaux", euros(100_000))]
    resources = [Resource(1, "autofinancement", "REGION", "Autofinancement", INV, euros(100_000))]
    finding = only(analyse(Plan(expenses, resources, default_funders())), "autofinancement_avec_financeur")
    assert finding.resource_id == 1 and "REGION" in finding.message
    clean = [Resource(1, "autofinancement", "", "Autofinancement", INV, euros(100_000))]
    assert not [f for f in analyse(Plan(expenses, clean, default_funders())).findings if f.resource_id == 1]


def test_a_limit_is_quoted_with_its_source_and_date() -> None:
    """A funder's rate or ceiling comes from the catalogue with its text and date, quoted with it."""
    from datetime import date

    from santeloc.domain.financing import FunderRule

    sourced = FunderRule("REGION", "Région", max_rate_bp=2_500, rule_source="règlement régional MSP",
                         rule_date=date(2026, 3, 12))  # fmt: skip
    assert sourced.source_text == "(source : règlement régional MSP, 12/03/2026)"
    assert FunderRule("X", "X").source_text == "(source non renseignée dans le catalogue)"
    defaults = {rule.code: rule for rule in default_funders()}
    for rule in defaults.values():  # every default limit says where it comes from and of when
        if rule.max_rate_bp is not None or rule.ceiling_cents is not None:
            assert rule.rule_source and rule.rule_date is not None, rule.code
