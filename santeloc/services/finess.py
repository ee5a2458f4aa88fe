"""Import of the public FINESS extraction (etalab ``etalab-cs1100507-stock-….csv``), as published.

The file is Latin-1, semicolon-separated, without a column header: a first line
``finess;etalab;<n>;<date>``, then ``structureet`` records (one per establishment) and
``geolocalisation`` records (``geolocalisation;nofinesset;coordxet;coordyet;source;date``)
joined by FINESS number; coordinates are Lambert-93 metres for metropolitan France, converted
to WGS84. Only the territory and its surroundings are kept; categories are mapped to the
app's establishment kinds, an unknown one is kept as "autre" with its label.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from sqlalchemy import select
from sqlmodel import col

from santeloc.analysis.projection import in_metropolitan_lambert93, lambert93_to_wgs84
from santeloc.domain.errors import ValidationError
from santeloc.domain.formatting import format_int
from santeloc.domain.models import Establishment
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services.places import CommuneFinder, report_text
from santeloc.services.projects import touch_project
from santeloc.services.rpps import _project_area

# Positions in a ``structureet`` record of the etalab extraction (record type at 0).
S_FINESS, S_NAME, S_LONG_NAME, S_COMMUNE, S_DEPARTEMENT, S_ROUTING, S_CATEGORY, S_CATEGORY_LABEL = (
    1, 3, 4, 12, 13, 15, 18, 19,
)  # fmt: skip
S_WIDTH = 20
# FINESS categories (``categetab``) the app has a kind for; other categories go by their label.
CATEGORY_KINDS: dict[str, str] = {
    "101": "hopital", "355": "hopital", "106": "hopital_local", "500": "ehpad", "354": "ssiad",
    "124": "centre_sante", "603": "msp", "620": "pharmacie", "611": "laboratoire",
}  # fmt: skip
_LABEL_KINDS: tuple[tuple[str, str], ...] = (
    ("hopital local", "hopital_local"), ("ex hopital local", "hopital_local"),
    ("hebergement pour personnes agees dependantes", "ehpad"), ("ehpad", "ehpad"),
    ("soins infirmiers a domicile", "ssiad"), ("centre de sante", "centre_sante"),
    ("maison de sante", "msp"), ("pharmacie", "pharmacie"), ("laboratoire", "laboratoire"),
    ("aide et d accompagnement a domicile", "aide_domicile"), ("aide a domicile", "aide_domicile"),
    ("information et de coordination", "clic"), ("centre hospitalier", "hopital"), ("hopital", "hopital"),
    ("clinique", "hopital"), ("radiologie", "radiologie"), ("imagerie", "radiologie"),
)  # fmt: skip
# FINESS département codes of the overseas départements ("9A" Guadeloupe… "9F" Mayotte).
_OVERSEAS = {"9A": "971", "9B": "972", "9C": "973", "9D": "974", "9F": "976"}


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(bare.replace("'", " ").replace("-", " ").replace(".", " ").split())


def establishment_kind(category: str, label: str) -> str:
    """The app's kind of a FINESS category; "autre" when none fits (the label is then kept).

    The label the file gives decides first (it is what the user reads); the code only when
    the label says nothing the app knows.
    """
    plain = _plain(label)
    for words, kind in _LABEL_KINDS:
        if words in plain:
            return kind
    return CATEGORY_KINDS.get(category.strip(), "autre")


def insee_code(departement: str, commune: str) -> str:
    """INSEE code from FINESS's département + 3-digit commune ("01" + "451" -> "01451", "9D" + "411" -> "97411")."""
    departement, commune = departement.strip().upper(), commune.strip()
    if not commune:
        return ""
    if departement in _OVERSEAS:
        return _OVERSEAS[departement][:2] + commune.zfill(3)
    return departement.zfill(2)[-2:] + commune.zfill(3)


@dataclass
class FinessReport:
    """What a FINESS import kept and why it left the other records aside."""

    lines: int = 0
    structures: int = 0
    geolocations: int = 0
    imported: int = 0
    already_present: int = 0
    outside: int = 0
    unresolved: list[str] = field(default_factory=list)
    unresolved_lines: int = 0
    malformed: int = 0
    other_records: int = 0
    positioned: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    kept_as_other: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        """Plain French, the same in the GUI and the command line."""
        n = format_int
        parts = [
            f"{n(self.imported)} établissement(s) importé(s) sur {n(self.structures)} établissement(s) lu(s) "
            f"({n(self.lines)} ligne(s), dont {n(self.geolocations)} de géolocalisation)"
        ]
        if self.imported:
            parts.append(f"{n(self.positioned)} avec leur position")
        if self.already_present:
            parts.append(f"{n(self.already_present)} déjà dans la liste (laissés tels quels)")
        if self.kept_as_other:
            labels = ", ".join(f"{label} ({n(c)})" for label, c in self.kept_as_other.most_common(6))
            parts.append(f"enregistrés comme « autre établissement » : {labels}")
        if self.outside:
            parts.append(f"{n(self.outside)} hors du territoire et de ses alentours")
        if self.unresolved_lines:
            parts.append(
                f"{n(self.unresolved_lines)} dont la commune est introuvable : {', '.join(self.unresolved[:6])}"
            )
        if self.malformed:
            parts.append(f"{n(self.malformed)} ligne(s) incomplète(s)")
        if self.other_records:
            parts.append(f"{n(self.other_records)} ligne(s) d'un autre type, ignorées")
        return report_text(parts)


@contextmanager
def _open(path: Path) -> Iterator[IO[str]]:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
            if len(members) != 1:
                raise ValidationError(
                    f"L'archive « {path.name} » doit contenir un seul fichier .csv : décompressez-la."
                )
            with archive.open(members[0]) as raw, io.TextIOWrapper(raw, encoding="cp1252", errors="replace") as text:
                yield text
        return
    with path.open("rb") as raw:
        head = raw.read(1 << 16)
        raw.seek(0)
        try:
            head.decode("utf-8")
            encoding = "utf-8-sig"
        except UnicodeDecodeError as exc:
            encoding = "utf-8-sig" if exc.start > len(head) - 4 else "cp1252"
        with io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="") as text:
            yield text


def import_finess(
    uow: UnitOfWork, project_id: int, path: Path, refdata: RefData, *, radius_km: float = 15.0
) -> FinessReport:
    """Import the establishments of the territory and its surroundings, all or nothing."""
    _territory, area, _people = _project_area(uow, project_id, refdata, radius_km)
    finder = CommuneFinder(refdata, area)
    with uow:
        existing = set(
            uow.session.execute(
                select(col(Establishment.finess)).where(
                    col(Establishment.project_id) == project_id, col(Establishment.finess) != ""
                )
            ).scalars()
        )
    report = FinessReport()
    kept: dict[str, dict[str, object]] = {}
    positions: dict[str, tuple[float, float]] = {}
    with _open(path) as stream:
        first = stream.readline()
        if not first.lower().startswith("finess;"):
            raise ValidationError(
                f"« {path.name} » n'est pas l'extraction FINESS d'etalab : la première ligne devrait commencer par "
                "« finess;etalab; » (fichier « etalab-cs1100507-stock-….csv » de data.gouv.fr)."
            )
        for cells in csv.reader(stream, delimiter=";"):
            if not cells or not any(cells):
                continue
            report.lines += 1
            kind = cells[0].strip().lower()
            if kind == "geolocalisation":
                report.geolocations += 1
                _position(cells, positions)
                continue
            if kind != "structureet":
                report.other_records += 1
                continue
            report.structures += 1
            if len(cells) < S_WIDTH:
                report.malformed += 1
                continue
            _structure(cells, finder, refdata, area, kept, report)
    fresh = [values for number, values in kept.items() if number not in existing]
    report.already_present = len(kept) - len(fresh)
    for values in fresh:
        position = positions.get(str(values["finess"]))
        if position is not None:
            values["longitude"], values["latitude"] = position
            report.positioned += 1
        report.kinds[str(values["kind"])] += 1
        if values["kind"] == "autre":
            report.kept_as_other[str(values.pop("_label"))] += 1
        values.pop("_label", None)
    if fresh:
        with uow:
            touch_project(uow, project_id)
            for values in fresh:
                uow.session.add(Establishment(project_id=project_id, **values))  # type: ignore[arg-type]
            uow.commit()
    report.imported = len(fresh)
    return report


def _position(cells: list[str], positions: dict[str, tuple[float, float]]) -> None:
    """Keep a geolocation record's WGS84 position (Lambert-93 records only)."""
    if len(cells) < 4:
        return
    try:
        x, y = float(cells[2].replace(",", ".")), float(cells[3].replace(",", "."))
    except ValueError:
        return
    source = cells[4].upper() if len(cells) > 4 else ""
    if ("LAMBERT_93" in source or not source) and in_metropolitan_lambert93(x, y):
        positions[cells[1].strip()] = lambert93_to_wgs84(x, y)


def _structure(
    cells: list[str],
    finder: CommuneFinder,
    refdata: RefData,
    area: set[str],
    kept: dict[str, dict[str, object]],
    report: FinessReport,
) -> None:
    """Keep one ``structureet`` record when it lies in the area."""
    code = insee_code(cells[S_DEPARTEMENT], cells[S_COMMUNE])
    commune = code if code in refdata.communes else finder.resolve(code, "", cells[S_ROUTING])
    if commune is None:
        report.unresolved_lines += 1
        place = cells[S_ROUTING].strip() or code
        if place not in report.unresolved:
            report.unresolved.append(place)
        return
    if commune not in area:
        report.outside += 1
        return
    number = cells[S_FINESS].strip()
    label = cells[S_CATEGORY_LABEL].strip()
    kind = establishment_kind(cells[S_CATEGORY], label)
    name = cells[S_LONG_NAME].strip() or cells[S_NAME].strip()
    kept[number] = {
        "kind": kind,
        "name": name[:300],
        "commune_code": commune,
        "finess": number[:12],
        "notes": f"Catégorie FINESS : {label} ({cells[S_CATEGORY].strip()})" if label else "",
        "_label": label or "catégorie inconnue",
    }
