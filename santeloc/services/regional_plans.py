"""The user's own regional plan: imported from the template, stored in the project, shared with it.

The plan is kept as a project setting (its JSON), so it travels in the ``.santeloc`` project
file with everything else and never depends on files of one computer. It is offered beside
the shipped packs of the territory's région and wins when the project has one.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from santeloc.analysis.tabular import read_table
from santeloc.domain.errors import ValidationError
from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.refdata.prs import PackError, PlanPack, pack_from_data, pack_from_rows, pack_to_data
from santeloc.services.column_guess import guess_columns
from santeloc.services.indicators import get_settings, set_setting
from santeloc.services.territory import territory_summary

USER_PLAN_SETTING = "plan_regional_utilisateur"
USER_PLAN_PREFIX = "utilisateur_"  # key of a project's own plan: "utilisateur_<project id>"
_FIELDS = (("level", "Niveau"), ("code", "Code"), ("title", "Intitulé"), ("description", "Description"))
_WORDS = {
    "level": ("niveau", "type", "level"),
    "code": ("code", "numero", "n"),
    "title": ("intitule", "libelle", "titre", "objectif"),
    "description": ("description", "detail", "commentaire"),
}


def import_plan(
    uow: UnitOfWork,
    project_id: int,
    path: Path,
    refdata: RefData,
    *,
    title: str = "",
    period_start: int | None = None,
    period_end: int | None = None,
    source: str = "",
) -> PlanPack:
    """Read the template (CSV or XLSX), check the tree, store it in the project; all or nothing."""
    table = read_table(path)
    mapping = guess_columns(table.headers, _FIELDS, _WORDS, weak=())
    if not {"level", "code", "title"} <= set(mapping):
        raise ValidationError(
            "Le plan doit avoir les colonnes « Niveau », « Code » et « Intitulé » (voir le modèle "
            f"plan_regional_modele.csv). Colonnes trouvées : {', '.join(table.headers)}."
        )
    rows = []
    for raw in table.rows:
        cells = {key: raw.cells[i].strip() if i < len(raw.cells) else "" for key, i in mapping.items()}
        if not any(cells.values()):
            continue
        rows.append((raw.line, cells["level"], cells["code"], cells["title"], cells.get("description", "")))
    summary = territory_summary(uow, project_id, refdata)
    regions = Counter(r.code for r in summary.regions)
    if not regions:
        raise ValidationError(
            "Choisissez d'abord les communes du territoire (étape 0) : le plan est celui de sa région."
        )
    region = next(r for r in summary.regions if r.code == regions.most_common(1)[0][0])
    years = [int(y) for y in re.findall(r"(?:19|20)\d{2}", f"{title} {path.stem}")]
    start = period_start or (min(years) if years else 2023)
    end = period_end or (max(years) if len(years) > 1 else start + 5)
    name = title.strip() or f"Plan régional de santé — {region.name} (importé de {path.name})"
    try:
        pack = pack_from_rows(
            rows, key=f"{USER_PLAN_PREFIX}{project_id}", title=name, region_code=region.code, region_name=region.name,
            period_start=start, period_end=end, source=source.strip() or f"Importé du fichier {path.name}",
        )  # fmt: skip
    except PackError as exc:
        raise ValidationError(f"Plan refusé, rien n'a été enregistré : {exc.problem}.") from exc
    set_setting(uow, project_id, USER_PLAN_SETTING, json.dumps(pack_to_data(pack), ensure_ascii=False))
    return pack


def user_plan(uow: UnitOfWork, project_id: int) -> PlanPack | None:
    """The plan the user imported into the project, or None."""
    text = get_settings(uow, project_id).get(USER_PLAN_SETTING, "")
    if not text:
        return None
    try:
        data = json.loads(text)
        return pack_from_data(Path(f"{data.get('key', 'utilisateur')}.json"), data)
    except (ValueError, PackError):
        return None  # a damaged setting must not stop the project from opening
