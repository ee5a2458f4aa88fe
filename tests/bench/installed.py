"""Make a checkout's santeloc start as an installed copy does: from compiled bytecode.

An installation (``pip install``, the PyInstaller build) carries santeloc compiled; a checkout
run with ``PYTHONDONTWRITEBYTECODE`` set (as on some CI and sandbox machines) recompiles every
module it imports at each start, 0,03 to 0,1 s that no user pays. The start-up benchmarks
call :func:`checkouts_compiled` on each checkout they time, and say so.
"""

from __future__ import annotations

import subprocess
import sys


def checkouts_compiled(root: str) -> str | None:
    """Compile ``root`` and the checkout given by ``--before DIR``, if any; return that DIR."""
    before = sys.argv[sys.argv.index("--before") + 1] if "--before" in sys.argv else None
    for checkout in filter(None, (root, before)):
        compile_checkout(checkout)
    return before


def compile_checkout(checkout: str) -> None:
    """Compile ``checkout``'s santeloc package to ``__pycache__`` (as an installation has it)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "santeloc"], cwd=checkout, check=True)
    print(f"Bytecode compiled in {checkout}/santeloc, as in an installation.", file=sys.stderr)
