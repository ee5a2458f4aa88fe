"""A line-based file made of one endless line is refused at once, in French, with its number,
without reading it into memory (a 200 MB line once took 2,3 GB and 51 s)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from santeloc.persistence.uow import UnitOfWork
from santeloc.refdata.geo import RefData
from santeloc.services.rpps import MAX_LINE_CHARS, import_rpps
from tests.integration.test_rpps_import import HEADER, LINES, project_id  # noqa: F401  (fixture)


def one_line_archive(tmp_path: Path, megabytes: int) -> Path:
    archive = tmp_path / "PS_LibreAcces_202611220000.zip"
    chunk = "x" * (1 << 20)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("PS_LibreAcces_Personne_activite_202611220000.txt", "w") as member:
            member.write((HEADER + "\n" + LINES[0] + "\n").encode())
            for _ in range(megabytes):
                member.write(chunk.encode())
    return archive


def test_a_too_long_line_is_refused_with_its_number(
    uow: UnitOfWork,
    project_id: int,  # noqa: F811  (the fixture imported above)
    refdata: RefData,
    tmp_path: Path,
) -> None:
    from santeloc.domain.errors import ValidationError

    archive = one_line_archive(tmp_path, 2)
    with pytest.raises(ValidationError) as caught:
        import_rpps(uow, project_id, archive, refdata, radius_km=0)
    assert caught.value.message.startswith("La ligne 3 du fichier dépasse"), caught.value.message
    assert MAX_LINE_CHARS < 100_000


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_zipped_200_mb_line_is_refused_under_400_mib(tmp_path: Path, database_url: str) -> None:
    archive = one_line_archive(tmp_path, 200)
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from santeloc.domain.errors import ValidationError
        from santeloc.persistence.engine import open_database
        from santeloc.persistence.uow import UnitOfWork
        from santeloc.refdata.geo import load_refdata
        from santeloc.services.projects import create_project
        from santeloc.services.rpps import import_rpps
        from santeloc.services.territory import add_communes
        uow = UnitOfWork(open_database({database_url!r}))
        refdata = load_refdata()
        project = create_project(uow, "Essai").id
        add_communes(uow, project, ["58227"], refdata=refdata)
        try:
            import_rpps(uow, project, Path({str(archive)!r}), refdata, radius_km=0)
        except ValidationError as exc:
            print(exc.message)
        # VmHWM: this program's own peak (ru_maxrss would count the forking test runner's pages too).
        with open("/proc/self/status") as status:
            peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
        print("pic", peak // 1024, "Mio")
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "La ligne 3 du fichier dépasse" in result.stdout, result.stdout
    peak = int(result.stdout.split("pic ")[1].split()[0])
    print(result.stdout)
    assert peak < 400, result.stdout
