"""The professionals' commitment ladder and the minimum team of a maison de santé, defined once.

Used by the mobilisation summary, the step status, the readiness checklist, the projet de
santé's signatures and the CLI: a professional is *committed* from the lettre d'intention on;
an MSP needs at least two committed GPs and one committed paramedical professional.
"""

from __future__ import annotations

from dataclasses import dataclass

from santeloc.domain.enums import CommitmentStatus
from santeloc.domain.formatting import plural

COMMITMENT_ORDER: tuple[CommitmentStatus, ...] = tuple(CommitmentStatus)
COMMITTED: frozenset[str] = frozenset({CommitmentStatus.LETTRE_INTENTION.value, CommitmentStatus.SIGNATAIRE.value})
MSP_MIN_GPS = 2
MSP_MIN_PARAMEDICAL = 1
GP_KEY = "medecin_generaliste"


def is_committed(status: str) -> bool:
    """A lettre d'intention sent or the projet de santé signed."""
    return status in COMMITTED


def commitment_rank(status: str) -> int:
    """0 for "not contacted", then 1 (contacté) to 5 (signataire)."""
    return [s.value for s in COMMITMENT_ORDER].index(status) + 1 if status else 0


@dataclass(frozen=True)
class TeamMinimum:
    """Whether the committed team reaches the MSP minimum, with what is missing, in French."""

    gps: int
    paramedical: int

    @property
    def met(self) -> bool:
        """Two GPs and one paramedical professional committed."""
        return self.gps >= MSP_MIN_GPS and self.paramedical >= MSP_MIN_PARAMEDICAL

    @property
    def team(self) -> str:
        """``"2 médecins généralistes et 1 professionnel paramédical"``."""
        return (
            f"{plural(self.gps, 'médecin généraliste', 'médecins généralistes')} et "
            f"{plural(self.paramedical, 'professionnel paramédical', 'professionnels paramédicaux')}"
        )

    @property
    def missing(self) -> list[str]:
        """What the team lacks, each as ``"1 médecin généraliste"``."""
        lacking = []
        if self.gps < MSP_MIN_GPS:
            lacking.append(plural(MSP_MIN_GPS - self.gps, "médecin généraliste", "médecins généralistes"))
        if self.paramedical < MSP_MIN_PARAMEDICAL:
            lacking.append(
                plural(
                    MSP_MIN_PARAMEDICAL - self.paramedical, "professionnel paramédical", "professionnels paramédicaux"
                )
            )
        return lacking

    @property
    def sentence(self) -> str:
        """The whole finding as one French sentence."""
        if self.met:
            return (
                f"L'équipe atteint le minimum d'une maison de santé : {self.team} engagés "
                "(lettre d'intention ou signature du projet de santé)."
            )
        return (
            f"L'équipe n'atteint pas encore le minimum d'une maison de santé ({MSP_MIN_GPS} médecins généralistes et "
            f"{MSP_MIN_PARAMEDICAL} professionnel paramédical engagés) : {self.team} engagés à ce jour, il manque "
            f"{' et '.join(self.missing)}."
        )
