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


def test_a_colleague_is_not_held_by_a_long_import(database: Database) -> None:
    """PostgreSQL: while a long import's transaction is open (it touched the project and wrote
    rows), a colleague's action on the same project commits at once — the import writes
    « dernière modification » only at its commit. (SQLite has one writer at a time by design.)"""
    import threading

    import pytest

    from santeloc.domain.models import IndicatorValue

    if not database.url.startswith("postgresql"):
        pytest.skip("SQLite n'admet qu'un écrivain à la fois")
    uow = UnitOfWork(database)
    project = project_svc.create_project(uow, "Import long")
    colleague_done, import_running = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def long_import() -> None:
        importer = UnitOfWork(database)
        try:
            with importer:
                project_svc.touch_project(importer, project.id)
                for n in range(200):
                    importer.session.add(
                        IndicatorValue(project_id=project.id, label=f"Import {n}", theme="social", unit="%")
                    )
                importer.flush()
                import_running.set()
                # The import goes on until the colleague's action has committed; if the colleague
                # were held by the import's locks, this wait would end on its (generous) bound.
                if not colleague_done.wait(timeout=60):
                    errors.append(AssertionError("l'action de la collègue attendait la fin de l'import"))
                importer.commit()
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    thread = threading.Thread(target=long_import)
    thread.start()
    assert import_running.wait(timeout=60)
    indicators_svc.add_custom(UnitOfWork(database), project.id, "Constat de la collègue", "social", "%")
    colleague_done.set()
    thread.join(timeout=120)
    assert not errors and not thread.is_alive()
    labels = {row.label for row in indicators_svc.list_indicators(uow, project.id)}
    assert "Constat de la collègue" in labels and "Import 199" in labels
