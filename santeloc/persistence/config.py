"""Where the database lives: the user's data folder by default, or a URL given by the user."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_DATABASE_URL = "SANTELOC_DATABASE_URL"
ENV_DATA_DIR = "SANTELOC_DATA_DIR"


def user_data_dir() -> Path:
    """The per-user folder of santeloc's data (created on demand).

    ``SANTELOC_DATA_DIR`` overrides it (tests, portable installs); otherwise the platform's
    convention: ``%APPDATA%`` on Windows, ``~/Library/Application Support`` on macOS,
    ``$XDG_DATA_HOME`` or ``~/.local/share`` elsewhere.
    """
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        folder = Path(override)
    elif sys.platform == "win32":
        folder = Path(os.environ.get("APPDATA", Path.home())) / "santeloc"
    elif sys.platform == "darwin":
        folder = Path.home() / "Library" / "Application Support" / "santeloc"
    else:
        folder = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "santeloc"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_database_url() -> str:
    """SQLite file in the user's data folder."""
    return f"sqlite:///{user_data_dir() / 'santeloc.db'}"


def resolve_database_url(cli_url: str | None = None) -> str:
    """The URL to use: command line first, then ``SANTELOC_DATABASE_URL``, then the default.

    A bare file path is accepted and turned into a SQLite URL.
    """
    url = cli_url or os.environ.get(ENV_DATABASE_URL) or default_database_url()
    if "://" not in url:
        url = f"sqlite:///{Path(url).expanduser().resolve()}"
    return url
