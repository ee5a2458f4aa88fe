"""Enumerations of the methodology, each value with its French label.

Values are stored as plain strings in the database (no native SQL enum), so that a later
version can add a value without a type migration on PostgreSQL.
"""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A string enum whose members carry a French label for the user."""

    @property
    def label(self) -> str:
        """French label shown to the user."""
        # Keyed by (class, value): equal values of different enums ("epci") must not collide.
        return _LABELS[(type(self), self.value)]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, French label) pairs in declaration order, for combo boxes."""
        return [(member.value, member.label) for member in cls]


class PorteurType(LabelledEnum):
    """Who carries the project."""

    COMMUNE = "commune"
    EPCI = "epci"
    PAYS = "pays"
    ASSOCIATION_PROFESSIONNELS = "association_professionnels"
    AUTRE = "autre"


class ProjectType(LabelledEnum):
    """What the project aims to build."""

    MSP_MONO_SITE = "msp_mono_site"
    MSP_MULTI_SITE = "msp_multi_site"
    CENTRE_SANTE = "centre_sante"
    PROJET_TERRITORIAL = "projet_territorial"


class TerritorySource(LabelledEnum):
    """How a commune entered the territory (kept to explain the territory to others)."""

    MANUAL = "manual"
    EPCI = "epci"
    DEPARTEMENT = "departement"
    RADIUS = "radius"


class ReferenceLevel(LabelledEnum):
    """Levels a territory is compared with."""

    DEPARTEMENT = "departement"
    REGION = "region"
    FRANCE = "france"


class FinancingStage(LabelledEnum):
    """The three stages of a financing plan."""

    INGENIERIE = "ingenierie"
    INVESTISSEMENT = "investissement"
    FONCTIONNEMENT = "fonctionnement"


class ResourceKind(LabelledEnum):
    """Kind of resource line of a financing plan."""

    SUBVENTION = "subvention"
    EMPRUNT = "emprunt"
    AUTOFINANCEMENT = "autofinancement"
    PARTICIPATION = "participation"


class ResourceStatus(LabelledEnum):
    """Progress of a funding request."""

    A_SOLLICITER = "a_solliciter"
    SOLLICITE = "sollicite"
    ACCORDE = "accorde"
    REFUSE = "refuse"
    VERSE = "verse"


class CommitmentStatus(LabelledEnum):
    """Commitment of a health professional to the project, in order."""

    CONTACTE = "contacte"
    RENCONTRE = "rencontre"
    INTERESSE = "interesse"
    LETTRE_INTENTION = "lettre_intention"
    SIGNATAIRE = "signataire"


class PracticeMode(LabelledEnum):
    """How a professional practises."""

    ISOLE = "isole"
    GROUPE = "groupe"
    MSP = "msp"
    CENTRE_SANTE = "centre_sante"
    SALARIE = "salarie"


class QuestionKind(LabelledEnum):
    """Kinds of questions of the inhabitants' questionnaire."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    SCALE = "scale"
    NUMBER = "number"
    TEXT = "text"


_LABEL_LIST: tuple[tuple[StrEnum, str], ...] = (
    (PorteurType.COMMUNE, "Commune"),
    (PorteurType.EPCI, "Intercommunalité (EPCI)"),
    (PorteurType.PAYS, "Pays / PETR"),
    (PorteurType.ASSOCIATION_PROFESSIONNELS, "Association de professionnels de santé"),
    (PorteurType.AUTRE, "Autre porteur"),
    (ProjectType.MSP_MONO_SITE, "Maison de santé pluriprofessionnelle (mono-site)"),
    (ProjectType.MSP_MULTI_SITE, "MSP multi-site / pôle de santé"),
    (ProjectType.CENTRE_SANTE, "Centre de santé"),
    (ProjectType.PROJET_TERRITORIAL, "Projet territorial de santé / contrat local de santé"),
    (TerritorySource.MANUAL, "Ajout manuel"),
    (TerritorySource.EPCI, "Intercommunalité entière"),
    (TerritorySource.DEPARTEMENT, "Département entier"),
    (TerritorySource.RADIUS, "Rayon autour d'une commune"),
    (ReferenceLevel.DEPARTEMENT, "Département"),
    (ReferenceLevel.REGION, "Région"),
    (ReferenceLevel.FRANCE, "France"),
    (FinancingStage.INGENIERIE, "Ingénierie"),
    (FinancingStage.INVESTISSEMENT, "Investissement"),
    (FinancingStage.FONCTIONNEMENT, "Fonctionnement"),
    (ResourceKind.SUBVENTION, "Subvention"),
    (ResourceKind.EMPRUNT, "Emprunt"),
    (ResourceKind.AUTOFINANCEMENT, "Autofinancement"),
    (ResourceKind.PARTICIPATION, "Participation de tiers (professionnels, SISA)"),
    (ResourceStatus.A_SOLLICITER, "À solliciter"),
    (ResourceStatus.SOLLICITE, "Sollicité"),
    (ResourceStatus.ACCORDE, "Accordé"),
    (ResourceStatus.REFUSE, "Refusé"),
    (ResourceStatus.VERSE, "Versé"),
    (CommitmentStatus.CONTACTE, "Contacté"),
    (CommitmentStatus.RENCONTRE, "Rencontré"),
    (CommitmentStatus.INTERESSE, "Intéressé"),
    (CommitmentStatus.LETTRE_INTENTION, "Lettre d'intention"),
    (CommitmentStatus.SIGNATAIRE, "Signataire du projet de santé"),
    (PracticeMode.ISOLE, "Exercice isolé"),
    (PracticeMode.GROUPE, "Cabinet de groupe"),
    (PracticeMode.MSP, "Maison de santé"),
    (PracticeMode.CENTRE_SANTE, "Centre de santé"),
    (PracticeMode.SALARIE, "Salarié"),
    (QuestionKind.SINGLE, "Choix unique"),
    (QuestionKind.MULTIPLE, "Choix multiple"),
    (QuestionKind.SCALE, "Échelle"),
    (QuestionKind.NUMBER, "Nombre"),
    (QuestionKind.TEXT, "Texte libre"),
)

_LABELS: dict[tuple[type, str], str] = {(type(member), member.value): text for member, text in _LABEL_LIST}
