"""Every importer against malformed input: a result or a French DomainError naming the line or cell, never
another exception, never a partial write.

First the cases found by hand (a cell over the csv field limit, a retirement year of 0, an RPPS
line shorter than its header, XML entities in a workbook, an entry sheet pointing to column 0,
mixed encodings, a message quoting a whole cell), then a seeded mutation fuzz over the six
importers: RPPS extraction, professionals table, indicator table, travel times, survey entry
sheet, project file.
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from santeloc.analysis import tabular
from santeloc.analysis.tabular import guess_mapping, read_table
from santeloc.domain.errors import MAX_MESSAGE_CHARS, DomainError
from santeloc.domain.models import PROJECT_TABLES
from santeloc.persistence.engine import Database
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services import indicators, offer, survey
from santeloc.services import project_file as project_file_svc
from santeloc.services.projects import create_project
from santeloc.services.territory import add_communes

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "exemples"
TERRITORY = ["89419", "89079", "58227"]  # Toucy, Bléneau, Saint-Amand-en-Puisaye


def table_counts(uow: UnitOfWork) -> dict[str, int]:
    """Rows of every project table."""
    with uow:
        return {
            str(model.__tablename__): uow.session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in PROJECT_TABLES
        }


@pytest.fixture
def project(sqlite_database: Database, refdata: RefData) -> tuple[UnitOfWork, int]:
    """A project with a territory and a two-question questionnaire, on a SQLite file."""
    uow = UnitOfWork(sqlite_database)
    project_id = create_project(uow, "Projet testé").id
    add_communes(uow, project_id, TERRITORY, refdata=refdata)
    survey.add_question(uow, project_id, "single", "Avez-vous un médecin traitant ?", ["Oui", "Non"])
    survey.add_question(uow, project_id, "number", "Combien de consultations en 2025 ?")
    return uow, project_id


# --- the cases found by hand --------------------------------------------------------------------


def test_a_cell_over_the_old_csv_limit_reads_and_one_over_the_stated_maximum_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "gros.csv"
    path.write_text('Indicateur;Territoire\n"' + "a" * 1_100_000 + '";12\nB;3\n', encoding="utf-8")
    table = read_table(path)
    assert len(table.rows[0].cells[0]) == 1_100_000  # 1 MB cells (over csv's 128 KB default) are read
    path.write_text('Indicateur;Territoire\nA;1\n"' + "a" * (tabular.MAX_CELL_CHARS + 10) + '";12\n', encoding="utf-8")
    with pytest.raises(DomainError, match=r"La ligne 3 contient une cellule de plus de 2\u202f000\u202f000"):
        read_table(path)


def test_a_line_over_the_maximum_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "ligne.csv"
    path.write_text("Indicateur;Territoire\nA;1\n" + "b;" * (tabular.MAX_LINE_CHARS // 2 + 1) + "\n", encoding="utf-8")
    with pytest.raises(DomainError, match="La ligne 3 du fichier compte plus de"):
        read_table(path)


def test_mixed_encodings_are_decoded_line_by_line(tmp_path: Path) -> None:
    lines = ["Indicateur;Territoire;Unité"]
    for index in range(20):
        text = f"Taux de mortalité prématurée n° {index};{index},5;taux pour 100 000"
        lines.append(text)
    data = b"\n".join(
        line.encode("windows-1252" if index % 2 else "utf-8") for index, line in enumerate(lines)
    )  # half the lines in Windows-1252
    path = tmp_path / "mixte.csv"
    path.write_bytes(data + b"\n")
    table = read_table(path)
    assert table.encoding == tabular.MIXED_ENCODING
    labels = [row.cells[0] for row in table.rows]
    assert all(label.startswith("Taux de mortalité prématurée") for label in labels), labels[:3]
    assert not any("Ã" in label for label in labels)
    path.write_bytes("\n".join(lines).encode("windows-1252"))
    assert read_table(path).encoding == "windows-1252"  # a whole Windows-1252 file is still one
    path.write_bytes("\n".join(lines).encode("utf-8"))
    assert read_table(path).encoding == "utf-8"


def professionals_file(tmp_path: Path, retirement: str) -> Path:
    path = tmp_path / "pros.csv"
    path.write_text(
        "Profession;Nom;Commune;Année de naissance;Départ\n"
        f"Infirmier;Durand;Toucy;1970;2030\nInfirmier;Martin;Toucy;1971;{retirement}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("year", ["0", "99999", "1e300", "-2030", "2030,5"])
def test_a_retirement_year_out_of_range_is_a_line_error(
    project: tuple[UnitOfWork, int], refdata: RefData, tmp_path: Path, year: str
) -> None:
    table = read_table(professionals_file(tmp_path, year))
    mapping = {"profession": 0, "last_name": 1, "commune": 2, "birth_year": 3, "retirement_year": 4}
    rows, errors = offer.prepare_professionals(table, mapping, refdata)
    assert len(rows) == 1 and [line for line, _ in errors] == [3], errors
    assert "départ" in errors[0][1] or "nombre" in errors[0][1]


def rpps_file(tmp_path: Path, lines: list[list[str]], *, trailing: bool = True) -> Path:
    header = list(offer.RPPS_COLUMNS.values())
    end = "|" if trailing else ""
    text = "|".join(header) + end + "\n" + "".join("|".join(line) + end + "\n" for line in lines)
    path = tmp_path / "rpps.txt"
    path.write_text(text, encoding="utf-8")
    return path


def rpps_line(number: str, name: str = "DURAND", commune: str = "89419") -> list[str]:
    return [number, name, "CLAIRE", "60", "Infirmier", "", "L", commune, "89130", "TOUCY", "", ""]


def test_an_rpps_line_shorter_than_its_header_is_read(
    project: tuple[UnitOfWork, int], refdata: RefData, tmp_path: Path
) -> None:
    uow, project_id = project
    short = rpps_line("10000000002")[:-1]  # a header without trailing « | », a line without its last column
    path = rpps_file(tmp_path, [rpps_line("10000000001"), short], trailing=False)
    report = offer.import_rpps(uow, project_id, path, refdata)
    assert report.imported == 2


def billion_laughs() -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10)
    )
    return f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]><sst><si><t>&lol9;</t></si></sst>'.encode()


def xxe() -> bytes:
    return (
        b'<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&xxe;</t></si></sst>'
    )


def with_member(source: Path, target: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in original.infolist():
            archive.writestr(member, data if member.filename == name else original.read(member.filename))
        if name not in original.namelist():
            archive.writestr(name, data)
    return target


def indicator_workbook(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Indicateur", "Territoire", "Unité"])
    sheet.append(["Taux de mortalité", 12.5, "taux pour 100 000"])
    workbook.save(path)
    return path


@pytest.mark.parametrize("payload", [xxe, billion_laughs], ids=["xxe", "billion_laughs"])
def test_xml_attacks_in_a_workbook_are_refused(
    project: tuple[UnitOfWork, int], tmp_path: Path, payload: Callable[[], bytes]
) -> None:
    good = indicator_workbook(tmp_path / "bon.xlsx")
    bad = with_member(good, tmp_path / "mauvais.xlsx", "xl/sharedStrings.xml", payload())
    with pytest.raises(DomainError, match="DOCTYPE, ENTITY"):
        read_table(bad)
    uow, project_id = project
    sheet = survey.export_entry_sheet(uow, project_id, tmp_path / "saisie.xlsx", rows=3)
    bad_sheet = with_member(sheet, tmp_path / "saisie-mauvaise.xlsx", "xl/sharedStrings.xml", payload())
    before = table_counts(uow)
    with pytest.raises(DomainError, match="DOCTYPE, ENTITY"):
        survey.import_entry_sheet(uow, project_id, bad_sheet)
    assert table_counts(uow) == before


def test_defusedxml_guards_openpyxl_too(tmp_path: Path) -> None:
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML  # installed (pyproject dependency) and used by openpyxl
    from defusedxml import EntitiesForbidden

    good = indicator_workbook(tmp_path / "bon.xlsx")
    with zipfile.ZipFile(good) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    hostile = b'<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>' + sheet.replace(b"Indicateur", b"&xxe;")
    bad = with_member(good, tmp_path / "mauvais.xlsx", "xl/worksheets/sheet1.xml", hostile)
    with pytest.raises(ValueError) as caught:  # openpyxl alone, without our own check first
        openpyxl.load_workbook(bad)
    assert isinstance(caught.value.__cause__ or caught.value.__context__, EntitiesForbidden)
    with pytest.raises(DomainError, match="DOCTYPE, ENTITY"):
        read_table(bad)


def test_a_decompression_bomb_is_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tabular, "MAX_WORKBOOK_BYTES", 50_000)
    good = indicator_workbook(tmp_path / "bon.xlsx")
    bomb = with_member(good, tmp_path / "bombe.xlsx", "xl/media/vide.bin", b"\0" * 100_000)
    with pytest.raises(DomainError, match="anormalement volumineux"):
        read_table(bomb)


def set_identification_column(path: Path, value: object) -> Path:
    workbook = openpyxl.load_workbook(path)
    ident = workbook[survey.ID_SHEET]
    for row in ident.iter_rows():
        if row[0].value == "Colonne":
            ident.cell(row=row[0].row + 1, column=1, value=value)
            break
    workbook.save(path)
    return path


@pytest.mark.parametrize("column", [0, -3, 10**9, "B", 2.5e300])
def test_an_entry_sheet_pointing_to_a_wrong_column_is_refused(
    project: tuple[UnitOfWork, int], tmp_path: Path, column: object
) -> None:
    uow, project_id = project
    path = survey.export_entry_sheet(uow, project_id, tmp_path / "saisie.xlsx", rows=3)
    set_identification_column(path, column)
    before = table_counts(uow)
    with pytest.raises(DomainError, match="identification"):
        survey.import_entry_sheet(uow, project_id, path)
    assert table_counts(uow) == before


def test_messages_never_repeat_a_whole_cell(project: tuple[UnitOfWork, int], tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("Indicateur;Territoire;Unité\nA;" + "9x" * 900_000 + ";taux pour 100 000\n", encoding="utf-8")
    table = read_table(path)
    preview = indicators.prepare_import(table, guess_mapping(table.headers))
    (line, message), *_ = preview.errors
    assert line == 2 and len(message) <= MAX_MESSAGE_CHARS and "[…]" in message
    assert len(DomainError("x" * 10**7).message) <= MAX_MESSAGE_CHARS


@pytest.mark.parametrize("index", [-1, -100, 10**9])
def test_mapped_columns_out_of_range_give_empty_cells_not_crashes(
    project: tuple[UnitOfWork, int], refdata: RefData, tmp_path: Path, index: int
) -> None:
    uow, _ = project
    table = read_table(EXAMPLES / "professionnels-exemple.csv")
    rows, errors = offer.prepare_professionals(table, {"profession": 0, "last_name": index}, refdata)
    assert rows and all(row["last_name"] == "" for row in rows)
    indicator_table = read_table(EXAMPLES / "indicateurs-ors-exemple.csv")
    mapping = {**guess_mapping(indicator_table.headers), "source": index}
    assert not indicators.prepare_import(indicator_table, mapping).errors
    travel = tmp_path / "trajets.csv"
    travel.write_text("Départ;Arrivée;Minutes\n89419;89079;12\n", encoding="utf-8")
    saved, errors = offer.import_travel_times(
        uow, project[1], read_table(travel), {"origin": 0, "destination": index, "minutes": 2}, refdata
    )
    assert saved == 0 and errors and "inconnue" in errors[0][1]


# --- the mutation fuzz ----------------------------------------------------------------------------

SPECIAL_VALUES = ["", "0", "-1", "99999", "1e999", "NaN", "-0", "1e300", "=1+1", '"', '""', ";", "|", "\0",
                  "\t", "é", "\u202f", "\ufeff", "x" * 5000, "12,5", "2030", "Toucy", "58227", "Infirmier",
                  "Oui", "Non", "Médecin généraliste", "-2030"]  # fmt: skip


def mutate_text(data: bytes, generator: random.Random) -> bytes:
    """A few random edits of a text file: bytes, lines, special values, encodings, truncation."""
    buffer = bytearray(data)
    for _ in range(generator.randint(1, 4)):
        choice = generator.randrange(9)
        position = generator.randrange(len(buffer) + 1)
        if choice == 0 and buffer:
            buffer[min(position, len(buffer) - 1)] ^= 1 << generator.randrange(8)
        elif choice == 1:
            buffer[position:position] = generator.choice(SPECIAL_VALUES).encode(generator.choice(["utf-8", "cp1252"]),
                                                                                 errors="replace")  # fmt: skip
        elif choice == 2:
            del buffer[position : position + generator.randint(1, 40)]
        elif choice == 3:
            lines = bytes(buffer).split(b"\n")
            index = generator.randrange(len(lines))
            lines.insert(index, lines[generator.randrange(len(lines))])
            buffer = bytearray(b"\n".join(lines))
        elif choice == 4:
            buffer = buffer[: generator.randrange(len(buffer) + 1)]
        elif choice == 5:
            lines = bytes(buffer).split(b"\n")
            index = generator.randrange(len(lines))
            lines[index] = lines[index].decode("utf-8", errors="replace").encode("cp1252", errors="replace")
            buffer = bytearray(b"\n".join(lines))
        elif choice == 6:
            buffer[position:position] = bytes(generator.randrange(256) for _ in range(generator.randint(1, 20)))
        elif choice == 7:
            lines = bytes(buffer).split(b"\n")
            index = generator.randrange(len(lines))
            cells = lines[index].split(b";")
            cells[generator.randrange(len(cells))] = generator.choice(SPECIAL_VALUES).encode()
            lines[index] = b";".join(cells)
            buffer = bytearray(b"\n".join(lines))
        else:
            buffer[position:position] = b"\r\n" if generator.random() < 0.5 else b'"'
    return bytes(buffer)


def random_mapping(mapping: dict[str, int], generator: random.Random) -> dict[str, int]:
    if generator.random() < 0.8 or not mapping:
        return mapping
    changed = dict(mapping)
    key = generator.choice(sorted(changed))
    changed[key] = generator.choice([-1, 0, 1, 2, 7, 10**6])
    return changed


class Fuzz:
    """One importer under fuzz: ``run(path, generator)`` imports a mutated file."""

    def __init__(self, uow: UnitOfWork, project_id: int, refdata: RefData, tmp_path: Path) -> None:
        self.uow, self.project_id, self.refdata, self.tmp_path = uow, project_id, refdata, tmp_path

    def indicators(self, data: bytes, generator: random.Random) -> str:
        path = self.tmp_path / generator.choice(["indicateurs.csv", "indicateurs.txt", "indicateurs.tsv"])
        path.write_bytes(data)
        table = read_table(path)
        preview = indicators.prepare_import(table, random_mapping(guess_mapping(table.headers), generator),
                                            default_unit="taux pour 100 000")  # fmt: skip
        if preview.errors:
            return "refused"
        indicators.import_indicators(self.uow, self.project_id, preview)
        return "result"

    def professionals(self, data: bytes, generator: random.Random) -> str:
        path = self.tmp_path / "professionnels.csv"
        path.write_bytes(data)
        table = read_table(path)
        mapping = {"profession": 0, "last_name": 1, "first_name": 2, "commune": 3, "age": 4, "fte": 5}
        rows, errors = offer.prepare_professionals(table, random_mapping(mapping, generator), self.refdata)
        if errors:
            return "refused"
        offer.import_professionals(self.uow, self.project_id, rows)
        return "result"

    def travel_times(self, data: bytes, generator: random.Random) -> str:
        path = self.tmp_path / "trajets.csv"
        path.write_bytes(data)
        mapping = random_mapping({"origin": 0, "destination": 1, "minutes": 2}, generator)
        _saved, errors = offer.import_travel_times(self.uow, self.project_id, read_table(path), mapping, self.refdata)
        return "refused" if errors else "result"

    def rpps(self, data: bytes, generator: random.Random) -> str:
        path = self.tmp_path / "rpps.txt"
        path.write_bytes(data)
        offer.import_rpps(self.uow, self.project_id, path, self.refdata)
        return "result"

    def project_file(self, data: bytes, generator: random.Random) -> str:
        path = self.tmp_path / "projet.santeloc"
        path.write_bytes(data)
        project_file_svc.import_project(self.uow, path)
        return "result"

    def entry_sheet(self, data: bytes, generator: random.Random) -> str:
        path = self.tmp_path / "saisie.xlsx"
        path.write_bytes(data)
        survey.import_entry_sheet(self.uow, self.project_id, path, self.refdata)
        return "result"


def travel_sample() -> bytes:
    lines = ["Départ;Arrivée;Minutes"] + [f"{a};{b};{(i + 1) * 3},5" for i, (a, b) in
                                          enumerate((a, b) for a in TERRITORY for b in TERRITORY if a != b)]  # fmt: skip
    return ("\n".join(lines) + "\n").encode()


def rpps_sample(tmp_path: Path) -> bytes:
    return rpps_file(tmp_path, [rpps_line(f"1000000000{i}", f"NOM{i}") for i in range(5)]).read_bytes()


def project_file_mutation(data: bytes, generator: random.Random) -> bytes:
    """Byte edits of the archive, or value edits of its JSON re-zipped."""
    if generator.random() < 0.3:
        return mutate_text(data, generator)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        rows = json.loads(archive.read("projet.json"))
    for _ in range(generator.randint(1, 3)):
        if generator.random() < 0.15:
            manifest[generator.choice(["format_version", "schema", "format", "project"])] = generator.choice(
                [None, 1e300, -1, "1", [], {}, True, "9999", 2]
            )
            continue
        tables = [name for name, records in rows.items() if records]
        table = generator.choice(tables)
        record = generator.choice(rows[table])
        column = generator.choice(sorted(record))
        record[column] = generator.choice(
            [None, True, -1, 0, 10**30, 1.5e300, "beaucoup", "", [1], {"a": 1}, "x" * 400, "2026-13-45", "bogus"]
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("projet.json", json.dumps(rows))
    return buffer.getvalue()


def entry_sheet_mutation(data: bytes, generator: random.Random) -> bytes:
    """Cell edits of the workbook (answers, identification), or byte edits of the archive."""
    if generator.random() < 0.25:
        return mutate_text(data, generator)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook[survey.ENTRY_SHEET] if generator.random() < 0.7 else workbook[survey.ID_SHEET]
    for _ in range(generator.randint(1, 4)):
        row, column = generator.randint(1, 8), generator.randint(1, 4)
        sheet.cell(row=row, column=column, value=generator.choice(
            [None, 0, -1, 10**9, 2.5, "Oui", "Non", "Peut-être", "=1+1", "x" * 3000, "12", "1e999", "Colonne"]
        ))  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filled_entry_sheet(uow: UnitOfWork, project_id: int, tmp_path: Path) -> bytes:
    path = survey.export_entry_sheet(uow, project_id, tmp_path / "modele.xlsx", rows=6)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[survey.ENTRY_SHEET]
    for row, (number, answer, count) in enumerate([("1", "Oui", 3), ("2", "Non", 0), ("3", "Oui", 12)], start=2):
        sheet.cell(row=row, column=1, value=number)
        sheet.cell(row=row, column=2, value=answer)
        sheet.cell(row=row, column=3, value=count)
    workbook.save(path)
    return path.read_bytes()


CASES_PER_IMPORTER = 60
IMPORTERS = ["indicators", "professionals", "travel_times", "rpps", "project_file", "entry_sheet"]


def outcomes(fuzz: Fuzz, name: str, sample: bytes, mutate: Callable[[bytes, random.Random], bytes],
             seed: int) -> Iterator[str]:  # fmt: skip
    """Run the fuzz cases of one importer; yields "result" or "refused" per case, fails on anything else."""
    generator = random.Random(seed)
    run = getattr(fuzz, name)
    for case in range(CASES_PER_IMPORTER):
        data = mutate(sample, generator)
        before = table_counts(fuzz.uow)
        try:
            outcome = run(data, generator)
        except DomainError as exc:
            assert len(exc.message) <= MAX_MESSAGE_CHARS, (name, case)
            assert exc.message.strip() and "Traceback" not in exc.message, (name, case, exc.message)
            assert table_counts(fuzz.uow) == before, (name, case, "partial write", exc.message)
            yield "refused"
        except Exception as exc:
            (fuzz.tmp_path / f"crash-{name}-{case}.bin").write_bytes(data)
            pytest.fail(f"{name} case {case} (seed {seed}): {type(exc).__name__}: {str(exc)[:300]}")
        else:
            if outcome == "refused":
                assert table_counts(fuzz.uow) == before, (name, case, "partial write")
            yield outcome


@pytest.mark.parametrize("name", IMPORTERS)
def test_importers_under_mutation_fuzz(
    project: tuple[UnitOfWork, int], refdata: RefData, tmp_path: Path, name: str
) -> None:
    uow, project_id = project
    fuzz = Fuzz(uow, project_id, refdata, tmp_path)
    mutate: Callable[[bytes, random.Random], bytes] = mutate_text
    if name == "indicators":
        sample = (EXAMPLES / "indicateurs-ors-exemple.csv").read_bytes()
    elif name == "professionals":
        sample = (EXAMPLES / "professionnels-exemple.csv").read_bytes()
    elif name == "travel_times":
        sample = travel_sample()
    elif name == "rpps":
        sample = rpps_sample(tmp_path)
    elif name == "project_file":
        indicators.add_constat(uow, project_id, "Peu de médecins", "Relevé en réunion")
        sample = project_file_svc.export_project(uow, project_id, tmp_path / "source.santeloc").read_bytes()
        mutate = project_file_mutation
    else:
        sample = filled_entry_sheet(uow, project_id, tmp_path)
        mutate = entry_sheet_mutation
    seed = 1700 + IMPORTERS.index(name)
    results = list(outcomes(fuzz, name, sample, mutate, seed))
    assert len(results) == CASES_PER_IMPORTER
    assert "refused" in results  # the mutations do reach the checks
    print(f"{name}: {results.count('result')} imported, {results.count('refused')} refused in French, 0 crashes")
