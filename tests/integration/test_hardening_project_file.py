"""Crafted and damaged project files: each refused whole, in French, naming the field; the database untouched.

And a bad value already in the database (written by an older version, by hand, by another tool)
never takes down the list of projects: that project is listed as damaged.
"""

from __future__ import annotations

import json
import random
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text, update
from sqlmodel import col

from santeloc.domain.errors import DomainError
from santeloc.domain.models import PROJECT_TABLES, Project
from santeloc.persistence.engine import Database
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import offer, survey
from santeloc.services import project_file as svc
from santeloc.services.demo import create_demo_project
from santeloc.services.projects import create_project, get_project, list_projects

Payload = tuple[dict[str, Any], dict[str, Any]]
ENGLISH = ("Traceback", "Error", "error", "invalid", "object", "not a", "NoneType", "line 1 column")


def french(message: str) -> bool:
    """A message meant for the user: French words, no Python or library text, not a novel."""
    return (
        not any(marker in message for marker in ENGLISH)
        and ("rien n'a été importé" in message.lower() or "refusé" in message)
        and len(message) < 600
    )


def table_counts(uow: UnitOfWork) -> dict[str, int]:
    """Rows of every project table (the database must not change when a file is refused)."""
    with uow:
        return {
            str(model.__tablename__): uow.session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in PROJECT_TABLES
        }


def first(rows: dict[str, Any], table: str) -> dict[str, Any]:
    return rows[table][0]


def set_value(table: str, column: str, value: Any) -> Callable[[Payload], None]:
    def mutate(payload: Payload) -> None:
        first(payload[1], table)[column] = value

    return mutate


def set_manifest(key: str, value: Any) -> Callable[[Payload], None]:
    def mutate(payload: Payload) -> None:
        payload[0][key] = value

    return mutate


def drop(table: str, column: str) -> Callable[[Payload], None]:
    def mutate(payload: Payload) -> None:
        del first(payload[1], table)[column]

    return mutate


def duplicate_id(payload: Payload) -> None:
    rows = payload[1]["expenseline"]
    rows.append(dict(rows[0]))


# (case, mutation, words the message must contain)
CASES: list[tuple[str, Callable[[Payload], None], str]] = [
    ("project_type_bogus", set_value("project", "project_type", "bogus"), "project_type"),
    ("porteur_type_bogus", set_value("project", "porteur_type", "bogus"), "porteur_type"),
    ("amount_as_text", set_value("expenseline", "amount_ht_cents", "beaucoup"), "amount_ht_cents"),
    ("amount_1_5e300", set_value("expenseline", "amount_ht_cents", 1.5e300), "amount_ht_cents"),
    ("amount_10_30", set_value("expenseline", "amount_ht_cents", 10**30), "amount_ht_cents"),
    ("amount_negative", set_value("expenseline", "amount_ht_cents", -100), "amount_ht_cents"),
    ("resource_negative", set_value("resourceline", "amount_cents", -1), "amount_cents"),
    ("vat_999", set_value("expenseline", "vat_rate_bp", 99_900), "vat_rate_bp"),
    ("vat_negative", set_value("expenseline", "vat_rate_bp", -1), "vat_rate_bp"),
    ("resource_kind", set_value("resourceline", "kind", "don_du_ciel"), "kind"),
    ("resource_status", set_value("resourceline", "status", "promis"), "status"),
    ("resource_stage", set_value("resourceline", "stage", "plus_tard"), "stage"),
    ("expense_stage", set_value("expenseline", "stage", "plus_tard"), "stage"),
    ("question_kind", set_value("surveyquestion", "kind", "essai"), "kind"),
    ("question_role", set_value("surveyquestion", "role", "maire"), "role"),
    ("profession", set_value("professional", "profession", "sorcier"), "profession"),
    ("bool_as_int", set_value("expenseline", "amount_ht_cents", True), "amount_ht_cents"),
    ("bool_as_text", set_value("project", "is_demo", "oui"), "is_demo"),
    ("list_as_text", set_value("expenseline", "label", ["a", "b"]), "label"),
    ("dict_as_float", set_value("traveltime", "minutes", {"x": 1}), "minutes"),
    ("null_required", set_value("expenseline", "label", None), "label"),
    ("missing_required", drop("expenseline", "amount_ht_cents"), "amount_ht_cents"),
    ("text_too_long", set_value("project", "porteur_name", "x" * 301), "porteur_name"),
    ("nul_character", set_value("expenseline", "label", "a\x00b"), "label"),
    ("retirement_year_0", set_value("professional", "retirement_date", "0000-06-30"), "retirement_date"),
    ("retirement_year_99999", set_value("professional", "retirement_date", "99999-06-30"), "retirement_date"),
    ("retirement_year_1000", set_value("professional", "retirement_date", "1000-06-30"), "retirement_date"),
    ("birth_year_99999", set_value("professional", "birth_year", 99_999), "birth_year"),
    ("duplicate_id", duplicate_id, "id"),
    ("id_as_bool", set_value("expenseline", "id", True), "id"),
    ("bad_date", set_value("project", "created_at", "hier"), "created_at"),
    ("format_version_1e999", set_manifest("format_version", 1e999), "format_version"),
    ("format_version_text", set_manifest("format_version", "1"), "format_version"),
    ("format_version_negative", set_manifest("format_version", -1), "format_version"),
    ("format_version_true", set_manifest("format_version", True), "format_version"),
    ("schema_list", set_manifest("schema", ["0003"]), "schema"),
]


@pytest.fixture
def good_payload(uow: UnitOfWork, refdata: RefData, tmp_path: Path) -> Payload:
    """The demo project's file, as (manifest, rows), with a professional and a question in it."""
    demo = create_demo_project(uow, refdata).id
    offer.add_professional(uow, demo, refdata, profession="infirmier", last_name="Durand", commune_code="58227",
                           birth_year=1970, retirement_date=date(2030, 6, 30))  # fmt: skip
    survey.add_question(uow, demo, "single", "Avez-vous un médecin traitant ?", ["Oui", "Non"])
    path = svc.export_project(uow, demo, tmp_path / "bon.santeloc")
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json")), json.loads(archive.read("projet.json"))


def write(path: Path, manifest: Any, rows: Any, *, raw_rows: bytes | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest).replace("Infinity", "1e999"))  # as typed by hand
        archive.writestr("projet.json", raw_rows if raw_rows is not None else json.dumps(rows))
    return path


def refused(uow: UnitOfWork, path: Path) -> str:
    """Import ``path``, expecting a French refusal and no change to the database; returns the message."""
    before = table_counts(uow)
    with pytest.raises(DomainError) as caught:
        svc.import_project(uow, path)
    assert table_counts(uow) == before
    message = caught.value.message
    assert french(message), message
    return message


def test_the_good_file_imports(uow: UnitOfWork, good_payload: Payload, tmp_path: Path) -> None:
    info = svc.import_project(uow, write(tmp_path / "ok.santeloc", *good_payload))
    assert info.name.endswith("(copie)") and not info.is_damaged


@pytest.mark.parametrize(("case", "mutate", "field"), CASES, ids=[c[0] for c in CASES])
def test_crafted_files_are_refused_naming_the_field(
    uow: UnitOfWork, good_payload: Payload, tmp_path: Path, case: str, mutate: Any, field: str
) -> None:
    manifest, rows = good_payload
    if case.startswith(("dict_as_float",)) and not rows.get("traveltime"):
        rows["traveltime"] = [{"id": 1, "project_id": rows["project"][0]["id"], "origin": "58227",
                               "destination": "58062", "minutes": 3.5}]  # fmt: skip
    mutate((manifest, rows))
    message = refused(uow, write(tmp_path / "fichier.santeloc", manifest, rows))
    assert field in message, message


def nested(depth: int) -> bytes:
    return b'{"project": ' + b"[" * depth + b"]" * depth + b"}"


@pytest.mark.parametrize(
    "raw",
    [
        nested(200_000),
        nested(5_000),
        b'{"project": [{"id": 1, "amount": NaN}]}',
        b'{"project": [{"id": 1, "amount": Infinity}]}',
        b'{"project": [{"id": ' + b"9" * 5000 + b"}]}",
        b"\xff\xfe\x00garbage",
        b"[]",
        b'{"project": "x"}',
    ],
    ids=["deep_200000", "deep_5000", "nan", "infinity", "huge_int_literal", "not_utf8", "list", "wrong_shape"],
)
def test_malformed_json_is_refused(uow: UnitOfWork, good_payload: Payload, tmp_path: Path, raw: bytes) -> None:
    refused(uow, write(tmp_path / "json.santeloc", good_payload[0], None, raw_rows=raw))


def test_byte_flipped_files_are_refused_or_imported_whole(
    uow: UnitOfWork, good_payload: Payload, tmp_path: Path
) -> None:
    """Random bytes flipped in the file (compressed or stored): a French refusal or a sound import."""
    source = write(tmp_path / "source.santeloc", *good_payload)
    stored = tmp_path / "stored.santeloc"
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("manifest.json", json.dumps(good_payload[0]))
        archive.writestr("projet.json", json.dumps(good_payload[1]))
    generator = random.Random(17)
    outcomes = {"refused": 0, "imported": 0}
    for index in range(40):
        data = bytearray((source if index % 2 else stored).read_bytes())
        for _ in range(generator.choice((1, 2, 8))):
            position = generator.randrange(len(data))
            data[position] ^= 1 << generator.randrange(8)
        path = tmp_path / f"flip-{index}.santeloc"
        path.write_bytes(bytes(data))
        before = table_counts(uow)
        try:
            info = svc.import_project(uow, path)
        except DomainError as exc:
            assert french(exc.message), exc.message
            assert table_counts(uow) == before
            outcomes["refused"] += 1
        else:
            assert not info.is_damaged
            outcomes["imported"] += 1
    assert outcomes["refused"] >= 30, outcomes  # the zip's checksums catch almost every flip


# --- a damaged row already in the database ------------------------------------------------------


def test_a_bad_enum_in_the_database_does_not_take_down_the_list(uow: UnitOfWork, refdata: RefData) -> None:
    demo = create_demo_project(uow, refdata).id
    with uow:
        uow.session.execute(
            update(Project).where(col(Project.id) == demo).values(project_type="bogus", porteur_type="?")
        )
        uow.commit()
    (info,) = list_projects(uow)
    assert info.is_damaged and "type de projet inconnu « bogus »" in info.damage and "type de porteur" in info.damage
    assert get_project(uow, demo).is_damaged


def test_an_unreadable_date_in_sqlite_does_not_take_down_the_list(sqlite_database: Database, refdata: RefData) -> None:
    uow = UnitOfWork(sqlite_database)
    demo = create_demo_project(uow, refdata).id
    sound = create_project(uow, "Projet sain").id
    with uow:
        uow.session.execute(text("UPDATE project SET updated_at = 'hier soir', project_type = 'x' WHERE id = :i"),
                            {"i": demo})  # fmt: skip
        uow.commit()
    infos = {info.id: info for info in list_projects(uow)}
    assert set(infos) == {demo, sound}
    assert not infos[sound].is_damaged
    assert "date de modification illisible" in infos[demo].damage and "type de projet" in infos[demo].damage
