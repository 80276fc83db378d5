"""Typed exceptions. The CLI turns each into one clear line; none is a traceback for a user."""

from __future__ import annotations


class NewsentsError(Exception):
    """Base class: every error newsents raises on purpose."""


class InputError(NewsentsError):
    """An input file cannot be read as an article (empty, binary, undecodable...)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ModelNotInstalledError(NewsentsError):
    """The requested spaCy pipeline is not installed."""


class StoreError(NewsentsError):
    """The SQLite store cannot be opened or is from an unknown newer version."""


class EntityNotFoundError(NewsentsError):
    """No entity matches the name asked for."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no entity named {name!r} in the store.{hint}")
        self.name = name
        self.suggestions = suggestions


class AliasFileError(NewsentsError):
    """The alias file cannot be read or does not have the documented shape."""
