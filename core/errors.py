"""Named exceptions: every error a user can meet has a class and a one-line message."""
from __future__ import annotations


class EmendoError(Exception):
    """Base class: str(error) is a one-line message fit to show a user."""


class NotAProjectError(EmendoError):
    """The file is not an Emendo project (not SQLite, or another application's file)."""


class DamagedProjectError(EmendoError):
    """The project file fails SQLite's integrity checks or is truncated."""


class NewerVersionError(EmendoError):
    """The project was written by a newer Emendo; it is left untouched."""


class ProjectInUseError(EmendoError):
    """Another process holds the project's lock."""

    def __init__(self, message: str, host: str = "", pid: int = 0, since: str = "",
                 foreign: bool = False) -> None:
        super().__init__(message)
        self.host = host
        self.pid = pid
        self.since = since
        # The lock was taken on another host: whether its process lives cannot be told
        # from here, so the user may take it over (a copied project, a renamed machine).
        self.foreign = foreign


class ReadOnlyProjectError(EmendoError):
    """A change was attempted on a project opened read-only."""


class ImportFailedError(EmendoError):
    """A file could not be imported; nothing from it was stored."""


class ImportCancelledError(EmendoError):
    """The user cancelled an import while it ran; nothing from it was stored."""


class DocumentNotFoundError(EmendoError):
    """No document with that id (or title) in the project."""


class InvalidEditError(EmendoError):
    """An operation's arguments do not fit the document (offsets out of range, unknown kind)."""


class NothingToUndoError(EmendoError):
    """Undo or redo was asked for with nothing on that side of the log."""


class WriteFailedError(EmendoError):
    """The disk refused a write (full, read-only); nothing already saved was lost."""


class ExportError(EmendoError):
    """An edition could not be written."""
