"""A project in one file: round trip with nothing lost, and every bad file refused in French."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from santeloc.analysis.tabular import guess_mapping, read_table
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import indicators, offer
from santeloc.services import project_file as svc
from santeloc.services.demo import create_demo_project
from santeloc.services.projects import list_projects, read_project_rows

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "exemples"
SKIP = {"id", "project_id", "plan_id", "priority_id", "objective_id", "action_id", "meeting_id", "contact_id",
        "response_id", "question_id", "professional_id", "indicator_id", "constat_id", "resource_id", "expense_id", "run_id",
        "scenario_id",
        "created_at", "updated_at", "version", "name", "is_demo"}  # fmt: skip


def comparable(rows: dict[str, list[dict[str, object]]]) -> dict[str, list[dict[str, object]]]:
    return {t: [{k: v for k, v in r.items() if k not in SKIP} for r in records] for t, records in rows.items()}


def rich_demo(uow: UnitOfWork, refdata: RefData) -> int:
    demo = create_demo_project(uow, refdata)
    table = read_table(EXAMPLES / "indicateurs-ors-exemple.csv")
    indicators.import_indicators(uow, demo.id, indicators.prepare_import(table, guess_mapping(table.headers)))
    row = next(r for r in indicators.list_indicators(uow, demo.id) if r.smr is not None)
    indicators.constat_from_indicator(uow, row, "À présenter")
    offer.add_professional(
        uow, demo.id, refdata, profession="infirmier", last_name="Durand", commune_code="58227", birth_year=1970
    )
    return demo.id


def test_round_trip_loses_nothing(uow: UnitOfWork, refdata: RefData, tmp_path: Path) -> None:
    project_id = rich_demo(uow, refdata)
    path = svc.export_project(uow, project_id, tmp_path / "saint-amand")
    assert path.name == "saint-amand.santeloc"
    imported = svc.import_project(uow, path)
    assert imported.name.endswith("(copie)") and not imported.is_demo
    with uow:
        before = comparable(read_project_rows(uow, project_id))
        after = comparable(read_project_rows(uow, imported.id))
    assert after == before
    assert sum(len(v) for v in after.values()) > 20


def test_import_on_an_empty_database_keeps_the_name(
    uow: UnitOfWork, refdata: RefData, tmp_path: Path, database_url: str
) -> None:
    project_id = rich_demo(uow, refdata)
    path = svc.export_project(uow, project_id, tmp_path / "p.santeloc")
    from santeloc.persistence.engine import open_database

    other = open_database(f"sqlite:///{tmp_path}/collegue.db")
    info = svc.import_project(UnitOfWork(other), path)
    assert info.name == "Exemple — Maison de santé de Saint-Amand-en-Puisaye"
    other.dispose()


@pytest.mark.parametrize("case", ["truncated", "not_zip", "newer", "no_project", "bad_date", "foreign"])
def test_bad_files_are_refused_and_nothing_is_imported(
    uow: UnitOfWork, refdata: RefData, tmp_path: Path, case: str
) -> None:
    project_id = rich_demo(uow, refdata)
    good = svc.export_project(uow, project_id, tmp_path / "good.santeloc")
    bad = tmp_path / "bad.santeloc"
    if case == "truncated":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
        message = "endommagé ou tronqué|tronqué"
    elif case == "not_zip":
        bad.write_text("bonjour", encoding="utf-8")
        message = "n'est pas un fichier projet"
    else:
        with zipfile.ZipFile(good) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            rows = json.loads(archive.read("projet.json"))
        if case == "newer":
            manifest["format_version"] = 99
            message = "version plus récente"
        elif case == "no_project":
            rows["project"] = []
            message = "exactement un projet"
        elif case == "bad_date":
            rows["project"][0]["created_at"] = "hier"
            message = "date illisible"
        else:
            manifest["format"] = "autre-chose"
            message = "n'est pas un fichier projet"
        with zipfile.ZipFile(bad, "w") as archive:
            archive.writestr("manifest.json", json.dumps(manifest))
            archive.writestr("projet.json", json.dumps(rows))
    count = len(list_projects(uow))
    with pytest.raises(svc.ProjectFileError, match=message):
        svc.import_project(uow, bad)
    assert len(list_projects(uow)) == count


def test_crafted_archives_cannot_escape_or_explode(uow: UnitOfWork, refdata: RefData, tmp_path: Path) -> None:
    project_id = rich_demo(uow, refdata)
    good = svc.export_project(uow, project_id, tmp_path / "good.santeloc")
    escaping = tmp_path / "escape.santeloc"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(escaping, "w") as archive:
        for name in ("manifest.json", "projet.json"):
            archive.writestr(name, source.read(name))
        archive.writestr("../../evil.txt", "pwned")
    svc.import_project(uow, escaping)  # the extra member is never extracted
    assert not (tmp_path.parent / "evil.txt").exists() and not Path("evil.txt").exists()
    bomb = tmp_path / "bomb.santeloc"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", source.read("manifest.json"))
        archive.writestr("projet.json", b" " * (svc.MAX_MEMBER_BYTES + 1))
    assert bomb.stat().st_size < 2_000_000
    with pytest.raises(svc.ProjectFileError, match="volumineux"):
        svc.import_project(uow, bomb)


def test_read_only_destination_leaves_nothing(uow: UnitOfWork, refdata: RefData, tmp_path: Path) -> None:
    project_id = rich_demo(uow, refdata)
    with pytest.raises(svc.ProjectFileError, match="Impossible d'écrire"):
        svc.export_project(uow, project_id, tmp_path / "absent" / "p.santeloc")
