"""What a killed process leaves behind: staging folders and temporary files are cleaned by the next
export; a project duplicated or imported when the process is killed is there whole or not at all.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from santeloc.domain.models import PROJECT_TABLES
from santeloc.exports import context as ctx
from santeloc.exports.dossier import export_dossier
from santeloc.exports.excel import write_workbook
from santeloc.persistence import files
from santeloc.persistence.engine import Database, open_database
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import project_file
from santeloc.services.demo import create_demo_project
from santeloc.services.projects import delete_project, list_projects

ROOT = Path(__file__).resolve().parents[2]


def dead_pid() -> int:
    """The id of a process that has just ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def age(path: Path, seconds: float) -> Path:
    moment = time.time() - seconds
    os.utime(path, (moment, moment))
    return path


def make_leftovers(folder: Path) -> tuple[set[str], set[str]]:
    """(names that must be cleaned, names that must stay) in ``folder``."""
    host = files.owned_prefix().split("-")[1]
    dead = dead_pid()
    staging = folder / f".santeloc-export-{host}-{dead}-abcd"
    staging.mkdir()
    for name in ("diagnostic.docx", "deliberation.docx", "plan-de-financement.xlsx"):
        (staging / name).write_bytes(b"PK complete document")
    (folder / f".~santeloc-{host}-{dead}-x1.xlsx").write_bytes(b"half")
    (folder / f".santeloc-{host}-{dead}-x2.tmp").write_bytes(b"half")
    (folder / ".~santeloc-oldstyle.docx").write_bytes(b"")
    old_anonymous = folder / ".santeloc-export-q1w2e3"
    old_anonymous.mkdir()
    age(old_anonymous, 2 * 3600)
    age(folder / ".~santeloc-oldstyle.docx", 2 * 3600)
    old_foreign = folder / f".~santeloc-00000000-{dead}-x3.docx"
    old_foreign.write_bytes(b"")
    age(old_foreign, 2 * 24 * 3600)
    cleaned = {staging.name, f".~santeloc-{host}-{dead}-x1.xlsx", f".santeloc-{host}-{dead}-x2.tmp",
               old_anonymous.name, ".~santeloc-oldstyle.docx", old_foreign.name}  # fmt: skip
    # Kept: an export of this very process under way, one of another computer, a fresh old-style one,
    # the user's own files.
    live = folder / f"{files.owned_prefix('santeloc-export-')}live"
    live.mkdir()
    (folder / ".~santeloc-11111111-1-x4.docx").write_bytes(b"")
    (folder / ".santeloc-export-fresh").mkdir()
    (folder / "mon-dossier.docx").write_bytes(b"user")
    (folder / ".santeloc-notes.txt").write_bytes(b"user")
    kept = {live.name, ".~santeloc-11111111-1-x4.docx", ".santeloc-export-fresh", "mon-dossier.docx",
            ".santeloc-notes.txt"}  # fmt: skip
    return cleaned, kept


def test_clean_leftovers_removes_only_what_dead_exports_left(tmp_path: Path) -> None:
    cleaned, kept = make_leftovers(tmp_path)
    removed = {path.name for path in files.clean_leftovers(tmp_path)}
    assert removed == cleaned
    assert {path.name for path in tmp_path.iterdir()} == kept
    assert files.clean_leftovers(tmp_path / "absent") == []


@pytest.mark.parametrize("export", ["workbook", "dossier", "project_file"])
def test_the_next_export_cleans_the_folder(
    sqlite_database: Database, refdata: RefData, tmp_path: Path, export: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANTELOC_DATA_DIR", str(tmp_path / "donnees"))
    uow = UnitOfWork(sqlite_database)
    project_id = create_demo_project(uow, refdata).id
    folder = tmp_path / "exports"
    folder.mkdir()
    cleaned, _kept = make_leftovers(folder)
    if export == "workbook":
        write_workbook(ctx.load_project_data(uow, project_id, refdata), folder / "plan.xlsx")
    elif export == "dossier":
        export_dossier(uow, project_id, refdata, folder, {"deliberation"}, False)
    else:
        project_file.export_project(uow, project_id, folder / "projet.santeloc")
    assert not cleaned & {path.name for path in folder.iterdir()}


EXPORT_SCRIPT = """
import os, sys
os.environ["SANTELOC_DATA_DIR"] = sys.argv[3]
from santeloc.exports.dossier import ALL_DOCUMENTS, export_dossier
from santeloc.persistence.engine import open_database
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import load_refdata
from santeloc.services.projects import delete_project, list_projects
uow = UnitOfWork(open_database(sys.argv[1]))
(project,) = list_projects(uow)
export_dossier(uow, project.id, load_refdata(), __import__("pathlib").Path(sys.argv[2]), set(ALL_DOCUMENTS), False)
"""


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.mark.slow
def test_a_dossier_export_killed_midway_is_cleaned_by_the_next(
    sqlite_database: Database, refdata: RefData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANTELOC_DATA_DIR", str(tmp_path / "donnees"))
    uow = UnitOfWork(sqlite_database)
    project_id = create_demo_project(uow, refdata).id
    folder = tmp_path / "dossier"
    folder.mkdir()
    child = subprocess.Popen([sys.executable, "-c", EXPORT_SCRIPT, sqlite_database.url, str(folder),
                              str(tmp_path / "donnees")], env=child_env())  # fmt: skip
    deadline = time.monotonic() + 120
    staging: list[Path] = []
    while time.monotonic() < deadline and child.poll() is None:
        staging = [p for p in folder.glob(".santeloc-export-*") if any(p.iterdir())]
        if staging:
            break
        time.sleep(0.02)
    assert staging, "the export never wrote into its staging folder"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert staging[0].exists()  # what the issue found: a staging folder holding complete documents
    export_dossier(uow, project_id, refdata, folder, {"deliberation"}, False)
    assert not list(folder.glob(".santeloc-export-*")) and not list(folder.glob(".~santeloc-*"))
    assert [p.name for p in folder.iterdir()] == ["deliberation.docx"]


# --- one transaction, killed at several points -------------------------------------------------

KILL_SCRIPT = """
import os, signal, sys
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert
from santeloc.persistence.engine import open_database
from santeloc.persistence.uow import UnitOfWork
from santeloc.services import project_file, projects

url, action, point, argument = sys.argv[1:]
uow = UnitOfWork(open_database(url))
inserts = 0
original_execute, original_commit = Session.execute, UnitOfWork.commit


def execute(self, statement, *args, **kwargs):
    global inserts
    if isinstance(statement, Insert):
        inserts += 1
        if point.startswith("insert:") and inserts == int(point.split(":")[1]):
            os.kill(os.getpid(), signal.SIGKILL)
    return original_execute(self, statement, *args, **kwargs)


def commit(self):
    if point == "before_commit":
        os.kill(os.getpid(), signal.SIGKILL)
    original_commit(self)
    if point == "after_commit":
        os.kill(os.getpid(), signal.SIGKILL)


Session.execute, UnitOfWork.commit = execute, commit
if action == "duplicate":
    projects.duplicate_project(uow, int(argument))
else:
    project_file.import_project(uow, argument)
print("finished")
"""


def row_counts(uow: UnitOfWork) -> dict[str, int]:
    with uow:
        return {
            str(model.__tablename__): uow.session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in PROJECT_TABLES
        }


@pytest.mark.slow
@pytest.mark.parametrize("action", ["duplicate", "import"])
def test_duplicate_and_import_killed_leave_nothing_or_everything(
    database_url: str, refdata: RefData, tmp_path: Path, action: str
) -> None:
    database = open_database(database_url)
    uow = UnitOfWork(database)
    project_id = create_demo_project(uow, refdata).id
    path = project_file.export_project(uow, project_id, tmp_path / "demo.santeloc")
    before = row_counts(uow)
    whole = {table: 2 * count for table, count in before.items()}  # the project and its complete copy
    rows = sum(before.values())
    outcomes = []
    # Killed at the first row, halfway, at the last row, just before and just after the commit.
    for point in ["insert:1", f"insert:{rows // 2}", f"insert:{rows}", "before_commit", "after_commit"]:
        argument = str(project_id) if action == "duplicate" else str(path)
        result = subprocess.run([sys.executable, "-c", KILL_SCRIPT, database_url, action, point, argument],
                                env=child_env(), capture_output=True, text=True, timeout=180)  # fmt: skip
        assert result.returncode == -signal.SIGKILL, (point, result.stdout, result.stderr[-2000:])
        database.dispose()  # a fresh connection, as the next start of the application
        after = row_counts(uow)
        assert after in (before, whole), (point, {t: (before[t], after[t]) for t in after if after[t] != before[t]})
        outcomes.append("everything" if after == whole else "nothing")
        assert len(list_projects(uow)) == (2 if after == whole else 1)
        if after == whole:  # back to one project for the next point
            delete_project(uow, max(p.id for p in list_projects(uow)))
    database.dispose()
    assert outcomes == ["nothing", "nothing", "nothing", "nothing", "everything"], outcomes
