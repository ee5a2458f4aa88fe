"""Use cases of step 1: health-status indicators, their import, constats and the population."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import bindparam, delete, func, select
from sqlmodel import col

from santeloc.analysis.indicators import Comparison, SmrResult, compare, standardised_ratio
from santeloc.analysis.tabular import RawTable
from santeloc.analysis.wide_tables import parse_period
from santeloc.domain.errors import ConflictError, NotFoundError, ValidationError
from santeloc.domain.formatting import plural
from santeloc.domain.indicators import CATALOGUE, THEMES, Unit, parse_french_number, parse_unit, validate_value
from santeloc.domain.models import Constat, IndicatorValue, PopulationAgeGroup, ProjectSetting
from santeloc.persistence.uow import UnitOfWork
from santeloc.services.projects import touch_project as _project

THEME_LABELS = dict(THEMES)
UNIT_VALUES = frozenset(unit.value for unit in Unit)
CATALOGUE_BY_KEY = {definition.key: definition for definition in CATALOGUE}

# Fields an imported column may fill, with their French names (column-mapping step).
IMPORT_FIELDS: tuple[tuple[str, str], ...] = (
    ("label", "Indicateur (libellé)"),
    ("value_territory", "Valeur du territoire"),
    ("value_departement", "Valeur du département"),
    ("value_region", "Valeur de la région"),
    ("value_france", "Valeur France"),
    ("year", "Année"),
    ("unit", "Unité"),
    ("source", "Source"),
    ("theme", "Thème"),
    ("observed", "Effectif observé"),
    ("expected", "Effectif attendu"),
)
VALUE_FIELDS = ("value_territory", "value_departement", "value_region", "value_france")
REFERENCE_FIELDS = (("value_departement", "département"), ("value_region", "région"), ("value_france", "France"))


@dataclass(frozen=True)
class IndicatorRow:
    """An indicator as the step shows it, with what the app computes from it."""

    id: int
    theme: str
    code: str
    label: str
    unit: str
    year: int | None
    source: str
    value_territory: float | None
    value_departement: float | None
    value_region: float | None
    value_france: float | None
    observed: float | None
    expected: float | None
    comment: str
    version: int
    constat_id: int | None
    labels: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    period: str = ""  # "2015-2019" when the value covers several years (``year`` is then the last)

    @property
    def year_label(self) -> str:
        """The period when there is one, else the year ("" when unknown)."""
        return self.period or (str(self.year) if self.year else "")

    # Computed on first use only: a 100 000-row import must not pay for 300 000 sentences.
    @functools.cached_property
    def comparisons(self) -> dict[str, Comparison]:
        """Comparison with each reference level that has a value."""
        result: dict[str, Comparison] = {}
        if self.value_territory is None:
            return result
        labels = self.labels or reference_labels(None, None)
        for key, _name in REFERENCE_FIELDS:
            reference = getattr(self, key)
            if reference is not None:
                result[key] = compare(self.value_territory, reference, labels[key], unit=self._unit())
        return result

    @functools.cached_property
    def smr(self) -> SmrResult | None:
        """Indice comparatif with its confidence interval, when the counts are known."""
        if self.observed is None or not self.expected:
            return None
        return standardised_ratio(self.observed, self.expected)

    def _unit(self) -> Unit | None:
        return Unit(self.unit) if self.unit in UNIT_VALUES else None

    @property
    def theme_label(self) -> str:
        """French label of the theme (or the theme as typed)."""
        return THEME_LABELS.get(self.theme, self.theme or "Autres indicateurs")

    @property
    def unit_label(self) -> str:
        """French label of the unit."""
        try:
            return Unit(self.unit).label
        except ValueError:
            return self.unit

    @property
    def has_values(self) -> bool:
        """True once the territory's value or the counts are known."""
        return self.value_territory is not None or self.observed is not None


@dataclass(frozen=True)
class ConstatRow:
    """A finding of the diagnostic."""

    id: int
    title: str
    comment: str
    step: int
    indicator_id: int | None
    version: int = 1  # for update_constat(expected_version=…): a stale save is refused


@dataclass(frozen=True)
class ImportPreview:
    """Rows ready to import and the errors found, with their line numbers in the file."""

    rows: list[dict[str, object]]
    errors: list[tuple[int, str]]

    @property
    def ok(self) -> bool:
        """True when nothing stands in the way of the import."""
        return not self.errors and bool(self.rows)


def reference_labels(departement: str | None, region: str | None) -> dict[str, str]:
    """How each reference level is named in sentences, e.g. "la valeur départementale (Nièvre, 58)"."""
    return {
        "value_departement": departement or "la valeur départementale",
        "value_region": region or "la valeur régionale",
        "value_france": "la valeur nationale",
    }


def _row(values: Mapping[Any, Any], constat_id: int | None, labels: dict[str, str]) -> IndicatorRow:
    return IndicatorRow(
        id=values["id"],
        theme=values["theme"],
        code=values["code"],
        label=values["label"],
        unit=values["unit"],
        year=values["year"],
        source=values["source"],
        value_territory=values["value_territory"],
        value_departement=values["value_departement"],
        value_region=values["value_region"],
        value_france=values["value_france"],
        observed=values["observed"],
        expected=values["expected"],
        comment=values["comment"],
        version=values["version"],
        constat_id=constat_id,
        labels=labels,
        period=values.get("period") or "",
    )


def _theme_order(theme: str) -> int:
    keys = [key for key, _label in THEMES]
    return keys.index(theme) if theme in keys else len(keys)


def list_indicators(uow: UnitOfWork, project_id: int, labels: dict[str, str] | None = None) -> list[IndicatorRow]:
    """The project's indicators, by theme in the catalogue's order, then as entered."""
    labels = labels or reference_labels(None, None)
    table = IndicatorValue.__table__  # type: ignore[attr-defined]
    with uow:
        # Plain rows rather than ORM objects: ten times faster on a 100 000-row import.
        records = uow.session.execute(select(table).where(table.c.project_id == project_id)).mappings().all()
        constats = dict(
            uow.session.execute(
                select(col(Constat.indicator_id), col(Constat.id)).where(
                    col(Constat.project_id) == project_id, col(Constat.indicator_id).is_not(None)
                )
            ).all()
        )
    ordered = sorted(records, key=lambda r: (_theme_order(r["theme"]), r["position"], r["id"]))
    return [_row(r, constats.get(r["id"]), labels) for r in ordered]


def _next_position(uow: UnitOfWork, project_id: int) -> int:
    current = uow.session.execute(
        select(func.max(IndicatorValue.position)).where(col(IndicatorValue.project_id) == project_id)
    ).scalar()
    return int(current or 0) + 1


def add_from_catalogue(uow: UnitOfWork, project_id: int, keys: Sequence[str]) -> list[int]:
    """Add catalogue indicators, ready to fill (those already present are skipped)."""
    unknown = [key for key in keys if key not in CATALOGUE_BY_KEY]
    if unknown:
        raise ValidationError(f"Indicateur absent du catalogue : « {unknown[0]} ».")
    with uow:
        _project(uow, project_id)
        present = set(
            uow.session.execute(
                select(col(IndicatorValue.code)).where(col(IndicatorValue.project_id) == project_id)
            ).scalars()
        )
        position = _next_position(uow, project_id)
        created: list[IndicatorValue] = []
        for key in keys:
            if key in present:
                continue
            definition = CATALOGUE_BY_KEY[key]
            indicator = IndicatorValue(
                project_id=project_id,
                theme=definition.theme,
                code=definition.key,
                label=definition.label,
                unit=definition.unit.value,
                source=definition.usual_source,
                position=position,
            )
            position += 1
            uow.session.add(indicator)
            created.append(indicator)
        uow.commit()
        return [i.id for i in created if i.id is not None]


def add_custom(uow: UnitOfWork, project_id: int, label: str, theme: str, unit: str) -> int:
    """Add an indicator of the user's own."""
    cleaned = " ".join(label.split())
    if not cleaned:
        raise ValidationError("Donnez un libellé à l'indicateur.")
    parsed_unit = _unit(unit)
    with uow:
        _project(uow, project_id)
        indicator = IndicatorValue(
            project_id=project_id,
            theme=theme,
            label=cleaned[:300],
            unit=parsed_unit.value,
            position=_next_position(uow, project_id),
        )
        uow.session.add(indicator)
        uow.commit()
        assert indicator.id is not None
        return indicator.id


EDITABLE = {
    "period",
    "label",
    "theme",
    "unit",
    "year",
    "source",
    "value_territory",
    "value_departement",
    "value_region",
    "value_france",
    "observed",
    "expected",
    "comment",
}


def check_indicator(values: dict[str, object], *, today: date | None = None) -> None:
    """Validate an indicator's fields together (unit bounds, year, counts); French messages."""
    today = today or date.today()
    unit = Unit(str(values.get("unit")))
    year = values.get("year")
    if year is not None and not isinstance(year, int):
        raise ValidationError(f"L'année « {year} » n'est pas une année.")
    for key in VALUE_FIELDS:
        value = values.get(key)
        if value is not None:
            validate_value(float(value), unit, year=year, today_year=today.year)  # type: ignore[arg-type]
    if year is not None:
        validate_value(None, unit, year=year, today_year=today.year)
    observed, expected = values.get("observed"), values.get("expected")
    if observed is not None and (float(observed) < 0 or float(observed) != int(float(observed))):  # type: ignore[arg-type]
        raise ValidationError(f"L'effectif observé doit être un nombre entier positif (reçu : {observed}).")
    if expected is not None and float(expected) <= 0:  # type: ignore[arg-type]
        raise ValidationError(f"L'effectif attendu doit être strictement positif (reçu : {expected}).")


def update_indicator(uow: UnitOfWork, indicator_id: int, expected_version: int | None, **changes: object) -> int:
    """Change fields of an indicator after validating the result; returns the new version."""
    wrong = set(changes) - EDITABLE
    if wrong:
        raise ValueError(f"not editable: {sorted(wrong)}")
    with uow:
        indicator = uow.session.get(IndicatorValue, indicator_id)
        if indicator is None:
            raise NotFoundError("Cet indicateur n'existe plus (supprimé depuis un autre poste ?).")
        if expected_version is not None and indicator.version != expected_version:
            raise ConflictError(
                f"L'indicateur « {indicator.label} » a été modifié par quelqu'un d'autre depuis son affichage. "
                "Rien n'a été écrasé : les données à jour ont été rechargées."
            )
        if "period" in changes:  # the form's year field: "2021", "2015-2019" or empty
            text = str(changes["period"] or "").strip()
            span = parse_period(text) if text else None
            if text and span is None:
                raise ValidationError(f"« {text} » n'est ni une année ni une période (par exemple 2021 ou 2015-2019).")
            changes["period"] = span[0] if span and "-" in span[0] else ""
            changes["year"] = span[1] if span else None
        merged = {key: getattr(indicator, key) for key in EDITABLE} | changes
        if "unit" in changes:
            merged["unit"] = _unit(str(changes["unit"])).value
        if "label" in changes and not str(changes["label"]).strip():
            raise ValidationError("Le libellé de l'indicateur ne peut pas être vide.")
        check_indicator(merged)
        for key, value in merged.items():
            setattr(indicator, key, value)
        _project(uow, indicator.project_id)
        uow.session.add(indicator)
        uow.commit()
        return indicator.version


def delete_indicators(uow: UnitOfWork, indicator_ids: Iterable[int]) -> None:
    """Delete indicators (their constats stay, detached, since they may have been discussed)."""
    ids = list(indicator_ids)
    with uow:
        rows = uow.session.execute(select(IndicatorValue).where(col(IndicatorValue.id).in_(ids))).scalars().all()
        for indicator in rows:
            _project(uow, indicator.project_id)
        uow.session.execute(
            Constat.__table__.update().where(Constat.__table__.c.indicator_id.in_(ids)).values(indicator_id=None)  # type: ignore[attr-defined]
        )
        uow.session.execute(delete(IndicatorValue).where(col(IndicatorValue.id).in_(ids)))
        uow.commit()


# --- import -----------------------------------------------------------------------------


def _cell(raw: list[str], index: int | None) -> str:
    if index is None or not 0 <= index < len(raw):
        return ""
    return raw[index].strip()


def prepare_import(
    table: RawTable,
    mapping: dict[str, int],
    *,
    default_unit: str = "",
    default_year: int | None = None,
    default_source: str = "",
    default_theme: str = "",
    progress: Callable[[int, int], bool] | None = None,
    today: date | None = None,
) -> ImportPreview:
    """Check every row of an imported table against the mapping; collect errors by line.

    ``progress(done, total)`` is called now and then; returning False cancels (the preview
    is then empty and carries a single error saying so).
    """
    if "label" not in mapping:
        raise ValidationError("Indiquez la colonne qui contient le libellé des indicateurs.")
    if not any(key in mapping for key in ("value_territory", "observed")):
        raise ValidationError("Indiquez au moins la colonne des valeurs du territoire ou celle des effectifs observés.")
    if "unit" not in mapping and not default_unit:
        raise ValidationError("Indiquez la colonne des unités, ou choisissez une unité pour tout le fichier.")
    rows: list[dict[str, object]] = []
    errors: list[tuple[int, str]] = []
    total = len(table.rows)
    for done, raw in enumerate(table.rows):
        if progress is not None and done % 500 == 0 and not progress(done, total):
            return ImportPreview(rows=[], errors=[(0, "Import annulé : rien n'a été importé.")])
        try:
            rows.append(
                _parse_row(raw.cells, mapping, default_unit, default_year, default_source, default_theme, today)
            )
        except ValidationError as exc:
            errors.append((raw.line, exc.message))
    if progress is not None:
        progress(total, total)
    if not rows and not errors:
        errors.append((0, "Le fichier ne contient aucune ligne de données."))
    return ImportPreview(rows=rows, errors=errors)


def _parse_row(
    cells: list[str],
    mapping: dict[str, int],
    default_unit: str,
    default_year: int | None,
    default_source: str,
    default_theme: str,
    today: date | None,
) -> dict[str, object]:
    label = _cell(cells, mapping.get("label"))
    if not label:
        raise ValidationError("libellé de l'indicateur vide")
    unit_text = _cell(cells, mapping.get("unit")) or default_unit
    unit = _unit(unit_text)
    year_text = _cell(cells, mapping.get("year"))
    year: int | None = default_year
    period = ""
    if year_text:
        span = parse_period(year_text)  # "2015-2019": the year is the period's last
        if span is not None:
            period, year = (span[0] if "-" in span[0] else ""), span[1]
        else:
            number = parse_french_number(year_text)
            if number is None or number != int(number):
                raise ValidationError(f"année « {year_text} » illisible (une année, ou une période comme 2015-2019)")
            year = int(number)
    values: dict[str, object] = {
        "label": label[:300],
        "unit": unit.value,
        "year": year,
        "period": period,
        "source": (_cell(cells, mapping.get("source")) or default_source)[:300],
        "theme": _theme_key(_cell(cells, mapping.get("theme")) or default_theme),
    }
    for key in (*VALUE_FIELDS, "observed", "expected"):
        text = _cell(cells, mapping.get(key))
        try:
            values[key] = parse_french_number(text) if text else None
        except ValidationError as exc:
            name = dict(IMPORT_FIELDS)[key].lower()
            raise ValidationError(f"{name} : {exc.message}") from exc
    if values["value_territory"] is None and values["observed"] is None:
        raise ValidationError(f"« {label} » : aucune valeur pour le territoire")
    try:
        check_indicator(values, today=today)
    except ValidationError as exc:
        raise ValidationError(f"« {label} » : {exc.message}") from exc
    return values


@functools.lru_cache(maxsize=256)
def _unit(text: str) -> Unit:
    """A unit as written in a file (files repeat a handful of spellings: parse each once)."""
    return Unit(text) if text in UNIT_VALUES else parse_unit(text)


def _theme_key(text: str) -> str:
    """A theme typed in a file matched to the catalogue's themes when it names one."""
    lowered = text.strip().lower()
    for key, label in THEMES:
        if lowered in (key, label.lower()):
            return key
    return text.strip()[:80]


@dataclass
class IndicatorSaveReport:
    """What an import changed: indicators added, updated in place, found unchanged, duplicates removed.

    An indicator the project already has from the same source (same label, source, year and
    period) is updated in place, never doubled: re-importing a file changes only what moved.
    """

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates_removed: int = 0

    @property
    def total(self) -> int:
        """Indicators the file brought (added, updated or unchanged)."""
        return self.added + self.updated + self.unchanged

    @property
    def changed(self) -> bool:
        """Whether the import changed anything in the project."""
        return bool(self.added or self.updated or self.duplicates_removed)

    def summary(self) -> str:
        """« 3 indicateurs mis à jour, 0 ajouté, 5 inchangés » (French plural: 0 and 1 singular)."""
        text = (
            f"{plural(self.updated, 'indicateur mis à jour', 'indicateurs mis à jour')}, "
            f"{plural(self.added, 'ajouté')}, {plural(self.unchanged, 'inchangé')}"
        )
        if self.duplicates_removed:
            text += f" ; {plural(self.duplicates_removed, 'doublon supprimé', 'doublons supprimés')}"
        if not self.changed:
            text = f"Rien de nouveau : le projet avait déjà ces valeurs ({text})"
        return text


_SAVED_FIELDS = ("unit", "theme", "value_territory", "value_departement", "value_region", "value_france",
                 "observed", "expected", "comment")  # fmt: skip


def _import_key(values: Mapping[str, Any]) -> tuple[str, str, object, str]:
    """What makes "the same indicator from the same source": label, source, year and period."""
    label = " ".join(str(values.get("label") or "").split()).casefold()
    source = " ".join(str(values.get("source") or "").split()).casefold()
    return label, source, values.get("year"), str(values.get("period") or "")


def _same(old: object, new: object) -> bool:
    if isinstance(old, float | int) and isinstance(new, float | int):
        return abs(float(old) - float(new)) <= 1e-9 * max(1.0, abs(float(old)), abs(float(new)))
    return (old if old is not None else "") == (new if new is not None else "")


def save_indicators(uow: UnitOfWork, project_id: int, preview: ImportPreview) -> IndicatorSaveReport:
    """Save an import in one transaction: every row, or none if the preview has an error.

    Rows matching an indicator already in the project (same label, source, year and period)
    update it in place (its id, position and constats are kept); identical values leave it
    untouched; extra copies left by an earlier double import are removed (their constats move
    to the kept one). Other rows are added.
    """
    if preview.errors:
        raise ValidationError(f"{len(preview.errors)} ligne(s) en erreur : corrigez le fichier ; rien n'a été importé.")
    if not preview.rows:
        raise ValidationError("Le fichier ne contient aucune ligne de données : rien n'a été importé.")
    codes = {d.label.lower(): d.key for d in CATALOGUE}
    report = IndicatorSaveReport()
    with uow:
        _project(uow, project_id)
        table = IndicatorValue.__table__  # type: ignore[attr-defined]
        wanted = {_import_key(values) for values in preview.rows}
        existing: dict[tuple[str, str, object, str], list[Any]] = {}
        for row in uow.session.execute(
            select(table).where(table.c.project_id == project_id).order_by(table.c.id)
        ).mappings():
            key = _import_key(dict(row))
            if key in wanted:
                existing.setdefault(key, []).append(row)
        fresh: list[dict[str, object]] = []
        updates: list[dict[str, object]] = []
        matched: set[tuple[str, str, object, str]] = set()
        for values in preview.rows:
            key = _import_key(values)
            candidates = existing.get(key)
            if not candidates or key in matched:
                fresh.append(values)  # a second row with the same key in one file is its own indicator
                continue
            matched.add(key)
            old = candidates[0]
            if all(_same(old[name], values.get(name)) for name in _SAVED_FIELDS):
                report.unchanged += 1
                continue
            report.updated += 1
            updates.append({"_id": old["id"], **{name: values.get(name) for name in _SAVED_FIELDS},
                            "_version": old["version"] + 1})  # fmt: skip
        if updates:
            statement = (
                table.update()
                .where(table.c.id == bindparam("_id"))
                .values(**{name: bindparam(name) for name in _SAVED_FIELDS}, version=bindparam("_version"))
            )
            uow.session.execute(statement, updates)
        duplicates = [row["id"] for key in matched for row in existing[key][1:]]
        if duplicates:
            kept = {row["id"]: existing[key][0]["id"] for key in matched for row in existing[key][1:]}
            constats = Constat.__table__  # type: ignore[attr-defined]
            for duplicate, keeper in kept.items():
                uow.session.execute(
                    constats.update().where(constats.c.indicator_id == duplicate).values(indicator_id=keeper)
                )
            uow.session.execute(delete(IndicatorValue).where(col(IndicatorValue.id).in_(duplicates)))
            report.duplicates_removed = len(duplicates)
        position = _next_position(uow, project_id)
        records = [
            {
                "project_id": project_id,
                "code": codes.get(str(values["label"]).lower(), ""),
                "position": position + offset,
                "comment": "",
                "version": 1,
                **values,
            }
            for offset, values in enumerate(fresh)
        ]
        # One multi-row INSERT per batch: a 100 000-row file is saved in a couple of seconds.
        for start in range(0, len(records), 5_000):
            uow.session.execute(table.insert(), records[start : start + 5_000])
        report.added = len(records)
        if report.changed:
            uow.commit()
    return report


def import_indicators(uow: UnitOfWork, project_id: int, preview: ImportPreview) -> int:
    """Save an import (see :func:`save_indicators`); returns how many indicators the file brought."""
    return save_indicators(uow, project_id, preview).total


# --- constats ---------------------------------------------------------------------------


def list_constats(uow: UnitOfWork, project_id: int) -> list[ConstatRow]:
    """The findings of the diagnostic, in the order they were made."""
    with uow:
        rows = (
            uow.session.execute(
                select(Constat)
                .where(col(Constat.project_id) == project_id)
                .order_by(col(Constat.position), col(Constat.id))
            )
            .scalars()
            .all()
        )
        return [ConstatRow(c.id or 0, c.title, c.comment, c.step, c.indicator_id, c.version) for c in rows]


def add_constat(
    uow: UnitOfWork, project_id: int, title: str, comment: str = "", *, indicator_id: int | None = None, step: int = 1
) -> int:
    """Record a finding, free or drawn from an indicator."""
    cleaned = " ".join(title.split())
    if not cleaned:
        raise ValidationError("Le constat a besoin d'un intitulé.")
    with uow:
        _project(uow, project_id)
        position = uow.session.execute(
            select(func.max(Constat.position)).where(col(Constat.project_id) == project_id)
        ).scalar()
        constat = Constat(
            project_id=project_id,
            title=cleaned[:300],
            comment=comment,
            indicator_id=indicator_id,
            step=step,
            position=int(position or 0) + 1,
        )
        uow.session.add(constat)
        uow.commit()
        assert constat.id is not None
        return constat.id


def constat_from_indicator(uow: UnitOfWork, row: IndicatorRow, comment: str = "") -> int:
    """Mark an indicator as a finding, titled with its label and its main comparison."""
    with uow:
        indicator = uow.session.get(IndicatorValue, row.id)
        if indicator is None:
            raise NotFoundError("Cet indicateur n'existe plus (supprimé depuis un autre poste ?).")
        project_id = indicator.project_id
    if row.constat_id is not None:
        raise ValidationError(f"« {row.label} » est déjà retenu comme constat.")
    detail = ""
    if row.smr is not None:
        if row.smr.low > 100:
            detail = " — significativement supérieur à la référence"
        elif row.smr.high < 100:
            detail = " — significativement inférieur à la référence"
        else:
            detail = " — écart non significatif"
    elif row.comparisons:
        main = row.comparisons.get("value_departement") or next(iter(row.comparisons.values()))
        detail = f" — {main.direction} à {main.reference_label}"
    return add_constat(uow, project_id, f"{row.label}{detail}", comment, indicator_id=row.id)


def update_constat(
    uow: UnitOfWork,
    constat_id: int,
    *,
    title: str | None = None,
    comment: str | None = None,
    expected_version: int | None = None,
) -> int:
    """Change a finding's title or comment; refuses if someone saved it since ``expected_version``.

    Returns the new version.
    """
    with uow:
        constat = uow.session.get(Constat, constat_id)
        if constat is None:
            raise NotFoundError("Ce constat n'existe plus (supprimé depuis un autre poste ?).")
        if expected_version is not None and constat.version != expected_version:
            raise ConflictError(
                f"Le constat « {constat.title[:80]} » a été modifié par quelqu'un d'autre depuis son affichage. "
                "Rien n'a été écrasé : les données à jour ont été rechargées."
            )
        if title is not None:
            cleaned = " ".join(title.split())
            if not cleaned:
                raise ValidationError("Le constat a besoin d'un intitulé.")
            constat.title = cleaned[:300]
        if comment is not None:
            constat.comment = comment
        _project(uow, constat.project_id)
        uow.session.add(constat)
        uow.commit()
        return constat.version


def delete_constat(uow: UnitOfWork, constat_id: int) -> None:
    """Remove a finding."""
    with uow:
        constat = uow.session.get(Constat, constat_id)
        if constat is None:
            return
        _project(uow, constat.project_id)
        uow.session.delete(constat)
        uow.commit()


# --- population -------------------------------------------------------------------------


@dataclass(frozen=True)
class AgeGroup:
    """One age group of a population table."""

    label: str
    age_min: int
    age_max: int | None
    men: int
    women: int


def set_age_table(
    uow: UnitOfWork, project_id: int, level: str, groups: Sequence[AgeGroup], *, year: int | None, source: str
) -> None:
    """Replace the age table of the territory (``level="territoire"``) or of the reference."""
    if level not in ("territoire", "reference"):
        raise ValueError(level)
    if not groups:
        raise ValidationError("La table des âges est vide.")
    seen: set[int] = set()
    for group in groups:
        if group.men < 0 or group.women < 0:
            raise ValidationError(f"Effectif négatif pour la tranche « {group.label} ».")
        if group.age_min in seen:
            raise ValidationError(f"La tranche d'âge « {group.label} » apparaît deux fois.")
        seen.add(group.age_min)
    with uow:
        _project(uow, project_id)
        uow.session.execute(
            delete(PopulationAgeGroup).where(
                col(PopulationAgeGroup.project_id) == project_id, col(PopulationAgeGroup.level) == level
            )
        )
        for group in groups:
            uow.session.add(
                PopulationAgeGroup(
                    project_id=project_id,
                    level=level,
                    age_label=group.label[:40],
                    age_min=group.age_min,
                    age_max=group.age_max,
                    men=group.men,
                    women=group.women,
                    year=year,
                    source=source[:300],
                )
            )
        uow.commit()


def age_table(uow: UnitOfWork, project_id: int, level: str) -> list[AgeGroup]:
    """The age table of a level, youngest first."""
    with uow:
        rows = (
            uow.session.execute(
                select(PopulationAgeGroup)
                .where(col(PopulationAgeGroup.project_id) == project_id, col(PopulationAgeGroup.level) == level)
                .order_by(col(PopulationAgeGroup.age_min))
            )
            .scalars()
            .all()
        )
        return [AgeGroup(r.age_label, r.age_min, r.age_max, r.men, r.women) for r in rows]


PROJECTION_KEYS = ("population_projection", "population_projection_year")


def set_setting(uow: UnitOfWork, project_id: int, key: str, value: str) -> None:
    """Store one project setting (replacing its previous value)."""
    with uow:
        _project(uow, project_id)
        setting = uow.session.execute(
            select(ProjectSetting).where(col(ProjectSetting.project_id) == project_id, col(ProjectSetting.key) == key)
        ).scalar_one_or_none()
        if setting is None:
            setting = ProjectSetting(project_id=project_id, key=key, value=value)
        setting.value = value
        uow.session.add(setting)
        uow.commit()


def get_settings(uow: UnitOfWork, project_id: int) -> dict[str, str]:
    """All settings of a project."""
    with uow:
        rows = uow.session.execute(
            select(col(ProjectSetting.key), col(ProjectSetting.value)).where(
                col(ProjectSetting.project_id) == project_id
            )
        ).all()
        return dict(rows)


def set_population_projection(uow: UnitOfWork, project_id: int, population: int | None, year: int | None) -> None:
    """The population expected at a horizon, used later for projected densities."""
    if population is not None and population <= 0:
        raise ValidationError("La population projetée doit être un nombre positif d'habitants.")
    if year is not None and not 2000 <= year <= 2100:
        raise ValidationError(f"L'année de projection {year} n'est pas plausible (entre 2000 et 2100).")
    set_setting(uow, project_id, PROJECTION_KEYS[0], "" if population is None else str(population))
    set_setting(uow, project_id, PROJECTION_KEYS[1], "" if year is None else str(year))


_AGE_RANGE = re.compile(r"(\d+)\s*(?:-|à|a|–|—)\s*(\d+)")
_AGE_OPEN = re.compile(r"(\d+)\s*(?:ans?)?\s*(?:\+|et\s+plus|ou\s+plus|et\s+\+)")
_AGE_SINGLE = re.compile(r"^(?:moins\s+de\s+)?(\d+)\s*(?:ans?)?$")


def parse_age_label(text: str) -> tuple[int, int | None]:
    """``"0-4 ans"`` → (0, 4); ``"De 5 à 9 ans"`` → (5, 9); ``"95 ans ou plus"`` → (95, None)."""
    lowered = text.strip().lower()
    if match := _AGE_RANGE.search(lowered):
        low, high = int(match.group(1)), int(match.group(2))
        if high < low:
            raise ValidationError(f"Tranche d'âge incohérente : « {text} ».")
        return low, high
    if match := _AGE_OPEN.search(lowered):
        return int(match.group(1)), None
    if lowered.startswith("moins de") and (match := _AGE_SINGLE.match(lowered)):
        return 0, int(match.group(1)) - 1
    if match := _AGE_SINGLE.match(lowered):
        age = int(match.group(1))
        return age, age
    raise ValidationError(
        f"Tranche d'âge illisible : « {text} » (attendu par exemple « 0-4 ans » ou « 95 ans ou plus »)."
    )


def age_groups_from_table(table: RawTable) -> list[AgeGroup]:
    """Read an age table: a column of age groups, one of men and one of women."""

    def find(*words: str) -> int | None:
        for index, header in enumerate(table.headers):
            lowered = header.lower()
            if any(word in lowered for word in words):
                return index
        return None

    age_col, men_col, women_col = find("âge", "age", "tranche"), find("homme"), find("femme")
    if age_col is None or men_col is None or women_col is None:
        raise ValidationError(
            "La table des âges doit avoir une colonne « Âge » (ou « Tranche d'âge »), une colonne « Hommes » "
            f"et une colonne « Femmes ». Colonnes trouvées : {', '.join(table.headers)}."
        )
    groups: list[AgeGroup] = []
    errors: list[str] = []
    for raw in table.rows:
        label = _cell(raw.cells, age_col)
        if not label or label.lower().startswith(("total", "ensemble")):
            continue
        try:
            low, high = parse_age_label(label)
            men = parse_french_number(_cell(raw.cells, men_col))
            women = parse_french_number(_cell(raw.cells, women_col))
            if men is None or women is None or men < 0 or women < 0:
                raise ValidationError("effectifs manquants ou négatifs")
            groups.append(AgeGroup(label, low, high, round(men), round(women)))
        except ValidationError as exc:
            errors.append(f"ligne {raw.line} : {exc.message}")
    if errors:
        raise ValidationError("Table des âges refusée, rien n'a été enregistré — " + " ; ".join(errors[:10]))
    if not groups:
        raise ValidationError("La table des âges ne contient aucune tranche d'âge.")
    return sorted(groups, key=lambda g: g.age_min)
