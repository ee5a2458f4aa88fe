"""Tests for the regional health plan packs (santeloc.refdata.prs)."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from santeloc.refdata.prs import (
    PackError,
    PlanObjective,
    PlanPack,
    default_folder,
    list_packs,
    load_pack,
    packs_for_region,
)

PDL_KEY = "pays_de_la_loire_srs_2023_2028"
NORMANDIE_KEY = "normandie_prs_2023_2028"
CALVADOS_KEY = "normandie_calvados_feuille_de_route_2023_2028"


def _pack(key: str) -> PlanPack:
    return load_pack(default_folder() / f"{key}.json")


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _minimal(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": "essai",
        "title": "Plan d'essai",
        "region_code": "52",
        "region_name": "Pays de la Loire",
        "period_start": 2023,
        "period_end": 2028,
        "level_labels": ["Orientation", "Objectif"],
        "source": "Test",
        "objectives": [
            {"code": "A", "title": "Orientation A", "children": [{"code": "A-1", "title": "Objectif A-1"}]},
            {"code": "B", "title": "Orientation B"},
        ],
    }
    data.update(overrides)
    return data


def _write(tmp_path: Path, data: Any, name: str = "essai.json") -> Path:
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- shipped packs


def test_all_shipped_packs_load_with_unique_codes() -> None:
    packs = list_packs()
    keys = {p.key for p in packs}
    assert {PDL_KEY, NORMANDIE_KEY, CALVADOS_KEY} <= keys
    for pack in packs:
        codes = [o.code for o in pack.walk()]
        assert codes, pack.key
        duplicates = [c for c, n in Counter(codes).items() if n > 1]
        assert not duplicates, (pack.key, duplicates)
        assert pack.period_start <= pack.period_end
        for obj in pack.walk():
            assert obj.level_label == pack.level_labels[obj.level]
            assert obj.title == obj.title.strip() and "  " not in obj.title
            # hyphenation / line-break artefacts of the text extraction must be gone
            assert "- " not in obj.title.replace(" - ", ""), obj.title
            assert "\n" not in obj.title and "•" not in obj.title
            for child in obj.children:
                assert child.parent_code == obj.code
                assert child.level == obj.level + 1
                # shipped packs use hierarchical codes
                assert child.code.startswith(obj.code + "-"), child.code


def test_pays_de_la_loire_structure() -> None:
    pack = _pack(PDL_KEY)
    assert pack.key == PDL_KEY
    assert pack.title == "Schéma régional de santé 2023-2028 — Pays de la Loire"
    assert pack.region_code == "52"
    assert (pack.period_start, pack.period_end) == (2023, 2028)
    assert pack.level_labels == ("Orientation stratégique", "Objectif opérationnel", "Sous-objectif")

    assert [r.code for r in pack.roots] == ["OS1", "OS2", "OS3", "OS4", "OS5"]
    oo = [o for o in pack.walk() if o.level == 1]
    assert len(oo) == 19
    assert [len(r.children) for r in pack.roots] == [3, 2, 4, 6, 4]
    for root in pack.roots:
        for i, child in enumerate(root.children, 1):
            assert child.code == f"{root.code}-OO{i}"
            for j, sub in enumerate(child.children, 1):
                assert sub.code == f"{child.code}-{j}"
                assert sub.level_label == "Sous-objectif"
    assert sum(1 for o in pack.walk() if o.level == 2) == 31


def test_pays_de_la_loire_key_objectives() -> None:
    pack = _pack(PDL_KEY)
    premier_recours = pack.find("OS4-OO1")
    assert "accès aux soins de premier recours" in premier_recours.title
    assert premier_recours.parent_code == "OS4"
    assert premier_recours.level_label == "Objectif opérationnel"
    assert premier_recours.description
    assert [c.code for c in premier_recours.children] == ["OS4-OO1-1", "OS4-OO1-2"]
    assert "exercice coordonné" in premier_recours.children[0].title

    prevention = pack.find("OS1-OO1")
    assert "prévention" in prevention.title
    assert prevention.parent_code == "OS1"


def test_walk_is_depth_first_document_order() -> None:
    pack = _pack(PDL_KEY)
    codes = [o.code for o in pack.walk()]
    assert codes[:5] == ["OS1", "OS1-OO1", "OS1-OO1-1", "OS1-OO1-2", "OS1-OO2"]
    assert codes[-1] == "OS5-OO4"


def test_find_unknown_code_raises_french_keyerror() -> None:
    pack = _pack(PDL_KEY)
    with pytest.raises(KeyError) as excinfo:
        pack.find("OS9-OO9")
    message = excinfo.value.args[0]
    assert message == f"Objectif « OS9-OO9 » absent du plan « {pack.title} »"


def test_packs_for_region() -> None:
    pdl = packs_for_region("52")
    assert [p.key for p in pdl] == [PDL_KEY]
    normandie = {p.key for p in packs_for_region("28")}
    assert {NORMANDIE_KEY, CALVADOS_KEY} <= normandie
    assert packs_for_region("99") == []


def test_normandie_has_12_axes() -> None:
    pack = _pack(NORMANDIE_KEY)
    assert pack.region_code == "28"
    assert [r.code for r in pack.roots] == [f"AX{i}" for i in range(1, 13)]
    assert all(not r.children for r in pack.roots)
    assert "vieillissement" in pack.find("AX1").title
    assert "transition écologique" in pack.find("AX12").title


def test_calvados_roadmap_mirrors_axes_1_to_10() -> None:
    axes = _pack(NORMANDIE_KEY)
    cal = _pack(CALVADOS_KEY)
    assert cal.level_labels == ("Action prioritaire", "Chantier")
    assert [r.code for r in cal.roots] == [f"CAL-AP{i}" for i in range(1, 11)]
    assert sum(len(r.children) for r in cal.roots) == 22
    assert cal.find("CAL-AP5").children == ()
    for i, root in enumerate(cal.roots, 1):
        axis = axes.find(f"AX{i}")
        # same wording apart from singular/plural and case differences in the source
        assert _strip_accents(root.title.lower())[:25] == _strip_accents(axis.title.lower())[:25]


# --------------------------------------------------------------------------- load_pack errors


def test_load_minimal_pack(tmp_path: Path) -> None:
    pack = load_pack(_write(tmp_path, _minimal()))
    assert [o.code for o in pack.walk()] == ["A", "A-1", "B"]
    child = pack.find("A-1")
    assert isinstance(child, PlanObjective)
    assert (child.level, child.level_label, child.parent_code, child.description) == (
        1,
        "Objectif",
        "A",
        "",
    )


def test_duplicate_code_is_rejected(tmp_path: Path) -> None:
    data = _minimal()
    data["objectives"][1]["code"] = "A-1"
    with pytest.raises(PackError) as excinfo:
        load_pack(_write(tmp_path, data))
    message = str(excinfo.value)
    assert "essai.json" in message
    assert "« A-1 » en double" in message


def test_malformed_json_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, '{"key": "essai", "title": ')
    with pytest.raises(PackError) as excinfo:
        load_pack(path)
    message = str(excinfo.value)
    assert "essai.json" in message
    assert "JSON mal formé" in message
    assert isinstance(excinfo.value, ValueError)


@pytest.mark.parametrize("missing", ["title", "region_code", "level_labels", "objectives"])
def test_missing_top_level_key_is_rejected(tmp_path: Path, missing: str) -> None:
    data = _minimal()
    del data[missing]
    with pytest.raises(PackError) as excinfo:
        load_pack(_write(tmp_path, data))
    message = str(excinfo.value)
    assert "essai.json" in message
    assert f"« {missing} »" in message
    assert "manquante" in message


def test_missing_node_title_is_rejected(tmp_path: Path) -> None:
    data = _minimal()
    del data["objectives"][0]["children"][0]["title"]
    with pytest.raises(PackError, match="objectif « A-1 » : clé « title » manquante"):
        load_pack(_write(tmp_path, data))


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"region_code": 52}, "region_code"),
        ({"period_start": 2030}, "période incohérente"),
        ({"level_labels": []}, "level_labels"),
        ({"objectives": []}, "objectives"),
        ({"key": "autre"}, "ne correspond pas au nom du fichier"),
        ({"couleur": "bleu"}, "clé(s) inconnue(s)"),
    ],
)
def test_invalid_header_values_are_rejected(tmp_path: Path, overrides: dict[str, Any], fragment: str) -> None:
    with pytest.raises(PackError) as excinfo:
        load_pack(_write(tmp_path, _minimal(**overrides)))
    assert fragment in str(excinfo.value)


def test_tree_deeper_than_level_labels_is_rejected(tmp_path: Path) -> None:
    data = _minimal()
    data["objectives"][0]["children"][0]["children"] = [{"code": "A-1-1", "title": "Trop profond"}]
    with pytest.raises(PackError, match="niveau"):
        load_pack(_write(tmp_path, data))


def test_comment_keys_are_ignored(tmp_path: Path) -> None:
    data = _minimal(_comment="importé par un utilisateur")
    data["objectives"][1]["$note"] = "libre"
    assert load_pack(_write(tmp_path, data)).find("B").title == "Orientation B"


def test_missing_file_and_non_object_json(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="introuvable"):
        load_pack(tmp_path / "absent.json")
    with pytest.raises(PackError, match="objet JSON"):
        load_pack(_write(tmp_path, "[]"))


def test_list_packs_on_custom_and_missing_folder(tmp_path: Path) -> None:
    assert list_packs(tmp_path / "nope") == []
    _write(tmp_path, _minimal())
    packs = list_packs(tmp_path)
    assert [p.key for p in packs] == ["essai"]
    assert [p.key for p in packs_for_region("52", tmp_path)] == ["essai"]
    _write(tmp_path, "pas du json", name="casse.json")
    with pytest.raises(PackError, match=r"casse\.json"):
        list_packs(tmp_path)
