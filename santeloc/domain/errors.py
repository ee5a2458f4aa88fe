"""Errors the user can understand: each carries a French message ready to show."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error whose message is meant for the user (in French)."""

    def __init__(self, message: str) -> None:
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
