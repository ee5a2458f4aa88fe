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
    Profession("ergotherapeute", "Ergothérapeute", "Ergothérapeutes", "94", True),
    Profession("psychomotricien", "Psychomotricien", "Psychomotriciens", "96", True),
    Profession("dieteticien", "Diététicien", "Diététiciens", "95", True),
    Profession("autre", "Autre profession de santé", "Autres professionnels", ""),
)
PROFESSIONS_BY_KEY = {p.key: p for p in PROFESSIONS}

# The ``Code profession`` nomenclature of the Annuaire santé (NOS TRE_G15-ProfessionSante,
# Agence du numérique en santé). Codes absent from PROFESSIONS are professions the registry
# of a health project does not follow (opticians, pharmacy technicians…).
RPPS_NOMENCLATURE: dict[str, str] = {
    "10": "Médecin", "21": "Pharmacien", "26": "Audioprothésiste", "28": "Opticien-Lunetier",
    "31": "Assistant dentaire", "32": "Physicien médical", "35": "Aide-soignant", "36": "Ambulancier",
    "37": "Auxiliaire de puériculture", "38": "Préparateur en pharmacie hospitalière",
    "39": "Préparateur en pharmacie (officine)", "40": "Chirurgien-Dentiste", "50": "Sage-Femme",
    "60": "Infirmier", "69": "Infirmier psychiatrique", "70": "Masseur-Kinésithérapeute",
    "80": "Pédicure-Podologue", "81": "Orthoprothésiste", "82": "Podo-Orthésiste", "83": "Orthopédiste-Orthésiste",
    "84": "Oculariste", "85": "Epithésiste", "86": "Technicien de laboratoire médical", "91": "Orthophoniste",
    "92": "Orthoptiste", "93": "Psychologue", "94": "Ergothérapeute", "95": "Diététicien", "96": "Psychomotricien",
    "98": "Manipulateur ERM",
}  # fmt: skip
# Nomenclature codes followed under another profession's key.
_RPPS_EXTRA_CODES = {"69": "infirmier"}
# ``Code savoir-faire`` of general medicine (CNOM): SM53 specialist, SM54 general medicine, SM26 qualified.
GENERAL_PRACTICE_CODES = frozenset({"SM53", "SM54", "SM26"})

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
    "audio prothesiste": "audioprothesiste",
    "infirmier psychiatrique": "infirmier",
    "psychomotricienne": "psychomotricien",
    "sage femmes": "sage_femme",
    "kinesitherapeutes": "masseur_kinesitherapeute",
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


def find_profession(text: str) -> Profession | None:
    """The profession a text names, or None when it names none of the registry's professions."""
    try:
        return parse_profession(text)
    except ValidationError:
        return None


def profession_or_other(text: str) -> tuple[Profession, str]:
    """The profession a table cell names; an unknown one is kept as "autre" with its own label.

    Returns (profession, label to keep as speciality: the cell's text for "autre", else "").
    An empty cell is refused: a professional without a profession cannot be counted.
    """
    if not text.strip():
        raise ValidationError("profession manquante")
    if text.strip() in RPPS_NOMENCLATURE:  # an Annuaire santé "Code profession"
        code = text.strip()
        kind = classify_rpps(code, "" if code == "10" else RPPS_NOMENCLATURE[code])
        return (kind.profession, "") if kind.profession else (PROFESSIONS_BY_KEY["autre"], kind.label)
    found = find_profession(text)
    if found is not None:
        return found, ""
    return PROFESSIONS_BY_KEY["autre"], text.strip()[:120]


@dataclass(frozen=True)
class RppsProfession:
    """How an RPPS activity line's profession is read.

    ``profession`` is None for a profession of the nomenclature the registry does not follow
    (counted apart as "autre profession"); ``label`` is the profession as the file names it.
    """

    profession: Profession | None
    label: str


def _is_doctor(code: str, plain_label: str) -> bool:
    return plain_label == "medecin" or (code == "10" and plain_label in ("", "medecin"))


def _doctor(savoir_faire: str, savoir_faire_code: str) -> Profession:
    plain = _plain(savoir_faire)
    general = savoir_faire_code.strip().upper() in GENERAL_PRACTICE_CODES or "medecine generale" in plain
    if general or (not plain and not savoir_faire_code.strip()):
        return PROFESSIONS_BY_KEY["medecin_generaliste"]
    return PROFESSIONS_BY_KEY["medecin_specialiste"]


_NOMENCLATURE_BY_LABEL = {_plain(label): code for code, label in RPPS_NOMENCLATURE.items()}
_TRACKED_BY_CODE = {p.rpps_code: p for p in PROFESSIONS if p.rpps_code and p.rpps_code != "10"}
_TRACKED_BY_CODE.update({code: PROFESSIONS_BY_KEY[key] for code, key in _RPPS_EXTRA_CODES.items()})


def classify_rpps(code: str, label: str, savoir_faire: str = "", savoir_faire_code: str = "") -> RppsProfession:
    """The profession of an RPPS activity line, from its code *and* its label.

    The label wins when the two disagree (a file with shifted codes stays right); a
    profession neither the code nor the label identifies is kept as "autre" with its label,
    never dropped nor given another profession's name.
    """
    code, plain_label = code.strip(), _plain(label)
    shown = label.strip() or RPPS_NOMENCLATURE.get(code, code)
    if _is_doctor(code, plain_label):
        return RppsProfession(_doctor(savoir_faire, savoir_faire_code), shown)
    if plain_label:
        named = _NOMENCLATURE_BY_LABEL.get(plain_label)
        if named is not None:  # a label of the nomenclature: its own code decides
            return RppsProfession(_TRACKED_BY_CODE.get(named), shown)
        found = find_profession(label)
        if found is not None:
            return RppsProfession(found, shown)
    if code in RPPS_NOMENCLATURE and not plain_label:
        return RppsProfession(_TRACKED_BY_CODE.get(code), shown)
    return RppsProfession(PROFESSIONS_BY_KEY["autre"], shown)


def profession_from_rpps(code: str, label: str, savoir_faire: str) -> Profession | None:
    """The profession of an RPPS activity line, or None for a profession the registry ignores."""
    return classify_rpps(code, label, savoir_faire).profession


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
