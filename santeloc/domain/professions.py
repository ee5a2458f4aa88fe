"""Health professions and establishment kinds of the care offer (step 2), with their RPPS codes."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from santeloc.domain.errors import ValidationError


@dataclass(frozen=True)
class Profession:
    """A profession of the registry.

    ``rpps_code`` is the ``Code profession`` of the Annuaire santé (RPPS) extraction when it has
    one; general practitioners share code 10 with the other doctors and are told apart by their
    ``Libellé savoir-faire`` (general medicine). ``paramedical`` counts for the MSP minimum
    (2 GPs and 1 paramedical professional).
    """

    key: str
    label: str
    plural: str
    rpps_code: str = ""
    paramedical: bool = False


PROFESSIONS: tuple[Profession, ...] = (
    Profession("medecin_generaliste", "Médecin généraliste", "Médecins généralistes", "10"),
    Profession("medecin_specialiste", "Médecin spécialiste", "Médecins spécialistes", "10"),
    Profession("infirmier", "Infirmier ou infirmière", "Infirmiers", "60", True),
    Profession("masseur_kinesitherapeute", "Masseur-kinésithérapeute", "Masseurs-kinésithérapeutes", "70", True),
    Profession("chirurgien_dentiste", "Chirurgien-dentiste", "Chirurgiens-dentistes", "40"),
    Profession("sage_femme", "Sage-femme", "Sages-femmes", "50"),
    Profession("pharmacien", "Pharmacien", "Pharmaciens", "21"),
    Profession("orthophoniste", "Orthophoniste", "Orthophonistes", "91", True),
    Profession("orthoptiste", "Orthoptiste", "Orthoptistes", "92", True),
    Profession("pedicure_podologue", "Pédicure-podologue", "Pédicures-podologues", "80", True),
    Profession("audioprothesiste", "Audioprothésiste", "Audioprothésistes", "26", True),
    Profession("psychologue", "Psychologue", "Psychologues", "93", True),
    Profession("ergotherapeute", "Ergothérapeute", "Ergothérapeutes", "96", True),
    Profession("psychomotricien", "Psychomotricien", "Psychomotriciens", "95", True),
    Profession("dieteticien", "Diététicien", "Diététiciens", "86", True),
    Profession("autre", "Autre profession de santé", "Autres professionnels", ""),
)
PROFESSIONS_BY_KEY = {p.key: p for p in PROFESSIONS}

ESTABLISHMENT_KINDS: tuple[tuple[str, str], ...] = (
    ("hopital", "Hôpital, centre hospitalier"),
    ("hopital_local", "Hôpital de proximité (hôpital local)"),
    ("urgences", "Service d'urgences"),
    ("smur", "SMUR"),
    ("ehpad", "EHPAD"),
    ("ssiad", "SSIAD (soins infirmiers à domicile)"),
    ("clic", "CLIC"),
    ("aide_domicile", "Service d'aide à domicile (ADMR…)"),
    ("centre_sante", "Centre de santé"),
    ("msp", "Maison de santé pluriprofessionnelle"),
    ("pharmacie", "Pharmacie"),
    ("maison_medicale_garde", "Maison médicale de garde"),
    ("laboratoire", "Laboratoire de biologie médicale"),
    ("radiologie", "Cabinet de radiologie"),
    ("autre", "Autre établissement ou service"),
)
ESTABLISHMENT_LABELS = dict(ESTABLISHMENT_KINDS)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().replace("-", " ").strip()


_ALIASES = {
    "generaliste": "medecin_generaliste",
    "medecin generaliste": "medecin_generaliste",
    "mg": "medecin_generaliste",
    "medecin": "medecin_generaliste",
    "specialiste": "medecin_specialiste",
    "infirmier": "infirmier",
    "infirmiere": "infirmier",
    "ide": "infirmier",
    "kine": "masseur_kinesitherapeute",
    "kinesitherapeute": "masseur_kinesitherapeute",
    "masseur kinesitherapeute": "masseur_kinesitherapeute",
    "dentiste": "chirurgien_dentiste",
    "chirurgien dentiste": "chirurgien_dentiste",
    "sage femme": "sage_femme",
    "pharmacien": "pharmacien",
    "podologue": "pedicure_podologue",
    "pedicure podologue": "pedicure_podologue",
    "psychologue": "psychologue",
    "orthophoniste": "orthophoniste",
    "orthoptiste": "orthoptiste",
    "ergotherapeute": "ergotherapeute",
    "dieteticien": "dieteticien",
    "dieteticienne": "dieteticien",
    "psychomotricien": "psychomotricien",
    "audioprothesiste": "audioprothesiste",
}


def parse_profession(text: str) -> Profession:
    """A profession from what a file or a user writes ("Kiné", "Infirmière", "IDE"…)."""
    plain = _plain(text)
    if plain in PROFESSIONS_BY_KEY:
        return PROFESSIONS_BY_KEY[plain]
    for profession in PROFESSIONS:
        if plain in (_plain(profession.label), _plain(profession.plural)):
            return profession
    if plain in _ALIASES:
        return PROFESSIONS_BY_KEY[_ALIASES[plain]]
    if plain.endswith("s") and plain[:-1] in _ALIASES:
        return PROFESSIONS_BY_KEY[_ALIASES[plain[:-1]]]
    known = ", ".join(p.label for p in PROFESSIONS[:-1])
    raise ValidationError(f"Profession inconnue : « {text.strip()} ». Professions connues : {known}, ou « autre ».")


def profession_from_rpps(code: str, label: str, savoir_faire: str) -> Profession | None:
    """The profession of an RPPS activity line, or None for a profession the registry ignores."""
    if code == "10" or _plain(label) == "medecin":
        plain = _plain(savoir_faire)
        if "generale" in plain or plain in ("", "qualifie en medecine generale"):
            return PROFESSIONS_BY_KEY["medecin_generaliste"]
        return PROFESSIONS_BY_KEY["medecin_specialiste"]
    for profession in PROFESSIONS:
        if profession.rpps_code and profession.rpps_code == code:
            return profession
    try:
        return parse_profession(label)
    except ValidationError:
        return None


def check_professional(*, birth_year: int | None, fte: float | None, sector: int | None, today_year: int) -> None:
    """Plausibility of a professional's age, FTE and sector, with French messages."""
    if birth_year is not None and not today_year - 90 <= birth_year <= today_year - 18:
        raise ValidationError(
            f"Année de naissance {birth_year} invraisemblable : le professionnel aurait {today_year - birth_year} ans."
        )
    if fte is not None and not 0 < fte <= 1.5:
        shown = f"{fte:g}".replace(".", ",")
        raise ValidationError(f"Équivalent temps plein de {shown} hors limites : entre 0 et 1,5 (1 = temps plein).")
    if sector is not None and sector not in (1, 2, 3):
        raise ValidationError(f"Secteur {sector} inconnu : 1, 2 ou 3 (non conventionné).")
