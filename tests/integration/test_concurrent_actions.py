"""Two people, one project: adding different things at the same time never conflicts.

Two real processes on the same database (SQLite file or PostgreSQL) each add their own
indicators to one project, in many short transactions, at the same time. Before, every action
updated the project's versioned row (« dernière modification ») and about a third of them were
refused as « modifié par quelqu'un d'autre ».
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from santeloc.persistence.engine import Database
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import indicators as indicators_svc
from santeloc.services import projects as project_svc

ADDS = 40
WORKER = textwrap.dedent(
    """
    import sys
    from santeloc.domain.errors import ConflictError
    from santeloc.persistence.engine import open_database
    from santeloc.persistence.uow import UnitOfWork
    from santeloc.services import indicators

    url, project_id, who, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    uow = UnitOfWork(open_database(url))
    refused = 0
    for n in range(count):
        try:
            indicators.add_custom(uow, project_id, f"{who} {n}", "social", "%")
        except ConflictError:
            refused += 1
    print(refused)
    """
)


def test_two_processes_adding_different_indicators_never_conflict(database: Database) -> None:
    uow = UnitOfWork(database)
    project = project_svc.create_project(uow, "Projet partagé")
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, database.url, str(project.id), who, str(ADDS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for who in ("Anne", "Paul")
    ]
    outputs = [worker.communicate(timeout=600) for worker in workers]
    for worker, (out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
        assert out.strip() == "0", f"actions refusées : {out.strip()}"
    labels = {row.label for row in indicators_svc.list_indicators(uow, project.id)}
    assert {f"{who} {n}" for who in ("Anne", "Paul") for n in range(ADDS)} <= labels
    # « Dernière modification » moved, and the project's own row kept its version: a rename
    # with the version shown before still goes through.
    after = project_svc.get_project(uow, project.id)
    assert after.updated_at >= project.updated_at
    project_svc.rename_project(uow, project.id, "Projet partagé (équipe)", expected_version=project.version)
