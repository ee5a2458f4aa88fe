"""The DREES's APL to general practitioners of every commune, shipped with santeloc.

``resources/refdata/apl_drees.npz`` is built by ``scripts/build_apl_refdata.py`` from the DREES
workbook (millésimes 2022 and 2023, Licence Ouverte; provenance in ``SOURCES.md``). Values are
kept exactly as published (stored ×1000 as integers). The DREES publishes Paris, Lyon and
Marseille by arrondissement: asked for the city's code, a vintage aggregates them as the
workbook's note says (APL weighted by standardised population, populations summed).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from santeloc.refdata.geo import resources_dir

APL_FILE = "apl_drees.npz"
# City code -> prefix of its arrondissements' codes in the DREES tables.
CITIES_BY_ARRONDISSEMENT = {"75056": "751", "69123": "6938", "13055": "132"}
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class AplFigures:
    """One commune's published figures for a year."""

    code: str
    apl: float  # consultations/visits accessible per standardised inhabitant per year
    apl_under_65: float  # the same, doctors under 65 only
    standardised_population: float
    total_population: float


@dataclass(frozen=True)
class AplVintage:
    """One year sheet of the workbook: every commune's APL and populations."""

    year: int
    codes: npt.NDArray[np.str_]
    apl: FloatArray
    apl_under_65: FloatArray
    standardised: FloatArray
    total: FloatArray
    header: tuple[str, ...]
    units: tuple[str, ...]
    notes: tuple[str, ...]
    _index: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def _position(self, code: str) -> int | None:
        if not self._index:
            self._index.update({c: i for i, c in enumerate(self.codes.tolist())})
        return self._index.get(code)

    def figures(self, code: str) -> AplFigures | None:
        """The commune's figures, or None when the workbook does not give it."""
        at = self._position(code)
        if at is not None:
            return AplFigures(
                code, float(self.apl[at]), float(self.apl_under_65[at]), float(self.standardised[at]),
                float(self.total[at]),
            )  # fmt: skip
        prefix = CITIES_BY_ARRONDISSEMENT.get(code)
        if prefix is None:
            return None
        parts = np.flatnonzero(np.char.startswith(self.codes, prefix))
        std = self.standardised[parts]
        if len(parts) == 0 or std.sum() <= 0:
            return None
        return AplFigures(
            code,
            float(self.apl[parts] @ std / std.sum()),
            float(self.apl_under_65[parts] @ std / std.sum()),
            float(std.sum()),
            float(self.total[parts].sum()),
        )

    def prepare(self) -> None:
        """Build the code index and the national figures now (a background thread at start-up)."""
        self._position("")
        _ = self.national_mean, self.national_mean_under_65, self._sorted

    @functools.cached_property
    def national_mean(self) -> float:
        """France's mean APL, communes weighted by standardised population (the DREES rule)."""
        return float(self.apl @ self.standardised / self.standardised.sum())

    @functools.cached_property
    def national_mean_under_65(self) -> float:
        """The same for doctors under 65."""
        return float(self.apl_under_65 @ self.standardised / self.standardised.sum())

    @functools.cached_property
    def _sorted(self) -> tuple[FloatArray, FloatArray]:
        order = np.argsort(self.apl, kind="stable")
        return self.apl[order], np.cumsum(self.total[order])

    def population_share_below(self, value: float) -> float:
        """Share of France's population (total, not standardised) living where the APL is below ``value``."""
        values, cumulative = self._sorted
        below = int(np.searchsorted(values, value, side="left"))
        return float(cumulative[below - 1] / cumulative[-1]) if below else 0.0

    def population_below(self, threshold: float) -> float:
        """France's population (total) in communes whose APL is below ``threshold``."""
        values, cumulative = self._sorted
        below = int(np.searchsorted(values, threshold, side="left"))
        return float(cumulative[below - 1]) if below else 0.0

    @property
    def source_lines(self) -> tuple[str, ...]:
        """The sheet's « Sources », « Champ » and « Note » lines, as published."""
        return tuple(n for n in self.notes if n.startswith(("Sources", "Champ", "Note")))


@dataclass(frozen=True)
class AplBaseline:
    """Every vintage shipped, and the workbook's « Paramètres » sheet."""

    vintages: dict[int, AplVintage]
    parameters: dict[str, Any]
    workbook: str

    @property
    def latest(self) -> AplVintage:
        """The most recent vintage."""
        return self.vintages[max(self.vintages)]

    def age_weights(self, year: int) -> list[tuple[str, float]]:
        """(age band, weight) of the standardised population for ``year`` (nearest year shipped)."""
        bands = self.parameters["age_weights"]
        years = sorted({int(k) for band in bands for k in band if k.isdigit()})
        chosen = str(min(years, key=lambda y: (abs(y - year), -y)))
        return [(band["band"], float(band[chosen])) for band in bands]


def read_baseline(path: Path) -> AplBaseline:
    """Read a file written by ``scripts/build_apl_refdata.py``."""
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        vintages = {}
        for year, info in meta["years"].items():
            vintages[int(year)] = AplVintage(
                year=int(year),
                codes=data[f"{year}_codes"],
                apl=data[f"{year}_apl"] / 1000.0,
                apl_under_65=data[f"{year}_apl65"] / 1000.0,
                standardised=data[f"{year}_std"] / 1000.0,
                total=data[f"{year}_total"].astype(np.float64),
                header=tuple(info["header"]),
                units=tuple(info["units"]),
                notes=tuple(info["notes"]),
            )
    return AplBaseline(vintages, meta.get("parameters", {}), meta.get("workbook", ""))


@functools.lru_cache(maxsize=2)
def load_apl_baseline(path: Path | None = None) -> AplBaseline:
    """The shipped DREES APL (cached; about 0,05 s and 2 Mio the first time)."""
    return read_baseline(path or resources_dir() / "refdata" / APL_FILE)
