"""Benchmark of santeloc-cli start-up (issue 16), against baselines measured in the same run.

    .venv/bin/python tests/bench/bench_cli.py

santeloc runs from compiled bytecode, as installed (``installed.py``). Whole processes, fresh
interpreter each time, median of 7, interleaved so every command sees the same machine load:

- ``python -c pass``: the interpreter alone (the floor of any command);
- ``python -c "import sqlalchemy"``: the floor of any command that opens the database;
- ``santeloc-cli --help``, ``list`` (demo project in a fresh database), ``check``.

With ``--before DIR`` (another checkout, e.g. ``/work/main``), also times that checkout's
``list`` (on its own demo database), to show the change under the same load.

Target: ``santeloc-cli list`` ≤ 0,5 s. The script also prints which heavy packages each
command imported (``-X importtime``), to catch a top-level import creeping back into cli.py.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from installed import checkouts_compiled  # this folder (the script's own)

ROOT = Path(__file__).resolve().parents[2]
RUNS = 7
HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "numpy", "scipy", "matplotlib", "docxtpl", "openpyxl", "alembic")


CPU: dict[str, list[float]] = {}


def timed(args: list[str], env: dict[str, str], name: str = "") -> float:
    """Wall time of a whole process, from spawn to exit (run where PYTHONPATH points).

    Also records the process's CPU time (user + system, from ``os.wait4``) under ``name``:
    on a machine shared with other work it is close to what the wall time would be at rest
    (these commands are single-threaded and read small local files).
    """
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, cwd=env["PYTHONPATH"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    stderr = process.stderr.read().decode() if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(stderr)
    if name:
        CPU.setdefault(name, []).append(usage.ru_utime + usage.ru_stime)
    return elapsed


def heavy_imports(args: list[str], env: dict[str, str]) -> list[str]:
    """The heavy top-level packages a command imports."""
    result = subprocess.run(
        [args[0], "-X", "importtime", *args[1:]],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=env["PYTHONPATH"],
    )
    found = set()
    for line in result.stderr.splitlines():
        name = line.rsplit("|", 1)[-1].strip()
        if name in HEAVY:
            found.add(name)
    return sorted(found)


def fmt(seconds: float) -> str:
    """French seconds, three decimals."""
    return f"{seconds:.3f}".replace(".", ",") + " s"


def main() -> None:
    before = checkouts_compiled(str(ROOT))
    data = tempfile.mkdtemp(prefix="santeloc-bench-cli-")
    env = {**os.environ, "SANTELOC_DATA_DIR": data, "PYTHONPATH": str(ROOT)}
    env.pop("SANTELOC_DATABASE_URL", None)
    cli = [sys.executable, "-m", "santeloc.cli"]
    timed([*cli, "demo"], env)  # creates and migrates the database, adds the demo project
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import sqlalchemy'": [sys.executable, "-c", "import sqlalchemy"],
        "santeloc-cli --help": [*cli, "--help"],
        "santeloc-cli list": [*cli, "list"],
        "santeloc-cli check": [*cli, "check"],
    }
    envs = {name: env for name in commands}
    if before:
        commands["avant (--before) : list"] = [*cli, "list"]
        # Its own database: the other checkout may be at another schema revision.
        other = tempfile.mkdtemp(prefix="santeloc-bench-cli-before-")
        envs["avant (--before) : list"] = {**env, "PYTHONPATH": before, "SANTELOC_DATA_DIR": other}
        timed([*cli, "demo"], envs["avant (--before) : list"])
    times: dict[str, list[float]] = {name: [] for name in commands}
    for name, args in commands.items():
        timed(args, envs[name])  # warm the file cache
    for _ in range(RUNS):
        for name, args in commands.items():
            times[name].append(timed(args, envs[name], name))
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians["python -c pass"]
    floor = medians["python -c 'import sqlalchemy'"]
    print(f"santeloc-cli, processus complets, médiane de {RUNS} (machine : {os.cpu_count()} cœurs)")
    for name, value in medians.items():
        spread = f"{fmt(min(times[name]))} à {fmt(max(times[name]))}"
        heavy = ", ".join(heavy_imports(commands[name], envs[name])) if "python" not in name else ""
        cpu = statistics.median(CPU[name])
        print(
            f"  {name:<32} {fmt(value):>9}  ({spread})  ×{value / base:5.1f} python nu, "
            f"×{value / floor:4.2f} import sqlalchemy ; CPU {fmt(cpu)}  {('importe : ' + heavy) if heavy else ''}"
        )
    listed = medians["santeloc-cli list"]
    listed_cpu = statistics.median(CPU["santeloc-cli list"])
    verdict = "tenue" if listed <= 0.5 else "NON tenue"
    print(f"Cible santeloc-cli list ≤ 0,5 s : {fmt(listed)} — {verdict} (temps CPU du processus : {fmt(listed_cpu)})")


if __name__ == "__main__":
    main()
