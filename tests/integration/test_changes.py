"""The unit of work reports the tables a committed action wrote; OpChanges names their kinds."""

from __future__ import annotations

import pytest

from santeloc.domain.errors import ValidationError
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import health_project as hp
from santeloc.services import offer as offer_svc
from santeloc.services import projects as project_svc
from santeloc.services.changes import Kind, OpChanges
from santeloc.services.territory import add_communes


def test_committed_tables_become_kinds(uow: UnitOfWork, refdata: RefData) -> None:
    seen: list[frozenset[str]] = []
    uow.on_commit = seen.append
    project = project_svc.create_project(uow, "Suivi des changements")
    assert OpChanges.from_tables(seen[-1]).touches(Kind.PROJECTS)
    add_communes(uow, project.id, ["58227"], refdata=refdata)
    changes = OpChanges.from_tables(seen[-1])
    # The project's « dernière modification » moved too, but that is not a change of the project.
    assert changes.kinds == {Kind.TERRITORY, Kind.PROJECTS}
    offer_svc.add_professional(uow, project.id, refdata, last_name="MARTIN", commune_code="58227")
    assert OpChanges.from_tables(seen[-1]).kinds == {Kind.OFFER, Kind.MOBILISATION, Kind.PROJECTS}
    priority = hp.add_priority(uow, project.id, "Accès aux soins")
    hp.delete_priority(uow, priority)  # a bulk DELETE statement is recorded as well
    assert OpChanges.from_tables(seen[-1]).touches(Kind.HEALTH_PROJECT)
    count = len(seen)
    with pytest.raises(ValidationError):
        hp.add_priority(uow, project.id, "")
    assert len(seen) == count  # a refused action announces nothing
