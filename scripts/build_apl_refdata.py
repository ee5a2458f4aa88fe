"""Builds ``resources/refdata/apl_drees.npz``, the DREES's APL to general practitioners of every
commune, shipped with santeloc so that the official figure is there without any import.

    .venv/bin/python scripts/build_apl_refdata.py [path/to/drees_apl_generalistes_2022_2023.xlsx]

Input: the DREES workbook « Accessibilité potentielle localisée (APL) aux médecins
généralistes », millésimes 2022 and 2023 (DREES open data, published 20 December 2024,
Licence Ouverte 2.0). Default path: ``../shared/data/`` beside the repository.

Output, per year sheet « APL YYYY » (values exactly as printed, three decimals at most):
``<year>_codes`` (INSEE codes as in the workbook, arrondissements of Paris, Lyon and Marseille
included), ``<year>_apl`` and ``<year>_apl65`` (APL ×1000, int32: all doctors, doctors under
65), ``<year>_std`` (standardised population ×1000, int64), ``<year>_total`` (total population,
int32); and ``meta``: a JSON text with the column labels and units, the source and note lines
and the « Paramètres » sheet (activity bounds, time steps, age weights per year). The
provenance section of ``resources/refdata/SOURCES.md`` is rewritten between its markers.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "drees_apl_generalistes_2022_2023.xlsx"
OUTPUT = ROOT / "resources" / "refdata" / "apl_drees.npz"
SOURCES = ROOT / "resources" / "refdata" / "SOURCES.md"
BEGIN, END = "<!-- apl-drees:begin -->", "<!-- apl-drees:end -->"
_YEAR_SHEET = re.compile(r"^APL (\d{4})$")


def _milli(value: Any) -> int:
    return round(float(value) * 1000)


def read_year(rows: list[tuple[Any, ...]]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The header, units, notes and the communes' columns of one « APL YYYY » sheet."""
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "Code commune INSEE")
    header = [str(c) for c in rows[header_at][:6]]
    units = [str(c) if c is not None else "" for c in rows[header_at + 1][:6]]
    notes = [str(r[0]).strip() for r in rows[:header_at] if r and r[0]]
    codes, apl, apl65, std, total = [], [], [], [], []
    for row in rows[header_at + 2 :]:
        if not row or row[0] is None:
            continue
        code = str(row[0]).strip()
        if len(code) != 5:
            raise SystemExit(f"unexpected commune code {code!r}")
        codes.append(code)
        apl.append(_milli(row[2]))
        apl65.append(_milli(row[3]))
        std.append(_milli(row[4]))
        total.append(int(row[5]))
    meta = {"header": header, "units": units, "notes": notes}
    arrays = {
        "codes": np.array(codes, dtype="U5"),
        "apl": np.array(apl, dtype=np.int32),
        "apl65": np.array(apl65, dtype=np.int32),
        "std": np.array(std, dtype=np.int64),
        "total": np.array(total, dtype=np.int32),
    }
    return meta, arrays


def read_parameters(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    """Activity bounds, distance steps and age weights of the « Paramètres » sheet, as printed."""
    text = [[c for c in r if c is not None] for r in rows]
    weights_at = next(i for i, r in enumerate(text) if r and str(r[0]).startswith("Tranche d'âge"))
    years = [int(re.findall(r"\d{4}", str(c))[0]) for c in text[weights_at][1:]]
    bands = []
    for r in text[weights_at + 1 :]:
        if len(r) < 1 + len(years) or not isinstance(r[1], int | float):
            break
        bands.append({"band": str(r[0]), **{str(y): float(w) for y, w in zip(years, r[1:], strict=False)}})
    steps_at = next(i for i, r in enumerate(text) if r and str(r[0]).startswith("Temps de trajet"))
    steps = [{"label": str(r[0]), "weight": float(r[1])} for r in text[steps_at + 1 : steps_at + 5]]
    activity_at = next(i for i, r in enumerate(text) if r and str(r[0]).startswith("Nombre de consultations"))
    activity = [{"label": str(r[0]), "counted": r[1] if isinstance(r[1], int) else "as is"}
                for r in text[activity_at + 1 : activity_at + 5]]  # fmt: skip
    exception = str(text[activity_at + 5][0]).replace("\n", " ").strip()
    scope = str(text[3][0]).strip()
    return {"scope": scope, "activity": activity, "exception": exception, "steps": steps, "age_weights": bands}


def main(path: Path) -> None:
    """Read the workbook, write the compact table and its provenance."""
    workbook = load_workbook(path, read_only=True, data_only=True)
    meta: dict[str, Any] = {"years": {}, "workbook": path.name}
    arrays: dict[str, np.ndarray] = {}
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        match = _YEAR_SHEET.match(sheet.title.strip())
        if sheet.title.strip() == "Paramètres":
            meta["parameters"] = read_parameters(rows)
        elif match:
            year = match.group(1)
            meta["years"][year], columns = read_year(rows)
            arrays.update({f"{year}_{name}": values for name, values in columns.items()})
    workbook.close()
    arrays["meta"] = np.array(json.dumps(meta, ensure_ascii=False))
    np.savez_compressed(OUTPUT, **arrays)  # type: ignore[arg-type]
    counts = ", ".join(f"{y}: {len(arrays[f'{y}_codes'])} communes" for y in sorted(meta["years"]))
    section = f"""{BEGIN}
## `apl_drees.npz` — APL aux médecins généralistes (DREES)

Generated by `scripts/build_apl_refdata.py` from `{path.name}` (do not edit by hand).

- Source: DREES, « L'accessibilité potentielle localisée (APL) », open data published on 20 December 2024:
  workbook « Accessibilité potentielle localisée (APL) aux médecins généralistes », millésimes 2022 and 2023.
  Cite « DREES, APL 2022-2023 ».
- Licence: **Licence Ouverte / Open Licence 2.0** (Etalab).
- Taken, per year sheet ({counts}): the INSEE code as published (Paris, Lyon and Marseille by
  arrondissement), the APL to all general practitioners, the APL to those under 65, the standardised
  population and the total population, exactly as printed (three decimals at most, stored ×1000 as
  integers); the sheets' header, units, source, scope, reading and note lines; the « Paramètres »
  sheet (scope, activity bounds and the 5 400 stand-in, time steps, age weights of 2022 and 2023).
- Use: the official APL of a territory's communes, its mean weighted by standardised population and
  its population under a threshold counted in total population, as the workbook's note asks; the
  DREES parameters of santeloc's own computation.
{END}"""
    current = SOURCES.read_text(encoding="utf-8")
    if BEGIN in current:
        current = current[: current.index(BEGIN)].rstrip() + "\n\n" + section + current[current.index(END) + len(END) :]
    else:
        current = current.rstrip() + "\n\n" + section + "\n"
    SOURCES.write_text(current, encoding="utf-8")
    print(f"{OUTPUT.name}: {counts}, {OUTPUT.stat().st_size // 1024} Kio")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
