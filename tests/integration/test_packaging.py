"""The one-folder PyInstaller build starts offscreen and finds its resources and translations."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_built_app_starts(tmp_path: Path) -> None:
    pyinstaller = Path(sys.executable).parent / "pyinstaller"
    build = subprocess.run(
        [str(pyinstaller), "--noconfirm", "--log-level", "WARN", "--distpath", str(tmp_path / "dist"),
         "--workpath", str(tmp_path / "build"), str(ROOT / "build_app.spec")],
        cwd=ROOT, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr[-4000:]
    executable = tmp_path / "dist" / "santeloc" / "santeloc"
    assert executable.exists()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SANTELOC_DATA_DIR": str(tmp_path / "data")}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    # Run from elsewhere: the build must not lean on the repository's files.
    smoke = subprocess.run(
        [str(executable), "--smoke"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr
    assert "Démarrage : OK" in smoke.stdout
    assert (tmp_path / "data" / "santeloc.db").exists()
