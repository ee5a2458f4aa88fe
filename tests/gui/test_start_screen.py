"""The start-up screen says what is being prepared."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_the_start_up_screen_says_a_first_start_creates_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from santeloc.gui.app import _preparing_text
    from santeloc.persistence.config import default_database_url

    monkeypatch.setenv("SANTELOC_DATA_DIR", str(tmp_path))
    assert _preparing_text(default_database_url()).startswith("Premier démarrage : création de votre base")
    (tmp_path / "santeloc.db").touch()
    assert _preparing_text(default_database_url()).startswith("Ouverture de santeloc")
