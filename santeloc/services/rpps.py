"""Import of the public Annuaire santé (RPPS) extraction "Personne activité", as it is published.

The national file has about 2.1 million lines (one per professional *activity*), pipe-separated
with a trailing pipe, UTF-8; the Annuaire santé distributes it zipped. It is streamed line by
line with memory that does not grow with the file: only the lines of the territory and its
surroundings are kept, and every other line is counted under the reason it was left aside, so
the summary accounts for every line.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import IO

from sqlalchemy import select
from sqlmodel import col

from santeloc.analysis.place_names import FRANCE_COUNTRY
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_int
from santeloc.domain.models import Professional, TerritoryCommune
from santeloc.domain.professions import RppsProfession, classify_rpps
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services.places import CommuneFinder, report_text
from santeloc.services.projects import touch_project

Progress = Callable[[int, int], bool]

# Key -> header of the extraction. The first three are required; the others are used when present
# (newer extractions move the savoir-faire to another file and rename a few columns).
RPPS_COLUMNS = {
    "id": "Identification nationale PP",
    "last_name": "Nom d'exercice",
    "first_name": "Prénom d'exercice",
    "code": "Code profession",
    "label": "Libellé profession",
    "savoir_faire": "Libellé savoir-faire",
    "mode": "Code mode exercice",
    "commune": "Code commune (coord. structure)",
    "postal": "Code postal (coord. structure)",
    "city": "Libellé commune (coord. structure)",
    "cedex": "Bureau cedex (coord. structure)",
    "country": "Code pays (coord. structure)",
    "savoir_faire_code": "Code savoir-faire",
    "country_label": "Libellé pays (coord. structure)",
}
_REQUIRED = ("id", "code", "label")
FRANCE = FRANCE_COUNTRY
NAMES_SHOWN = 8


def _key(header: str) -> str:
    decomposed = unicodedata.normalize("NFKD", header)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


@dataclass
class RppsReport:
    """What an RPPS import kept and why it left the other lines aside (each line counted once)."""

    lines: int = 0
    kept_lines: int = 0
    imported: int = 0
    already_present: int = 0
    already_elsewhere: int = 0  # already in the registry, but the file gives another commune
    outside: int = 0
    foreign: int = 0
    other_professions: int = 0
    no_address: int = 0
    malformed: int = 0
    unresolved_lines: int = 0
    unresolved: list[str] = field(default_factory=list)
    other_labels: Counter[str] = field(default_factory=Counter)
    kept_as_other: Counter[str] = field(default_factory=Counter)

    @property
    def accounted(self) -> int:
        """Lines under one of the categories; equals ``lines`` (tested)."""
        return (
            self.kept_lines + self.outside + self.foreign + self.other_professions + self.no_address
            + self.malformed + self.unresolved_lines
        )  # fmt: skip

    def summary(self) -> str:
        """The report in plain French, the same in the GUI and the command line."""
        n = format_int
        parts = [
            f"{n(self.imported)} professionnel(s) importé(s) sur {n(self.lines)} ligne(s) lue(s) ; "
            f"{n(self.kept_lines)} ligne(s) retenue(s) sur le territoire et ses alentours"
        ]
        if self.imported == 0 and self.already_present:
            parts.insert(0, "Rien de nouveau : chaque professionnel retenu est déjà dans le registre")
        if self.already_present:
            parts.append(f"{n(self.already_present)} professionnel(s) déjà dans le registre (laissés tels quels)")
        if self.already_elsewhere:
            parts.append(
                f"{n(self.already_elsewhere)} de ces professionnel(s) exerce(nt) dans une autre commune selon le "
                "fichier (registre non modifié : vérifiez-les à l'étape 2)"
            )
        if self.kept_as_other:
            labels = ", ".join(f"{label} ({n(count)})" for label, count in self.kept_as_other.most_common(NAMES_SHOWN))
            parts.append(f"enregistrés comme « autre profession » : {labels}")
        if self.outside:
            parts.append(f"{n(self.outside)} ligne(s) hors du territoire et de ses alentours")
        if self.other_professions:
            labels = ", ".join(f"{label} ({n(count)})" for label, count in self.other_labels.most_common(NAMES_SHOWN))
            parts.append(f"{n(self.other_professions)} ligne(s) d'autres professions, non suivies : {labels}")
        if self.no_address:
            parts.append(f"{n(self.no_address)} ligne(s) sans adresse d'exercice")
        if self.foreign:
            parts.append(f"{n(self.foreign)} adresse(s) à l'étranger")
        if self.unresolved_lines:
            shown = ", ".join(self.unresolved[:NAMES_SHOWN]) + ("…" if len(self.unresolved) > NAMES_SHOWN else "")
            parts.append(f"{n(self.unresolved_lines)} ligne(s) dont la commune est introuvable : {shown}")
        if self.malformed:
            parts.append(f"{n(self.malformed)} ligne(s) incomplète(s) (sans numéro ni profession)")
        return report_text(parts)


MAX_LINE_CHARS = 16_384  # an RPPS line is under 1 kB; a longer one is not an extraction


def _capped_lines(stream: IO[str], first: int = 1) -> Iterator[str]:
    """The lines of ``stream``, each read up to :data:`MAX_LINE_CHARS` characters at most, so
    that a file of one endless line is refused at once, in French, with its number, without
    ever holding more than one capped line in memory."""
    number = first
    while True:
        line = stream.readline(MAX_LINE_CHARS + 1)
        if not line:
            return
        if len(line) > MAX_LINE_CHARS and not line.endswith(("\n", "\r")):
            raise ValidationError(
                f"La ligne {format_int(number)} du fichier dépasse {format_int(MAX_LINE_CHARS)} caractères : ce n'est pas une "
                "extraction RPPS de l'Annuaire santé (une ligne par professionnel, colonnes séparées par « | »). "
                "Rien n'a été importé."
            )
        yield line
        number += 1


def _decoded(raw: IO[bytes]) -> IO[str]:
    """UTF-8 as published; Latin-1 when a re-saved file is not UTF-8 (checked on its first 64 kB)."""
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw, 1 << 16)  # type: ignore[type-var]
    head = buffered.peek(1 << 16)[: 1 << 16]
    try:
        head.decode("utf-8")
        encoding = "utf-8-sig"
    except UnicodeDecodeError as exc:
        encoding = "utf-8-sig" if exc.start > len(head) - 4 else "cp1252"
    return io.TextIOWrapper(buffered, encoding=encoding, errors="replace", newline="")


@contextmanager
def open_extraction(path: Path) -> Iterator[tuple[IO[str], int, Callable[[], int]]]:
    """The extraction's text, its size in bytes and where the reading is, from the .txt or the .zip.

    A damaged or encrypted archive (also found while reading it) is refused in French.
    """
    try:
        with _open_extraction(path) as opened:
            yield opened
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise ValidationError(_damaged(path, exc)) from None
    except RuntimeError as exc:  # zipfile: « File … is encrypted, password required for extraction »
        if "encrypted" not in str(exc) and "password" not in str(exc):
            raise
        raise ValidationError(
            f"L'archive « {path.name} » est protégée par un mot de passe : décompressez-la vous-même et "
            "choisissez le fichier « PS_LibreAcces_Personne_activite… »."
        ) from None
    except OSError as exc:
        raise ValidationError(f"Le fichier « {path.name} » ne peut pas être lu ({exc.strerror or exc}).") from None


def _damaged(path: Path, exc: BaseException) -> str:
    detail = "fin de fichier inattendue" if isinstance(exc, EOFError) else "contrôle d'intégrité en échec"
    if isinstance(exc, NotImplementedError):
        detail = "méthode de compression non prise en charge"
    return (
        f"L'archive « {path.name} » est endommagée ou incomplète ({detail}) : téléchargez-la à nouveau, ou "
        "décompressez-la et choisissez le fichier « PS_LibreAcces_Personne_activite… ». Rien n'a été importé."
    )


@contextmanager
def _open_extraction(path: Path) -> Iterator[tuple[IO[str], int, Callable[[], int]]]:
    with path.open("rb") as head:
        starts_as_zip = head.read(4) == b"PK\x03\x04"
    if starts_as_zip and not zipfile.is_zipfile(path):  # an interrupted download: no central directory
        raise zipfile.BadZipFile("truncated")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [
                m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith((".txt", ".csv"))
            ]
            wanted = [m for m in members if "personne_activite" in m.filename.lower().replace("-", "_")]
            chosen = wanted or members
            if len(chosen) != 1:
                names = ", ".join(m.filename for m in members[:5]) or "aucun fichier texte"
                raise ValidationError(
                    f"L'archive « {path.name} » ne contient pas une seule extraction « Personne activité » "
                    f"({names}) : décompressez-la et choisissez le fichier « PS_LibreAcces_Personne_activite… »."
                )
            with archive.open(chosen[0]) as member, _decoded(member) as text:
                yield text, max(chosen[0].file_size, 1), member.tell
        return
    with path.open("rb") as raw, _decoded(raw) as text:
        yield text, max(path.stat().st_size, 1), raw.tell


def _columns(header_line: str, name: str) -> dict[str, int]:
    header = [_key(h) for h in header_line.rstrip("\r\n").split("|")]
    index = {key: header.index(_key(title)) for key, title in RPPS_COLUMNS.items() if _key(title) in header}
    if any(key not in index for key in _REQUIRED):
        raise ValidationError(
            f"« {name} » n'est pas une extraction « Personne activité » de l'Annuaire santé : colonnes "
            f"attendues « {RPPS_COLUMNS['id']} », « {RPPS_COLUMNS['code']} », « {RPPS_COLUMNS['label']} »… "
            "(séparateur « | »)."
        )
    if not any(key in index for key in ("commune", "postal", "city", "cedex")):
        raise ValidationError(
            f"« {name} » ne donne pas la commune d'exercice (colonnes « Code commune », « Code postal »…)."
        )
    return index


def _project_area(
    uow: UnitOfWork, project_id: int, refdata: RefData, radius_km: float
) -> tuple[set[str], set[str], dict[str, set[str]]]:
    with uow:
        territory = set(
            uow.session.execute(
                select(col(TerritoryCommune.insee_code)).where(col(TerritoryCommune.project_id) == project_id)
            ).scalars()
        )
        existing: dict[str, set[str]] = {}  # RPPS number -> communes the registry gives
        for rpps, *communes in uow.session.execute(
            select(
                col(Professional.rpps), col(Professional.commune_code), col(Professional.secondary_commune_code)
            ).where(col(Professional.project_id) == project_id)
        ):
            existing.setdefault(rpps, set()).update(c for c in communes if c)
    if not territory:
        raise ValidationError(
            "Choisissez d'abord les communes du territoire (étape 0) : l'import garde le territoire et ses alentours."
        )
    area = set(territory)
    for code in territory:
        area.update(c.code for c in refdata.within_km(code, radius_km))
    return territory, area, existing


def import_rpps(
    uow: UnitOfWork,
    project_id: int,
    path: Path,
    refdata: RefData,
    *,
    radius_km: float = 15.0,
    progress: Progress | None = None,
) -> RppsReport:
    """Import the Annuaire santé extraction (.txt or .zip), keeping the territory and its surroundings.

    A person with two practice sites gets a secondary commune. Professionals already in the
    registry (same number) are left as they are. Everything is saved in one transaction at the
    end, so a cancelled or failed import saves nothing.
    """
    territory, area, existing = _project_area(uow, project_id, refdata, radius_km)
    finder = CommuneFinder(refdata, area)
    report = RppsReport()
    people: dict[str, dict[str, object]] = {}
    professions: dict[tuple[str, str, str, str], RppsProfession] = {}
    unresolved: set[str] = set()
    france_seen: set[tuple[str, str]] = set()
    with open_extraction(path) as (stream, size, position):
        lines_read = _capped_lines(stream)
        index = _columns(next(lines_read, ""), path.name)
        width = max(index.values()) + 1
        required = max(index[key] for key in _REQUIRED) + 1
        # One itemgetter for every cell the import reads; a column the file lacks reads the
        # empty cell appended at the end of each line.
        keys = list(RPPS_COLUMNS)
        pick = itemgetter(*(index.get(key, -1) for key in keys))
        places: dict[tuple[str, str, str, str], str | None] = {}
        lines = 0
        for line in lines_read:
            lines += 1
            if progress is not None and lines % 20_000 == 0 and not progress(min(position(), size - 1), size):
                raise ValidationError("Import annulé : rien n'a été enregistré.")
            parts = line.rstrip("\r\n").split("|")
            if len(parts) < width:
                if not line.strip():
                    lines -= 1  # a blank line is no line of the file
                    continue
                if len(parts) < required:
                    report.malformed += 1
                    continue
                parts.extend([""] * (width - len(parts)))  # trailing empty cells left out by a re-saved file
            parts.append("")
            (
                rpps, last_name, first_name, code, label, savoir_faire, mode,
                commune_code, postal, city, cedex, country, sf_code, country_label,
            ) = pick(parts)  # fmt: skip
            if (country or country_label) and not _in_france(country, country_label, france_seen):
                report.foreign += 1
                continue
            key = (code, label, savoir_faire, sf_code)
            kind = professions.get(key)
            if kind is None:
                kind = professions[key] = classify_rpps(code, label, savoir_faire.strip(), sf_code)
            if kind.profession is None:
                report.other_professions += 1
                report.other_labels[kind.label] += 1
                continue
            where = (commune_code, postal, city, cedex)
            if where in places:
                commune = places[where]
            else:
                commune = places[where] = _place(finder, commune_code, postal, city, cedex)
            if commune is None:
                if not (commune_code.strip() or postal.strip() or city.strip() or cedex.strip()):
                    report.no_address += 1
                    continue
                report.unresolved_lines += 1
                place = " ".join(part.strip() for part in (postal, city or cedex) if part.strip()) or commune_code
                if place not in unresolved and len(unresolved) < 500:
                    unresolved.add(place)
                    report.unresolved.append(place)
                continue
            if commune not in area:
                report.outside += 1
                continue
            report.kept_lines += 1
            _keep(people, rpps.strip(), (last_name, first_name, savoir_faire, mode), kind, commune, territory)
        report.lines = lines
    if progress is not None:
        progress(size, size)
    fresh = [values for rpps, values in people.items() if rpps not in existing]
    report.already_present = len(people) - len(fresh)
    report.already_elsewhere = sum(
        1
        for rpps, values in people.items()
        if rpps in existing and existing[rpps] and values["commune_code"] not in existing[rpps]
    )
    report.kept_as_other = Counter(str(v["speciality"]) for v in fresh if v["profession"] == "autre")
    if fresh:
        # One checked template row, then a bulk insert: thousands of rows in one statement.
        template = Professional(project_id=project_id, profession="autre").model_dump(exclude={"id"})
        records = [{**template, **values} for values in fresh]
        table = Professional.__table__  # type: ignore[attr-defined]
        with uow:
            touch_project(uow, project_id)
            for start in range(0, len(records), 2_000):
                uow.session.execute(table.insert(), records[start : start + 2_000])
            uow.commit()
    report.imported = len(fresh)
    return report


def _in_france(country: str, country_label: str, seen: set[tuple[str, str]]) -> bool:
    """Whether a line's country (code and label) is France; "99000", "99100", "FR", "France"…"""
    if (country, country_label) in seen:
        return True
    label = _key(country_label)
    french = label in ("france", "france metropolitaine") if label else country.strip().upper() in FRANCE
    if french:
        seen.add((country, country_label))
    return french


def _place(finder: CommuneFinder, code: str, postal: str, city: str, cedex: str) -> str | None:
    """The commune of a line: INSEE code, else postal code + town name, else the cedex office."""
    if not (code.strip() or postal.strip() or city.strip() or cedex.strip()):
        return None
    found = finder.resolve(code, postal, city or cedex)
    if found is None and city.strip() and cedex.strip():
        found = finder.resolve("", postal, cedex)
    return found


def _keep(
    people: dict[str, dict[str, object]],
    rpps: str,
    cells: tuple[str, str, str, str],
    kind: RppsProfession,
    commune: str,
    territory: set[str],
) -> None:
    """Add the line's person, or its second practice site (the one inside the territory first)."""
    assert kind.profession is not None
    last_name, first_name, savoir_faire, mode = (cell.strip() for cell in cells)
    person = people.get(rpps)
    if person is None:
        other = kind.profession.key == "autre"
        people[rpps] = {
            "rpps": rpps[:20],
            "last_name": last_name.title()[:120],
            "first_name": first_name.title()[:120],
            "profession": kind.profession.key,
            "speciality": (kind.label if other else savoir_faire)[:120],
            "commune_code": commune,
            "practice_mode": "salarie" if mode == "S" else "",
        }
    elif not person.get("secondary_commune_code") and person["commune_code"] != commune:
        if person["commune_code"] not in territory and commune in territory:
            person["secondary_commune_code"], person["commune_code"] = person["commune_code"], commune
        else:
            person["secondary_commune_code"] = commune
