"""What a user action changed, by kind of data: the value the GUI's one change signal carries.

The unit of work records the tables each committed transaction wrote
(:attr:`~santeloc.persistence.uow.UnitOfWork.committed_tables`); :meth:`OpChanges.from_tables`
turns them into the kinds of data pages and step statuses depend on. A page refreshes when a
change touches a kind it shows; the step statuses are recomputed after every change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """Kinds of data, as pages depend on them."""

    PROJECTS = "projects"  # the list of projects (names, order)
    PROJECT = "project"  # a project's own fields and settings
    TERRITORY = "territory"
    HEALTH = "health"  # indicators, population, constats
    OFFER = "offer"  # professionals, establishments
    ACCESS = "access"  # measures, travel times, APL runs
    SURVEY = "survey"
    MOBILISATION = "mobilisation"  # commitment, contacts, meetings
    HEALTH_PROJECT = "health_project"  # priorities, objectives, fiches, sections
    FINANCING = "financing"


_TABLES: dict[str, tuple[Kind, ...]] = {
    "project": (Kind.PROJECTS, Kind.PROJECT),
    "project:touched": (Kind.PROJECTS,),  # only « dernière modification »: every action does it
    "projectsetting": (Kind.PROJECT, Kind.HEALTH, Kind.OFFER),
    "territorycommune": (Kind.TERRITORY,),
    "indicatorvalue": (Kind.HEALTH,),
    "populationagegroup": (Kind.HEALTH,),
    "constat": (Kind.HEALTH, Kind.HEALTH_PROJECT),
    "professional": (Kind.OFFER, Kind.MOBILISATION),
    "commitmentevent": (Kind.MOBILISATION,),
    "establishment": (Kind.OFFER,),
    "accessmeasure": (Kind.ACCESS,),
    "traveltime": (Kind.ACCESS,),
    "aplrun": (Kind.ACCESS,),
    "aplcommuneresult": (Kind.ACCESS,),
    "officialapl": (Kind.ACCESS,),
    "aplscenario": (Kind.ACCESS,),
    "aplscenariochange": (Kind.ACCESS,),
    "contact": (Kind.MOBILISATION,),
    "meeting": (Kind.MOBILISATION,),
    "meetingparticipant": (Kind.MOBILISATION,),
    "meetingtask": (Kind.MOBILISATION,),
    "surveyquestion": (Kind.SURVEY,),
    "surveyresponse": (Kind.SURVEY,),
    "surveyanswer": (Kind.SURVEY,),
    "priority": (Kind.HEALTH_PROJECT,),
    "objective": (Kind.HEALTH_PROJECT,),
    "action": (Kind.HEALTH_PROJECT,),
    "actioncommune": (Kind.HEALTH_PROJECT,),
    "actionmilestone": (Kind.HEALTH_PROJECT,),
    "actionconstat": (Kind.HEALTH_PROJECT,),
    "actionplanlink": (Kind.HEALTH_PROJECT,),
    "actionindicator": (Kind.HEALTH_PROJECT,),
    "healthprojectsection": (Kind.HEALTH_PROJECT,),
}
_FINANCING_TABLES = (
    "funder", "financingplan", "expenseline", "resourceline", "resourcebase", "loan", "rentsettings", "rentoccupant",
)  # fmt: skip


@dataclass(frozen=True)
class OpChanges:
    """The kinds of data one committed action touched; ``initiator`` is opaque to services (the
    GUI puts there the widget that acted, so that it need not refresh itself)."""

    kinds: frozenset[Kind]
    initiator: object = None

    @classmethod
    def from_tables(cls, tables: Iterable[str], initiator: object = None) -> OpChanges:
        """The kinds of data behind these table names (an unknown table touches every kind)."""
        kinds: set[Kind] = set()
        for table in tables:
            if table in _FINANCING_TABLES:
                kinds.add(Kind.FINANCING)
            elif table in _TABLES:
                kinds.update(_TABLES[table])
            elif table.endswith(":touched"):
                continue  # a row whose bookkeeping columns alone changed
            else:
                kinds.update(Kind)
        return cls(frozenset(kinds), initiator)

    def touches(self, *kinds: Kind) -> bool:
        """Whether any of ``kinds`` changed."""
        return not self.kinds.isdisjoint(kinds)
