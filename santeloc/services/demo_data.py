"""Data of the demo project (see :mod:`santeloc.services.demo`).

The territory, the porteur and the 2005 plan are the guide's worked example of
Saint-Amand-en-Puisaye (Nièvre). Everything else is **illustrative**: names of professionals
are fictitious (« Professionnel A… »), indicator values are rounded orders of magnitude of a
rural canton of the Nièvre, and each indicator names the kind of source a real diagnostic
would quote. The project's description says so in plain words.
"""

from __future__ import annotations

from datetime import date

from santeloc.domain.enums import ResourceKind

DEMO_NAME = "Exemple — Maison de santé de Saint-Amand-en-Puisaye"
PORTEUR = "Communauté de communes de la Puisaye Nivernaise"

# The canton of Saint-Amand-en-Puisaye (Nièvre).
DEMO_SCENARIO = "La maison de santé avec deux médecins de plus"
DEMO_SCENARIO_WITHOUT = "Sans la maison de santé : les départs attendus d'ici cinq ans"
DEMO_COMMUNES = ("58227", "58012", "58033", "58036", "58094", "58270")

DEMO_DESCRIPTION = (
    "La communauté de communes de la Puisaye Nivernaise porte, à la demande des professionnels de "
    "santé du canton de Saint-Amand-en-Puisaye (Nièvre), la construction d'une maison de santé "
    "pluriprofessionnelle au bourg de Saint-Amand-en-Puisaye. Le bâtiment réunira médecins "
    "généralistes, infirmiers, masseur-kinésithérapeute, sage-femme, chirurgien-dentiste "
    "et pharmacien partenaire autour d'un projet de santé commun ; les professionnels, "
    "réunis en société interprofessionnelle de soins ambulatoires, loueront les locaux à la "
    "communauté.\n\n"
    "Données d'illustration : le territoire et le plan historique de 2005 sont ceux de la maison de "
    "santé amandinoise ouverte le 23 mai 2005 ; les professionnels, les indicateurs, l'enquête, les "
    "réunions et le plan de financement actuel sont fictifs et servent d'exemple."
)

TODAY = date(2026, 3, 2)
"""Reference date of the illustrative story (meetings before, works after)."""

# --- step 1: indicators (theme, label, unit, year, territory, dep, region, France, observed, expected, source)
INDICATORS: tuple[tuple[str, str, str, int, float, float, float, float, float | None, float | None, str], ...] = (
    ("Population et vieillissement", "Part des 75 ans et plus", "%", 2021, 16.2, 14.1, 11.9, 9.9, None, None,
     "Insee, recensement de la population 2021"),
    ("Population et vieillissement", "Indice de vieillissement", "indice", 2021, 168.4, 142.0, 98.3, 86.1, None,
     None, "Insee, recensement de la population 2021"),
    ("Situation sociale", "Bénéficiaires de la complémentaire santé solidaire", "%", 2022, 9.1, 8.4, 7.2, 11.0,
     None, None, "Assurance maladie (Cnam), 2022"),
    ("Mortalité générale", "Mortalité toutes causes", "pour 100 000", 2019, 1012.3, 985.1, 910.4, 878.5, 142,
     131.0, "Inserm CépiDc, taux standardisés 2015-2019"),
    ("Mortalité prématurée", "Mortalité prématurée (avant 65 ans)", "pour 100 000", 2019, 312.5, 265.0, 240.1,
     220.3, 45, 30.2, "Inserm CépiDc, taux standardisés 2015-2019"),
    ("Causes de décès", "Décès par suicide", "pour 100 000", 2019, 25.4, 19.8, 17.7, 13.4, 8, 5.9,
     "Inserm CépiDc, taux standardisés 2015-2019"),
    ("Maladies chroniques (ALD)", "Admissions en ALD pour diabète", "pour 100 000", 2022, 498.0, 455.2, 430.7,
     441.9, 33, 29.8, "Assurance maladie (Cnam), 2022"),
)  # fmt: skip

CONSTATS: tuple[tuple[str, str], ...] = (
    ("Une population âgée : 16,2 % d'habitants de 75 ans et plus",
     "Part supérieure à celles du département, de la région et de la France."),
    ("Une mortalité prématurée significativement supérieure à celle de la France",
     "Indice comparatif de mortalité prématurée d'environ 150."),
    ("Trois médecins généralistes sur quatre ont 60 ans ou plus",
     "Des départs en retraite attendus dans les cinq ans, sans successeur connu."),
    ("Les habitants disent renoncer aux soins dentaires et attendre plus de 8 jours un rendez-vous",
     "Enquête auprès des habitants de l'automne 2025."),
)  # fmt: skip

# Age table of the territory: shares (‰) of each group; scaled to the territory's population.
AGE_SHARES: tuple[tuple[str, int, int | None, int, int], ...] = (
    ("0 à 14 ans", 0, 14, 65, 62), ("15 à 29 ans", 15, 29, 55, 50), ("30 à 44 ans", 30, 44, 68, 66),
    ("45 à 59 ans", 45, 59, 100, 102), ("60 à 74 ans", 60, 74, 132, 138), ("75 à 89 ans", 75, 89, 62, 82),
    ("90 ans ou plus", 90, None, 5, 13),
)  # fmt: skip
# The 75-and-over share of this table (162 ‰) is the indicator « Part des 75 ans et plus » (16,2 %): one fact, one
# number, whichever part of the dossier quotes it.

# --- step 2: professionals (last name, profession, commune, birth year, fte, commitment) ---------
PROFESSIONALS: tuple[tuple[str, str, str, int, float, str], ...] = (
    ("Professionnel A", "medecin_generaliste", "58227", 1962, 1.0, "signataire"),
    ("Professionnel B", "medecin_generaliste", "58227", 1964, 1.0, "signataire"),
    ("Professionnel C", "medecin_generaliste", "58270", 1988, 0.8, "signataire"),
    ("Professionnel D", "medecin_generaliste", "58036", 1960, 1.0, "signataire"),
    ("Professionnel E", "infirmier", "58227", 1979, 1.0, "signataire"),
    ("Professionnel F", "infirmier", "58227", 1985, 1.0, "signataire"),
    ("Professionnel G", "infirmier", "58094", 1992, 0.8, "signataire"),
    ("Professionnel H", "masseur_kinesitherapeute", "58227", 1983, 1.0, "signataire"),
    ("Professionnel I", "sage_femme", "58227", 1990, 0.5, "signataire"),
    ("Professionnel J", "chirurgien_dentiste", "58227", 1975, 1.0, "signataire"),
    ("Professionnel K", "pharmacien", "58227", 1970, 1.0, "rencontre"),
)  # fmt: skip

ESTABLISHMENTS: tuple[tuple[str, str, str], ...] = (
    ("pharmacie", "Pharmacie du bourg", "58227"),
    ("ehpad", "EHPAD de Saint-Amand-en-Puisaye", "58227"),
    ("ssiad", "SSIAD de Puisaye", "58227"),
    ("aide_domicile", "ADMR de Puisaye", "58036"),
)

MEASURES: tuple[tuple[str, float, str], ...] = (
    ("delai_rdv_generaliste", 9, "Enquête auprès des habitants, 2025"),
    ("pdsa_soirs", 3, "Tableau de garde du secteur, 2025"),
    ("pdsa_weekend", 1, "Tableau de garde du secteur, 2025"),
    ("part_c2s", 9.1, "Assurance maladie (Cnam), 2022"),
)

# --- step 4: answers of 40 illustrative questionnaires (by question order of the starter set) -----
SURVEY_SIZE = 40

# --- step 5: contacts and meetings -------------------------------------------------------------
CONTACTS: tuple[tuple[str, str, str, str], ...] = (
    ("elu", "Président de la communauté (illustratif)", "Président", PORTEUR),
    ("elu", "Vice-présidente santé (illustrative)", "Vice-présidente chargée de la santé", PORTEUR),
    ("ars", "Référente soins de proximité (illustrative)", "Chargée de mission", "ARS Bourgogne-Franche-Comté, "
     "délégation de la Nièvre"),
    ("prefecture", "Chargé des dotations (illustratif)", "Chef de bureau", "Sous-préfecture de Cosne-Cours-sur-Loire"),
)  # fmt: skip

# --- step 6: priorities (title, score of the workshop vote) and their objectives and fiches ---------
PLAN_JUSTIFICATION = (
    "Répond à l'objectif du projet régional de santé de Bourgogne-Franche-Comté de garantir l'accès aux soins de "
    "premier recours dans les territoires ruraux et d'organiser les parcours des personnes âgées."
)

PRIORITIES: tuple[tuple[str, float, str], ...] = (
    ("Garder et attirer des médecins généralistes", 31, "Maintenir un médecin traitant pour chaque habitant"),
    ("Coordonner les soins des personnes âgées à domicile", 24,
     "Éviter les hospitalisations évitables des plus de 75 ans"),
    ("Prévenir la mortalité prématurée", 17, "Repérer tôt les conduites à risque et le mal-être"),
    ("Améliorer l'accès aux soins dentaires", 12, "Réduire le renoncement aux soins dentaires"),
)  # fmt: skip

# --- step 7: the present-day plan ---------------------------------------------------------------
# expenses: (key, stage, category, label, euros HT, VAT bp, year)
EXPENSES: tuple[tuple[str, str, str, str, int, int, int], ...] = (
    ("etude", "ingenierie", "études", "Étude de programmation et de faisabilité", 30_000, 2_000, 2026),
    ("travaux", "investissement", "travaux", "Construction du bâtiment (travaux, 620 m²)", 1_120_000, 2_000, 2028),
    ("moe", "investissement", "honoraires", "Maîtrise d'œuvre, contrôle technique, coordination SPS", 130_000,
     2_000, 2028),
    ("equipement", "investissement", "équipement", "Équipement et informatique partagée", 50_000, 2_000, 2029),
    ("coordination", "fonctionnement", "coordination", "Coordination de l'équipe (première année)", 40_000, 0,
     2029),
)  # fmt: skip

# resources: (kind, funder, label, stage, rate bp or None, amount euros or None, base expense keys, status,
#             requested on, decided on)
RESOURCES: tuple[tuple[ResourceKind, str, str, str, int | None, int | None, tuple[str, ...], str,
                       date | None, date | None], ...] = (
    (ResourceKind.SUBVENTION, "DETR", "DETR 2026", "investissement", 2_500, None, ("travaux",), "sollicite",
     date(2026, 1, 15), None),
    (ResourceKind.SUBVENTION, "DSIL", "DSIL 2026", "investissement", 1_000, None, ("travaux", "moe"), "a_solliciter",
     None, None),
    (ResourceKind.SUBVENTION, "REGION", "Région Bourgogne-Franche-Comté", "investissement", None, 150_000,
     ("travaux", "moe", "equipement"), "a_solliciter", None, None),
    (ResourceKind.SUBVENTION, "DEPARTEMENT", "Département de la Nièvre", "investissement", 1_000, None,
     ("travaux", "moe", "equipement"), "accorde", date(2025, 10, 6), date(2025, 12, 15)),
    (ResourceKind.EMPRUNT, "EMPRUNT", "Emprunt de la communauté de communes", "investissement", None, 400_000, (),
     "a_solliciter", None, None),
    (ResourceKind.AUTOFINANCEMENT, "", "Autofinancement de la communauté de communes", "investissement", None,
     None, (), "accorde", None, None),
    (ResourceKind.SUBVENTION, "ARS", "ARS — FIR, étude de faisabilité", "ingenierie", 5_000, None, ("etude",),
     "accorde", date(2025, 9, 1), date(2025, 11, 20)),
    (ResourceKind.AUTOFINANCEMENT, "", "Autofinancement de l'étude", "ingenierie", None, 15_000, (), "accorde",
     None, None),
    (ResourceKind.SUBVENTION, "ARS", "ARS — FIR, coordination de la première année", "fonctionnement", 5_000, None,
     ("coordination",), "a_solliciter", None, None),
    (ResourceKind.PARTICIPATION, "", "Participation des professionnels à la coordination", "fonctionnement",
     None, 20_000, (), "accorde", None, None),
)  # fmt: skip

LOAN: tuple[int, int, int, int, str] = (40_000_000, 350, 25, 2029, "Emprunt de la communauté de communes")
"""Principal (cents), rate (bp), years, first year, label."""

WORKS = {"travaux_debut": date(2027, 9, 1), "travaux_fin": date(2028, 12, 15),
         "operation_debut": date(2026, 1, 5), "operation_fin": date(2029, 3, 31)}  # fmt: skip
"""Dates of the illustrative story; :func:`santeloc.services.demo.create_demo_project` shifts the
works (and the years of the expenses and of the loan) so that they always lie ahead of the day
the demo is created: a grant cannot fund works already started."""

# The plan actually carried out in 2003-2005 (the guide's figures): a historical scenario.
HISTORICAL_PLAN = "Plan historique réalisé (2003-2005)"
HISTORICAL_TOTAL_EUROS = 795_305
HISTORICAL_RESOURCES: tuple[tuple[ResourceKind, str, str, int], ...] = (
    (ResourceKind.EMPRUNT, "EMPRUNT", "Emprunt de la communauté de communes", 240_943),
    (ResourceKind.SUBVENTION, "DDR", "Subvention de l'État (dotation de développement rural)", 324_547),
    (ResourceKind.SUBVENTION, "FNADT", "Subvention de l'État (FNADT)", 50_000),
    (ResourceKind.SUBVENTION, "DEPARTEMENT", "Subvention du conseil général de la Nièvre", 121_959),
    (ResourceKind.SUBVENTION, "ADEME", "Subvention de l'ADEME (chaufferie bois)", 57_856),
)

# --- step 6: the sections of the projet de santé the team wrote (illustrative) ------------------
SECTIONS: dict[str, str] = {
    "identification.forme_juridique": "sisa",
    "identification.adresse": "Rue du Château, 58310 Saint-Amand-en-Puisaye",
    "identification.date_ouverture": "01/03/2029",
    "identification.contact": "Professionnel A, médecin généraliste, coordinateur du projet",
    "soins.acces_horaires": "La maison de santé est ouverte du lundi au vendredi de 8 h à 20 h et le samedi de 8 h "
    "à 12 h. Un secrétariat commun assure l'accueil physique et téléphonique ; la prise de rendez-vous en ligne "
    "est proposée pour toutes les professions.",
    "soins.non_programmes": "Chaque jour ouvré, un médecin généraliste réserve deux heures de consultations sans "
    "rendez-vous ; les infirmiers assurent un créneau de soins non programmés le matin.",
    "soins.permanence_des_soins": "Les médecins participent au tour de garde du secteur de Cosne-Cours-sur-Loire "
    "en soirée et le samedi après-midi, en lien avec la régulation du centre 15.",
    "soins.maladies_chroniques": "Un protocole médecin-infirmier organise le suivi des patients diabétiques et "
    "insuffisants cardiaques : consultation infirmière trimestrielle, examen annuel des pieds, rappel des "
    "examens de suivi.",
    "soins.prevention_depistage": "L'équipe relaie les dépistages organisés des cancers et la vaccination contre la "
    "grippe ; une action de repérage du mal-être répond à la mortalité par suicide relevée par le diagnostic.",
    "soins.education_therapeutique": "Un programme d'éducation thérapeutique sur le diabète de type 2 sera déposé "
    "auprès de l'ARS la deuxième année, animé par un médecin et un infirmier formés.",
    "soins.qualite_formation": "Deux réunions par an d'analyse des pratiques ; formations communes inscrites au "
    "développement professionnel continu ; enquête de satisfaction des patients chaque année.",
    "pro.coordination": "Un coordinateur salarié à mi-temps anime l'équipe, prépare les réunions, suit les "
    "protocoles et les relations avec les partenaires.",
    "pro.protocoles": "Trois protocoles pluriprofessionnels sont prévus la première année : diabète, sortie "
    "d'hospitalisation des plus de 75 ans, anticoagulants oraux.",
    "pro.revues_de_cas": "Une réunion de concertation mensuelle examine les situations complexes ; ses conclusions "
    "sont tracées dans le dossier partagé du patient.",
    "pro.systeme_information": "Logiciel partagé labellisé par l'Agence du numérique en santé, messagerie sécurisée "
    "de santé pour chaque professionnel, accès aux dossiers avec l'accord des patients.",
    "pro.stagiaires": "Deux médecins sont maîtres de stage et accueillent des internes de médecine générale ; un "
    "logement pour stagiaires est prévu dans le bâtiment.",
    "pro.integration": "Tout nouveau professionnel est accueilli par le coordinateur, signe le projet de santé et "
    "le règlement intérieur de la SISA après une période de découverte de trois mois.",
    "pro.partenariats": "Conventions avec l'EHPAD et le SSIAD du canton, le centre hospitalier de Cosne-Cours-sur-"
    "Loire et la pharmacie du bourg ; participation au contrat local de santé de la Puisaye.",
    "aci.ouverture_semaine": "oui",
    "aci.ouverture_samedi": "oui",
    "aci.soins_non_programmes": "oui",
    "aci.coordination": "oui",
    "aci.systeme_information": "oui",
}
