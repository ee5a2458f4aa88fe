"""Financing plan of a health project (step 7): analysis, funder rules, loan and rent.

Pure computations, no I/O: the caller loads the plan from the database, builds the frozen
input dataclasses below, calls :func:`analyse` (or :func:`loan_schedule`, :func:`rent_plan`,
:func:`compare_plans`) and shows the result. Every message meant for the user is in French.

Conventions
-----------
* **Money** is an ``int`` number of cents everywhere; never a float.
* **Rates and shares** are ``int`` basis points: 2 500 bp = 25,00 %, 10 000 bp = 100 %.
* **Rounding** happens once, half up (``ROUND_HALF_UP``: half a cent goes away from zero), on
  the exact quotient: divisions are done on integers or :class:`fractions.Fraction`, so the
  result is the same as ``Decimal(n) / Decimal(d)`` quantised with ``ROUND_HALF_UP`` at
  unlimited precision, with no intermediate rounding.
* **Stages** are the values of :class:`santeloc.domain.enums.FinancingStage`:
  ``"ingenierie"``, ``"investissement"``, ``"fonctionnement"``.
* **HT / TTC**: expenses are entered HT with their VAT rate. A plan balances its resources
  against the HT total (default) or the TTC total (``Plan.balance_ttc``, for a maître d'ouvrage
  that does not recover VAT). Each funder computes its own base (assiette) HT or TTC
  (``FunderRule.counts_ttc``).
* **Findings never block**: :func:`analyse` always returns; problems are listed as
  :class:`Finding` (``"erreur"``, ``"alerte"``, ``"info"``) so a draft can be saved.
  :func:`validate_expense` / :func:`validate_resource` / :func:`validate_funder` are for the
  input forms and raise :class:`~santeloc.domain.errors.ValidationError`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal, NamedTuple

from santeloc.domain.enums import FinancingStage, ResourceKind, ResourceStatus
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_cents, format_percent

# --- Vocabulary -----------------------------------------------------------------------------

STAGES: tuple[str, ...] = tuple(stage.value for stage in FinancingStage)
"""The three stages, in the order of the methodology."""

KINDS: tuple[str, ...] = tuple(kind.value for kind in ResourceKind)
STATUSES: tuple[str, ...] = tuple(status.value for status in ResourceStatus)

FULL_BP = 10_000
"""100 % in basis points."""

DEFAULT_MINIMUM_PARTICIPATION_BP = 2_000
"""CGCT art. L1111-10, III: 20 % of the public funding of the operation."""


Severity = Literal["erreur", "alerte", "info"]
ERREUR: Severity = "erreur"
ALERTE: Severity = "alerte"
INFO: Severity = "info"
_SEVERITY_ORDER = {ERREUR: 0, ALERTE: 1, INFO: 2}

RentSplit = Literal["area", "share"]

LOAN_GROUP = "EMPRUNT"
"""Group code of a loan entered without funder code (also the demo's funder code)."""
SELF_FUNDING_GROUP = "AUTOFINANCEMENT"
"""Group code of every self-funding line."""
THIRD_PARTY_GROUP = "PARTICIPATION"
"""Group code of every third-party participation (professionals, SISA): not the owner's money."""
OWNER_KINDS = frozenset({ResourceKind.AUTOFINANCEMENT.value, ResourceKind.EMPRUNT.value})
"""Kinds of line that are the maître d'ouvrage's own participation (CGCT art. L1111-10)."""
UNSPECIFIED_GROUP = ""
"""Group code of a grant entered without funder code."""

# Codes of the findings, stable for the GUI and the tests.
F_NO_EXPENSE = "plan_sans_depense"
F_INVALID_EXPENSE = "depense_invalide"
F_INVALID_RESOURCE = "ressource_invalide"
F_REFUSED = "ressource_refusee"
F_UNKNOWN_FUNDER = "financeur_inconnu"
F_NO_BASE = "sans_assiette"
F_MISSING_BASE = "assiette_introuvable"
F_UNBALANCED = "plan_desequilibre"
F_MINIMUM_PARTICIPATION = "participation_minimale"
F_MINIMUM_PARTICIPATION_OK = "participation_minimale_respectee"
F_RATE_EXCEEDED = "taux_depasse"
F_CEILING_EXCEEDED = "plafond_depasse"
F_NOT_ELIGIBLE = "non_eligible"
F_PUBLIC_AID_CAP = "plafond_aides_publiques"
F_PUBLIC_AID_CAP_OK = "plafond_aides_publiques_respecte"
F_SELF_FUNDING_FUNDER = "autofinancement_avec_financeur"


# --- Arithmetic ------------------------------------------------------------------------------


def _div_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded once, half away from zero (ROUND_HALF_UP)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


def _round_fraction(value: Fraction) -> int:
    """An exact fraction rounded once, half up (ROUND_HALF_UP), to an integer."""
    return _div_half_up(value.numerator, value.denominator)


def _scaled_integers(weights: Sequence[int | Decimal]) -> list[int]:
    """Weights as integers with the same ratios (Decimals scaled by a common power of ten)."""
    places = 0
    for weight in weights:
        if isinstance(weight, Decimal):
            if not weight.is_finite():
                raise ValueError("weights must be finite")
            exponent = weight.as_tuple().exponent
            assert isinstance(exponent, int)
            places = max(places, -exponent)
    return [int(Decimal(weight).scaleb(places)) for weight in weights]


def apportion(weights: Sequence[int | Decimal], total: int) -> list[int]:
    """Split the integer ``total`` in proportion to ``weights``; the parts sum exactly to it.

    Largest remainder (Hamilton) method: each part first gets the integer part of its exact
    quota ``weight × total / Σ weights``; the units left over go one by one to the largest
    fractional remainders (ties: larger weight first, then first listed). Every part is
    within one unit of its exact quota. Used for shares in basis points (units = 1 bp) and
    for rent splits (units = 1 cent).

    Raises ``ValueError`` (a programming error, not a user one) for negative weights or
    total, or for a positive total with weights summing to zero.
    """
    if total < 0:
        raise ValueError("total must not be negative")
    if not weights:
        if total:
            raise ValueError("nothing to apportion a positive total to")
        return []
    scaled = _scaled_integers(weights)
    if any(weight < 0 for weight in scaled):
        raise ValueError("weights must not be negative")
    weight_sum = sum(scaled)
    if weight_sum == 0:
        if total:
            raise ValueError("weights sum to zero")
        return [0] * len(scaled)
    parts: list[int] = []
    remainders: list[int] = []
    for weight in scaled:
        part, remainder = divmod(weight * total, weight_sum)
        parts.append(part)
        remainders.append(remainder)
    left = total - sum(parts)
    order = sorted(range(len(scaled)), key=lambda i: (-remainders[i], -scaled[i], i))
    for index in order[:left]:
        parts[index] += 1
    return parts


def share_bp(part_cents: int, whole_cents: int) -> int | None:
    """``part / whole`` in basis points, rounded half up once; ``None`` when ``whole`` is 0."""
    if whole_cents == 0:
        return None
    return _div_half_up(part_cents * FULL_BP, whole_cents)


def _apportioned_shares(amounts: Sequence[int], whole_cents: int) -> list[int | None]:
    """Shares (bp) of ``amounts`` in ``whole``, adjusted so they sum to the rounded total share.

    The total share ``Σ amounts / whole`` is rounded half up once to a whole number of basis
    points, then apportioned by largest remainder: when the amounts sum to ``whole`` (a
    balanced plan) the shares sum to exactly 10 000 bp. ``None`` for every amount when
    ``whole`` is 0.
    """
    if whole_cents <= 0:
        return [None] * len(amounts)
    total = _div_half_up(sum(amounts) * FULL_BP, whole_cents)
    if sum(amounts) == 0:
        return [0] * len(amounts)
    return list(apportion(amounts, total))


# --- Formatting helpers ----------------------------------------------------------------------


def format_bp(bp: int, digits: int = 2) -> str:
    """``4081`` → ``40,81 %`` (basis points as a French percentage, rounded half up)."""
    return format_percent(Decimal(bp) / 100, digits)


def _pct(bp: int) -> str:
    """A configured rate with only the digits it needs: ``25 %``, ``12,5 %``, ``12,34 %``."""
    digits = 0 if bp % 100 == 0 else (1 if bp % 10 == 0 else 2)
    return format_bp(bp, digits)


def _eur(cents: int) -> str:
    """Euros without cents when the amount is whole (``38 000 €``), with them otherwise."""
    return format_cents(cents, with_cents=cents % 100 != 0)


def rate_text(bp: int) -> str:
    """A rate as every document prints it: only the digits it needs (``25 %``, ``24,6 %``, ``12,34 %``)."""
    return _pct(bp)


def rate_of_base_phrase(rate_bp: int, base_cents: int, ttc: bool) -> str:
    """« 25 % de l'assiette éligible de 1 120 000 € HT »: a grant's rate with its base."""
    return f"{_pct(rate_bp)} de l'assiette éligible de {_eur(base_cents)} {'TTC' if ttc else 'HT'}"


def share_of_cost_phrase(share: int, whole_cents: int, ttc: bool, scope: str = "de l'opération") -> str:
    """« 24,6 % du coût total de l'opération (1 300 000 € HT) »: a share with its base."""
    return f"{_pct(share)} du coût total {scope} ({_eur(whole_cents)} {'TTC' if ttc else 'HT'})"


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def stage_label(stage: str) -> str:
    """French label of a stage (``"investissement"`` → ``"Investissement"``)."""
    try:
        return FinancingStage(stage).label
    except ValueError:
        return stage


def _stage_list(stages: Iterable[str]) -> str:
    ordered = [s for s in STAGES if s in stages] + sorted(s for s in stages if s not in STAGES)
    labels = [stage_label(s) for s in ordered]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " et " + labels[-1].lower()


def _normalise(text: str) -> str:
    return text.strip().casefold()


def parse_code_list(text: str) -> frozenset[str]:
    """``"ingenierie, investissement"`` → ``frozenset({...})`` (commas, semicolons or lines).

    Helper for the database columns ``Funder.eligible_stages`` / ``eligible_categories``.
    """
    return frozenset(part.strip() for part in re.split(r"[,;\n]", text) if part.strip())


def code_list_text(codes: Iterable[str]) -> str:
    """Inverse of :func:`parse_code_list`: stages in methodology order, the rest sorted."""
    values = set(codes)
    ordered = [s for s in STAGES if s in values] + sorted(values - set(STAGES))
    return ",".join(ordered)


# --- Inputs ----------------------------------------------------------------------------------


def ttc_from_ht_cents(amount_ht_cents: int, vat_rate_bp: int) -> int:
    """HT → TTC: ``HT × (1 + VAT)`` rounded half up once to the cent."""
    return _div_half_up(amount_ht_cents * (FULL_BP + vat_rate_bp), FULL_BP)


def ht_from_ttc_cents(amount_ttc_cents: int, vat_rate_bp: int) -> int:
    """TTC → HT: ``TTC / (1 + VAT)`` rounded half up once to the cent.

    Round trips: HT → TTC → HT gives back exactly the HT amount for any VAT rate (the TTC
    rounding error, at most half a cent, shrinks when divided by ``1 + VAT`` and the final
    rounding removes it). TTC → HT → TTC is within one cent: with VAT some TTC amounts are
    reachable from no HT amount (at 20 %, 0,03 € TTC → 0,03 € HT → 0,04 € TTC).
    """
    return _div_half_up(amount_ttc_cents * FULL_BP, FULL_BP + vat_rate_bp)


@dataclass(frozen=True)
class Expense:
    """An expense line of the plan, entered HT with its VAT rate.

    ``category`` is free text (``"travaux"``, ``"honoraires"``…) matched, case-insensitively,
    against :attr:`FunderRule.eligible_categories`. ``year`` is informative.
    """

    id: int
    stage: str
    category: str
    label: str
    amount_ht_cents: int
    vat_rate_bp: int = 2_000
    year: int | None = None

    @property
    def amount_ttc_cents(self) -> int:
        """HT × (1 + VAT), rounded half up to the cent (see :func:`ht_from_ttc_cents`)."""
        return ttc_from_ht_cents(self.amount_ht_cents, self.vat_rate_bp)

    @property
    def vat_cents(self) -> int:
        """TTC − HT."""
        return self.amount_ttc_cents - self.amount_ht_cents

    def amount_cents(self, ttc: bool) -> int:
        """The TTC amount if ``ttc`` else the HT amount."""
        return self.amount_ttc_cents if ttc else self.amount_ht_cents


@dataclass(frozen=True)
class FunderRule:
    """A funder of the catalogue and the rules it applies (configurable per project).

    * ``is_public``: a *personne publique* (State, collectivité, ARS, EU, ADEME…). Its grants
      count in the public funding, and in the base of the CGCT art. L1111-10 rule.
    * ``max_rate_bp``: highest share of the base (assiette) it funds; ``None`` = not known.
    * ``ceiling_cents``: highest total it grants **to the project** (all its lines, all
      stages together); ``None`` = not known.
    * ``eligible_stages`` / ``eligible_categories``: what it funds; empty = everything.
    * ``counts_ttc``: its base is computed TTC (else HT).
    * ``conditions``: the user's own note on this funder (shown in the app only, never printed).
    * ``mention``: what the application to this funder states (printed in its dossier).
    * ``attachments``: the pieces this funder asks for, one per line (printed in its dossier).
    * ``is_state``: an aid of the State (DETR, DSIL, FNADT…), instructed by the préfecture.
    * ``rule_source`` / ``rule_date``: the text the rate and ceiling come from, and its date
      (a call for projects, a regional rule…): a limit is always quoted with them.
    """

    code: str
    name: str
    is_public: bool = True
    max_rate_bp: int | None = None
    ceiling_cents: int | None = None
    eligible_stages: frozenset[str] = frozenset()
    eligible_categories: frozenset[str] = frozenset()
    counts_ttc: bool = False
    conditions: str = ""
    mention: str = ""
    attachments: str = ""
    is_state: bool = False
    rule_source: str = ""
    rule_date: date | None = None

    @property
    def source_text(self) -> str:
        """« (source : appel à projets DETR 2026, 15/01/2026) », or « (source non renseignée) »."""
        where = self.rule_source.strip()
        when = self.rule_date.strftime("%d/%m/%Y") if self.rule_date else ""
        if not where and not when:
            return "(source non renseignée dans le catalogue)"
        return f"(source : {', '.join(part for part in (where, when) if part)})"

    @property
    def attachment_list(self) -> list[str]:
        """The pieces to attach, one per non-empty line."""
        return [line.strip(" -•\t") for line in self.attachments.splitlines() if line.strip(" -•\t")]

    def funds_stage(self, stage: str) -> bool:
        """True when the funder finances this stage (no stage listed = every stage)."""
        return not self.eligible_stages or stage in self.eligible_stages

    def funds_category(self, category: str) -> bool:
        """True when the funder finances this expense category (none listed = all)."""
        if not self.eligible_categories:
            return True
        return _normalise(category) in {_normalise(c) for c in self.eligible_categories}

    def funds_expense(self, expense: Expense) -> bool:
        """Stage and category both eligible."""
        return self.funds_stage(expense.stage) and self.funds_category(expense.category)


@dataclass(frozen=True)
class Resource:
    """A resource line: a grant (``"subvention"``), a loan (``"emprunt"``) or self-funding.

    A line is given **either** as an amount (``amount_cents``) **or** as a rate of its base
    (``rate_bp``): the base is the sum of the expenses listed in ``base_expense_ids``, HT or
    TTC as its funder counts. An amount-given grant may list a base too: its effective rate
    is then checked against that base instead of the whole stage. ``status`` is a value of
    :class:`~santeloc.domain.enums.ResourceStatus`; refused lines (``"refuse"``) are not
    counted.
    """

    id: int
    kind: str
    funder_code: str
    label: str
    stage: str
    amount_cents: int | None = None
    rate_bp: int | None = None
    base_expense_ids: frozenset[int] = frozenset()
    status: str = ResourceStatus.A_SOLLICITER.value


@dataclass(frozen=True)
class Plan:
    """Everything :func:`analyse` needs.

    * ``funders``: the project's catalogue (codes looked up from ``Resource.funder_code``).
    * ``maitre_ouvrage_is_public``: the owner is a collectivité or a groupement (commune,
      EPCI…): the minimum participation of CGCT art. L1111-10 applies.
    * ``maitre_ouvrage_name``: how messages name it, lower case as inside a sentence
      (``"la communauté de communes"``).
    * ``balance_ttc``: balance resources against TTC expenses instead of HT.
    * ``minimum_participation_bp``: 20 % by default; a préfet's derogation or the 30 % of an
      operation under a chef de file (CGCT art. L1111-9) changes it.
    * ``participation_stages``: stages forming the investment operation the rule applies to
      (the investment stage by default; add ``"ingenierie"`` when the studies lead to the
      works and are charged to the investment).
    """

    expenses: Sequence[Expense]
    resources: Sequence[Resource]
    funders: Sequence[FunderRule]
    maitre_ouvrage_is_public: bool = True
    maitre_ouvrage_name: str = "le maître d'ouvrage"
    balance_ttc: bool = False
    minimum_participation_bp: int = DEFAULT_MINIMUM_PARTICIPATION_BP
    participation_stages: frozenset[str] = frozenset({FinancingStage.INVESTISSEMENT.value})


# --- Validation (input forms) ----------------------------------------------------------------


def _check_stage(stage: str) -> None:
    if stage not in STAGES:
        raise ValidationError(
            f"L'étape « {stage} » est inconnue : choisissez Ingénierie, Investissement ou Fonctionnement."
        )


def validate_expense(expense: Expense) -> None:
    """Raise :class:`ValidationError` (French message) when the expense cannot be accepted.

    Checks: a label, a known stage, a non-negative HT amount, a VAT rate within 0–100 %.
    """
    if not expense.label.strip():
        raise ValidationError("Donnez un libellé à la dépense.")
    name = f"« {expense.label.strip()} »"
    _check_stage(expense.stage)
    if expense.amount_ht_cents < 0:
        raise ValidationError(f"Le montant HT de la dépense {name} ne peut pas être négatif.")
    if not 0 <= expense.vat_rate_bp <= FULL_BP:
        raise ValidationError(
            f"Le taux de TVA de la dépense {name} doit être compris entre 0 % et 100 % "
            f"(saisi : {format_bp(expense.vat_rate_bp, 1)})."
        )


def validate_resource(resource: Resource, expense_ids: Collection[int] | None = None) -> None:
    """Raise :class:`ValidationError` (French message) when the resource cannot be accepted.

    Checks: a label, a known kind, stage and status, exactly one of amount and rate, a
    non-negative amount, a rate within 0–100 %, and — when ``expense_ids`` (the plan's
    expenses) is given — a base made of existing expenses. A rate with an empty base is
    accepted (a draft); :func:`analyse` reports it.
    """
    if not resource.label.strip():
        raise ValidationError("Donnez un libellé à la ressource.")
    name = f"« {resource.label.strip()} »"
    if resource.kind not in KINDS:
        raise ValidationError(
            f"Le type de ressource « {resource.kind} » est inconnu : choisissez Subvention, Emprunt ou Autofinancement."
        )
    _check_stage(resource.stage)
    if resource.status not in STATUSES:
        raise ValidationError(f"Le statut « {resource.status} » de la ressource {name} est inconnu.")
    if resource.amount_cents is None and resource.rate_bp is None:
        raise ValidationError(f"Indiquez le montant de la ressource {name} ou son taux sur une assiette de dépenses.")
    if resource.amount_cents is not None and resource.rate_bp is not None:
        raise ValidationError(f"Indiquez soit un montant, soit un taux pour la ressource {name}, pas les deux.")
    if resource.amount_cents is not None and resource.amount_cents < 0:
        raise ValidationError(f"Le montant de la ressource {name} ne peut pas être négatif.")
    if resource.rate_bp is not None and not 0 <= resource.rate_bp <= FULL_BP:
        raise ValidationError(
            f"Le taux de la ressource {name} doit être compris entre 0 % et 100 % (saisi : {format_bp(resource.rate_bp, 1)})."
        )
    if expense_ids is not None:
        missing = sorted(set(resource.base_expense_ids) - set(expense_ids))
        if missing:
            raise ValidationError(
                f"L'assiette de la ressource {name} cite une dépense qui n'existe plus (n° {missing[0]})."
            )


def validate_funder(rule: FunderRule) -> None:
    """Raise :class:`ValidationError` (French message) when a funder rule cannot be accepted."""
    if not rule.code.strip():
        raise ValidationError("Donnez un code au financeur (par exemple DETR).")
    if not rule.name.strip():
        raise ValidationError(f"Donnez un nom au financeur {rule.code}.")
    if rule.max_rate_bp is not None and not 0 <= rule.max_rate_bp <= FULL_BP:
        raise ValidationError(
            f"Le taux maximal de {rule.name} doit être compris entre 0 % et 100 % "
            f"(saisi : {format_bp(rule.max_rate_bp, 1)})."
        )
    if rule.ceiling_cents is not None and rule.ceiling_cents < 0:
        raise ValidationError(f"Le plafond de {rule.name} ne peut pas être négatif.")
    for stage in sorted(rule.eligible_stages):
        _check_stage(stage)


# --- Default catalogue -----------------------------------------------------------------------

_INV = frozenset({FinancingStage.INVESTISSEMENT.value})
_ING_INV = frozenset({FinancingStage.INGENIERIE.value, FinancingStage.INVESTISSEMENT.value})
_ING_FONC = frozenset({FinancingStage.INGENIERIE.value, FinancingStage.FONCTIONNEMENT.value})
_FONC = frozenset({FinancingStage.FONCTIONNEMENT.value})

_STATE_2010 = (
    "Programme national 2010-2013 de maisons de santé rurales : l'État finançait de 25 % à 35 % "
    "de la dépense d'investissement selon le territoire et son classement en zone de revitalisation "
    "rurale (ZRR). Le taux maximal saisi (35 %) est le haut de cette fourchette : ramenez-le à 25 % "
    "hors ZRR, et à la règle de la circulaire préfectorale de l'année pour un dossier actuel. "
    "Ce programme n'est plus en vigueur : les règles appliquées aujourd'hui sont le décret n° 2018-514 "
    "(art. 10) et l'article L1111-10 III du CGCT."
)

_STATE_ATTACHMENTS = (
    "Délibération du maître d'ouvrage approuvant l'opération et son plan de financement\n"
    "Note explicative de l'opération\n"
    "Plan de financement prévisionnel détaillé\n"
    "Devis ou estimation détaillée du coût (avant-projet)\n"
    "Échéancier de réalisation de l'opération\n"
    "Attestation de non-commencement de l'opération\n"
    "Plan de situation et plan de masse\n"
    "Relevé d'identité bancaire du maître d'ouvrage"
)


_SOURCE_2010 = "programme national des maisons de santé en milieu rural 2010-2013"


def default_funders() -> list[FunderRule]:
    """The catalogue proposed to a new project; every value stays editable per project.

    Figures come from the methodology guide: the national programme of 2010 (State 25–35 % of
    investment depending on ZRR, prefilled as 35 % on DETR and FNADT but not on the historical
    DDR, whose demo grant of 2005 predates the programme; ARS up to 50 000 € per maison de
    santé for engineering and running costs) and a Région at 25 % capped at 150 000 €. A rate
    or ceiling the documents do not give is ``None``; a stage list they do not give is empty
    (every stage). ``conditions`` are notes for the user (never printed); ``mention`` and
    ``attachments`` are what the funder's application states and joins.
    Historical codes of the demo are included: ``DDR``, ``DEPARTEMENT``, ``ADEME``,
    ``FNADT``, ``EMPRUNT``.
    """
    return [
        FunderRule(
            "DETR",
            "État — Dotation d'équipement des territoires ruraux (DETR)",
            max_rate_bp=3_500,
            rule_source=_SOURCE_2010,
            rule_date=date(2010, 1, 1),
            eligible_stages=_INV,
            conditions=_STATE_2010
            + " Dossier déposé en préfecture avant le début des travaux, selon le calendrier et les "
            "catégories d'opérations prioritaires fixés chaque année par la commission départementale.",
            mention="L'opération n'a reçu aucun commencement d'exécution avant le dépôt de la présente "
            "demande (article R2334-24 du code général des collectivités territoriales).",
            attachments=_STATE_ATTACHMENTS,
            is_state=True,
        ),
        FunderRule(
            "DSIL",
            "État — Dotation de soutien à l'investissement local (DSIL)",
            eligible_stages=_INV,
            conditions="Dotation d'investissement instruite par la préfecture de région ; vérifiez que "
            "les maisons de santé figurent parmi les priorités de l'année. Cumulable avec la DETR dans "
            "la limite des taux d'aide de l'État.",
            mention="L'opération n'a reçu aucun commencement d'exécution avant le dépôt de la présente "
            "demande (article R2334-24 du code général des collectivités territoriales).",
            attachments=_STATE_ATTACHMENTS,
            is_state=True,
        ),
        FunderRule(
            "FNADT",
            "État — Fonds national d'aménagement et de développement du territoire (FNADT)",
            max_rate_bp=3_500,
            rule_source=_SOURCE_2010,
            rule_date=date(2010, 1, 1),
            eligible_stages=_ING_INV,
            conditions=_STATE_2010 + " Le FNADT peut aussi soutenir des études et de l'ingénierie de projet.",
            attachments=_STATE_ATTACHMENTS,
            is_state=True,
        ),
        FunderRule(
            "REGION",
            "Région",
            max_rate_bp=2_500,
            ceiling_cents=15_000_000,
            rule_source="exemple du guide méthodologique pour les élus (2010)",
            rule_date=date(2010, 1, 1),
            eligible_stages=_ING_INV,
            conditions="Exemple du guide : 25 % de l'investissement, plafonnés à 150 000 €. Conditions "
            "fréquentes : nombre de professionnels réunis, implantation en zone déficitaire, exercice "
            "en secteur 1 sans dépassements, accueil de stagiaires, participation à la permanence des "
            "soins. Certaines régions financent aussi l'étude de faisabilité et l'ingénierie.",
            mention="Les professionnels de la maison de santé s'engagent à accueillir des stagiaires et à "
            "participer à la permanence des soins du secteur.",
            attachments="Délibération du maître d'ouvrage approuvant l'opération et son plan de financement\n"
            "Note explicative de l'opération\n"
            "Projet de santé des professionnels\n"
            "Plan de financement prévisionnel détaillé\n"
            "Échéancier de réalisation de l'opération\n"
            "Relevé d'identité bancaire du maître d'ouvrage",
        ),
        FunderRule(
            "DEPARTEMENT",
            "Département",
            conditions="Aide aux communes et à leurs groupements selon le règlement départemental "
            "(CGCT, art. L1111-10, I) ; taux et plafond à reprendre du règlement en vigueur.",
            attachments="Délibération du maître d'ouvrage approuvant l'opération et son plan de financement\n"
            "Note explicative de l'opération\n"
            "Plan de financement prévisionnel détaillé\n"
            "Devis ou estimation détaillée du coût\n"
            "Relevé d'identité bancaire du maître d'ouvrage",
        ),
        FunderRule(
            "ARS",
            "Agence régionale de santé — Fonds d'intervention régional (FIR)",
            ceiling_cents=5_000_000,
            rule_source=_SOURCE_2010,
            rule_date=date(2010, 1, 1),
            eligible_stages=_ING_FONC,
            conditions="Études préalables, ingénierie et fonctionnement (coordination, secrétariat, "
            "informatique) : jusqu'à 50 000 € par maison de santé dans le programme de 2010. "
            "Suppose un projet de santé validé par l'ARS et conforme au cahier des charges national, "
            "et un contrat entre l'agence et la structure.",
            mention="Le projet de santé joint est conforme au cahier des charges national des maisons de "
            "santé pluriprofessionnelles et au projet régional de santé.",
            attachments="Projet de santé signé par les professionnels\n"
            "Diagnostic local de santé\n"
            "Budget prévisionnel de l'action financée\n"
            "Statuts de la structure et liste des professionnels associés\n"
            "Relevé d'identité bancaire",
        ),
        FunderRule(
            "FEDER",
            "Union européenne — Fonds européen de développement régional (FEDER)",
            conditions="Selon le programme régional et son appel à projets. Une contrepartie "
            "publique nationale est exigée et l'aide est versée sur dépenses acquittées : prévoyez "
            "la trésorerie. Précisez si la base retenue est HT ou TTC.",
        ),
        FunderRule(
            "FEADER",
            "Union européenne — FEADER / LEADER",
            conditions="Par le groupe d'action locale (GAL) du territoire, si le projet entre dans "
            "sa stratégie locale de développement. Une contrepartie publique nationale est exigée ; "
            "versement sur dépenses acquittées.",
        ),
        FunderRule(
            "ADEME",
            "ADEME — Agence de la transition écologique",
            eligible_stages=_INV,
            conditions="Volet énergétique du bâtiment : chaufferie bois ou autre chaleur "
            "renouvelable, performance thermique. Joindre l'étude énergétique ; aide calculée sur "
            "le surcoût ou l'équipement concerné, pas sur tout le bâtiment.",
            attachments="Étude énergétique du bâtiment\nDevis de l'équipement concerné",
        ),
        FunderRule(
            "ASSURANCE_MALADIE",
            "Assurance Maladie",
            is_public=False,
            eligible_stages=_FONC,
            conditions="Fonctionnement de l'équipe (rémunérations collectives de l'accord "
            "conventionnel interprofessionnel, anciennes expérimentations de nouveaux modes de "
            "rémunération). Les caisses sont des organismes de droit privé chargés d'un service "
            "public : leur aide n'entre pas dans le financement public au sens de l'article "
            "L1111-10 du CGCT.",
        ),
        FunderRule(
            "AUTRE",
            "Autre financeur",
            conditions="Précisez le financeur dans le libellé. Décochez « public » pour un "
            "financement privé (mécénat, fondation, organisme de droit privé) : il ne compte pas "
            "dans le financement public.",
        ),
        FunderRule(
            "DDR",
            "État — Dotation de développement rural (DDR)",
            eligible_stages=_INV,
            conditions="Code historique, pour les plans antérieurs à 2011 (la maison de santé de "
            "Saint-Amand-en-Puisaye, ouverte en 2005, en a reçu 324 547 €, soit 40,8 % de son budget). "
            "Ses taux étaient fixés par département ; en 2010 le programme national de maisons de santé "
            "la mobilisait avec le FNADT, l'aide de l'État étant alors limitée à 25 % à 35 % de "
            "l'investissement selon le classement en ZRR.",
            is_state=True,
        ),
        FunderRule(
            "EMPRUNT",
            "Emprunt du maître d'ouvrage",
            is_public=False,
            conditions="Emprunt contracté et remboursé par le maître d'ouvrage : il compte dans sa "
            "participation propre, pas dans les subventions. Les loyers des professionnels couvrent "
            "en général les annuités.",
        ),
    ]


# --- Analysis results ------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """Something the user should know about the plan, in plain French.

    ``severity``: ``"erreur"`` (the plan cannot be submitted as it is), ``"alerte"`` (a funder
    rule is likely broken), ``"info"``. ``code`` is one of the ``F_*`` constants.
    """

    severity: Severity
    code: str
    message: str
    resource_id: int | None = None
    stage: str | None = None


@dataclass(frozen=True)
class ResourceResult:
    """A resource line as analysed.

    * ``amount_cents``: the amount counted (rate × base, rounded half up once, for a line
      given as a rate); 0 when the line is not counted.
    * ``counted``: False for a refused line or an invalid one.
    * ``base_cents``: the base (assiette) the rate applies to, HT or TTC as the funder counts
      (``base_is_ttc``). For an amount-given grant without listed base, the base is the
      stage's expenses eligible for its funder (``base_is_explicit`` False); ``None`` for a
      loan or self-funding without base.
    * ``effective_rate_bp``: amount / base.
    * ``share_of_stage_bp`` / ``share_of_overall_bp``: amount / total expenses of the stage /
      of the plan (HT or TTC per ``Plan.balance_ttc``), apportioned by largest remainder
      among the counted lines of that scope; ``None`` when the scope has no expense.
    """

    resource: Resource
    amount_cents: int
    counted: bool
    base_cents: int | None = None
    base_is_ttc: bool = False
    base_is_explicit: bool = False
    effective_rate_bp: int | None = None
    share_of_stage_bp: int | None = None
    share_of_overall_bp: int | None = None

    @property
    def id(self) -> int:
        return self.resource.id


@dataclass(frozen=True)
class FunderShare:
    """The lines of one funder added up within a scope (a stage or the whole plan).

    ``code`` is the funder code of grants (``""`` when not given), the funder code of loans
    (``"EMPRUNT"`` when not given) and ``"AUTOFINANCEMENT"`` for every self-funding line.
    ``share_bp`` is the share of the scope's expenses (apportioned by largest remainder among
    the scope's funders so that a balanced scope sums to exactly 10 000 bp);
    ``share_of_overall_bp`` the share of the whole plan's expenses (for a stage: simply
    rounded half up, not apportioned). ``is_public_grant``: a grant from a public funder.
    """

    code: str
    name: str
    kind: str
    is_public_grant: bool
    amount_cents: int
    share_bp: int | None
    share_of_overall_bp: int | None


@dataclass(frozen=True)
class StageAnalysis:
    """Totals of one stage, or of the whole plan (``stage`` None).

    * ``expenses_cents``: the total the plan balances against (HT, or TTC when
      ``Plan.balance_ttc``); ``balance_cents`` = resources − expenses (negative: reste à
      financer; positive: resources exceed expenses).
    * ``public_funding_cents``: grants from public funders (personnes publiques other than the
      maître d'ouvrage); ``private_funding_cents``: grants from the others.
    * ``self_funding_cents`` (autofinancement) + ``loans_cents`` (emprunts) =
      ``owner_participation_cents``, the maître d'ouvrage's own participation.
    * ``public_funding_with_owner_cents``: the public funding of the operation in the sense of
      CGCT art. L1111-10 — the public grants plus, when the maître d'ouvrage is itself a
      personne publique, its own participation.
    * ``owner_share_of_public_bp``: owner participation / public funding with owner (the
      ratio the 20 % rule looks at); ``None`` when the owner is not public or there is no
      public funding.
    * ``*_share_bp``: shares of ``expenses_cents``, rounded half up once; ``None`` without
      expenses.
    """

    stage: str | None
    label: str
    expenses_ht_cents: int
    expenses_ttc_cents: int
    expenses_cents: int
    resources_cents: int
    balance_cents: int
    resources: tuple[ResourceResult, ...]
    funders: tuple[FunderShare, ...]
    public_funding_cents: int
    public_funding_share_bp: int | None
    private_funding_cents: int
    self_funding_cents: int
    loans_cents: int
    owner_participation_cents: int
    owner_participation_share_bp: int | None
    public_funding_with_owner_cents: int
    owner_share_of_public_bp: int | None

    @property
    def is_balanced(self) -> bool:
        return self.balance_cents == 0

    @property
    def remaining_to_finance_cents(self) -> int:
        """Reste à financer: what resources lack (0 when balanced or in excess)."""
        return max(0, -self.balance_cents)

    @property
    def is_empty(self) -> bool:
        """No expense and no resource line in this scope."""
        return self.expenses_ht_cents == 0 and not self.resources

    def funder(self, code: str) -> FunderShare | None:
        """The funder group of that code, if any."""
        return next((f for f in self.funders if f.code == code), None)


@dataclass(frozen=True)
class PlanAnalysis:
    """What :func:`analyse` returns: one :class:`StageAnalysis` per stage (always the three,
    in methodology order), the whole plan, and the findings sorted by severity."""

    stages: tuple[StageAnalysis, ...]
    overall: StageAnalysis
    findings: tuple[Finding, ...]
    balance_ttc: bool = False
    maitre_ouvrage_is_public: bool = True

    def stage(self, stage: str) -> StageAnalysis:
        """Analysis of one stage by value (``"investissement"``)."""
        for item in self.stages:
            if item.stage == stage:
                return item
        raise KeyError(stage)

    @property
    def is_balanced(self) -> bool:
        """Every stage balanced."""
        return all(item.is_balanced for item in self.stages)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == ERREUR)

    @property
    def alerts(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == ALERTE)

    def findings_for(self, resource_id: int) -> tuple[Finding, ...]:
        """Findings about one resource line (to flag it in a table)."""
        return tuple(f for f in self.findings if f.resource_id == resource_id)


# --- Analysis --------------------------------------------------------------------------------


def _subject(resource: Resource) -> str:
    """``La subvention « DETR »`` — the line as the subject of a sentence."""
    name = f"« {resource.label.strip() or resource.funder_code or '?'} »"
    if resource.kind == ResourceKind.EMPRUNT.value:
        return f"L'emprunt {name}"
    if resource.kind == ResourceKind.AUTOFINANCEMENT.value:
        return f"L'autofinancement {name}"
    if resource.kind == ResourceKind.PARTICIPATION.value:
        return f"La participation {name}"
    if resource.kind == ResourceKind.SUBVENTION.value:
        return f"La subvention {name}"
    return f"La ressource {name}"


def _group_key(resource: Resource) -> str:
    if resource.kind == ResourceKind.AUTOFINANCEMENT.value:
        return SELF_FUNDING_GROUP
    if resource.kind == ResourceKind.PARTICIPATION.value:
        return THIRD_PARTY_GROUP
    if resource.kind == ResourceKind.EMPRUNT.value:
        return resource.funder_code.strip() or LOAN_GROUP
    return resource.funder_code.strip()


def _group_name(code: str, kind: str, rules: dict[str, FunderRule]) -> str:
    if kind == ResourceKind.AUTOFINANCEMENT.value:
        return "Autofinancement"
    if kind == ResourceKind.PARTICIPATION.value:
        return "Participations de tiers"
    rule = rules.get(code)
    if rule is not None:
        return rule.name
    if kind == ResourceKind.EMPRUNT.value:
        return "Emprunt" if code == LOAN_GROUP else f"Emprunt ({code})"
    return code or "Financeur non précisé"


@dataclass
class _Line:
    """Working state of one resource line during the analysis."""

    resource: Resource
    amount: int = 0
    counted: bool = False
    rule: FunderRule | None = None
    base_expenses: list[Expense] = field(default_factory=list)
    base: int | None = None
    base_is_ttc: bool = False
    explicit: bool = False
    stage_share: int | None = None
    overall_share: int | None = None


def _is_public_grant(line: _Line) -> bool:
    return line.resource.kind == ResourceKind.SUBVENTION.value and (line.rule is None or line.rule.is_public)


def _evaluate_line(
    resource: Resource,
    rules: dict[str, FunderRule],
    expenses: dict[int, Expense],
    valid: list[Expense],
    findings: list[Finding],
) -> _Line:
    """Validate a line, compute its base and amount, and report its own problems."""
    line = _Line(resource)
    subject = _subject(resource)
    try:
        validate_resource(resource)
    except ValidationError as error:
        findings.append(
            Finding(
                ERREUR,
                F_INVALID_RESOURCE,
                f"{error.message} Cette ligne n'est pas comptée.",
                resource.id,
                resource.stage if resource.stage in STAGES else None,
            )
        )
        return line
    stage = resource.stage
    if resource.status == ResourceStatus.REFUSE.value:
        if resource.kind == ResourceKind.SUBVENTION.value:
            message = f"{subject} a été refusée : elle n'est pas comptée dans le plan."
        else:
            message = f"{subject} est marqué refusé : il n'est pas compté dans le plan."
        findings.append(Finding(INFO, F_REFUSED, message, resource.id, stage))
        return line
    line.counted = True
    if resource.kind == ResourceKind.SUBVENTION.value:
        code = resource.funder_code.strip()
        line.rule = rules.get(code)
        if not code:
            findings.append(
                Finding(
                    ALERTE,
                    F_UNKNOWN_FUNDER,
                    f"{subject} n'indique pas son financeur : elle est "
                    "comptée comme financement public, sans contrôle de taux ni de plafond.",
                    resource.id,
                    stage,
                )
            )
        elif line.rule is None:
            findings.append(
                Finding(
                    ALERTE,
                    F_UNKNOWN_FUNDER,
                    f"{subject} cite un financeur absent du catalogue "
                    f"(« {code} ») : elle est comptée comme financement public, sans contrôle de "
                    "taux ni de plafond.",
                    resource.id,
                    stage,
                )
            )
    else:
        line.rule = rules.get(resource.funder_code.strip())
    line.base_is_ttc = line.rule.counts_ttc if line.rule is not None else False
    missing = sorted(i for i in resource.base_expense_ids if i not in expenses)
    if missing:
        numbers = ", ".join(f"n° {i}" for i in missing)
        findings.append(
            Finding(
                ERREUR,
                F_MISSING_BASE,
                f"{subject} s'appuie sur des dépenses supprimées ou invalides ({numbers}) : revoyez son assiette.",
                resource.id,
                stage,
            )
        )
    line.base_expenses = [expenses[i] for i in sorted(resource.base_expense_ids) if i in expenses]
    line.explicit = bool(line.base_expenses)
    if line.explicit:
        line.base = sum(e.amount_cents(line.base_is_ttc) for e in line.base_expenses)
    elif resource.kind == ResourceKind.SUBVENTION.value and resource.rate_bp is None:
        rule = line.rule
        line.base = sum(
            e.amount_cents(line.base_is_ttc)
            for e in valid
            if e.stage == stage and (rule is None or rule.funds_category(e.category))
        )
    if resource.rate_bp is not None:
        if not resource.base_expense_ids:
            kind_word = "qu'elle finance" if resource.kind == ResourceKind.SUBVENTION.value else "qu'il finance"
            findings.append(
                Finding(
                    ERREUR,
                    F_NO_BASE,
                    f"{subject} n'a pas d'assiette : choisissez les dépenses {kind_word}.",
                    resource.id,
                    stage,
                )
            )
        line.amount = _div_half_up((line.base or 0) * resource.rate_bp, FULL_BP)
    else:
        line.amount = resource.amount_cents or 0
    return line


def _scope_analysis(
    stage: str | None,
    lines: list[_Line],
    expenses: list[Expense],
    plan: Plan,
    rules: dict[str, FunderRule],
    overall_expenses: int,
) -> StageAnalysis:
    """Totals, funder groups and shares of one scope (a stage, or the plan when stage is None).

    Also records each counted line's share of the scope on the line (``stage_share`` or
    ``overall_share``).
    """
    ht = sum(e.amount_ht_cents for e in expenses)
    ttc = sum(e.amount_ttc_cents for e in expenses)
    whole = ttc if plan.balance_ttc else ht
    counted = [line for line in lines if line.counted]
    resources_total = sum(line.amount for line in counted)

    # Funder groups, grants first (in order of appearance), then loans, then self-funding.
    kind_rank = {
        ResourceKind.SUBVENTION.value: 0,
        ResourceKind.EMPRUNT.value: 1,
        ResourceKind.AUTOFINANCEMENT.value: 2,
        ResourceKind.PARTICIPATION.value: 3,
    }
    groups: dict[tuple[int, str], list[_Line]] = {}
    for line in counted:
        key = (kind_rank[line.resource.kind], _group_key(line.resource))
        groups.setdefault(key, []).append(line)
    ordered = sorted(groups, key=lambda k: k[0])  # stable: keeps order of appearance within a kind
    amounts = [sum(line.amount for line in groups[key]) for key in ordered]
    shares = _apportioned_shares(amounts, whole)
    funder_shares: list[FunderShare] = []
    for key, amount, share in zip(ordered, amounts, shares, strict=True):
        first = groups[key][0]
        kind = first.resource.kind
        funder_shares.append(
            FunderShare(
                code=key[1],
                name=_group_name(key[1], kind, rules),
                kind=kind,
                is_public_grant=_is_public_grant(first),
                amount_cents=amount,
                share_bp=share,
                share_of_overall_bp=share if stage is None else share_bp(amount, overall_expenses),
            )
        )

    line_shares = _apportioned_shares([line.amount for line in counted], whole)
    for line, share in zip(counted, line_shares, strict=True):
        if stage is None:
            line.overall_share = share
        else:
            line.stage_share = share

    public = sum(line.amount for line in counted if _is_public_grant(line))
    private = sum(
        line.amount
        for line in counted
        if line.resource.kind == ResourceKind.SUBVENTION.value and not _is_public_grant(line)
    )
    self_funding = sum(line.amount for line in counted if line.resource.kind == ResourceKind.AUTOFINANCEMENT.value)
    loans = sum(line.amount for line in counted if line.resource.kind == ResourceKind.EMPRUNT.value)
    owner = self_funding + loans
    public_with_owner = public + (owner if plan.maitre_ouvrage_is_public else 0)
    owner_share = share_bp(owner, public_with_owner) if plan.maitre_ouvrage_is_public else None
    return StageAnalysis(
        stage=stage,
        label=stage_label(stage) if stage is not None else "Ensemble du plan",
        expenses_ht_cents=ht,
        expenses_ttc_cents=ttc,
        expenses_cents=whole,
        resources_cents=resources_total,
        balance_cents=resources_total - whole,
        resources=(),  # filled by analyse() once every share is known
        funders=tuple(funder_shares),
        public_funding_cents=public,
        public_funding_share_bp=share_bp(public, whole),
        private_funding_cents=private,
        self_funding_cents=self_funding,
        loans_cents=loans,
        owner_participation_cents=owner,
        owner_participation_share_bp=share_bp(owner, whole),
        public_funding_with_owner_cents=public_with_owner,
        owner_share_of_public_bp=owner_share,
    )


def _balance_finding(item: StageAnalysis, ttc: bool) -> Finding | None:
    if item.is_balanced or item.is_empty:
        return None
    basis = "TTC" if ttc else "HT"
    if item.balance_cents < 0:
        message = f"{item.label} : il manque {_eur(-item.balance_cents)} pour équilibrer le plan."
    elif item.expenses_cents == 0:
        message = (
            f"{item.label} : {_eur(item.balance_cents)} de ressources sont inscrites sans aucune dépense "
            "dans cette étape."
        )
    else:
        message = (
            f"{item.label} : les ressources dépassent de {_eur(item.balance_cents)} les dépenses "
            f"({_eur(item.expenses_cents)} {basis}) ; réduisez une ressource ou complétez les dépenses."
        )
    return Finding(ERREUR, F_UNBALANCED, message, None, item.stage)


def _percent_text(part: int, whole: int, digits: int = 1) -> str:
    """``part / whole`` as a French percentage, rounded half up once to ``digits`` decimals."""
    shown = _round_fraction(Fraction(part * 100 * 10**digits, whole))
    return format_percent(Decimal(shown).scaleb(-digits), digits)


def _share_text(part: int, whole: int, limit_bp: int) -> str:
    """``part / whole`` with one decimal, or more when one would read as ``limit_bp`` itself.

    Keeps a message honest: 19,96 % against a 20 % minimum shows "19,96 %", not "20,0 %";
    35,004 % against a 35 % maximum shows "35,004 %".
    """
    digits = 1
    if part * FULL_BP != limit_bp * whole:
        while digits < 4 and _round_fraction(Fraction(part * 100 * 10**digits, whole)) * 100 == limit_bp * 10**digits:
            digits += 1
    return _percent_text(part, whole, digits)


def participation_share_text(
    owner_cents: int, public_cents: int, minimum_bp: int = DEFAULT_MINIMUM_PARTICIPATION_BP
) -> str:
    """The owner's share of the public funding as every document prints it (one rounding, see
    :func:`_share_text`): the délibération and the plan's rule quote the same figure."""
    return _share_text(owner_cents, public_cents, minimum_bp)


def _participation_findings(plan: Plan, lines: list[_Line]) -> list[Finding]:
    """CGCT art. L1111-10, III: the owner's participation against the public funding.

    Interpretation (see :func:`analyse`): owner participation = self-funding + loans of the
    scope stages; public funding of the operation = grants from public funders + the owner's
    participation (the maître d'ouvrage being itself a personne publique); private funding
    is left out of both. Compliance: ``owner ≥ minimum × public funding``, compared exactly.
    """
    if not plan.maitre_ouvrage_is_public:
        return []
    scope = [line for line in lines if line.counted and line.resource.stage in plan.participation_stages]
    grants = sum(line.amount for line in scope if _is_public_grant(line))
    owner = sum(line.amount for line in scope if line.resource.kind in OWNER_KINDS)
    public_total = grants + owner
    if grants == 0 or public_total == 0:
        return []
    minimum = plan.minimum_participation_bp
    who = plan.maitre_ouvrage_name.strip() or "le maître d'ouvrage"
    where = _stage_list(plan.participation_stages)
    stage = next(iter(plan.participation_stages)) if len(plan.participation_stages) == 1 else None
    share_text = _share_text(owner, public_total, minimum)
    if owner * FULL_BP >= minimum * public_total:
        return [
            Finding(
                INFO,
                F_MINIMUM_PARTICIPATION_OK,
                f"{where} : {who} apporte {share_text} du financement public ({_eur(owner)} sur "
                f"{_eur(public_total)}), ce qui respecte le minimum de {_pct(minimum)} (CGCT, art. L1111-10).",
                None,
                stage,
            )
        ]
    required = -((-minimum * public_total) // FULL_BP)  # rounded up to the cent: the law says "at least"
    return [
        Finding(
            ERREUR,
            F_MINIMUM_PARTICIPATION,
            f"{where} : {who} apporte {share_text} du financement public ({_eur(owner)} sur "
            f"{_eur(public_total)}) ; le minimum légal est {_pct(minimum)} (CGCT, art. L1111-10). "
            f"{_capitalize(who)} doit apporter au moins {_eur(required)} en autofinancement ou emprunt, "
            f"soit {_eur(required - owner)} de plus à la place de subventions publiques.",
            None,
            stage,
        )
    ]


def _rule_findings(lines: list[_Line]) -> list[Finding]:
    """Eligibility and rate cap of each grant against its funder's rule."""
    findings: list[Finding] = []
    for line in lines:
        rule, resource = line.rule, line.resource
        if not line.counted or rule is None or resource.kind != ResourceKind.SUBVENTION.value:
            continue
        subject = _subject(resource)
        if not rule.funds_stage(resource.stage):
            findings.append(
                Finding(
                    ALERTE,
                    F_NOT_ELIGIBLE,
                    f"{subject} est inscrite en {stage_label(resource.stage)}, une étape non financée par "
                    f"{rule.name} (étapes retenues : {_stage_list(rule.eligible_stages).lower()}).",
                    resource.id,
                    resource.stage,
                )
            )
        reasons: list[str] = []
        for expense in line.base_expenses:
            if not rule.funds_stage(expense.stage):
                reasons.append(f"« {expense.label} » (étape {stage_label(expense.stage)})")
            elif not rule.funds_category(expense.category):
                reasons.append(f"« {expense.label} » (catégorie « {expense.category or 'non précisée'} »)")
        if reasons:
            findings.append(
                Finding(
                    ALERTE,
                    F_NOT_ELIGIBLE,
                    f"{subject} compte dans son assiette des dépenses non retenues par {rule.name} : "
                    f"{', '.join(reasons)}.",
                    resource.id,
                    resource.stage,
                )
            )
        if rule.max_rate_bp is None or not line.base:
            continue
        basis = "TTC" if line.base_is_ttc else "HT"
        allowed = _div_half_up(line.base * rule.max_rate_bp, FULL_BP)
        if resource.rate_bp is not None and resource.rate_bp > rule.max_rate_bp:
            findings.append(
                Finding(
                    ALERTE,
                    F_RATE_EXCEEDED,
                    f"{subject} est demandée au taux de {_pct(resource.rate_bp)} ; {rule.name} "
                    f"finance au plus {_pct(rule.max_rate_bp)} de l'assiette {rule.source_text}, soit "
                    f"{_eur(allowed)} sur {_eur(line.base)} {basis} (demandé : {_eur(line.amount)}).",
                    resource.id,
                    resource.stage,
                )
            )
        elif resource.rate_bp is None and line.amount * FULL_BP > rule.max_rate_bp * line.base:
            what = (
                "de son assiette"
                if line.explicit
                else f"des dépenses éligibles de l'étape {stage_label(resource.stage)}"
            )
            effective = _share_text(line.amount, line.base, rule.max_rate_bp)
            findings.append(
                Finding(
                    ALERTE,
                    F_RATE_EXCEEDED,
                    f"{subject} représente {effective} {what} ({_eur(line.amount)} sur "
                    f"{_eur(line.base)} {basis}) ; {rule.name} finance au plus "
                    f"{_pct(rule.max_rate_bp)} {rule.source_text}, soit {_eur(allowed)}.",
                    resource.id,
                    resource.stage,
                )
            )
    return findings


def _ceiling_findings(lines: list[_Line]) -> list[Finding]:
    """Each funder's ceiling against all its counted grants to the project."""
    findings: list[Finding] = []
    by_code: dict[str, list[_Line]] = {}
    for line in lines:
        if line.counted and line.rule is not None and line.resource.kind == ResourceKind.SUBVENTION.value:
            by_code.setdefault(line.rule.code, []).append(line)
    for group in by_code.values():
        rule = group[0].rule
        assert rule is not None
        total = sum(line.amount for line in group)
        if rule.ceiling_cents is None or total <= rule.ceiling_cents:
            continue
        excess = _eur(total - rule.ceiling_cents)
        if len(group) == 1:
            resource = group[0].resource
            message = (
                f"{_subject(resource)} atteint {_eur(total)}, au-delà du plafond fixé par {rule.name} "
                f"({_eur(rule.ceiling_cents)} par projet {rule.source_text} ; dépassement de {excess})."
            )
            findings.append(Finding(ALERTE, F_CEILING_EXCEEDED, message, resource.id, resource.stage))
        else:
            message = (
                f"{rule.name} : les {len(group)} subventions demandées totalisent {_eur(total)}, au-delà du "
                f"plafond de {_eur(rule.ceiling_cents)} par projet {rule.source_text} (dépassement de {excess})."
            )
            findings.append(Finding(ALERTE, F_CEILING_EXCEEDED, message))
    return findings


PUBLIC_AID_RULE = (
    "Les aides publiques directes cumulées ne dépassent pas la dépense subventionnable "
    "(décret n° 2018-514 du 25 juin 2018, art. 10) ; le maître d'ouvrage public en garde au moins 20 % "
    "du financement public (CGCT, art. L1111-10 III)."
)
"""The public-aid rule in one sentence, for the list of rules of step 7."""


def short_name(rule: FunderRule) -> str:
    """« État — Dotation d'équipement des territoires ruraux (DETR) » → « DETR »; « Région » stays."""
    name = rule.name.strip()
    if name.endswith(")") and "(" in name:
        return name[name.rindex("(") + 1 : -1]
    return name or rule.code


def _public_aid_findings(plan: Plan, lines: list[_Line], valid: Sequence[Expense]) -> list[Finding]:
    """Décret n° 2018-514 art. 10: all public grants of the investment against its subsidisable expense."""
    stage = FinancingStage.INVESTISSEMENT.value
    public = [line for line in lines if line.counted and line.resource.stage == stage and _is_public_grant(line)]
    whole = sum(e.amount_ttc_cents if plan.balance_ttc else e.amount_ht_cents for e in valid if e.stage == stage)
    if not public or whole == 0:
        return []
    total = sum(line.amount for line in public)
    names = ", ".join(
        dict.fromkeys(short_name(line.rule) if line.rule else _group_key(line.resource) for line in public)
    )
    basis = "TTC" if plan.balance_ttc else "HT"
    share = _share_text(total, whole, FULL_BP)
    head = (
        f"Aides publiques directes à l'investissement ({names}) : {_eur(total)}, soit {share} de la dépense "
        f"subventionnable de {_eur(whole)} {basis}"
    )
    if total <= whole:
        return [
            Finding(
                INFO,
                F_PUBLIC_AID_CAP_OK,
                f"{head} ; elles ne la dépassent pas (décret n° 2018-514 du 25 juin 2018, art. 10).",
                None,
                stage,
            )
        ]
    return [
        Finding(
            ALERTE,
            F_PUBLIC_AID_CAP,
            f"{head} : elles la dépassent de {_eur(total - whole)}, ce que le décret n° 2018-514 du 25 juin "
            "2018 (art. 10) interdit.",
            None,
            stage,
        )
    ]


def _self_funding_findings(lines: list[_Line]) -> list[Finding]:
    """A self-funding line that names a funder is a grant or a loan entered under the wrong kind."""
    findings = []
    for line in lines:
        resource = line.resource
        if resource.kind == ResourceKind.AUTOFINANCEMENT.value and resource.funder_code.strip():
            findings.append(
                Finding(
                    ALERTE,
                    F_SELF_FUNDING_FUNDER,
                    f"{_subject(resource)} désigne un financeur ({resource.funder_code.strip()}) : "
                    "l'autofinancement est l'argent propre du maître d'ouvrage. Choisissez « Subvention », "
                    "« Emprunt » ou « Participation de tiers », ou retirez le financeur.",
                    resource.id,
                    resource.stage,
                )
            )
    return findings


def analyse(plan: Plan) -> PlanAnalysis:
    """Analyse a financing plan: totals, balance, shares, public funding, findings.

    Per stage and for the whole plan (:class:`StageAnalysis`): expenses HT and TTC, resources,
    balance, each line's amount (rate × base for a line given as a rate), each funder's share,
    public funding, self-funding and loans. Invalid lines (see :func:`validate_expense`,
    :func:`validate_resource`) and refused ones are reported and not counted.

    **Shares** are shares of the scope's expenses (HT, or TTC with ``Plan.balance_ttc``). The
    scope's total share ``Σ resources / expenses`` is rounded half up once to a whole basis
    point, then apportioned among the lines (and separately among the funders) by largest
    remainder: each share is within 1 bp of its exact value and, when the scope is balanced,
    the shares sum to exactly 10 000 bp (100,00 %).

    **Minimum participation of a public maître d'ouvrage (CGCT art. L1111-10, III)**: the
    collectivité or groupement that owns an investment operation must bring at least 20 %
    of *the total amount of the financing brought to the operation by personnes publiques*.
    Read as the circular of 5 April 2012 and the préfectures apply it:

    * the maître d'ouvrage being itself a personne publique, its own participation is part of
      that total: the rule is ``owner ≥ 20 % × (public grants + owner)``, i.e. the public
      grants may cover at most 80 % of the publicly-funded part (equivalently the owner must
      bring at least a quarter of the public grants it receives);
    * the owner's participation is its self-funding **plus its loans** (it repays them);
    * grants from funders that are not personnes publiques (``FunderRule.is_public`` False:
      patronage, foundations, private-law bodies such as the health insurance funds) count
      in neither side;
    * it applies to the investment operation only: the stages of
      ``Plan.participation_stages`` (investment by default) taken together;
    * it applies only when ``Plan.maitre_ouvrage_is_public`` and some public grant exists.

    Failing → ``"erreur"`` finding with the share, the minimum and the missing amount;
    complying → ``"info"`` finding with the share.

    **Other checks**: no expense (erreur); each stage's balance (erreur, "il manque …" /
    "dépassent de …"); a rate-given line without base (erreur); a base citing a missing
    expense (erreur); a grant without or with an unknown funder (alerte); a grant in a stage,
    or counting expenses of a stage or category, its funder does not fund (alerte); a grant
    above its funder's maximum rate (alerte: the requested rate, or amount / base for an
    amount-given grant, the base being the listed expenses or else the stage's eligible
    expenses); a funder's grants above its ceiling, all lines of the project together
    (alerte). Findings are sorted by severity, in the order above within a severity.
    """
    findings: list[Finding] = []
    rules = {rule.code: rule for rule in plan.funders}
    valid: list[Expense] = []
    for expense in plan.expenses:
        try:
            validate_expense(expense)
        except ValidationError as error:
            findings.append(
                Finding(
                    ERREUR,
                    F_INVALID_EXPENSE,
                    f"{error.message} Cette dépense n'est pas comptée.",
                    None,
                    expense.stage if expense.stage in STAGES else None,
                )
            )
            continue
        valid.append(expense)
    if not plan.expenses:
        findings.append(
            Finding(
                ERREUR,
                F_NO_EXPENSE,
                "Le plan de financement ne comporte aucune dépense : saisissez d'abord les dépenses à financer.",
            )
        )
    by_id = {expense.id: expense for expense in valid}
    lines = [_evaluate_line(resource, rules, by_id, valid, findings) for resource in plan.resources]

    overall_whole = sum(e.amount_ttc_cents if plan.balance_ttc else e.amount_ht_cents for e in valid)
    stage_items = [
        _scope_analysis(
            stage,
            [line for line in lines if line.resource.stage == stage],
            [e for e in valid if e.stage == stage],
            plan,
            rules,
            overall_whole,
        )
        for stage in STAGES
    ]
    overall = _scope_analysis(None, lines, valid, plan, rules, overall_whole)

    results = [
        ResourceResult(
            resource=line.resource,
            amount_cents=line.amount if line.counted else 0,
            counted=line.counted,
            base_cents=line.base,
            base_is_ttc=line.base_is_ttc,
            base_is_explicit=line.explicit,
            effective_rate_bp=share_bp(line.amount, line.base) if line.base else None,
            share_of_stage_bp=line.stage_share,
            share_of_overall_bp=line.overall_share,
        )
        for line in lines
    ]
    stage_items = [
        replace(item, resources=tuple(r for r in results if r.resource.stage == item.stage)) for item in stage_items
    ]
    overall = replace(overall, resources=tuple(results))

    for item in stage_items:
        balance = _balance_finding(item, plan.balance_ttc)
        if balance is not None:
            findings.append(balance)
    findings.extend(_participation_findings(plan, lines))
    findings.extend(_rule_findings(lines))
    findings.extend(_ceiling_findings(lines))
    findings.extend(_public_aid_findings(plan, lines, valid))
    findings.extend(_self_funding_findings(lines))
    findings.sort(key=lambda f: _SEVERITY_ORDER[f.severity])
    return PlanAnalysis(
        stages=tuple(stage_items),
        overall=overall,
        findings=tuple(findings),
        balance_ttc=plan.balance_ttc,
        maitre_ouvrage_is_public=plan.maitre_ouvrage_is_public,
    )


# --- Loan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoanPeriod:
    """One instalment: ``payment = interest + principal``; ``remaining`` after it."""

    number: int
    payment_cents: int
    interest_cents: int
    principal_cents: int
    remaining_cents: int


MAX_LOAN_YEARS = 100


def _validate_loan(principal_cents: int, rate_bp: int, years: int, periods_per_year: int) -> None:
    if years <= 0:
        raise ValidationError("La durée de l'emprunt doit être d'au moins un an.")
    if years > MAX_LOAN_YEARS:
        raise ValidationError(f"La durée de l'emprunt ne peut pas dépasser {MAX_LOAN_YEARS} ans.")
    if not 1 <= periods_per_year <= 12:
        raise ValidationError("L'emprunt doit compter entre 1 et 12 échéances par an.")
    if principal_cents < 0:
        raise ValidationError("Le montant emprunté ne peut pas être négatif.")
    if rate_bp < 0:
        raise ValidationError("Le taux de l'emprunt ne peut pas être négatif.")
    if rate_bp > FULL_BP:
        raise ValidationError(f"Le taux de l'emprunt ne peut pas dépasser 100 % (saisi : {format_bp(rate_bp, 2)}).")


def _annuity_schedule(principal: int, rate: Fraction, periods: int, payment: int) -> list[LoanPeriod] | None:
    """Constant payments; ``None`` if they would repay the loan before the last period."""
    rows: list[LoanPeriod] = []
    remaining = principal
    for number in range(1, periods + 1):
        interest = _round_fraction(remaining * rate)
        if number == periods:
            repaid = remaining
        else:
            repaid = payment - interest
            if repaid >= remaining and remaining > 0:
                return None
        remaining -= repaid
        rows.append(LoanPeriod(number, interest + repaid, interest, repaid, remaining))
    return rows


def loan_schedule(
    principal_cents: int, rate_bp: int, years: int, constant_annuity: bool = True, periods_per_year: int = 1
) -> list[LoanPeriod]:
    """The repayment schedule (tableau d'amortissement) of a loan.

    ``rate_bp`` is the nominal annual rate; the rate of a period is ``rate / periods_per_year``
    (taux proportionnel, as French lenders quote monthly or quarterly instalments). Interest
    of a period is the remaining principal × that rate, rounded half up to the cent.

    * ``constant_annuity`` (annuités constantes): every payment equals
      ``P·r / (1 − (1 + r)^−n)`` computed exactly and rounded half up to the cent, except
      the last, which repays whatever principal remains (absorbing every rounding). If the
      rounded payment would repay the loan before the last period (tiny loans, very long or
      very expensive ones), it is lowered one cent at a time until it does not, so all
      payments but the last are always equal. At 0 % the payment is ``P / n``.
    * otherwise (amortissement constant): each period repays ``P / n`` truncated to the cent,
      the last repays the rest (less than ``n`` cents more), plus the interest.

    Invariants: principal parts sum exactly to the principal; the last ``remaining`` is 0;
    ``Σ payments = principal + Σ interest``; no part is negative.

    Raises :class:`ValidationError` for a duration under one year (or over 100), a negative
    principal or rate, a rate above 100 %, fewer than 1 or more than 12 payments a year.
    """
    _validate_loan(principal_cents, rate_bp, years, periods_per_year)
    periods = years * periods_per_year
    rate = Fraction(rate_bp, FULL_BP * periods_per_year)
    if not constant_annuity:
        step = principal_cents // periods
        rows: list[LoanPeriod] = []
        remaining = principal_cents
        for number in range(1, periods + 1):
            interest = _round_fraction(remaining * rate)
            repaid = remaining if number == periods else step
            remaining -= repaid
            rows.append(LoanPeriod(number, interest + repaid, interest, repaid, remaining))
        return rows
    if rate == 0:
        exact = Fraction(principal_cents, periods)
    else:
        growth = (1 + rate) ** periods
        exact = principal_cents * rate * growth / (growth - 1)
    payment = _round_fraction(exact)
    floor = _round_fraction(principal_cents * rate)  # interest only: never repays early
    while True:
        schedule = _annuity_schedule(principal_cents, rate, periods, payment)
        if schedule is not None:
            return schedule
        payment = max(floor, payment - 1)


def yearly_payments(schedule: Sequence[LoanPeriod], periods_per_year: int = 1) -> list[int]:
    """Payments added up per year (the annuities), e.g. to size the rent of year 1."""
    if periods_per_year <= 0:
        raise ValidationError("L'emprunt doit compter au moins une échéance par an.")
    years: list[int] = []
    for index, row in enumerate(schedule):
        if index % periods_per_year == 0:
            years.append(0)
        years[-1] += row.payment_cents
    return years


# --- Rent ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Occupant:
    """A professional (or group, e.g. an SCM) occupying the building.

    ``area_m2``: area occupied, needed to split by area (and to give a rent per m²);
    ``share_bp``: share of the rent, needed to split by shares (shares must total 100 %).
    """

    name: str
    area_m2: Decimal | None = None
    share_bp: int | None = None


class OccupantRent(NamedTuple):
    """One occupant's rent: per year (authoritative), per month, per m² and per month."""

    name: str
    annual_cents: int
    monthly_cents: int
    per_m2_cents: int | None


@dataclass(frozen=True)
class RentPlan:
    """The rent the occupants must pay to cover the loan annuity and the charges.

    * ``total_annual_cents`` = annuity + charges; ``per_occupant`` annual amounts sum to it
      exactly (largest remainder). Monthly amounts are annual / 12 rounded half up on their
      own, so 12 × monthly may differ from the annual amount by a few cents.
    * ``rent_per_m2_cents`` and every ``per_m2_cents`` are **per m² and per month** (like
      ``market_rent_per_m2_cents``); ``None`` when areas are not all known.
    * ``gap_to_market_bp``: (rent − market) / market, negative when below the market.
    """

    split: RentSplit
    total_annual_cents: int
    total_monthly_cents: int
    per_occupant: tuple[OccupantRent, ...]
    total_area_m2: Decimal | None
    rent_per_m2_cents: int | None
    market_rent_per_m2_cents: int | None
    gap_to_market_bp: int | None
    comparison_sentence: str


def _per_m2_month(annual_cents: int, area: Decimal) -> int:
    """Annual cents / area / 12, rounded half up once."""
    numerator, denominator = _scaled_integers([Decimal(annual_cents), area])
    return _div_half_up(numerator, denominator * 12)


def _m2_text(cents: int) -> str:
    return f"{format_cents(cents, with_cents=True)} par m² et par mois"


def rent_plan(
    annual_annuity_cents: int,
    annual_charges_cents: int,
    occupants: Sequence[Occupant],
    split: RentSplit = "area",
    market_rent_per_m2_cents: int | None = None,
) -> RentPlan:
    """Split the yearly cost of the building among its occupants.

    ``annual_annuity_cents``: the loan's yearly payments (see :func:`yearly_payments`);
    ``annual_charges_cents``: charges borne by the owner and passed on (insurance,
    maintenance, taxes…). ``split="area"`` shares the total in proportion to the areas,
    ``split="share"`` in proportion to the shares (which must total 100 %).
    ``market_rent_per_m2_cents``: local market rent **per m² and per month**.

    The comparison sentence is in French, per m² and per month throughout, e.g. « Le loyer
    nécessaire, 9,80 € par m² et par mois, est inférieur de 12 % à la valeur locative du
    marché (11,10 € par m² et par mois). » The gap is rounded half up to a whole percent.

    Raises :class:`ValidationError` for negative amounts, no occupant, an unknown split, a
    missing or non-positive area (split by area), a missing or negative share, or shares
    not totalling 100 % (split by shares).
    """
    if annual_annuity_cents < 0:
        raise ValidationError("L'annuité de l'emprunt ne peut pas être négative.")
    if annual_charges_cents < 0:
        raise ValidationError("Les charges annuelles ne peuvent pas être négatives.")
    if market_rent_per_m2_cents is not None and market_rent_per_m2_cents < 0:
        raise ValidationError("La valeur locative du marché ne peut pas être négative.")
    if split not in ("area", "share"):
        raise ValidationError(f"Mode de répartition du loyer inconnu : « {split} » (à la surface ou par parts).")
    if not occupants:
        raise ValidationError("Ajoutez au moins un occupant pour répartir le loyer.")
    for occupant in occupants:
        area = occupant.area_m2
        if area is not None and (not area.is_finite() or area < 0):
            raise ValidationError(f"La surface occupée par « {occupant.name} » doit être un nombre positif.")
        if split == "area":
            if area is None:
                raise ValidationError(
                    f"Indiquez la surface occupée par « {occupant.name} » (répartition à la surface)."
                )
            if area <= 0:
                raise ValidationError(f"La surface occupée par « {occupant.name} » doit être supérieure à zéro.")
        else:
            if occupant.share_bp is None:
                raise ValidationError(f"Indiquez la part du loyer de « {occupant.name} » (répartition par parts).")
            if occupant.share_bp < 0:
                raise ValidationError(f"La part du loyer de « {occupant.name} » ne peut pas être négative.")
    if split == "share":
        total_share = sum(o.share_bp or 0 for o in occupants)
        if total_share != FULL_BP:
            raise ValidationError(
                f"Les parts des occupants totalisent {format_bp(total_share)} : elles doivent faire exactement 100 %."
            )

    total = annual_annuity_cents + annual_charges_cents
    weights: list[int | Decimal] = (
        [o.area_m2 or Decimal(0) for o in occupants] if split == "area" else [o.share_bp or 0 for o in occupants]
    )
    if sum(_scaled_integers(weights)) == 0:
        raise ValidationError("Les parts des occupants sont toutes nulles : le loyer ne peut pas être réparti.")
    annual = apportion(weights, total)
    rows = tuple(
        OccupantRent(
            o.name,
            amount,
            _div_half_up(amount, 12),
            _per_m2_month(amount, o.area_m2) if o.area_m2 is not None and o.area_m2 > 0 else None,
        )
        for o, amount in zip(occupants, annual, strict=True)
    )
    areas = [o.area_m2 for o in occupants]
    total_area = sum((a for a in areas if a is not None), Decimal(0)) if all(a is not None for a in areas) else None
    per_m2 = _per_m2_month(total, total_area) if total_area else None

    gap: int | None = None
    yearly = f"{_eur(total)} par an, soit {format_cents(_div_half_up(total, 12), with_cents=True)} par mois"
    if per_m2 is None:
        sentence = (
            f"Le loyer nécessaire est de {yearly} ; indiquez la surface de chaque occupant pour le comparer "
            "à la valeur locative du marché."
        )
    elif market_rent_per_m2_cents is None:
        sentence = (
            f"Le loyer nécessaire est de {_m2_text(per_m2)} ({yearly}) ; indiquez la valeur locative du "
            "marché pour les comparer."
        )
    elif market_rent_per_m2_cents == 0:
        sentence = f"Le loyer nécessaire est de {_m2_text(per_m2)} ; la valeur locative du marché saisie est nulle."
    else:
        gap = _div_half_up((per_m2 - market_rent_per_m2_cents) * FULL_BP, market_rent_per_m2_cents)
        percent = _div_half_up(abs(per_m2 - market_rent_per_m2_cents) * 100, market_rent_per_m2_cents)
        market = f"la valeur locative du marché ({_m2_text(market_rent_per_m2_cents)})"
        head = f"Le loyer nécessaire, {_m2_text(per_m2)},"
        if per_m2 == market_rent_per_m2_cents:
            sentence = f"{head} est égal à {market}."
        elif percent == 0:
            sentence = f"{head} est très proche de {market} : l'écart est inférieur à 1 %."
        else:
            direction = "inférieur" if per_m2 < market_rent_per_m2_cents else "supérieur"
            sentence = f"{head} est {direction} de {format_percent(percent, 0)} à {market}."
    return RentPlan(
        split=split,
        total_annual_cents=total,
        total_monthly_cents=_div_half_up(total, 12),
        per_occupant=rows,
        total_area_m2=total_area,
        rent_per_m2_cents=per_m2,
        market_rent_per_m2_cents=market_rent_per_m2_cents,
        gap_to_market_bp=gap,
        comparison_sentence=sentence,
    )


# --- Scenarios -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComparisonRow:
    """A row of the comparison: ``unit`` ``"cents"`` (money) or ``"bp"`` (a share).

    ``values`` has one entry per scenario; ``None`` = absent from that scenario (a funder it
    does not use) or not computable (a share without expenses).
    """

    key: str
    label: str
    unit: Literal["cents", "bp"]
    values: tuple[int | None, ...]

    def cells(self) -> list[str]:
        """The values in French (``795 305 €``, ``40,81 %``, ``—`` when absent)."""
        out: list[str] = []
        for value in self.values:
            if value is None:
                out.append("—")
            elif self.unit == "cents":
                out.append(_eur(value))
            else:
                out.append(format_bp(value))
        return out


@dataclass(frozen=True)
class ComparisonTable:
    """Scenarios side by side: one column per scenario, one :class:`ComparisonRow` per line."""

    columns: tuple[str, ...]
    rows: tuple[ComparisonRow, ...]

    def row(self, key: str) -> ComparisonRow:
        for item in self.rows:
            if item.key == key:
                return item
        raise KeyError(key)


def compare_plans(named: Sequence[tuple[str, PlanAnalysis]]) -> ComparisonTable:
    """Compare analysed scenarios of a plan on their whole-plan figures.

    Rows (keys): ``depenses_ht``, ``depenses_ttc``; one row ``<kind>:<code>`` per funder group
    met in any scenario (``subvention:DDR``…, then loans ``emprunt:EMPRUNT``…, then
    ``autofinancement:AUTOFINANCEMENT``), in order of first appearance; ``financement_public`` and ``part_financement_public``;
    ``participation_mo`` (self-funding + loans) and ``part_mo_financement_public`` (its
    share of the public funding with the owner, CGCT art. L1111-10; ``None`` for a private
    owner); ``ressources`` and ``solde`` (resources − expenses).
    """
    columns = tuple(name for name, _ in named)
    overall = [analysis.overall for _, analysis in named]
    funder_keys: list[tuple[int, str, str]] = []
    names: dict[str, str] = {}
    rank = {ResourceKind.SUBVENTION.value: 0, ResourceKind.EMPRUNT.value: 1, ResourceKind.AUTOFINANCEMENT.value: 2}
    for item in overall:
        for funder in item.funders:
            key = (rank.get(funder.kind, 3), funder.kind, funder.code)
            if key not in funder_keys:
                funder_keys.append(key)
                names[f"{funder.kind}:{funder.code}"] = funder.name
    funder_keys.sort(key=lambda k: k[0])

    def funder_amount(item: StageAnalysis, kind: str, code: str) -> int | None:
        match = next((f for f in item.funders if f.kind == kind and f.code == code), None)
        return match.amount_cents if match is not None else None

    basis = "TTC" if named and named[0][1].balance_ttc else "HT"
    rows = [
        ComparisonRow("depenses_ht", "Total des dépenses (HT)", "cents", tuple(i.expenses_ht_cents for i in overall)),
        ComparisonRow(
            "depenses_ttc", "Total des dépenses (TTC)", "cents", tuple(i.expenses_ttc_cents for i in overall)
        ),
    ]
    rows += [
        ComparisonRow(
            f"{kind}:{code}", names[f"{kind}:{code}"], "cents", tuple(funder_amount(i, kind, code) for i in overall)
        )
        for _, kind, code in funder_keys
    ]
    rows += [
        ComparisonRow(
            "financement_public",
            "Financement public (subventions)",
            "cents",
            tuple(i.public_funding_cents for i in overall),
        ),
        ComparisonRow(
            "part_financement_public",
            f"Part du financement public (des dépenses {basis})",
            "bp",
            tuple(i.public_funding_share_bp for i in overall),
        ),
        ComparisonRow(
            "participation_mo",
            "Participation du maître d'ouvrage (autofinancement et emprunts)",
            "cents",
            tuple(i.owner_participation_cents for i in overall),
        ),
        ComparisonRow(
            "part_mo_financement_public",
            "Part du maître d'ouvrage dans le financement public",
            "bp",
            tuple(i.owner_share_of_public_bp for i in overall),
        ),
        ComparisonRow("ressources", "Total des ressources", "cents", tuple(i.resources_cents for i in overall)),
        ComparisonRow("solde", "Solde (ressources − dépenses)", "cents", tuple(i.balance_cents for i in overall)),
    ]
    return ComparisonTable(columns=columns, rows=tuple(rows))


__all__ = [
    "ALERTE",
    "DEFAULT_MINIMUM_PARTICIPATION_BP",
    "ERREUR",
    "FULL_BP",
    "INFO",
    "STAGES",
    "ComparisonRow",
    "ComparisonTable",
    "Expense",
    "Finding",
    "FunderRule",
    "FunderShare",
    "LoanPeriod",
    "Occupant",
    "OccupantRent",
    "Plan",
    "PlanAnalysis",
    "RentPlan",
    "Resource",
    "ResourceResult",
    "StageAnalysis",
    "analyse",
    "apportion",
    "code_list_text",
    "compare_plans",
    "default_funders",
    "format_bp",
    "ht_from_ttc_cents",
    "loan_schedule",
    "parse_code_list",
    "rent_plan",
    "share_bp",
    "stage_label",
    "ttc_from_ht_cents",
    "validate_expense",
    "validate_funder",
    "validate_resource",
    "yearly_payments",
]
