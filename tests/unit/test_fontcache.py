"""Matplotlib's font cache lives in santeloc's data folder; a new account copies set-up's seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from santeloc import fontcache


@pytest.fixture
def account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SANTELOC_DATA_DIR", str(tmp_path / "donnees"))
    monkeypatch.delenv("MPLCONFIGDIR", raising=False)
    seed = tmp_path / "graine"
    monkeypatch.setattr(fontcache, "seed_dir", lambda: seed)
    return tmp_path


def test_a_new_account_copies_the_seed_and_points_matplotlib_at_its_data_folder(account: Path) -> None:
    (account / "graine").mkdir()
    (account / "graine" / "fontlist-v390.json").write_text('{"ttflist": []}', encoding="utf-8")
    assert fontcache.configure() is True
    folder = account / "donnees" / "matplotlib"
    assert fontcache.os.environ["MPLCONFIGDIR"] == str(folder)
    assert (folder / "fontlist-v390.json").read_text(encoding="utf-8") == '{"ttflist": []}'
    assert not list(folder.glob("*.partial"))


def test_without_a_seed_the_cache_is_said_to_be_built_on_first_use(account: Path) -> None:
    assert fontcache.configure() is False  # the start-up screen then says it prepares the fonts
    assert fontcache.os.environ["MPLCONFIGDIR"] == str(account / "donnees" / "matplotlib")


def test_a_folder_chosen_by_the_user_is_kept(account: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MPLCONFIGDIR", str(account / "mien"))
    assert fontcache.configure() is False
    assert fontcache.os.environ["MPLCONFIGDIR"] == str(account / "mien")
