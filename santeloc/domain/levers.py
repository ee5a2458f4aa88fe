"""The guide's levers for consolidating the local health offer, as data (step 6).

The 2010 methodology guide for elected officials (seed ``004``, chapter "Des leviers pour
consolider l'offre de santé") sorts what a collectivité can do into four families: incentives
for professionals to settle, grouped and pluriprofessional practice (maisons and pôles de
santé), information technologies (télémédecine) and patient transport; the projet de santé
adds prevention and the organisation of unscheduled care. Each :class:`Lever` below is one of
those tools written as a *fiche action* template: objective, target public, usual partners with
their role, a default duration, evaluation indicators to fill in (baseline and target are the
user's) and keywords that point to the matching objectives of a regional health plan (PRS).

The wording is santeloc's own; the examples cite facts reported by the guide.
Pure data and string functions: no I/O, no database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from santeloc.domain.errors import ValidationError

__all__ = [
    "FAMILIES",
    "LEVERS",
    "LEVERS_BY_KEY",
    "Lever",
    "LeverIndicator",
    "LeverPartner",
    "find_lever",
    "keyword_score",
    "plain_text",
]

# Families of the guide, in its order: (key, French label).
FAMILIES: tuple[tuple[str, str], ...] = (
    ("installation", "Incitation à l'installation et attractivité"),
    ("exercice_regroupe", "Exercice regroupé et pluriprofessionnel"),
    ("accessibilite", "Accessibilité des soins"),
    ("prevention", "Prévention et éducation pour la santé"),
)
FAMILY_LABELS = dict(FAMILIES)


@dataclass(frozen=True, slots=True)
class LeverPartner:
    """A usual partner of a lever and what it brings."""

    name: str
    role: str

    @property
    def line(self) -> str:
        """The partner as one line of a fiche action: ``"Partenaire — rôle"``."""
        return f"{self.name} — {self.role}" if self.role else self.name


@dataclass(frozen=True, slots=True)
class LeverIndicator:
    """An evaluation indicator suggested for a lever (baseline and target left to the user)."""

    label: str
    unit: str


@dataclass(frozen=True, slots=True)
class Lever:
    """One tool of the guide, ready to become a fiche action.

    ``duration_months`` is the default length of the action (its end date follows from its
    start date); ``prs_keywords`` are matched, accents and case ignored, against the titles and
    descriptions of a regional plan's objectives to suggest the ones the action serves.
    """

    key: str
    family: str
    title: str
    summary: str
    objective: str
    target_public: str
    partners: tuple[LeverPartner, ...]
    duration_months: int
    indicators: tuple[LeverIndicator, ...]
    prs_keywords: tuple[str, ...]
    example: str = ""

    @property
    def family_label(self) -> str:
        """French label of the lever's family."""
        return FAMILY_LABELS.get(self.family, self.family)

    @property
    def partners_text(self) -> str:
        """Partners as stored in a fiche action: one ``"Partenaire — rôle"`` per line."""
        return "\n".join(partner.line for partner in self.partners)


def _p(name: str, role: str) -> LeverPartner:
    return LeverPartner(name, role)


def _i(label: str, unit: str) -> LeverIndicator:
    return LeverIndicator(label, unit)


LEVERS: tuple[Lever, ...] = (
    Lever(
        key="aide_installation",
        family="installation",
        title="Aides à l'installation des professionnels de santé",
        summary=(
            "Mettre à disposition un cabinet ou un logement, verser une prime ou prendre en charge une partie "
            "de l'investissement, en contrepartie d'un engagement à exercer plusieurs années sur le territoire."
        ),
        objective=(
            "Attirer et maintenir des professionnels de santé de premier recours sur le territoire, en priorité "
            "dans les professions dont les départs à la retraite sont proches."
        ),
        target_public="Professionnels de santé libéraux en première installation ou en projet d'installation",
        partners=(
            _p("Communauté de communes et communes", "aide matérielle (locaux, logement) et prime à l'installation"),
            _p("ARS", "zonage des territoires sous-dotés et aides conventionnelles associées"),
            _p("Assurance maladie (CPAM, MSA)", "aides conventionnelles à l'installation en zone sous-dotée"),
            _p("Conseil régional ou départemental", "aides financières complémentaires"),
            _p("Ordres et URPS", "relais auprès des professionnels et des remplaçants"),
        ),
        duration_months=36,
        indicators=(
            _i("Nombre de professionnels nouvellement installés sur le territoire", "nombre"),
            _i("Densité de médecins généralistes pour 10 000 habitants", "pour 10 000 habitants"),
            _i("Part des professionnels aidés encore installés après 3 ans", "%"),
        ),
        prs_keywords=("installation", "attractivite", "premier recours", "demographie", "acces aux soins"),
        example=(
            "Le conseil régional Rhône-Alpes versait 12 000 € aux primo-installants qui s'engageaient à exercer "
            "au moins 6 ans en zone sous-dotée."
        ),
    ),
    Lever(
        key="bourses_contrats_engagement",
        family="installation",
        title="Bourses d'études et contrats d'engagement de service public",
        summary=(
            "Verser une allocation à des étudiants en santé pendant leurs études, en échange d'un engagement "
            "à exercer sur le territoire ou dans une zone sous-dotée pendant une durée convenue."
        ),
        objective=(
            "Préparer la relève des professionnels qui partiront dans les 5 à 10 ans en fidélisant des "
            "étudiants avant la fin de leur formation."
        ),
        target_public="Étudiants en médecine et dans les autres formations de santé (internes, étudiants en soins infirmiers…)",
        partners=(
            _p("Conseil départemental ou régional", "financement des bourses ou indemnités d'études"),
            _p("ARS", "contrats d'engagement de service public et zonage"),
            _p("Faculté de médecine et instituts de formation", "information des étudiants"),
            _p("Professionnels de santé du territoire", "parrainage des étudiants"),
        ),
        duration_months=36,
        indicators=(
            _i("Nombre d'étudiants bénéficiaires d'une bourse ou d'un contrat d'engagement", "nombre"),
            _i("Nombre d'anciens bénéficiaires installés sur le territoire", "nombre"),
        ),
        prs_keywords=("attractivite", "installation", "formation", "etudiants", "ressources humaines"),
        example=(
            "Le conseil général de l'Allier (dispositif « Wanted jeunes médecins ») versait de 700 à 1 500 € par "
            "mois à des internes qui s'engageaient à exercer au moins 6 ans en zone déficitaire."
        ),
    ),
    Lever(
        key="aides_stages_logement",
        family="installation",
        title="Aides aux stages et logement des stagiaires",
        summary=(
            "Faire découvrir l'exercice rural aux étudiants : indemnités de déplacement et de logement, "
            "logement réservé aux stagiaires, formation et soutien des maîtres de stage."
        ),
        objective=(
            "Accueillir chaque année des stagiaires dans de bonnes conditions pour donner aux futurs "
            "professionnels l'envie de s'installer sur le territoire."
        ),
        target_public="Internes et étudiants en stage ambulatoire ; professionnels qui deviennent maîtres de stage",
        partners=(
            _p("Maison ou pôle de santé", "accueil et encadrement des stagiaires"),
            _p("Faculté de médecine (département de médecine générale)", "agrément et affectation des stagiaires"),
            _p("Commune ou communauté de communes", "logement des stagiaires"),
            _p("Conseil régional ou départemental", "indemnités de stage, de logement et de déplacement"),
        ),
        duration_months=24,
        indicators=(
            _i("Nombre de stagiaires accueillis par an", "nombre"),
            _i("Nombre de maîtres de stage agréés sur le territoire", "nombre"),
            _i("Nombre d'anciens stagiaires installés ou remplaçants sur le territoire", "nombre"),
        ),
        prs_keywords=("stage", "formation", "attractivite", "etudiants", "ressources humaines"),
        example=(
            "Le conseil régional de Poitou-Charentes finançait logement et transport des stagiaires (300 € par mois) "
            "et a pris en charge la formation des maîtres de stage, doublant leur nombre."
        ),
    ),
    Lever(
        key="accueil_professionnels",
        family="installation",
        title="Accueil personnalisé des nouveaux professionnels",
        summary=(
            "Un interlocuteur unique aide le professionnel qui s'installe : locaux, logement, emploi du "
            "conjoint, scolarité, vie locale ; promotion du territoire auprès des facultés."
        ),
        objective="Rendre le territoire attractif pour les professionnels et leur famille et réussir leur intégration.",
        target_public="Professionnels de santé en recherche d'installation et leur famille",
        partners=(
            _p("Communauté de communes", "chargé(e) d'accueil, réseau local"),
            _p("Professionnels de santé du territoire", "présentation de l'exercice local"),
            _p("Faculté de médecine", "promotion du territoire auprès des étudiants"),
        ),
        duration_months=24,
        indicators=(
            _i("Nombre de professionnels accompagnés", "nombre"),
            _i("Nombre d'installations réalisées après accompagnement", "nombre"),
        ),
        prs_keywords=("attractivite", "installation", "premier recours"),
    ),
    Lever(
        key="maison_sante",
        family="exercice_regroupe",
        title="Maison de santé pluriprofessionnelle",
        summary=(
            "Regrouper dans un même lieu des professionnels de santé de premier recours autour d'un projet de "
            "santé commun ; la collectivité porte l'immobilier, les professionnels le projet."
        ),
        objective=(
            "Offrir aux habitants une prise en charge coordonnée de premier recours et aux professionnels des "
            "conditions d'exercice attractives (travail en équipe, locaux partagés, secrétariat)."
        ),
        target_public="Habitants du territoire ; professionnels de santé de premier recours",
        partners=(
            _p("Professionnels de santé (association, SISA)", "portage du projet de santé et du projet professionnel"),
            _p("Communauté de communes ou commune", "maîtrise d'ouvrage immobilière, location des locaux"),
            _p("ARS", "validation du projet de santé, aide au démarrage et à la coordination"),
            _p("Assurance maladie (CPAM, MSA)", "accord conventionnel interprofessionnel (ACI)"),
            _p("Préfecture, Région, Département, Europe", "subventions d'investissement"),
        ),
        duration_months=48,
        indicators=(
            _i("Nombre de professionnels exerçant dans la maison de santé", "nombre"),
            _i("Part des habitants ayant un médecin traitant", "%"),
            _i("Délai moyen d'obtention d'un rendez-vous de médecine générale", "jours"),
            _i("Nombre de protocoles pluriprofessionnels en vigueur", "nombre"),
        ),
        prs_keywords=(
            "exercice coordonne",
            "premier recours",
            "acces aux soins",
            "maison de sante",
            "pluriprofessionnel",
        ),
        example=(
            "La maison de santé de Saint-Amand-en-Puisaye (Nièvre), ouverte en 2005, réunit une quinzaine de "
            "professionnels en société civile de moyens, locataires de la communauté de communes."
        ),
    ),
    Lever(
        key="pole_sante",
        family="exercice_regroupe",
        title="Pôle de santé (maison de santé multi-site)",
        summary=(
            "Relier par un projet de santé commun des professionnels qui restent dans leurs cabinets : la "
            "réponse quand le déménagement est l'obstacle, souvent autour d'un site principal ou d'un hôpital local."
        ),
        objective=(
            "Coordonner les professionnels de plusieurs communes sans les obliger à quitter leurs locaux, et "
            "maintenir une offre de proximité dans chacune."
        ),
        target_public="Habitants du territoire ; professionnels de santé de premier recours de plusieurs communes",
        partners=(
            _p("Professionnels de santé (association, SISA)", "portage du projet de santé commun"),
            _p("Communautés de communes", "maîtrise d'ouvrage des sites"),
            _p("Hôpital local", "mise à disposition de locaux et de plateaux techniques"),
            _p("ARS", "validation du projet de santé et financement de la coordination"),
        ),
        duration_months=48,
        indicators=(
            _i("Nombre de sites et de professionnels du pôle", "nombre"),
            _i("Nombre de réunions de concertation pluriprofessionnelle par an", "nombre"),
            _i("Part des habitants à plus de 15 minutes d'un médecin généraliste", "%"),
        ),
        prs_keywords=("exercice coordonne", "premier recours", "acces aux soins", "coordination", "pluriprofessionnel"),
        example=(
            "Le pôle de santé ambulatoire du sud-ouest mayennais associe l'hôpital local et 40 professionnels "
            "au sein d'un groupement de coopération sanitaire."
        ),
    ),
    Lever(
        key="telemedecine",
        family="accessibilite",
        title="Télémédecine et télésanté",
        summary=(
            "Équiper le territoire pour la téléconsultation, la téléexpertise et la télésurveillance, en lien "
            "avec les spécialistes et l'hôpital de référence."
        ),
        objective=(
            "Rapprocher l'avis spécialisé des patients éloignés, éviter des déplacements et rompre l'isolement "
            "des professionnels."
        ),
        target_public="Patients éloignés des spécialistes, résidents d'EHPAD, professionnels de premier recours",
        partners=(
            _p("Centre hospitalier de référence ou CHU", "avis spécialisés à distance"),
            _p("ARS et groupement régional e-santé", "choix et financement des équipements, sécurité des données"),
            _p("Professionnels de santé du territoire", "organisation des téléconsultations"),
            _p("EHPAD", "sites de téléconsultation pour leurs résidents"),
        ),
        duration_months=24,
        indicators=(
            _i("Nombre de téléconsultations et téléexpertises réalisées par an", "nombre"),
            _i("Nombre de déplacements de patients évités", "nombre"),
            _i("Délai d'obtention d'un avis spécialisé", "jours"),
        ),
        prs_keywords=("numerique", "telemedecine", "telesante", "soins specialises", "acces aux soins"),
        example=(
            "Le conseil général des Alpes-Maritimes a équipé des généralistes de l'arrière-pays de valises de "
            "télémédecine reliées au CHU de Nice."
        ),
    ),
    Lever(
        key="transport_soins",
        family="accessibilite",
        title="Transport des patients vers les soins",
        summary=(
            "Organiser un transport à la demande ou un transport solidaire vers la maison de santé, la pharmacie "
            "et les consultations, pour les habitants sans moyen de locomotion."
        ),
        objective=(
            "Permettre aux habitants sans véhicule (personnes âgées, isolées, en situation de handicap ou de "
            "précarité) de se rendre aux soins."
        ),
        target_public="Habitants sans moyen de transport : personnes âgées, isolées, handicapées ou en difficulté",
        partners=(
            _p("Pays ou communauté de communes", "organisation du service et réservation"),
            _p("Artisans taxis ou transporteurs", "réalisation des courses"),
            _p("Conseil départemental ou régional", "financement du fonctionnement"),
            _p("Maison de santé", "orientation des patients et prise de rendez-vous"),
        ),
        duration_months=24,
        indicators=(
            _i("Nombre de courses vers les soins par an", "nombre"),
            _i("Nombre de bénéficiaires différents", "nombre"),
            _i("Part des courses ayant un motif médical", "%"),
        ),
        prs_keywords=("acces aux soins", "mobilite", "transport", "inegalites", "precarite"),
        example=(
            "Dans le pays du Doubs central, le transport à la demande TADOU, assuré par des taxis, dessert aussi "
            "la maison médicale de Baume-les-Dames ; il est financé à 50 % par le département, 40 % par les "
            "communes et 10 % par les usagers."
        ),
    ),
    Lever(
        key="maison_medicale_garde",
        family="accessibilite",
        title="Maison médicale de garde",
        summary=(
            "Un lieu fixe de consultation pour la permanence des soins le soir et le week-end, tenu à tour de "
            "rôle par les médecins du secteur et régulé par le centre 15."
        ),
        objective=(
            "Assurer une réponse aux demandes de soins non programmés en soirée et le week-end, alléger les "
            "gardes des médecins et désengorger les urgences."
        ),
        target_public="Habitants du secteur de garde ; médecins généralistes participant à la permanence des soins",
        partners=(
            _p("Médecins généralistes du secteur", "tours de garde"),
            _p("SAMU - centre 15", "régulation des appels"),
            _p("Hôpital local ou centre hospitalier", "mise à disposition de locaux, lien avec les urgences"),
            _p("ARS", "organisation de la permanence des soins ambulatoires, financement"),
            _p("Commune ou communauté de communes", "locaux et équipement"),
        ),
        duration_months=24,
        indicators=(
            _i("Nombre de consultations de garde par an", "nombre"),
            _i("Nombre de passages aux urgences évitables", "nombre"),
            _i("Part des médecins du secteur participant aux gardes", "%"),
        ),
        prs_keywords=("non programmes", "permanence des soins", "urgence", "acces aux soins"),
        example=(
            "Le pays Cœur d'Hérault a porté une maison médicale de garde dans les locaux de l'hôpital local "
            "de Clermont-l'Hérault, pour une permanence jusqu'à minuit et le week-end."
        ),
    ),
    Lever(
        key="programme_prevention",
        family="prevention",
        title="Programme de prévention et de dépistage",
        summary=(
            "Des actions d'information, d'éducation pour la santé et de dépistage sur les problèmes révélés "
            "par le diagnostic (nutrition, addictions, cancers, maladies cardiovasculaires, santé mentale…)."
        ),
        objective=(
            "Réduire un risque de santé surreprésenté sur le territoire par la prévention et le dépistage, "
            "au plus près des habitants."
        ),
        target_public="Habitants concernés par le risque retenu (enfants, jeunes, personnes âgées, personnes en précarité…)",
        partners=(
            _p("Professionnels de santé du territoire", "repérage, dépistage et conseil"),
            _p("Instance régionale ou comité départemental d'éducation pour la santé", "méthode et animation"),
            _p("Écoles, collèges, centres sociaux, associations", "relais auprès des publics"),
            _p("ARS et Assurance maladie", "financement et campagnes nationales de dépistage"),
        ),
        duration_months=24,
        indicators=(
            _i("Nombre de personnes touchées par les actions", "nombre"),
            _i("Taux de participation au dépistage organisé", "%"),
            _i("Nombre de séances ou d'ateliers réalisés", "nombre"),
        ),
        prs_keywords=("prevention", "promotion de la sante", "depistage", "education pour la sante", "inegalites"),
        example=(
            "Un pays a conventionné avec le comité départemental d'éducation pour la santé pour agir sur "
            "l'obésité infantile, problème révélé par son diagnostic."
        ),
    ),
    Lever(
        key="education_therapeutique",
        family="prevention",
        title="Programme d'éducation thérapeutique du patient",
        summary=(
            "Des séances individuelles et collectives, animées par une équipe pluriprofessionnelle formée, pour "
            "aider les patients atteints de maladies chroniques à gérer leur traitement et leur vie quotidienne."
        ),
        objective=(
            "Améliorer la prise en charge des maladies chroniques (diabète, maladies cardiovasculaires, BPCO…) "
            "et l'autonomie des patients."
        ),
        target_public="Patients atteints de maladies chroniques et leur entourage",
        partners=(
            _p("Équipe de la maison ou du pôle de santé", "conception et animation des séances"),
            _p("ARS", "autorisation et financement du programme"),
            _p("Réseaux de santé et hôpital", "formation et appui spécialisé"),
            _p("Associations de patients", "participation et relais"),
        ),
        duration_months=36,
        indicators=(
            _i("Nombre de patients ayant suivi le programme", "nombre"),
            _i("Nombre de professionnels formés à l'éducation thérapeutique", "nombre"),
            _i("Part des patients diabétiques ayant eu les examens de suivi recommandés", "%"),
        ),
        prs_keywords=("maladies chroniques", "education therapeutique", "parcours", "prevention", "pouvoir d agir"),
    ),
)

LEVERS_BY_KEY: dict[str, Lever] = {lever.key: lever for lever in LEVERS}


def find_lever(key: str) -> Lever:
    """The lever with this key; a French :class:`ValidationError` when it does not exist."""
    try:
        return LEVERS_BY_KEY[key]
    except KeyError:
        known = ", ".join(f"« {lever.title} »" for lever in LEVERS)
        raise ValidationError(f"Levier inconnu : « {key} ». Leviers du guide : {known}.") from None


_NON_WORD = re.compile(r"[^a-z0-9]+")


def plain_text(text: str) -> str:
    """Lower case, accents and punctuation removed, words separated by single spaces.

    ``"L’accès aux soins non programmés"`` → ``"l acces aux soins non programmes"``.
    """
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(_NON_WORD.sub(" ", stripped).split())


def keyword_score(keywords: tuple[str, ...] | list[str], text: str) -> int:
    """How many of ``keywords`` occur in ``text`` (whole words; accents, case and punctuation ignored).

    A keyword matches at the start of a word, so ``"numerique"`` finds "numérique" and
    ``"coordonne"`` finds "coordonné" and "coordonnée"; ``"stage"`` does not find "stagiaire"'s
    middle nor "dépistage".
    """
    haystack = f" {plain_text(text)}"
    return sum(1 for keyword in keywords if (plain := plain_text(keyword)) and f" {plain}" in haystack)
