"""The method explained where it is used: per-step help, field examples, glossary, next best step.

No Qt here. The help panel, the glossary dialog and the tooltips of :mod:`santeloc.gui` render
these data; tests check them without widgets.

- :data:`STEP_HELP` — for every :class:`~santeloc.workflow.steps.StepId`, a :class:`StepHelp`:
  what the step is for, what to gather and from whom, what good looks like, the pitfalls the
  methodology guide warns about, and links to the place in the app where each thing is done.
- :data:`FIELD_EXAMPLES` — the guide's real cases as short cards (:class:`FieldExample`), with the
  figures the guide gives and the steps they illustrate (:func:`examples_for`).
- :data:`GLOSSARY` — every acronym the application shows (:class:`GlossaryEntry`), with
  :func:`lookup` and :func:`find_terms` for tooltips.
- :func:`next_best_step` / :func:`next_best_actions` — what to do next, from the project's counts
  and the readiness checklist.

Facts and figures of the cards come from the 2010 methodology guide for elected officials
(seed 004); the wording is the product's own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from santeloc.workflow.steps import STEPS, StepId, StepState, assess

if TYPE_CHECKING:  # annotations only: counting loads the ORM, the glossary does not need it
    from santeloc.services.progress import ProjectCounts

# --------------------------------------------------------------------------- French typesetting

NBSP = "\u00a0"
NNBSP = "\u202f"
_THOUSANDS = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
_BEFORE = re.compile(r" ([:;?!%€»])")
_AFTER = re.compile(r"« ")


def typeset(text: str) -> str:
    """French non-breaking spaces, so that a line never starts with "%", "€", ":" or "»".

    Thousands get a narrow no-break space (``15 000`` → ``15\u202f000``, as the app formats numbers),
    signs and closing quotes a no-break space. The data keep plain spaces; renderers call this.
    """
    text = _THOUSANDS.sub(NNBSP, text)
    text = _BEFORE.sub(lambda m: NBSP + m.group(1), text)
    return _AFTER.sub("«" + NBSP, text)


# --------------------------------------------------------------------------- per-step help


@dataclass(frozen=True)
class StepHelp:
    """The help of one step, in short practical French.

    ``gather`` holds ``(what, from whom)`` pairs; ``links`` holds ``(label, step, tab_hint)``
    triples, where ``tab_hint`` is the visible title of a tab of that step's page ("" for none).
    """

    step: StepId
    purpose: str
    gather: tuple[tuple[str, str], ...]
    good_looks_like: str
    pitfalls: tuple[str, ...]
    links: tuple[tuple[str, StepId, str], ...]


_S = StepId

STEP_HELP: dict[StepId, StepHelp] = {
    StepId.TERRITOIRE: StepHelp(
        StepId.TERRITOIRE,
        "Dire qui porte la démarche, ce que l'on veut construire et pour quelles communes. Le territoire "
        "fixe la population étudiée, les niveaux de comparaison (département, région, France) et, plus "
        "tard, les financeurs que l'on peut solliciter.",
        (
            (
                "La délibération qui lance la démarche et désigne le porteur",
                "le secrétariat de la commune ou de la communauté de communes",
            ),
            (
                "Les communes d'où viennent les patients du bourg (la patientèle réelle)",
                "les médecins et les pharmaciens du bourg",
            ),
            (
                "Les projets déjà engagés autour de vous (maisons de santé, CPTS, contrat local de santé)",
                "la délégation départementale de l'ARS et les intercommunalités voisines",
            ),
            (
                "Le zonage médecins en vigueur (ZIP, ZAC) et le classement des communes (ZRR)",
                "le site de l'ARS, la préfecture",
            ),
        ),
        "Un territoire qui suit les habitudes de soins des habitants plutôt que les seules limites "
        "administratives, un porteur nommé, un type de projet provisoire, et un premier contact pris avec "
        "l'ARS et les intercommunalités voisines.",
        (
            "Tracer le territoire sur les seules frontières de l'intercommunalité alors que les habitants "
            "consultent ailleurs : le diagnostic décrira une population qui n'est pas celle du futur projet.",
            "Ignorer l'intercommunalité voisine : deux projets concurrents se disputent les mêmes "
            "professionnels, déjà trop rares — un jeu à somme nulle. Parlez-vous avant de lancer les études.",
            "Figer le type de projet (maison mono-site, pôle multi-site, centre de santé) avant d'avoir "
            "entendu les professionnels : c'est leur projet professionnel qui décidera.",
        ),
        (
            ("Choisir les communes du territoire", _S.TERRITOIRE, ""),
            ("Saisir les indicateurs de santé", _S.ETAT_SANTE, "Indicateurs"),
            ("Lire l'APL officielle des communes", _S.ACCESSIBILITE, "APL officielle (DREES)"),
        ),
    ),
    StepId.ETAT_SANTE: StepHelp(
        StepId.ETAT_SANTE,
        "Dire en quoi la santé des habitants se distingue du département, de la région et de la France : "
        "mortalité prématurée, causes de surmortalité, maladies chroniques, accidents, vieillissement, "
        "situation sociale. Le but n'est pas un catalogue de chiffres mais quelques constats qui "
        "orienteront les priorités.",
        (
            ("Le portrait de territoire ou le tableau de bord de santé", "l'observatoire régional de la santé (ORS)"),
            ("Les indicateurs et leurs valeurs de référence", "les sites SCORE-Santé et Géodes"),
            ("Les affections de longue durée (ALD) et le recours aux soins", "la CPAM, la MSA, l'ARS"),
            ("La structure par âge et la situation sociale", "l'INSEE (recensement, revenus)"),
        ),
        "Chaque valeur avec son unité, son année, sa source et ses références ; l'indice comparatif et sa "
        "significativité quand les effectifs sont connus ; puis trois à six constats écrits en une phrase "
        "(« la mortalité prématurée est significativement supérieure à celle du département ») qui "
        "serviront aux ateliers et au projet de santé.",
        (
            "Un diagnostic qui reste une liste de chiffres : sans constats retenus, il ne mène à aucune "
            "priorité. Pour chaque indicateur, demandez-vous « et alors ? ».",
            "Comparer des valeurs d'années ou de sources différentes, ou conclure sur un écart non "
            "significatif (petits effectifs d'un territoire rural).",
            "Faire le diagnostic seul dans son bureau : associez professionnels, élus et habitants dès le "
            "départ (comité de pilotage) et combinez chiffres et enquêtes.",
        ),
        (
            ("Saisir ou importer les indicateurs", _S.ETAT_SANTE, "Indicateurs"),
            ("Comparer aux références en graphiques", _S.ETAT_SANTE, "Graphiques"),
            ("Pyramide des âges et projection", _S.ETAT_SANTE, "Population"),
            ("Retenir les constats", _S.ETAT_SANTE, "Constats"),
        ),
    ),
    StepId.OFFRE: StepHelp(
        StepId.OFFRE,
        "Recenser toute l'offre — médecins, infirmiers, kinésithérapeutes, dentistes, sages-femmes, "
        "pharmaciens, orthophonistes, psychologues… — et les établissements et services (hôpital local, "
        "EHPAD, SSIAD, CLIC, aide à domicile), puis anticiper : qui sera parti dans 5 et 10 ans ?",
        (
            ("L'extraction RPPS de l'Annuaire santé (fichier national, libre)", "le site de l'Annuaire santé"),
            (
                "L'âge, le temps de travail et les projets de départ de chacun",
                "les professionnels eux-mêmes, au téléphone ou en réunion ; l'Ordre départemental",
            ),
            ("Le conventionnement et le secteur de chaque professionnel", "la CPAM"),
            ("Les établissements et services avec leur numéro FINESS", "le fichier FINESS, l'ARS, le Département"),
        ),
        "Chaque profession comptée en personnes et en ETP (équivalents temps plein), l'âge connu pour "
        "tous, la densité comparée aux références, et les départs attendus à 5 et 10 ans avec la densité "
        "projetée : c'est le premier signal d'alerte.",
        (
            "Ne regarder que les médecins généralistes : il manque parfois surtout des infirmiers, des "
            "orthophonistes, des psychologues ou des dentistes.",
            "Se contenter d'une photographie : quand un territoire a perdu ses professionnels, il est souvent "
            "trop tard. C'est la pyramide des âges qui permet d'anticiper.",
            "Oublier l'aide et les soins à domicile, l'hôpital local et les EHPAD : ils peuvent être associés "
            "au projet, voire l'accueillir.",
        ),
        (
            ("Importer ou saisir les professionnels", _S.OFFRE, "Professionnels"),
            ("Établissements et services", _S.OFFRE, "Établissements et services"),
            ("Âges, départs et densité projetée", _S.OFFRE, "Démographie"),
        ),
    ),
    StepId.ACCESSIBILITE: StepHelp(
        StepId.ACCESSIBILITE,
        "Mesurer si les habitants accèdent vraiment aux soins. Le guide retient quatre mesures : le délai "
        "avant un rendez-vous, le temps de trajet, la permanence des soins (soirs et week-ends) et l'accès "
        "financier. santeloc y ajoute les temps d'accès commune par commune et l'indice APL.",
        (
            (
                "Les délais d'obtention d'un rendez-vous, par profession",
                "les cabinets, une enquête auprès des habitants",
            ),
            (
                "L'organisation des gardes (PDSA) et des urgences",
                "la délégation départementale de l'ARS, l'association de permanence des soins",
            ),
            ("La part de bénéficiaires de la C2S et la part de médecins en secteur 1", "la CPAM, la MSA"),
            ("Un distancier entre communes si vous en avez un (METRIC)", "l'INSEE"),
        ),
        "Les quatre mesures du guide renseignées, les communes à plus de 15, 20 ou 30 minutes repérées sur "
        "la carte, et un indice APL lu avec ses paramètres : un repère pour comparer, pas un verdict.",
        (
            "Confondre présence et accès : un médecin qui ne prend plus de nouveaux patients n'améliore pas "
            "l'accès des habitants.",
            "Prendre l'estimation des trajets (vol d'oiseau × détour ÷ vitesse) pour une mesure : importez un "
            "distancier quand l'enjeu est fort.",
            "Oublier l'accès financier : dépassements d'honoraires et faible recours à la C2S écartent une "
            "partie des habitants des soins.",
        ),
        (
            ("Les quatre mesures du guide", _S.ACCESSIBILITE, "Les quatre mesures du guide"),
            ("L'APL officielle de la DREES", _S.ACCESSIBILITE, "APL officielle (DREES)"),
            ("Temps d'accès et indice calculé", _S.ACCESSIBILITE, "Temps d'accès et indice calculé"),
            ("Et si… deux médecins s'installent ?", _S.ACCESSIBILITE, "Et si… (scénarios)"),
            ("Professionnels pris en compte", _S.OFFRE, "Professionnels"),
        ),
    ),
    StepId.HABITANTS: StepHelp(
        StepId.HABITANTS,
        "Recueillir le ressenti des habitants, car une offre présente n'est pas forcément utilisée : besoins "
        "mal couverts, horaires, distance, renoncement aux soins, actions de prévention connues. Facultatif, "
        "mais c'est souvent ce qui convainc les élus.",
        (
            ("Un questionnaire court, d'une dizaine de questions", "le comité de pilotage, à partir du modèle proposé"),
            ("Des relais de diffusion", "mairies, pharmacies, commerces, associations, bulletin intercommunal"),
            ("La saisie des réponses papier", "un agent ou des bénévoles, dans la feuille de saisie"),
        ),
        "Des réponses de toutes les communes et de tous les âges, des résultats tabulés par commune et par "
        "tranche d'âge, et deux ou trois constats qui complètent les chiffres (par exemple un renoncement "
        "aux soins dentaires dans une partie du territoire).",
        (
            "Un questionnaire trop long ou seulement en ligne : les personnes âgées et isolées, les premières "
            "concernées, n'y répondent pas.",
            "Des réponses qui ne débouchent sur aucun constat : comme pour les chiffres, demandez-vous ce "
            "qu'elles changent aux priorités.",
        ),
        (
            ("Composer le questionnaire", _S.HABITANTS, "Questionnaire"),
            ("Imprimer, diffuser, saisir les réponses", _S.HABITANTS, "Diffusion et saisie"),
            ("Lire les résultats et en tirer des constats", _S.HABITANTS, "Résultats"),
            ("Les constats du diagnostic", _S.ETAT_SANTE, "Constats"),
        ),
    ),
    StepId.PROFESSIONNELS: StepHelp(
        StepId.PROFESSIONNELS,
        "La clé de la réussite : réunir les professionnels, partager le diagnostic avec eux, repérer un "
        "leader et partir de leur projet professionnel. Les professionnels gardent la main sur le projet de "
        "santé ; la collectivité apporte l'ingénierie et, s'il le faut, l'immobilier.",
        (
            ("Les coordonnées des professionnels et des partenaires", "l'extraction RPPS, l'Ordre, l'URPS, la CPAM"),
            (
                "Les intentions de chacun : exercice en groupe, propriétaire ou locataire de son cabinet, prêt à "
                "déménager, temps plein ou partiel, à quel horizon",
                "des entretiens individuels",
            ),
            ("Le compte rendu de chaque réunion (date, participants, décisions)", "vous-même, le soir même"),
            ("Les lettres d'intention, puis les signatures du projet de santé", "les professionnels engagés"),
        ),
        "Un leader identifié, au moins deux médecins généralistes et un professionnel paramédical engagés "
        "par écrit, des réunions tracées, et une organisation choisie avec eux : un seul site si tous sont "
        "prêts à déménager, un pôle multi-site si le déménagement est l'obstacle.",
        (
            "Construire les murs avant que les professionnels se soient engagés : le risque est grand de se "
            "retrouver avec des locaux vides. Pas de concours d'architecte sans lettres d'intention.",
            "Une commande publique imposée aux professionnels : une maison de santé ne naît pas sans leur "
            "initiative, et l'élu qui finance ne doit pas régenter leur pratique.",
            "Attirer les professionnels de la commune voisine : on déplace la pénurie sans la résoudre. "
            "Cherchez les complémentarités (cabinets secondaires, pôle commun).",
        ),
        (
            ("Intentions et engagement de chacun", _S.PROFESSIONNELS, "Professionnels"),
            ("L'équipe engagée atteint-elle le minimum ?", _S.PROFESSIONNELS, "Synthèse"),
            ("Contacts et partenaires", _S.PROFESSIONNELS, "Contacts"),
            ("Comptes rendus de réunion", _S.PROFESSIONNELS, "Réunions"),
            ("Le diagnostic à présenter en réunion", _S.ETAT_SANTE, "Graphiques"),
            ("Âges et départs des professionnels", _S.OFFRE, "Démographie"),
        ),
    ),
    StepId.PROJET_SANTE: StepHelp(
        StepId.PROJET_SANTE,
        "Choisir avec les professionnels et les élus les priorités issues du diagnostic, les décliner en "
        "objectifs et en fiches action reliées au projet régional de santé, puis rédiger le projet de santé "
        "(ce que la population trouvera) et le projet professionnel (comment l'équipe s'organise).",
        (
            ("Les constats retenus aux étapes 1 à 4", "santeloc"),
            ("Le projet régional de santé (PRS) et son schéma régional (SRS)", "le site de l'ARS de votre région"),
            ("Les propositions d'un atelier ou d'un comité de pilotage", "professionnels, élus, usagers"),
            (
                "Le modèle de projet de santé et le socle de l'ACI",
                "l'ARS, la fédération régionale des maisons de santé, la CPAM",
            ),
        ),
        "Trois à six priorités choisies ensemble ; des fiches action avec pilote, public, calendrier, budget "
        "et indicateur (valeur de départ et cible), reliées à un constat et à un objectif du PRS ; un projet "
        "de santé qui traite des soins non programmés, des maladies chroniques, de la prévention, de la "
        "coordination et de l'accueil des stagiaires, signé par toute l'équipe.",
        (
            "Un projet de santé réduit au règlement du bâtiment (horaires, charges, ménage) : l'ARS et les "
            "financeurs attendent une réponse aux besoins de santé du territoire, pas un projet a minima.",
            "Des priorités qui ne sortent pas du diagnostic, ou un diagnostic qui ne débouche sur aucune priorité.",
            "Des actions de prévention sans temps ni financement dédiés : elles n'existent que si elles sont "
            "programmées et financées.",
        ),
        (
            ("Priorités, objectifs et fiches action", _S.PROJET_SANTE, "Priorités et actions"),
            ("Rédiger le projet de santé", _S.PROJET_SANTE, "Projet de santé"),
            ("Cohérence avec le PRS", _S.PROJET_SANTE, "Cohérence avec le PRS"),
            ("Ce que l'ARS vérifiera", _S.PROJET_SANTE, "Prêt pour l'ARS ?"),
            ("Les constats du diagnostic", _S.ETAT_SANTE, "Constats"),
            ("L'équipe qui signera", _S.PROFESSIONNELS, "Synthèse"),
        ),
    ),
    StepId.FINANCEMENT: StepHelp(
        StepId.FINANCEMENT,
        "Équilibrer dépenses et ressources pour chacune des trois étapes — ingénierie, investissement, "
        "fonctionnement — avec les subventions (DETR, DSIL, FNADT, Région, Département, ARS, Europe, "
        "ADEME), l'emprunt et l'autofinancement, puis calculer les loyers qui rembourseront l'emprunt.",
        (
            (
                "L'estimation des travaux, honoraires et équipements, HT et TTC",
                "l'architecte, le maître d'œuvre ou l'assistant à maîtrise d'ouvrage",
            ),
            (
                "Les appels à projets de l'année, avec taux et plafonds",
                "la préfecture (DETR, DSIL, FNADT), la Région, le Département, le GAL (LEADER)",
            ),
            ("Les aides à l'ingénierie et au fonctionnement", "la délégation départementale de l'ARS (FIR)"),
            ("Les conditions d'emprunt et la valeur locative du marché", "la banque, une agence immobilière"),
        ),
        "Chaque étape équilibrée au centime, chaque financeur identifié avec son taux, le maître d'ouvrage "
        "à au moins 20 % des financements publics de son investissement, des loyers qui couvrent l'annuité "
        "et restent proches du marché, et un scénario sans la subvention la plus incertaine.",
        (
            "Financer les murs sans prévoir le fonctionnement : secrétariat, coordination et informatique "
            "coûtent plus cher qu'en exercice isolé.",
            "Compter sur des loyers sans engagement écrit des professionnels : l'investissement ne s'amortit "
            "que si la maison trouve ses occupants.",
            "Mélanger HT et TTC entre les dépenses et les assiettes de subvention.",
        ),
        (
            ("Dépenses par étape", _S.FINANCEMENT, "Dépenses"),
            ("Recettes et financeurs", _S.FINANCEMENT, "Recettes"),
            ("Contrôles en direct", _S.FINANCEMENT, "Équilibre et règles"),
            ("Emprunt et loyers", _S.FINANCEMENT, "Emprunt et loyers"),
            ("Comparer des scénarios", _S.FINANCEMENT, "Scénarios"),
            ("Taux et plafonds des financeurs", _S.FINANCEMENT, "Financeurs"),
        ),
    ),
    StepId.DOSSIERS: StepHelp(
        StepId.DOSSIERS,
        "Produire les documents à remettre : diagnostic, demandes de subvention (une par financeur), "
        "délibération et classeur du plan de financement, en Word, Excel et PDF. Ils reprennent ce qui est "
        "saisi aux étapes précédentes : corrigez à la source, puis produisez de nouveau.",
        (
            ("Le logo, les signataires et les coordonnées du porteur", "le secrétariat général"),
            ("Le numéro SIRET du porteur", "le service financier"),
            (
                "Le calendrier des instances (conseil communautaire, comité de sélection)",
                "la direction générale, la préfecture, l'ARS",
            ),
        ),
        "Des dossiers relus avant envoi, cohérents entre eux (les mêmes montants dans la délibération et "
        "dans chaque demande), et la liste des attendus de l'ARS remplie.",
        (
            "Envoyer une demande dont les montants diffèrent de la délibération votée : le financeur la renverra.",
            "Déposer une demande d'investissement sans projet de santé : l'État et l'ARS conditionnent leur "
            "aide à un projet de santé validé.",
        ),
        (
            ("Vérifier l'équilibre du plan", _S.FINANCEMENT, "Équilibre et règles"),
            ("Revoir les constats", _S.ETAT_SANTE, "Constats"),
        ),
    ),
}


def step_help(step: StepId | int) -> StepHelp:
    """The help of a step."""
    return STEP_HELP[StepId(step)]


# --------------------------------------------------------------------------- field examples


@dataclass(frozen=True)
class FieldExample:
    """A real case from the guide, as a short card."""

    key: str
    title: str
    place: str
    year: str
    what: str
    figures: tuple[str, ...]
    steps: tuple[StepId, ...]
    lesson: str


FIELD_EXAMPLES: tuple[FieldExample, ...] = (
    FieldExample(
        "castelnau-magnoac",
        "Maison de santé de Castelnau-Magnoac",
        "Hautes-Pyrénées, pays des Coteaux",
        "2003-2009",
        "Une étude de 2003 juge la situation correcte mais la pyramide des âges des professionnels annonce "
        "des difficultés à quinze ans : les élus décident d'organiser une offre coordonnée. Le syndicat mixte "
        "du pays (115 communes) réunit les professionnels et monte le projet ; la communauté de communes du "
        "Magnoac (27 communes) porte le bâtiment. Les occupants louent en location-vente et deviendront "
        "propriétaires de leur cabinet à la fin du prêt.",
        (
            "Lancé en 2004, retenu comme pôle d'excellence rurale (PER) en 2005, inauguré en 2009.",
            "Coût : 2,2 M€, dont 70 % de subventions (État au titre du PER et de la DDR, Région, Département) "
            "et 30 % d'emprunt de la communauté de communes.",
            "Une vingtaine de professionnels : 3 médecins et 5 infirmiers (deux SCM), 2 dentistes, "
            "4 vétérinaires (SCP), le CLIC et le SSIAD.",
        ),
        (StepId.OFFRE, StepId.PROFESSIONNELS, StepId.FINANCEMENT),
        "Anticiper : l'alerte est venue de l'âge des professionnels, quinze ans avant la pénurie.",
    ),
    FieldExample(
        "saint-amand-en-puisaye",
        "Maison de santé amandinoise",
        "Saint-Amand-en-Puisaye (Nièvre)",
        "2000-2008",
        "Les professionnels du canton, réunis en association de préfiguration, convainquent la communauté "
        "de communes de la Puisaye Nivernaise de s'engager à leurs côtés. Les travaux commencent en 2003, la "
        "maison ouvre le 23 mai 2005. Les professionnels forment une SCM, seule locataire de la "
        "collectivité ; une association gère ce qui n'est pas le soin (réunions, prévention, dépistage) avec "
        "des crédits du FIQCS. C'est le projet d'exemple de santeloc.",
        (
            "Canton d'environ 3 600 habitants.",
            "795 305 € pour la communauté de communes : emprunt 240 943 €, DDR 324 547 €, FNADT 50 000 €, "
            "conseil général de la Nièvre 121 959 €, ADEME 57 856 € (chaufferie bois).",
            "Une quinzaine de professionnels, dont 10 qui n'exerçaient pas sur le territoire auparavant.",
            "Transport vers la maison financé par la Région Bourgogne : 5 € la course pour le patient, "
            "jusqu'à 10 000 € par an ; 400 transports pour 152 bénéficiaires en 2008.",
        ),
        (StepId.PROFESSIONNELS, StepId.FINANCEMENT, StepId.ACCESSIBILITE, StepId.DOSSIERS),
        "Le projet part des professionnels ; la collectivité porte le bâtiment et l'emprunt, remboursé par les loyers.",
    ),
    FieldExample(
        "sud-ouest-mayennais",
        "Pôle de santé ambulatoire du sud-ouest mayennais",
        "Craon et Renazé (Mayenne)",
        "2010",
        "Un pôle multi-site adossé à l'hôpital local : deux pôles principaux sur les sites de l'hôpital à "
        "Craon et à Renazé, et deux cabinets satellites dans les EHPAD de Saint-Aignan-sur-Roë et de Ballots, "
        "pour ne pas « assécher » les communes autour des bourgs. Les professionnels peuvent n'y venir qu'un "
        "ou deux jours par semaine et exercer le reste du temps à Nantes, Angers, Rennes ou Laval.",
        (
            "Une aile de 650 m² réhabilitée à l'hôpital de Renazé ; l'hôpital de Craon reconstruit.",
            "Un groupement de coopération sanitaire (GCS) réunit l'hôpital et 40 professionnels pour porter "
            "le projet de santé.",
            "Bâtiments portés par les communautés de communes de Craon et de Saint-Aignan-Renazé, avec la "
            "Région des Pays de la Loire et l'État ; loyers refacturés selon l'usage de chacun.",
        ),
        (StepId.TERRITOIRE, StepId.OFFRE, StepId.PROFESSIONNELS),
        "Quand le déménagement est l'obstacle, le pôle multi-site garde les professionnels dans leurs "
        "cabinets tout en les réunissant autour d'un projet commun.",
    ),
    FieldExample(
        "coeur-herault",
        "Commission santé du pays Cœur d'Hérault",
        "Hérault",
        "2003-2010",
        "Un réseau de prévention pour les 16-25 ans dès 2003, puis en octobre 2008 une commission santé "
        "d'élus et de professionnels. Le diagnostic part des statistiques de l'ORS et les complète par une "
        "enquête auprès des habitants et des médecins généralistes. Le pays anime ; il ne finance pas.",
        (
            "Mortalité prématurée significativement plus élevée que dans le département ; accidents bien "
            "plus fréquents ; surmortalité cardiovasculaire.",
            "Accès : gardes difficiles, longs délais pour les spécialistes, pas de pédiatre, désert en "
            "psychiatrie de l'enfant, faible recours à la CMU-C chez les jeunes, dépassements fréquents.",
            "Réponses : une maison médicale de garde à l'hôpital de Clermont-l'Hérault, jusqu'à minuit et le "
            "week-end, pour 4 secteurs de garde et environ 45 médecins ; un pôle de pédopsychiatrie et de "
            "pédiatrie à Gignac.",
        ),
        (StepId.ETAT_SANTE, StepId.ACCESSIBILITE, StepId.PROJET_SANTE),
        "Un diagnostic qui débouche sur des réponses précises, chacune tirée d'un constat.",
    ),
    FieldExample(
        "centre-ouest-bretagne-animation",
        "Animation territoriale de santé du pays Centre Ouest Bretagne",
        "Centre Ouest Bretagne (au cœur de trois départements)",
        "2004-2009",
        "Devant des indicateurs de santé défavorables, l'État, une association hospitalière, le conseil de "
        "développement et les élus du pays bâtissent un projet territorial de santé ; une animatrice "
        "territoriale de santé est recrutée en mars 2004. Un diagnostic partagé entre acteurs sanitaires, "
        "sociaux et médico-sociaux fait ressortir les priorités, déclinées en un plan d'actions revu "
        "régulièrement.",
        (
            "Six priorités : souffrance psychique et isolement, sécurité routière, conduites à risque et "
            "addictions, autonomie des personnes âgées, maladies cardio-vasculaires, santé au travail.",
            "En 2009 : quatre collectifs sur la souffrance psychique et le suicide, un point d'écoute pour "
            "les jeunes avec quatre lieux de permanence, des conférences sur les maladies cardio-vasculaires.",
        ),
        (StepId.ETAT_SANTE, StepId.PROJET_SANTE),
        "Un diagnostic partagé qui mène à quelques priorités, puis à des actions qui s'appuient sur les "
        "acteurs existants.",
    ),
    FieldExample(
        "centre-ouest-bretagne-offre",
        "Cellule offre de soins du pays Centre Ouest Bretagne",
        "Centre Ouest Bretagne",
        "2006-2010",
        "Une quinzaine de personnes — médecins, Ordre départemental, pharmacie, hôpital, CPAM, usagers, "
        "services de l'État — font le diagnostic de la médecine générale et de l'hôpital de Carhaix, puis "
        "un programme : encourager les regroupements, conforter l'hôpital, accueillir des stagiaires, "
        "changer l'image de la médecine rurale auprès des jeunes professionnels.",
        (
            "87 médecins généralistes en 2010, soit 8,3 pour 10 000 habitants contre 9,9 dans la région.",
            "78 % ont plus de 50 ans, 58 % plus de 55 ans, 37 % plus de 60 ans.",
            "Un regroupement en voie d'achèvement à Gourin et cinq autres en préparation.",
        ),
        (StepId.OFFRE, StepId.PROFESSIONNELS),
        "Densité comparée et pyramide des âges : exactement ce que calcule l'étape 2.",
    ),
    FieldExample(
        "vendomois",
        "Démarche « Territoire et santé » du pays vendômois",
        "Loir-et-Cher",
        "2009",
        "Une étude de l'état de santé réalisée par deux ORS, prolongée par une enquête auprès des acteurs de "
        "santé et des élus qui réagissent aux résultats : y a-t-il des besoins mal couverts ? connaissez-vous "
        "des actions de prévention ? l'offre pour les personnes âgées suffit-elle ? Le comité de pilotage en "
        "tire ensuite un plan d'actions.",
        ("Questionnaire envoyé à 450 destinataires, complété par 20 entretiens.",),
        (StepId.HABITANTS, StepId.ETAT_SANTE),
        "Faire réagir sur les chiffres : l'enquête donne le ressenti que les statistiques ne montrent pas.",
    ),
    FieldExample(
        "lozere",
        "Attractivité médicale de la Lozère",
        "Lozère",
        "2001-2011",
        "Le conseil général s'appuie sur l'association départementale des urgences et de la permanence des "
        "soins, qui réunit 80 % des généralistes : télémédecine d'urgence (une valisette reliée au centre 15 "
        "pour les médecins correspondants du SAMU), promotion dans les facultés et les salons, bourses aux "
        "étudiants, aides aux maisons de santé.",
        (
            "Une cinquantaine de médecins généralistes pour près de 80 000 habitants, beaucoup proches de la retraite.",
            "Bourse de stage de 400 € par mois plus les déplacements ; bourse d'engagement de 700 € par mois "
            "contre 5 ans d'exercice dans le département ; 6 conventions signées, installations dès 2011.",
            "L'un des trois départements entièrement classés en ZRR.",
        ),
        (StepId.PROFESSIONNELS, StepId.ACCESSIBILITE),
        "S'appuyer sur une représentation organisée des médecins plutôt que d'agir à leur place.",
    ),
    FieldExample(
        "basse-normandie-psla",
        "Pôles de santé libéraux et ambulatoires de Basse-Normandie",
        "Basse-Normandie",
        "2008-2010",
        "L'URML, la Région, l'URCAM, les trois départements, les Ordres, la faculté et les usagers font un "
        "diagnostic régional qui tient compte de l'âge moyen des professionnels, dessinent une carte "
        "indicative des pôles et ouvrent un guichet unique des financeurs. L'ingénierie se fait en deux "
        "temps : 7 jours de conseil pour le projet de santé, puis 2 jours d'accompagnement par un binôme "
        "professionnel de santé et Assurance Maladie pour le projet professionnel.",
        (
            "Règle indicative des trois 15 : 15 000 habitants, 15 professionnels, 15 minutes de trajet.",
            "Début 2010, pôles en chantier ou en projet : Orbec (8 professionnels), Caen - la Grâce de Dieu "
            "(10), Villedieu-les-Poêles (22 professionnels de 11 disciplines), Saint-James (17), Gacé (12).",
            "Subventions d'investissement réservées aux pôles des zones d'implantation prioritaires (ZIP).",
        ),
        (StepId.TERRITOIRE, StepId.ACCESSIBILITE, StepId.PROJET_SANTE, StepId.FINANCEMENT),
        "La règle des trois 15 est un repère pour dessiner un pôle, pas un verdict ; rien ne se fait sans la "
        "volonté des professionnels.",
    ),
    FieldExample(
        "lot-et-garonne",
        "Maillage concerté du Lot-et-Garonne",
        "Lot-et-Garonne",
        "2009-2010",
        "Après un an de travail, la commission départementale de la démographie médicale, coprésidée par le "
        "président du conseil général et le préfet, découpe le département en aires de santé, une maison ou "
        "un pôle par aire, et met en place une instruction commune des demandes : les financeurs veulent un "
        "véritable projet de santé, pas seulement un projet architectural.",
        (
            "2 millions d'euros du conseil général sur trois ans.",
            "15 aires de santé, pour 15 maisons ou pôles de santé pluriprofessionnels.",
        ),
        (StepId.TERRITOIRE, StepId.PROJET_SANTE, StepId.DOSSIERS),
        "Se concerter entre collectivités évite les projets concurrents sur un même bassin de patients.",
    ),
    FieldExample(
        "tadou",
        "TADOU, transport à la demande du pays du Doubs central",
        "Doubs",
        "2010",
        "Un transport à la demande assuré par les taxis du territoire et réservé aux habitants du pays, "
        "d'arrêt à arrêt, parfois de domicile à domicile pour les personnes âgées dépendantes ; réservation "
        "au plus tard la veille. Des patients de la maison de santé de la Prairie, à Baume-les-Dames, "
        "l'utilisent, ce qui évite des visites à domicile.",
        (
            "Du lundi au samedi, de 6 h à 19 h 30.",
            "Financement : 50 % conseil général, 40 % communes, 10 % usagers.",
        ),
        (StepId.ACCESSIBILITE, StepId.PROJET_SANTE),
        "Quand les médecins se raréfient, mieux vaut faire venir les patients que déplacer les professionnels.",
    ),
    FieldExample(
        "alpes-maritimes",
        "« Santé et technologies » : la télémédecine des Alpes-Maritimes",
        "Alpes-Maritimes, haut et moyen pays",
        "2010",
        "Un projet du conseil général retenu comme pôle d'excellence rurale : visioconférence pour la "
        "formation à distance et pour les avis de spécialistes du littoral aux généralistes de l'arrière-pays, "
        "et valises d'examens connectées confiées aux médecins de montagne.",
        (
            "20 sites équipés en visioconférence (hôpitaux locaux, EHPAD, CHU de Nice, faculté de médecine…).",
            "11 valises connectées (électrocardiogramme, tension, oxymétrie) reliées au CHU de Nice par satellite.",
            "Moins de déplacements inutiles du SAMU, notamment en hélicoptère.",
        ),
        (StepId.ACCESSIBILITE, StepId.PROJET_SANTE),
        "La télémédecine rompt l'isolement des praticiens ; elle ne remplace pas un réseau de professionnels "
        "déjà constitué.",
    ),
)

FIELD_EXAMPLES_BY_KEY: dict[str, FieldExample] = {example.key: example for example in FIELD_EXAMPLES}


def examples_for(step: StepId | int) -> list[FieldExample]:
    """The cards that illustrate a step, in the order of :data:`FIELD_EXAMPLES`."""
    wanted = StepId(step)
    return [example for example in FIELD_EXAMPLES if wanted in example.steps]


# --------------------------------------------------------------------------- glossary


@dataclass(frozen=True)
class GlossaryEntry:
    """An acronym (or a name the user meets as one), its expansion and a one-line explanation.

    ``aliases`` are other spellings that point to the same entry (``SCORE`` for ``SCORE-Santé``).
    """

    term: str
    expansion: str
    explanation: str
    aliases: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        """The term and its aliases."""
        return (self.term, *self.aliases)


def _g(term: str, expansion: str, explanation: str, *aliases: str) -> GlossaryEntry:
    return GlossaryEntry(term, expansion, explanation, tuple(aliases))


_GLOSSARY_ENTRIES: tuple[GlossaryEntry, ...] = (
    _g(
        "SPS",
        "sécurité et protection de la santé",
        "La coordination SPS d'un chantier de bâtiment : un coordonnateur, payé par le maître d'ouvrage, "
        "prévient les risques quand plusieurs entreprises travaillent ensemble ; c'est une dépense "
        "d'investissement, à côté de la maîtrise d'œuvre et du contrôle technique.",
    ),
    # --- institutions and plans
    _g(
        "ARS",
        "agence régionale de santé",
        "L'État en région pour la santé : elle pilote la politique de santé, finance (FIR) et reçoit le projet "
        "de santé des maisons de santé ; sa délégation départementale est votre interlocutrice de proximité.",
    ),
    _g(
        "PRS",
        "projet régional de santé",
        "Le plan pluriannuel de l'ARS (orientations, schéma régional, programmes) ; le projet de santé doit "
        "être cohérent avec lui.",
    ),
    _g(
        "SRS",
        "schéma régional de santé",
        "La partie opérationnelle du PRS : objectifs par thème et par territoire (par exemple le SRS des Pays "
        "de la Loire 2023-2028).",
    ),
    _g(
        "SROS",
        "schéma régional d'organisation des soins",
        "L'ancêtre du SRS dans les premiers PRS ; son volet ambulatoire indiquait où implanter maisons et pôles "
        "de santé.",
    ),
    _g(
        "CLS",
        "contrat local de santé",
        "Contrat entre l'ARS et une collectivité (commune, EPCI, pays) pour mettre en œuvre le PRS sur un "
        "territoire : prévention, soins, accompagnement médico-social.",
    ),
    _g(
        "CPTS",
        "communauté professionnelle territoriale de santé",
        "Les professionnels d'un bassin de vie organisés ensemble (accès à un médecin traitant, soins non "
        "programmés, parcours) ; plus large qu'une MSP, elle ne remplace pas son projet de santé.",
    ),
    _g(
        "MSP",
        "maison de santé pluriprofessionnelle",
        "Des professionnels libéraux (au moins deux médecins généralistes et un paramédical) réunis autour "
        "d'un projet de santé commun, sur un site ou plusieurs (pôle de santé).",
    ),
    _g(
        "PSLA",
        "pôle de santé libéral et ambulatoire",
        "Nom donné en Basse-Normandie aux pôles de santé pluriprofessionnels soutenus par l'URML, la Région et "
        "l'Assurance Maladie.",
    ),
    _g(
        "SISA",
        "société interprofessionnelle de soins ambulatoires",
        "La forme juridique qui permet à une MSP de percevoir et de répartir des rémunérations collectives, "
        "notamment celles de l'ACI.",
    ),
    _g(
        "SCM",
        "société civile de moyens",
        "Société qui met en commun les moyens (locaux, secrétariat, matériel) sans partager les honoraires ; "
        "souvent la locataire unique de la collectivité.",
    ),
    _g(
        "SCP",
        "société civile professionnelle",
        "Société où des professionnels d'une même profession exercent ensemble et partagent leurs revenus.",
    ),
    _g(
        "GCS",
        "groupement de coopération sanitaire",
        "Structure de coopération entre un établissement de santé et des professionnels libéraux (pôle du "
        "sud-ouest mayennais).",
    ),
    _g(
        "ACI",
        "accord conventionnel interprofessionnel",
        "Contrat entre l'Assurance Maladie et une MSP constituée en SISA : une rémunération annuelle si le "
        "socle est rempli (ouverture 8 h-20 h et samedi matin, soins non programmés, coordination, système "
        "d'information partagé).",
    ),
    _g(
        "HPST",
        "loi Hôpital, patients, santé et territoires (2009)",
        "La loi qui a créé les ARS, le PRS, les contrats locaux de santé et défini maisons et pôles de santé.",
    ),
    _g(
        "EPCI",
        "établissement public de coopération intercommunale",
        "Une intercommunalité : communauté de communes, d'agglomération, urbaine ou métropole ; souvent le "
        "maître d'ouvrage du bâtiment d'une maison de santé.",
    ),
    _g(
        "PETR",
        "pôle d'équilibre territorial et rural",
        "Groupement de plusieurs EPCI autour d'un projet de territoire ; a pris la suite de nombreux pays et "
        "porte souvent le contrat local de santé ou le programme LEADER.",
    ),
    _g(
        "GAL",
        "groupe d'action locale",
        "L'instance locale (élus, acteurs privés) qui choisit les projets financés par LEADER sur son territoire.",
    ),
    _g(
        "CGCT",
        "code général des collectivités territoriales",
        "Son article L1111-10 impose au maître d'ouvrage public de financer au moins 20 % du montant des "
        "financements publics de son investissement.",
    ),
    # --- zoning
    _g(
        "ZRR",
        "zone de revitalisation rurale",
        "Classement de communes rurales ouvrant des exonérations fiscales ; en 2010, l'aide de l'État aux "
        "maisons de santé y montait jusqu'à 35 %. Remplacé en 2024 par le zonage France Ruralités "
        "Revitalisation.",
    ),
    _g(
        "ZIP",
        "zone d'intervention prioritaire",
        "Zonage de l'ARS des territoires les plus sous-dotés en médecins, où les aides à l'installation sont "
        "les plus fortes. Dans l'exemple bas-normand du guide, ZIP désignait les « zones d'implantation "
        "prioritaires » des pôles de santé.",
    ),
    _g(
        "ZAC",
        "zone d'action complémentaire",
        "Zonage de l'ARS moins prioritaire que la ZIP, ouvrant des aides plus limitées (à ne pas confondre "
        "avec la zone d'aménagement concerté de l'urbanisme).",
    ),
    _g(
        "APL",
        "accessibilité potentielle localisée",
        "Indicateur de la DREES qui combine l'offre des communes proches, la demande et le temps de trajet ; "
        "pour les médecins généralistes, en consultations ou visites accessibles par habitant standardisé et "
        "par an (seuil usuel de sous-densité : 2,5). Dans santeloc, jamais l'aide au logement.",
    ),
    _g(
        "SNIIR",
        "système national d'information inter-régimes de l'Assurance maladie (SNIIR-AM)",
        "Base des soins remboursés par l'Assurance maladie ; la DREES y lit l'activité réelle de chaque médecin "
        "pour calculer l'APL.",
    ),
    # --- funding
    _g(
        "DETR",
        "dotation d'équipement des territoires ruraux",
        "Subvention de l'État pour l'investissement des communes et EPCI ruraux, attribuée par le préfet de "
        "département après un appel à projets annuel.",
    ),
    _g(
        "DSIL",
        "dotation de soutien à l'investissement local",
        "Subvention de l'État pour l'investissement des communes et EPCI, attribuée par le préfet de région.",
    ),
    _g(
        "FNADT",
        "fonds national d'aménagement et de développement du territoire",
        "Crédits de l'État pour l'aménagement du territoire, attribués par le préfet (50 000 € à "
        "Saint-Amand-en-Puisaye).",
    ),
    _g(
        "DDR",
        "dotation de développement rural",
        "Ancienne dotation de l'État aux intercommunalités rurales, fondue dans la DETR en 2011 (324 547 € à "
        "Saint-Amand-en-Puisaye).",
    ),
    _g(
        "DGE",
        "dotation globale d'équipement",
        "Ancienne dotation d'investissement de l'État aux communes, fondue avec la DDR dans la DETR en 2011.",
    ),
    _g(
        "FIR",
        "fonds d'intervention régional",
        "L'enveloppe de l'ARS qui finance notamment l'ingénierie, la coordination et le démarrage des maisons "
        "de santé ; il a pris la suite du FIQCS.",
    ),
    _g(
        "FIQCS",
        "fonds d'intervention pour la qualité et la coordination des soins",
        "Ancien fonds de l'Assurance Maladie ; en 2010, jusqu'à 50 000 € par maison de santé pour les études, "
        "l'ingénierie et le fonctionnement. Remplacé par le FIR.",
    ),
    _g(
        "FEDER",
        "Fonds européen de développement régional",
        "Fonds européen géré par la Région ; peut financer des équipements de santé ou de télémédecine.",
    ),
    _g(
        "FEADER",
        "Fonds européen agricole pour le développement rural",
        "Fonds européen du développement rural, géré par la Région ; localement, par le programme LEADER.",
    ),
    _g(
        "LEADER",
        "Liaison entre actions de développement de l'économie rurale",
        "Volet du FEADER géré au plus près du terrain par un GAL, sur un territoire de projet (pays, PETR).",
    ),
    _g(
        "ADEME",
        "Agence de l'environnement et de la maîtrise de l'énergie",
        "Aujourd'hui Agence de la transition écologique ; peut aider les équipements énergétiques (57 856 € "
        "pour la chaufferie bois de Saint-Amand-en-Puisaye).",
    ),
    _g(
        "PER",
        "pôle d'excellence rurale",
        "Appel à projets de l'État (2005-2006, puis 2010) qui a financé des maisons de santé et des projets "
        "de télémédecine.",
    ),
    _g("HT", "hors taxes", "Montant sans la TVA ; les assiettes de subvention sont le plus souvent HT."),
    _g("TTC", "toutes taxes comprises", "Montant TVA comprise : ce que le porteur paie réellement."),
    _g(
        "TVA",
        "taxe sur la valeur ajoutée",
        "Taxe ajoutée aux dépenses ; une collectivité en récupère une partie par le fonds de compensation, "
        "d'où l'importance de distinguer HT et TTC.",
    ),
    _g(
        "SIRET",
        "système d'identification du répertoire des établissements",
        "Numéro à 14 chiffres qui identifie un établissement (le porteur) ; demandé dans chaque demande de subvention.",
    ),
    # --- care and services
    _g(
        "ETP",
        "équivalent temps plein — ou éducation thérapeutique du patient",
        "Deux sens. Dans santeloc, « ETP » seul veut toujours dire équivalent temps plein (1 = temps plein, "
        "0,5 = mi-temps : professionnels, démographie, indice APL) ; l'éducation thérapeutique du patient "
        "est toujours écrite en toutes lettres.",
    ),
    _g(
        "PDSA",
        "permanence des soins ambulatoires",
        "L'organisation des gardes des médecins libéraux les soirs, nuits, week-ends et jours fériés, arrêtée "
        "par l'ARS.",
    ),
    _g(
        "SAMU",
        "service d'aide médicale urgente",
        "Le centre 15, qui régule les appels d'urgence et envoie les secours.",
    ),
    _g(
        "SMUR",
        "service mobile d'urgence et de réanimation",
        "L'équipe médicale d'urgence qui intervient hors de l'hôpital à la demande du SAMU.",
    ),
    _g("CHU", "centre hospitalier universitaire", "Hôpital de référence de la région, lié à une faculté de médecine."),
    _g(
        "EHPAD",
        "établissement d'hébergement pour personnes âgées dépendantes",
        "Maison de retraite médicalisée ; peut accueillir un cabinet satellite ou des consultations.",
    ),
    _g(
        "SSIAD",
        "service de soins infirmiers à domicile",
        "Service qui soigne à domicile les personnes âgées ou handicapées, sur prescription médicale.",
    ),
    _g(
        "CLIC",
        "centre local d'information et de coordination",
        "Guichet d'information et de coordination pour les personnes âgées et leurs proches.",
    ),
    _g(
        "ADMR",
        "Aide à domicile en milieu rural",
        "Réseau associatif d'aide et de services à domicile, très présent dans les campagnes.",
    ),
    _g(
        "ALD",
        "affection de longue durée",
        "Maladie chronique grave prise en charge à 100 % par l'Assurance Maladie ; le nombre d'admissions "
        "renseigne sur les maladies chroniques du territoire.",
    ),
    _g("AVC", "accident vasculaire cérébral", "Atteinte brutale de la circulation du cerveau, cause majeure de décès."),
    _g(
        "BPCO",
        "bronchopneumopathie chronique obstructive",
        "Maladie respiratoire chronique, liée surtout au tabac.",
    ),
    _g("IVG", "interruption volontaire de grossesse", "Indicateur de santé de la mère et de l'enfant."),
    _g(
        "C2S",
        "complémentaire santé solidaire",
        "Complémentaire santé gratuite ou à faible coût pour les ménages modestes (depuis 2019, ex-CMU-C) ; "
        "la part de bénéficiaires mesure l'accès financier aux soins.",
    ),
    _g(
        "CMU-C",
        "couverture maladie universelle complémentaire",
        "L'ancienne complémentaire santé gratuite des ménages modestes, remplacée en 2019 par la C2S.",
        "CMU",
        "CMUC",
    ),
    _g(
        "NC",
        "non conventionné",
        "Professionnel hors convention avec l'Assurance Maladie (« secteur 3 ») : ses actes sont très peu remboursés.",
    ),
    # --- data and statistics
    _g(
        "ORS",
        "observatoire régional de la santé",
        "Produit les indicateurs et les portraits de santé des territoires ; premier interlocuteur pour le diagnostic.",
    ),
    _g(
        "SCORE-Santé",
        "base d'indicateurs des observatoires régionaux de la santé",
        "Indicateurs de santé à plusieurs niveaux géographiques (région, département, zonages), avec leurs références.",
        "SCORE",
    ),
    _g(
        "Géodes",
        "géo-données en santé publique",
        "Le portail de Santé publique France pour les indicateurs de santé par territoire.",
    ),
    _g(
        "METRIC",
        "distancier de l'INSEE",
        "Temps et distances de trajet entre communes, à importer pour remplacer l'estimation à vol d'oiseau.",
    ),
    _g(
        "INSEE",
        "Institut national de la statistique et des études économiques",
        "Populations légales, recensement, codes des communes (code INSEE), revenus.",
    ),
    _g(
        "DREES",
        "Direction de la recherche, des études, de l'évaluation et des statistiques",
        "Le service statistique des ministères sociaux ; publie notamment l'indicateur APL.",
    ),
    _g(
        "Inserm",
        "Institut national de la santé et de la recherche médicale",
        "Organisme public de recherche ; son CépiDc tient la statistique des causes de décès.",
    ),
    _g(
        "CépiDc",
        "Centre d'épidémiologie sur les causes médicales de décès",
        "Service de l'Inserm qui produit la statistique nationale des causes de décès, reprise par les ORS.",
    ),
    _g(
        "SNDS",
        "Système national des données de santé",
        "La base des remboursements de l'Assurance Maladie et des séjours hospitaliers, source de nombreux "
        "indicateurs.",
    ),
    _g(
        "CNAM",
        "Caisse nationale de l'Assurance Maladie",
        "La tête du régime général de l'Assurance Maladie ; publie données et cartes de l'offre de soins.",
    ),
    _g(
        "CPAM",
        "caisse primaire d'assurance maladie",
        "La caisse départementale de l'Assurance Maladie : professionnels conventionnés, bénéficiaires de la "
        "C2S, consommation de soins.",
    ),
    _g(
        "MSA",
        "Mutualité sociale agricole",
        "La sécurité sociale des agriculteurs et salariés agricoles ; partenaire fréquent en milieu rural.",
    ),
    _g(
        "URCAM",
        "union régionale des caisses d'assurance maladie",
        "Ancienne instance régionale de l'Assurance Maladie, intégrée aux ARS en 2010.",
    ),
    _g(
        "ATIH",
        "Agence technique de l'information sur l'hospitalisation",
        "Gère les données des séjours hospitaliers (PMSI).",
    ),
    _g(
        "PMSI",
        "programme de médicalisation des systèmes d'information",
        "Le recueil des séjours hospitaliers, source des indicateurs d'hospitalisation.",
    ),
    _g(
        "RPPS",
        "répertoire partagé des professionnels de santé",
        "Le fichier national des professionnels de santé, publié par l'Annuaire santé ; importable à l'étape 2.",
    ),
    _g(
        "PP",
        "personne physique",
        "Dans l'extraction RPPS, « identification nationale PP » est l'identifiant de la personne.",
    ),
    _g(
        "FINESS",
        "fichier national des établissements sanitaires et sociaux",
        "Le répertoire des établissements et services (hôpital, EHPAD, SSIAD…), chacun avec son numéro à 9 chiffres.",
    ),
    _g(
        "URPS",
        "union régionale des professionnels de santé",
        "L'instance élue qui représente une profession libérale dans la région (médecins, infirmiers…) ; "
        "elle peut accompagner les projets.",
    ),
    _g(
        "URML",
        "union régionale des médecins libéraux",
        "L'ancienne représentation régionale des médecins libéraux, devenue l'URPS médecins en 2010.",
    ),
    _g(
        "TADOU",
        "service de transport à la demande du pays du Doubs central",
        "Transport à la demande en taxi, utilisé aussi pour aller chez le médecin (exemple du guide).",
    ),
    _g(
        "CEDEX",
        "courrier d'entreprise à distribution exceptionnelle",
        "Mention d'adresse postale des organismes ; ignorée quand santeloc reconnaît la commune.",
    ),
    _g(
        "GPL",
        "licence publique générale (General Public License)",
        "La licence libre de santeloc : vous pouvez l'utiliser, l'étudier, le modifier et le redistribuer.",
    ),
)

GLOSSARY: dict[str, GlossaryEntry] = {entry.term: entry for entry in _GLOSSARY_ENTRIES}
"""Every acronym the application shows, keyed by its usual spelling."""

_BY_SPELLING: dict[str, GlossaryEntry] = {
    spelling: entry for entry in _GLOSSARY_ENTRIES for spelling in entry.spellings
}


def lookup(term: str) -> GlossaryEntry | None:
    """The entry of an acronym or of one of its aliases (exact case), or None."""
    return _BY_SPELLING.get(term.strip())


@lru_cache(maxsize=1)
def _terms_pattern() -> re.Pattern[str]:
    spellings = sorted(_BY_SPELLING, key=len, reverse=True)  # longest first: "CMU-C" before "CMU"
    alternatives = "|".join(re.escape(s) for s in spellings)
    return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])")


def find_terms(text: str) -> list[GlossaryEntry]:
    """The glossary entries whose acronym appears in ``text`` as a whole word, in order, once each."""
    found: list[GlossaryEntry] = []
    for match in _terms_pattern().finditer(text):
        entry = _BY_SPELLING[match.group(1)]
        if entry not in found:
            found.append(entry)
    return found


def terms_pattern() -> re.Pattern[str]:
    """The compiled pattern matching every glossary spelling as a whole word (group 1)."""
    return _terms_pattern()


def tooltip_line(entry: GlossaryEntry) -> str:
    """One entry as a plain-text tooltip line: ``ARS : agence régionale de santé. L'État…``."""
    return typeset(f"{entry.term} : {entry.expansion}. {entry.explanation}")


def plain(text: str) -> str:
    """``text`` without accents and case, for searching."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_glossary(query: str) -> list[GlossaryEntry]:
    """Entries matching ``query`` (accents and case ignored), best first.

    Terms that start with the query come first, then expansions containing it, then explanations;
    alphabetical order within each group. An empty query gives the whole glossary.
    """
    wanted = plain(query.strip())
    ordered = sorted(_GLOSSARY_ENTRIES, key=lambda e: plain(e.term))
    if not wanted:
        return ordered
    ranked: list[tuple[int, GlossaryEntry]] = []
    for entry in ordered:
        spellings = [plain(s) for s in entry.spellings]
        if any(s.startswith(wanted) for s in spellings):
            ranked.append((0, entry))
        elif any(wanted in s for s in spellings) or wanted in plain(entry.expansion):
            ranked.append((1, entry))
        elif wanted in plain(entry.explanation):
            ranked.append((2, entry))
    return [entry for _rank, entry in sorted(ranked, key=lambda pair: pair[0])]


# --------------------------------------------------------------------------- next best step


class ReadinessLike(Protocol):
    """What :func:`next_best_step` reads of a readiness item (``santeloc.workflow.readiness``)."""

    @property
    def met(self) -> bool: ...

    @property
    def label(self) -> str: ...

    @property
    def detail(self) -> str: ...

    @property
    def step(self) -> StepId: ...


OPTIONAL_STEPS: frozenset[StepId] = frozenset({StepId.HABITANTS})
"""Steps the guide recommends without requiring them: suggested, never blocking."""


class ActionKind(StrEnum):
    """Why an action is suggested."""

    WARNING = "alerte"  # the guide's warning about doing things in the wrong order
    STEP = "etape"  # the next incomplete step of the method
    READINESS = "attendu"  # an unmet item of the readiness checklist
    DONE = "fini"  # nothing left: produce the dossiers


@dataclass(frozen=True)
class NextAction:
    """One suggestion of what to do next, and where in the app to do it."""

    text: str
    step: StepId
    kind: ActionKind
    tab_hint: str = ""


def _step_action(step: StepId, state: StepState, counts: ProjectCounts, detail: str) -> NextAction | None:
    """The call to action of an incomplete step (None for the dossiers, which follow from the rest)."""
    todo = state is StepState.TODO
    text: str
    tab = ""
    if step is StepId.TERRITOIRE:
        text = "Commencez par le territoire : nommez le porteur et choisissez les communes." if todo else detail
    elif step is StepId.ETAT_SANTE:
        tab = "Indicateurs" if todo else "Constats"
        text = (
            "Rassemblez les indicateurs de santé (ORS, SCORE-Santé, Géodes) et saisissez-les ou importez-les."
            if todo
            else "Retenez les constats qui ressortent de vos indicateurs : ils fonderont les priorités."
        )
    elif step is StepId.OFFRE:
        tab = "Professionnels" if todo else "Démographie"
        missing = counts.professionals - counts.professionals_with_age
        if todo:
            text = "Recensez les professionnels de santé : importez l'extraction RPPS ou un tableau."
        elif missing:
            text = f"Complétez l'âge de {missing} professionnel(s) pour anticiper les départs à 5 et 10 ans."
        else:
            tab = "Professionnels"
            text = "Recensez toutes les professions, pas seulement les médecins : paramédicaux, pharmacie, dentistes."
    elif step is StepId.ACCESSIBILITE:
        tab = "Les quatre mesures du guide"
        if todo:
            text = (
                "Renseignez les quatre mesures d'accessibilité du guide : délais, trajet, permanence des soins, "
                "accès financier."
            )
        elif counts.access_measures < 4:
            text = f"Complétez les mesures d'accessibilité ({counts.access_measures} sur 4 renseignées)."
        else:
            tab = "Temps d'accès et indice calculé"
            text = (
                "Calculez l'indice d'accessibilité du projet selon la méthode de la DREES, à côté de l'APL "
                "officielle des communes."
            )
    elif step is StepId.HABITANTS:
        tab = "Questionnaire" if todo else "Diffusion et saisie"
        text = (
            "Préparez le questionnaire aux habitants (facultatif mais recommandé)."
            if todo
            else "Importez les réponses au questionnaire des habitants."
        )
    elif step is StepId.PROFESSIONNELS:
        tab = "Contacts" if todo else "Professionnels"
        if todo:
            text = "Rencontrez les professionnels, présentez-leur le diagnostic et notez contacts et réunions."
        elif not counts.committed_professionals:
            text = "Obtenez des lettres d'intention : aucun professionnel n'est encore engagé par écrit."
        else:
            text = detail
    elif step is StepId.PROJET_SANTE:
        tab = "Priorités et actions"
        text = (
            "Choisissez les priorités avec les professionnels et les élus, à partir des constats."
            if todo
            else "Déclinez les priorités en objectifs et en fiches action."
        )
    elif step is StepId.FINANCEMENT:
        tab = "Dépenses" if todo else "Équilibre et règles"
        text = (
            "Commencez le plan de financement : les dépenses estimées par étape, puis les recettes."
            if todo
            else f"Équilibrez le plan de financement. {detail}"
        )
    else:
        return None
    return NextAction(f"Étape {int(step)} — {text}", step, ActionKind.STEP, tab)


def next_best_actions(
    counts: ProjectCounts,
    readiness_items: Iterable[ReadinessLike] | None = None,
    limit: int = 5,
) -> list[NextAction]:
    """What to do next, most useful first.

    First the guide's warnings about the order of things (walls before committed professionals,
    figures that never became constats, priorities without constats), then the first two incomplete
    steps this version equips, in the method's order, then unmet items of the readiness checklist.
    When nothing is left, the suggestion to produce the dossiers. The inhabitants' survey, optional,
    comes last and only while fewer than two required steps are pending.
    """
    actions: list[NextAction] = []
    if (counts.expenses_cents or counts.resources_cents) and not counts.committed_professionals:
        actions.append(
            NextAction(
                "Avant d'avancer sur le bâtiment, obtenez l'engagement écrit des professionnels (lettres "
                "d'intention) : des murs construits sans eux risquent de rester vides.",
                StepId.PROFESSIONNELS,
                ActionKind.WARNING,
            )
        )
    if counts.indicators and not counts.constats:
        actions.append(
            NextAction(
                f"Vos {counts.indicators} indicateur(s) ne sont encore qu'une liste de chiffres : retenez les "
                "constats qui comptent, sinon le diagnostic ne mènera à aucune priorité.",
                StepId.ETAT_SANTE,
                ActionKind.WARNING,
                "Constats",
            )
        )
    if counts.priorities and not counts.constats:
        actions.append(
            NextAction(
                "Vos priorités ne s'appuient sur aucun constat du diagnostic : retenez les constats qui les "
                "justifient.",
                StepId.ETAT_SANTE,
                ActionKind.WARNING,
                "Constats",
            )
        )
    warned = {a.step for a in actions}
    needed: list[NextAction] = []  # incomplete steps of the method, in order
    optional: list[NextAction] = []  # the inhabitants' survey: recommended, never blocking
    for step in STEPS:
        completeness = assess(step, counts)
        if completeness.state not in (StepState.TODO, StepState.PARTIAL):
            continue
        action = _step_action(step.id, completeness.state, counts, completeness.detail)
        if action is None:
            continue
        if step.id in OPTIONAL_STEPS and completeness.state is StepState.TODO:
            optional.append(action)
        else:
            needed.append(action)
    needed = needed[:2]
    actions.extend(a for a in needed if a.step not in warned)
    unmet = [item for item in (readiness_items or ()) if not item.met]
    for item in unmet:
        actions.append(NextAction(f"{item.label} : {item.detail}", StepId(item.step), ActionKind.READINESS))
    if not actions and not needed:
        actions.append(
            NextAction(
                "Tout est en place : produisez les dossiers et relisez-les avant de les envoyer.",
                StepId.DOSSIERS,
                ActionKind.DONE,
            )
        )
    if len(needed) < 2:
        actions.extend(optional[: 2 - len(needed)])
    return actions[: max(limit, 1)]


def next_best_step(counts: ProjectCounts, readiness_items: Sequence[ReadinessLike] | None = None) -> list[str]:
    """What to do next, as French sentences (see :func:`next_best_actions` for the order)."""
    return [action.text for action in next_best_actions(counts, readiness_items)]
