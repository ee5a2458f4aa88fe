"""Use cases of steps 2 and 3: professionals, establishments, RPPS import, accessibility measures."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select
from sqlmodel import col

from santeloc.analysis.tabular import RawTable
from santeloc.domain.errors import ConflictError, NotFoundError, ValidationError
from santeloc.domain.indicators import parse_french_number
from santeloc.domain.models import (
    AccessMeasure,
    Establishment,
    Professional,
    TravelTime,
)
from santeloc.domain.professions import (
    ESTABLISHMENT_LABELS,
    PROFESSIONS_BY_KEY,
    check_professional,
    parse_profession,
    profession_or_other,
)
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import Commune, RefData
from santeloc.services.projects import touch_project as _touch
from santeloc.services.rpps import RPPS_COLUMNS, RppsReport, import_rpps

# The RPPS import lives in services.rpps; the step's pages reach it through this module.
__rpps__ = (RPPS_COLUMNS, RppsReport, import_rpps)

Progress = Callable[[int, int], bool]

# The guide's four measures of accessibility, typed by the user (step 3).
ACCESS_MEASURES: tuple[tuple[str, str, str], ...] = (
    ("delai_rdv_generaliste", "Délai moyen pour un rendez-vous chez un médecin généraliste", "jours"),
    ("delai_rdv_specialiste", "Délai moyen pour un rendez-vous chez un spécialiste", "jours"),
    ("pdsa_soirs", "Permanence des soins assurée en soirée (jours sur 7)", "jours"),
    ("pdsa_weekend", "Permanence des soins le week-end (samedi après-midi, dimanche)", "oui = 1 / non = 0"),
    ("part_c2s", "Part des bénéficiaires de la complémentaire santé solidaire (C2S)", "%"),
    ("part_secteur_1", "Part des médecins spécialistes en secteur 1", "%"),
)
ACCESS_LABELS = {key: label for key, label, _unit in ACCESS_MEASURES}

PROFESSIONAL_FIELDS = {
    "rpps", "last_name", "first_name", "profession", "speciality", "commune_code", "secondary_commune_code",
    "birth_year", "practice_mode", "sector", "fte", "retirement_date", "notes",
    "wants_group_practice", "wants_pluriprofessional", "owns_premises", "ready_to_move", "horizon",
    "conditions", "is_leader", "commitment_status",
}  # fmt: skip


@dataclass(frozen=True)
class ProfessionalRow:
    """A professional of the registry as the step shows it."""

    id: int
    rpps: str
    last_name: str
    first_name: str
    profession: str
    speciality: str
    commune_code: str
    secondary_commune_code: str
    birth_year: int | None
    practice_mode: str
    sector: int | None
    fte: float | None
    retirement_date: date | None
    notes: str
    version: int

    @property
    def profession_label(self) -> str:
        """French label of the profession."""
        profession = PROFESSIONS_BY_KEY.get(self.profession)
        return profession.label if profession else self.profession

    @property
    def name(self) -> str:
        """First and last name, or the RPPS number when unnamed."""
        named = " ".join(part for part in (self.first_name, self.last_name) if part)
        return named or (f"RPPS {self.rpps}" if self.rpps.strip() else "(sans nom)")

    def age(self, year: int) -> int | None:
        """Age in ``year`` (None when the birth year is unknown)."""
        return year - self.birth_year if self.birth_year else None


@dataclass(frozen=True)
class EstablishmentRow:
    """An establishment or service."""

    id: int
    kind: str
    name: str
    commune_code: str
    finess: str
    notes: str

    @property
    def kind_label(self) -> str:
        """French label of the kind."""
        return ESTABLISHMENT_LABELS.get(self.kind, self.kind)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return (
        "".join(c for c in decomposed if not unicodedata.combining(c))
        .upper()
        .replace("-", " ")
        .replace("'", " ")
        .strip()
    )


def _row(p: Professional) -> ProfessionalRow:
    return ProfessionalRow(
        p.id or 0, p.rpps, p.last_name, p.first_name, p.profession, p.speciality, p.commune_code,
        p.secondary_commune_code, p.birth_year, p.practice_mode, p.sector, p.fte, p.retirement_date, p.notes, p.version,
    )  # fmt: skip


# --- professionals ---------------------------------------------------------------------------


def list_professionals(uow: UnitOfWork, project_id: int) -> list[ProfessionalRow]:
    """The registry, by profession then name."""
    with uow:
        rows = (
            uow.session.execute(
                select(Professional)
                .where(col(Professional.project_id) == project_id)
                .order_by(col(Professional.profession), col(Professional.last_name), col(Professional.id))
            )
            .scalars()
            .all()
        )
        return [_row(p) for p in rows]


def _validate(values: dict[str, object], refdata: RefData, today: date) -> None:
    if str(values.get("profession", "")) not in PROFESSIONS_BY_KEY:
        parse_profession(str(values.get("profession", "")))
    for key in ("commune_code", "secondary_commune_code"):
        code = str(values.get(key) or "")
        if code and code not in refdata.communes:
            raise ValidationError(f"Commune inconnue des données de référence : code INSEE « {code} ».")
    check_professional(
        birth_year=values.get("birth_year"),  # type: ignore[arg-type]
        fte=values.get("fte"),  # type: ignore[arg-type]
        sector=values.get("sector"),  # type: ignore[arg-type]
        today_year=today.year,
    )


def _check_rpps_unique(uow: UnitOfWork, project_id: int, rpps: str, except_id: int | None = None) -> None:
    if not rpps:
        return
    query = select(col(Professional.id)).where(
        col(Professional.project_id) == project_id, col(Professional.rpps) == rpps
    )
    if except_id is not None:
        query = query.where(col(Professional.id) != except_id)
    if uow.session.execute(query).first() is not None:
        raise ValidationError(f"Le numéro RPPS {rpps} figure déjà dans le registre du projet.")


def add_professional(uow: UnitOfWork, project_id: int, refdata: RefData, **values: object) -> int:
    """Add a professional after checking profession, communes, age, FTE and RPPS number."""
    wrong = set(values) - PROFESSIONAL_FIELDS
    if wrong:
        raise ValueError(sorted(wrong))
    if "profession" in values and str(values["profession"]) not in PROFESSIONS_BY_KEY:
        values["profession"] = parse_profession(str(values["profession"])).key
    values.setdefault("profession", "medecin_generaliste")
    _validate(values, refdata, date.today())
    with uow:
        _touch(uow, project_id)
        _check_rpps_unique(uow, project_id, str(values.get("rpps") or ""))
        professional = Professional(project_id=project_id, **values)  # type: ignore[arg-type]
        uow.session.add(professional)
        uow.commit()
        assert professional.id is not None
        return professional.id


def update_professional(
    uow: UnitOfWork, professional_id: int, expected_version: int | None, refdata: RefData, **changes: object
) -> int:
    """Change a professional; refused if someone saved it since ``expected_version``."""
    wrong = set(changes) - PROFESSIONAL_FIELDS
    if wrong:
        raise ValueError(sorted(wrong))
    if "profession" in changes and str(changes["profession"]) not in PROFESSIONS_BY_KEY:
        changes["profession"] = parse_profession(str(changes["profession"])).key
    with uow:
        professional = uow.session.get(Professional, professional_id)
        if professional is None:
            raise NotFoundError("Ce professionnel n'est plus dans le registre (supprimé depuis un autre poste ?).")
        if expected_version is not None and professional.version != expected_version:
            raise ConflictError(
                "Cette fiche a été modifiée par quelqu'un d'autre depuis son affichage. Rien n'a été écrasé : "
                "les données à jour ont été rechargées."
            )
        merged = {key: getattr(professional, key) for key in PROFESSIONAL_FIELDS} | changes
        _validate(merged, refdata, date.today())
        if "rpps" in changes:
            _check_rpps_unique(uow, professional.project_id, str(changes["rpps"] or ""), professional_id)
        for key, value in changes.items():
            setattr(professional, key, value)
        uow.session.add(professional)
        _touch(uow, professional.project_id)
        uow.commit()
        return professional.version


def delete_professionals(uow: UnitOfWork, ids: Iterable[int]) -> None:
    """Remove professionals from the registry."""
    wanted = list(ids)
    with uow:
        rows = uow.session.execute(select(Professional).where(col(Professional.id).in_(wanted))).scalars().all()
        for row in rows:
            _touch(uow, row.project_id)
        uow.session.execute(delete(Professional).where(col(Professional.id).in_(wanted)))
        uow.commit()


# --- imports ---------------------------------------------------------------------------------

IMPORT_FIELDS: tuple[tuple[str, str], ...] = (
    ("profession", "Profession"),
    ("last_name", "Nom"),
    ("first_name", "Prénom"),
    ("rpps", "Numéro RPPS"),
    ("commune", "Commune d'exercice (code INSEE ou nom)"),
    ("birth_year", "Année de naissance"),
    ("age", "Âge"),
    ("fte", "Équivalent temps plein"),
    ("sector", "Secteur"),
    ("retirement_year", "Année de départ annoncée"),
)


def commune_candidates(text: str, refdata: RefData, territory: Collection[str] = ()) -> list[Commune]:
    """The communes called exactly ``text`` (accents and case aside): the territory's first, then the largest.

    A professional's commune typed by name may be ambiguous ("Saint-Privé" in the Yonne and in
    Saône-et-Loire): the user picks among these rather than looking up an INSEE code.
    """
    value = text.strip()
    matches = [c for c in refdata.search(value, 50) if _plain(c.name) == _plain(value)]
    inside = set(territory)
    return sorted(matches, key=lambda c: (c.code not in inside, -(c.population or 0)))


def resolve_commune(text: str, refdata: RefData) -> str:
    """INSEE code of a commune given by its code or its exact name (accents and case aside)."""
    value = text.strip()
    if value.upper() in refdata.communes:
        return value.upper()
    matches = commune_candidates(value, refdata)
    if len(matches) == 1:
        return matches[0].code
    if len(matches) > 1:
        raise ValidationError(f"plusieurs communes s'appellent « {value} » : donnez le code INSEE")
    raise ValidationError(f"commune « {value} » inconnue")


def prepare_professionals(
    table: RawTable, mapping: dict[str, int], refdata: RefData, *, today: date | None = None
) -> tuple[list[dict[str, object]], list[tuple[int, str]]]:
    """Check every row of a professionals table; (rows ready to save, errors by line)."""
    today = today or date.today()
    if "profession" not in mapping:
        raise ValidationError("Indiquez la colonne qui contient la profession.")
    rows: list[dict[str, object]] = []
    errors: list[tuple[int, str]] = []
    seen: dict[str, int] = {}

    def cell(raw: list[str], key: str) -> str:
        index = mapping.get(key)
        return raw[index].strip() if index is not None and 0 <= index < len(raw) else ""

    for raw in table.rows:
        try:
            profession, other_label = profession_or_other(cell(raw.cells, "profession"))
            values: dict[str, object] = {
                "profession": profession.key,
                "speciality": other_label,
                "last_name": cell(raw.cells, "last_name")[:120],
                "first_name": cell(raw.cells, "first_name")[:120],
                "rpps": cell(raw.cells, "rpps")[:20],
            }
            commune = cell(raw.cells, "commune")
            values["commune_code"] = resolve_commune(commune, refdata) if commune else ""
            for key in ("birth_year", "age", "fte", "sector", "retirement_year"):
                text = cell(raw.cells, key)
                number = parse_french_number(text) if text else None
                if number is not None and not math.isfinite(number):
                    raise ValidationError(f"nombre illisible « {text[:40]} »")
                if key == "age" and number is not None:
                    if not 18 <= number <= 90:
                        raise ValidationError(f"âge {number:g} invraisemblable")
                    values["birth_year"] = today.year - int(number)
                elif key == "retirement_year" and number is not None:
                    if not 1950 <= number <= today.year + 60 or number != int(number):
                        raise ValidationError(
                            f"année de départ {text[:20]} invraisemblable (de 1950 à {today.year + 60})"
                        )
                    values["retirement_date"] = date(int(number), 12, 31)
                elif key in ("birth_year", "sector") and number is not None:
                    values[key] = int(number)
                elif key == "fte":
                    values["fte"] = number
            check_professional(
                birth_year=values.get("birth_year"),  # type: ignore[arg-type]
                fte=values.get("fte"),  # type: ignore[arg-type]
                sector=values.get("sector"),  # type: ignore[arg-type]
                today_year=today.year,
            )
            rpps = str(values["rpps"])
            if rpps:
                if rpps in seen:
                    raise ValidationError(f"numéro RPPS {rpps} déjà vu ligne {seen[rpps]}")
                seen[rpps] = raw.line
            rows.append(values)
        except ValidationError as exc:
            errors.append((raw.line, exc.message))
    return rows, errors


def import_professionals(uow: UnitOfWork, project_id: int, rows: Sequence[dict[str, object]]) -> int:
    """Save checked rows in one transaction; a number already in the registry refuses them all."""
    with uow:
        _touch(uow, project_id)
        existing = set(
            uow.session.execute(
                select(col(Professional.rpps)).where(
                    col(Professional.project_id) == project_id, col(Professional.rpps) != ""
                )
            ).scalars()
        )
        clash = [str(r["rpps"]) for r in rows if r.get("rpps") and r["rpps"] in existing]
        if clash:
            raise ValidationError(
                f"{len(clash)} numéro(s) RPPS déjà dans le registre ({', '.join(clash[:5])}) : rien n'a été importé."
            )
        for values in rows:
            uow.session.add(Professional(project_id=project_id, **values))  # type: ignore[arg-type]
        uow.commit()
    return len(rows)


# --- establishments --------------------------------------------------------------------------


def list_establishments(uow: UnitOfWork, project_id: int) -> list[EstablishmentRow]:
    """Establishments and services, by kind then name."""
    with uow:
        rows = (
            uow.session.execute(
                select(Establishment)
                .where(col(Establishment.project_id) == project_id)
                .order_by(col(Establishment.kind), col(Establishment.name))
            )
            .scalars()
            .all()
        )
        return [EstablishmentRow(e.id or 0, e.kind, e.name, e.commune_code, e.finess, e.notes) for e in rows]


def add_establishment(
    uow: UnitOfWork,
    project_id: int,
    refdata: RefData,
    *,
    kind: str,
    name: str,
    commune_code: str = "",
    finess: str = "",
    notes: str = "",
) -> int:
    """Add an establishment or service."""
    if kind not in ESTABLISHMENT_LABELS:
        raise ValidationError(f"Type d'établissement inconnu : « {kind} ».")
    if not name.strip():
        raise ValidationError("Donnez un nom à l'établissement.")
    if commune_code and commune_code not in refdata.communes:
        raise ValidationError(f"Commune inconnue des données de référence : code INSEE « {commune_code} ».")
    if (finess and not (finess.isdigit() or (finess[:2] in ("2A", "2B") and finess[2:].isdigit()))) or len(
        finess
    ) not in (0, 9):
        raise ValidationError(f"Numéro FINESS « {finess} » invalide : 9 caractères, par exemple 580000000.")
    with uow:
        _touch(uow, project_id)
        row = Establishment(
            project_id=project_id,
            kind=kind,
            name=name.strip()[:300],
            commune_code=commune_code,
            finess=finess,
            notes=notes,
        )
        uow.session.add(row)
        uow.commit()
        assert row.id is not None
        return row.id


def delete_establishment(uow: UnitOfWork, establishment_id: int) -> None:
    """Remove an establishment."""
    with uow:
        row = uow.session.get(Establishment, establishment_id)
        if row is not None:
            _touch(uow, row.project_id)
            uow.session.delete(row)
            uow.commit()


# --- accessibility measures ------------------------------------------------------------------


def list_measures(uow: UnitOfWork, project_id: int) -> dict[str, AccessMeasureRow]:
    """The guide's accessibility measures the user has filled in, by key."""
    with uow:
        rows = (
            uow.session.execute(select(AccessMeasure).where(col(AccessMeasure.project_id) == project_id))
            .scalars()
            .all()
        )
        return {r.key: AccessMeasureRow(r.key, r.value, r.unit, r.source, r.comment) for r in rows}


@dataclass(frozen=True)
class AccessMeasureRow:
    """One measure of accessibility."""

    key: str
    value: float | None
    unit: str
    source: str
    comment: str


def set_measure(
    uow: UnitOfWork, project_id: int, key: str, value: float | None, *, source: str = "", comment: str = ""
) -> None:
    """Save one of the guide's measures (percentages between 0 and 100, nothing negative)."""
    units = {k: unit for k, _label, unit in ACCESS_MEASURES}
    if key not in units:
        raise ValueError(key)
    if value is not None and value < 0:
        raise ValidationError(f"{ACCESS_LABELS[key]} : une valeur négative n'a pas de sens.")
    if value is not None and units[key] == "%" and value > 100:
        raise ValidationError(f"{ACCESS_LABELS[key]} : un pourcentage ne dépasse pas 100.")
    with uow:
        _touch(uow, project_id)
        row = (
            uow.session.execute(
                select(AccessMeasure).where(col(AccessMeasure.project_id) == project_id, col(AccessMeasure.key) == key)
            )
            .scalars()
            .first()
        )
        if row is None:
            row = AccessMeasure(project_id=project_id, key=key, unit=units[key])
        row.value, row.source, row.comment = value, source, comment
        uow.session.add(row)
        uow.commit()


# --- imported travel times -------------------------------------------------------------------

MATRIX_FIELDS: tuple[tuple[str, str], ...] = (
    ("origin", "Commune de départ (code INSEE)"),
    ("destination", "Commune d'arrivée (code INSEE)"),
    ("minutes", "Temps de trajet (minutes)"),
)


def import_travel_times(
    uow: UnitOfWork, project_id: int, table: RawTable, mapping: dict[str, int], refdata: RefData
) -> tuple[int, list[tuple[int, str]]]:
    """Replace the project's imported travel times (e.g. INSEE METRIC), all or nothing.

    Returns (pairs saved, errors by line); with any error nothing is saved.
    """
    if set(mapping) != {key for key, _label in MATRIX_FIELDS}:
        raise ValidationError("Indiquez les trois colonnes : commune de départ, commune d'arrivée et temps en minutes.")
    pairs: dict[tuple[str, str], float] = {}
    errors: list[tuple[int, str]] = []
    for raw in table.rows:
        cells = {key: raw.cells[index].strip() if 0 <= index < len(raw.cells) else "" for key, index in mapping.items()}
        try:
            origin, destination = cells["origin"].upper(), cells["destination"].upper()
            for code in (origin, destination):
                if code not in refdata.communes:
                    raise ValidationError(f"commune « {code[:40]} » inconnue des données de référence")
            minutes = parse_french_number(cells["minutes"])
            if minutes is None or minutes < 0:
                raise ValidationError(f"temps « {cells['minutes'][:40]} » illisible ou négatif")
            previous = pairs.get((origin, destination))
            if previous is not None and previous != minutes:
                raise ValidationError(
                    f"le trajet {origin} → {destination} apparaît deux fois avec des temps différents"
                )
            pairs[(origin, destination)] = minutes
        except ValidationError as exc:
            errors.append((raw.line, exc.message))
    if errors or not pairs:
        return 0, errors or [(0, "Le fichier ne contient aucun trajet.")]
    with uow:
        _touch(uow, project_id)
        uow.session.execute(delete(TravelTime).where(col(TravelTime.project_id) == project_id))
        table_ = TravelTime.__table__  # type: ignore[attr-defined]
        records = [
            {"project_id": project_id, "origin": o, "destination": d, "minutes": m} for (o, d), m in pairs.items()
        ]
        for start in range(0, len(records), 5_000):
            uow.session.execute(table_.insert(), records[start : start + 5_000])
        uow.commit()
    return len(pairs), []


def travel_times(uow: UnitOfWork, project_id: int) -> list[tuple[str, str, float]]:
    """The imported travel times of a project (empty when none)."""
    with uow:
        return [
            (o, d, m)
            for o, d, m in uow.session.execute(
                select(col(TravelTime.origin), col(TravelTime.destination), col(TravelTime.minutes)).where(
                    col(TravelTime.project_id) == project_id
                )
            ).all()
        ]


def clear_travel_times(uow: UnitOfWork, project_id: int) -> None:
    """Forget the imported travel times (the estimate is used again)."""
    with uow:
        _touch(uow, project_id)
        uow.session.execute(delete(TravelTime).where(col(TravelTime.project_id) == project_id))
        uow.commit()
