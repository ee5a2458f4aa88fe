"""Errors the user can understand: each carries a French message ready to show."""

from __future__ import annotations

MAX_MESSAGE_CHARS = 2_000
"""Longest message shown; a longer one (quoting a whole 1 GB cell…) keeps its start and end."""


class DomainError(Exception):
    """Base of every error whose message is meant for the user (in French)."""

    def __init__(self, message: str) -> None:
        if len(message) > MAX_MESSAGE_CHARS:
            message = f"{message[: MAX_MESSAGE_CHARS - 400]} […] {message[-300:]}"
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(DomainError):
    """The user's input cannot be accepted as it is."""


class NotFoundError(DomainError):
    """The record the user acts on no longer exists (deleted by someone else?)."""


class ConflictError(DomainError):
    """Someone else saved the same record since it was shown: nothing was overwritten."""


class DatabaseError(DomainError):
    """The database cannot be opened or written (locked, read-only, newer version, unreachable)."""
