"""Make a checkout's santeloc start as an installed copy does: from compiled bytecode.

An installation (``pip install``, the PyInstaller build) carries santeloc compiled; a checkout
run with ``PYTHONDONTWRITEBYTECODE`` set (as on some CI and sandbox machines) recompiles every
module it imports at each start, 0,03 to 0,1 s that no user pays. The start-up benchmarks
call :func:`compile_checkout` on each checkout they time, and say so.
"""

from __future__ import annotations

import subprocess
import sys


def compile_checkout(checkout: str) -> None:
    """Compile ``checkout``'s santeloc package to ``__pycache__`` (as an installation has it)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "santeloc"], cwd=checkout, check=True)
    print(f"Bytecode compiled in {checkout}/santeloc, as in an installation.", file=sys.stderr)
