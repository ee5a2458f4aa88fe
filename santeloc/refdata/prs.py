"""Regional health plan reference packs (PRS / SRS trees).

A *pack* is one JSON file describing the objective tree of a regional health plan
(projet régional de santé, schéma régional de santé, departmental roadmap…): its
region, its period, the label of each level of the tree and the objectives with
stable codes. Shipped packs live in ``resources/prs``; users can import others
with :func:`load_pack`, which validates the file thoroughly.

This module has no Qt dependency.

JSON schema
-----------
One UTF-8 JSON object per file::

    {
      "key": "pays_de_la_loire_srs_2023_2028",   # str, must equal the file stem;
                                                 #   [a-z0-9][a-z0-9_-]*
      "title": "Schéma régional de santé 2023-2028 — Pays de la Loire",   # str
      "region_code": "52",          # str, 2-digit INSEE région code (current régions:
                                    #   "28" Normandie, "32" Hauts-de-France, "52" Pays de la Loire…)
      "region_name": "Pays de la Loire",         # str
      "period_start": 2023,         # int (year)
      "period_end": 2028,           # int (year), >= period_start
      "level_labels": ["Orientation stratégique", "Objectif opérationnel", "Sous-objectif"],
                                    # non-empty list of str; index = depth in the tree
      "source": "ARS Pays de la Loire, …",       # str, bibliographic reference
      "objectives": [               # non-empty list of objective nodes (the roots)
        {
          "code": "OS4",            # str, unique in the pack, no whitespace
          "title": "Accéder aux soins …",        # str
          "description": "…",       # optional str
          "children": [ { "code": "OS4-OO1", "title": "…", "children": [ … ] } ]
                                    # optional list of objective nodes, one level deeper
        }
      ]
    }

Rules checked by :func:`load_pack` (any failure raises :class:`PackError` with a French
message naming the file): valid JSON object, all required keys present with the right
types, no unknown keys (keys starting with ``_`` or ``$`` are treated as comments and
ignored), unique codes, tree depth within ``level_labels``, parent links consistent.
The level and parent of each objective are derived from the nesting; they are not
stored in the file.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from santeloc.refdata.geo import resources_dir

__all__ = [
    "PackError",
    "PlanObjective",
    "PlanPack",
    "default_folder",
    "list_packs",
    "load_pack",
    "pack_from_data",
    "pack_from_rows",
    "pack_to_data",
    "packs_for_region",
    "region_summary",
]

_PACK_KEYS: tuple[str, ...] = (
    "key",
    "title",
    "region_code",
    "region_name",
    "period_start",
    "period_end",
    "level_labels",
    "source",
    "objectives",
)
_NODE_REQUIRED: tuple[str, ...] = ("code", "title")
_NODE_OPTIONAL: tuple[str, ...] = ("description", "children")
_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_REGION_RE = re.compile(r"^[0-9]{2}$")
_WS_RE = re.compile(r"\s")


class PackError(ValueError):
    """A plan pack file is missing, unreadable or invalid.

    The message is in French and names the file; ``path`` holds the offending file.
    """

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"Fichier de plan régional « {path.name} » invalide : {problem}")


@dataclass(frozen=True, slots=True)
class PlanObjective:
    """One node of a plan tree (orientation, objective, sub-objective, axis…).

    ``level`` is the depth (0 for roots) and ``level_label`` the pack's label for
    that depth, e.g. "Orientation stratégique", "Objectif opérationnel", "Sous-objectif".
    """

    code: str
    title: str
    level: int
    level_label: str
    parent_code: str | None
    description: str = ""
    children: tuple[PlanObjective, ...] = ()

    def walk(self) -> Iterator[PlanObjective]:
        """Yield this objective then its descendants, depth-first in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True, slots=True)
class PlanPack:
    """A regional health plan tree loaded from one JSON pack file."""

    key: str
    title: str
    region_code: str
    region_name: str
    period_start: int
    period_end: int
    level_labels: tuple[str, ...]
    roots: tuple[PlanObjective, ...]
    source: str

    def walk(self) -> Iterator[PlanObjective]:
        """Yield every objective of the pack, depth-first in document order."""
        for root in self.roots:
            yield from root.walk()

    def find(self, code: str) -> PlanObjective:
        """Return the objective with this exact code.

        Raises:
            KeyError: with a French message if the code is not in the pack.
        """
        for objective in self.walk():
            if objective.code == code:
                return objective
        raise KeyError(f"Objectif « {code} » absent du plan « {self.title} »")


# --------------------------------------------------------------------------- loading


def _node_where(code: object, where: str) -> str:
    if isinstance(code, str) and code.strip():
        return f"objectif « {code} »"
    return where


def _check_extra_keys(path: Path, data: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = sorted(k for k in data if k not in allowed and not k.startswith(("_", "$")))
    if unknown:
        listed = ", ".join(f"« {k} »" for k in unknown)
        raise PackError(path, f"{where} : clé(s) inconnue(s) {listed}")


def _require_str(path: Path, data: dict[str, Any], key: str, where: str, *, allow_empty: bool = False) -> str:
    if key not in data:
        raise PackError(path, f"{where} : clé « {key} » manquante")
    value = data[key]
    if not isinstance(value, str):
        raise PackError(path, f"{where} : « {key} » doit être une chaîne de caractères")
    value = value.strip()
    if not value and not allow_empty:
        raise PackError(path, f"{where} : « {key} » est vide")
    return value


def _require_year(path: Path, data: dict[str, Any], key: str) -> int:
    if key not in data:
        raise PackError(path, f"clé « {key} » manquante")
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise PackError(path, f"« {key} » doit être une année (nombre entier)")
    if not 1900 <= value <= 2200:
        raise PackError(path, f"« {key} » = {value} n'est pas une année plausible")
    return value


def _build_nodes(
    path: Path,
    raw: Any,
    *,
    level: int,
    parent_code: str | None,
    level_labels: tuple[str, ...],
    seen: dict[str, str],
    where: str,
) -> tuple[PlanObjective, ...]:
    if not isinstance(raw, list):
        raise PackError(path, f"{where} doit être une liste d'objectifs")
    if level >= len(level_labels):
        raise PackError(
            path,
            f"{where} : profondeur {level + 1} alors que « level_labels » ne définit que {len(level_labels)} niveau(x)",
        )
    nodes: list[PlanObjective] = []
    for index, item in enumerate(raw):
        item_where = f"{where}[{index}]"
        if not isinstance(item, dict):
            raise PackError(path, f"{item_where} doit être un objet JSON")
        label = _node_where(item.get("code"), item_where)
        _check_extra_keys(path, item, _NODE_REQUIRED + _NODE_OPTIONAL, label)
        code = _require_str(path, item, "code", item_where)
        if _WS_RE.search(code):
            raise PackError(path, f"code « {code} » : un code ne doit pas contenir d'espace")
        title = _require_str(path, item, "title", label)
        description = ""
        if "description" in item:
            description = _require_str(path, item, "description", label, allow_empty=True)
        if code in seen:
            raise PackError(path, f"code « {code} » en double ({seen[code]} et {item_where})")
        seen[code] = item_where
        children: tuple[PlanObjective, ...] = ()
        if "children" in item:
            raw_children = item["children"]
            if not isinstance(raw_children, list):
                raise PackError(path, f"{label} : « children » doit être une liste")
            if raw_children:
                children = _build_nodes(
                    path,
                    raw_children,
                    level=level + 1,
                    parent_code=code,
                    level_labels=level_labels,
                    seen=seen,
                    where=f"{item_where}.children",
                )
        nodes.append(
            PlanObjective(
                code=code,
                title=title,
                level=level,
                level_label=level_labels[level],
                parent_code=parent_code,
                description=description,
                children=children,
            )
        )
    return tuple(nodes)


def _check_links(path: Path, roots: tuple[PlanObjective, ...]) -> None:
    """Defensive check that levels and parent links agree with the nesting."""
    stack: list[tuple[PlanObjective, PlanObjective | None]] = [(r, None) for r in roots]
    while stack:
        node, parent = stack.pop()
        expected_parent = parent.code if parent is not None else None
        expected_level = parent.level + 1 if parent is not None else 0
        if node.parent_code != expected_parent or node.level != expected_level:
            raise PackError(path, f"objectif « {node.code} » : lien de parenté incohérent")
        stack.extend((child, node) for child in node.children)


def load_pack(path: Path) -> PlanPack:
    """Load and validate one plan pack JSON file.

    Args:
        path: the ``.json`` file; its stem must equal the pack's ``key``.

    Returns:
        The immutable :class:`PlanPack`.

    Raises:
        PackError: (a ``ValueError``) with a French message naming the file when the
            file cannot be read, is not valid JSON, or breaks the schema documented at
            the top of this module (missing keys, wrong types, duplicate codes, tree
            deeper than ``level_labels``…).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PackError(path, "fichier introuvable") from None
    except UnicodeDecodeError:
        raise PackError(path, "le fichier n'est pas encodé en UTF-8") from None
    except OSError as exc:
        raise PackError(path, f"lecture impossible ({exc.strerror or exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackError(path, f"JSON mal formé, ligne {exc.lineno}, colonne {exc.colno} ({exc.msg})") from None
    if not isinstance(data, dict):
        raise PackError(path, "le contenu doit être un objet JSON ({…})")
    return pack_from_data(path, data)


def pack_from_data(path: Path, data: dict[str, Any]) -> PlanPack:
    """Validate a pack already read (``path`` names it in messages; its stem must be the key)."""
    missing = [k for k in _PACK_KEYS if k not in data]
    if missing:
        listed = ", ".join(f"« {k} »" for k in missing)
        raise PackError(path, f"clé(s) obligatoire(s) manquante(s) : {listed}")
    _check_extra_keys(path, data, _PACK_KEYS, "en-tête du plan")

    key = _require_str(path, data, "key", "en-tête du plan")
    if not _KEY_RE.match(key):
        raise PackError(path, f"la clé « {key} » doit être en minuscules sans accent (lettres, chiffres, _ ou -)")
    if key != path.stem:
        raise PackError(path, f"la clé « {key} » ne correspond pas au nom du fichier « {path.stem} »")
    title = _require_str(path, data, "title", "en-tête du plan")
    region_code = data["region_code"]
    if not isinstance(region_code, str) or not _REGION_RE.match(region_code):
        raise PackError(
            path, '« region_code » doit être un code région INSEE à 2 chiffres, entre guillemets (ex. "52")'
        )
    region_name = _require_str(path, data, "region_name", "en-tête du plan")
    period_start = _require_year(path, data, "period_start")
    period_end = _require_year(path, data, "period_end")
    if period_end < period_start:
        raise PackError(path, f"période incohérente : {period_start} > {period_end}")
    raw_labels = data["level_labels"]
    if (
        not isinstance(raw_labels, list)
        or not raw_labels
        or not all(isinstance(x, str) and x.strip() for x in raw_labels)
    ):
        raise PackError(path, "« level_labels » doit être une liste non vide de libellés")
    level_labels = tuple(x.strip() for x in raw_labels)
    source = _require_str(path, data, "source", "en-tête du plan")

    raw_objectives = data["objectives"]
    if not isinstance(raw_objectives, list) or not raw_objectives:
        raise PackError(path, "« objectives » doit être une liste non vide")
    roots = _build_nodes(
        path,
        raw_objectives,
        level=0,
        parent_code=None,
        level_labels=level_labels,
        seen={},
        where="objectives",
    )
    _check_links(path, roots)
    return PlanPack(
        key=key,
        title=title,
        region_code=region_code,
        region_name=region_name,
        period_start=period_start,
        period_end=period_end,
        level_labels=level_labels,
        roots=roots,
        source=source,
    )


# --------------------------------------------------------------------------- discovery


def default_folder() -> Path:
    """Folder of the shipped packs: ``resources/prs`` (also inside a PyInstaller build)."""
    return resources_dir() / "prs"


def list_packs(folder: Path | None = None) -> list[PlanPack]:
    """Load every ``*.json`` pack of ``folder`` (default: :func:`default_folder`).

    Packs are returned sorted by key. A folder that does not exist yields an empty
    list; an invalid file raises :class:`PackError`.
    """
    folder = default_folder() if folder is None else Path(folder)
    if not folder.is_dir():
        return []
    return [load_pack(p) for p in sorted(folder.glob("*.json")) if p.is_file()]


def packs_for_region(region_code: str, folder: Path | None = None) -> list[PlanPack]:
    """Packs of ``folder`` whose INSEE région code equals ``region_code``.

    Sorted by most recent period first, then by key.
    """
    code = str(region_code).strip()
    packs = [p for p in list_packs(folder) if p.region_code == code]
    packs.sort(key=lambda p: p.key)
    packs.sort(key=lambda p: (p.period_end, p.period_start), reverse=True)
    return packs


# --------------------------------------------------------------------------- user plans

# Words of the "Niveau" column of the template, by depth.
_LEVEL_WORDS: tuple[tuple[str, ...], ...] = (
    ("orientation", "axe", "1", "priorite", "defi"),
    ("objectif", "2", "objectif operationnel", "objectif general"),
    ("sous-objectif", "sous objectif", "3", "action", "mesure"),
)


def _plain_level(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def _depth(text: str) -> int | None:
    plain = _plain_level(text)
    if plain.startswith("sous"):
        return 2
    for depth, words in enumerate(_LEVEL_WORDS):
        if plain in words or any(plain.startswith(w) for w in words if not w.isdigit()):
            return depth
    return None


def pack_from_rows(
    rows: list[tuple[int, str, str, str, str]],
    *,
    key: str,
    title: str,
    region_code: str,
    region_name: str,
    period_start: int,
    period_end: int,
    source: str,
) -> PlanPack:
    """A pack from the rows of the template (line, level, code, title, description), in order.

    The level is "Orientation", "Objectif" or "Sous-objectif" (or 1, 2, 3); each row hangs
    under the nearest row above it one level higher. Raises PackError with the line number.
    """
    name = Path(f"{key}.json")
    roots: list[dict[str, Any]] = []
    stack: list[dict[str, Any]] = []
    labels: list[str] = ["Orientation", "Objectif", "Sous-objectif"]
    deepest = 0
    for line, level, code, label, description in rows:
        depth = _depth(level)
        if depth is None:
            raise PackError(name, f"ligne {line} : niveau « {level} » inconnu (Orientation, Objectif ou Sous-objectif)")
        if depth > len(stack):
            raise PackError(name, f"ligne {line} : « {code} » n'a pas de niveau parent au-dessus de lui")
        node: dict[str, Any] = {"code": code.strip(), "title": label.strip()}
        if description.strip():
            node["description"] = description.strip()
        del stack[depth:]
        if depth == 0:
            roots.append(node)
        else:
            stack[-1].setdefault("children", []).append(node)
        stack.append(node)
        deepest = max(deepest, depth)
        labels[depth] = labels[depth] if level.strip().isdigit() else level.strip().capitalize()
    data = {
        "key": key, "title": title, "region_code": region_code, "region_name": region_name,
        "period_start": period_start, "period_end": period_end, "level_labels": labels[: deepest + 1],
        "source": source, "objectives": roots,
    }  # fmt: skip
    return pack_from_data(name, data)


def pack_to_data(pack: PlanPack) -> dict[str, Any]:
    """The JSON object of a pack (the inverse of :func:`pack_from_data`)."""

    def node(objective: PlanObjective) -> dict[str, Any]:
        out: dict[str, Any] = {"code": objective.code, "title": objective.title}
        if objective.description:
            out["description"] = objective.description
        if objective.children:
            out["children"] = [node(child) for child in objective.children]
        return out

    return {
        "key": pack.key, "title": pack.title, "region_code": pack.region_code, "region_name": pack.region_name,
        "period_start": pack.period_start, "period_end": pack.period_end, "level_labels": list(pack.level_labels),
        "source": pack.source, "objectives": [node(root) for root in pack.roots],
    }  # fmt: skip


def region_summary(packs: list[PlanPack]) -> str:
    """Each région once, with its number of plans: "Normandie (2 plans), Pays de la Loire"."""
    counts: dict[str, int] = {}
    for pack in packs:
        counts[pack.region_name] = counts.get(pack.region_name, 0) + 1
    return ", ".join(f"{name} ({count} plans)" if count > 1 else name for name, count in sorted(counts.items()))
