"""A project: the open file, its documents, and the operations that change them.

Every user operation is one transaction that writes the new state *and* an operation-log
entry holding what it changed (before and after), so undo and redo live in the file and
survive a restart.  Operations return a :class:`Change` telling the caller what to refresh,
after Anki's ``OpChanges``.  The class is assembled from three parts: the file and its
queries (:mod:`emendo.core.projectfile`), the operations (:mod:`emendo.core.operations`)
and undo (:mod:`emendo.core.undo`).
"""
from __future__ import annotations

from emendo.core.codec import (
    DOC_COLUMNS,
    SEARCH_KINDS,
    doc_to_row,
    fields_text,
    row_to_doc,
)
from emendo.core.operations import MERGE_SECONDS, OperationsMixin
from emendo.core.projectfile import Change, DocSummary, LogEntry, ProjectFile, SearchHit
from emendo.core.undo import UndoMixin

__all__ = ["Change", "DocSummary", "LogEntry", "MERGE_SECONDS", "Project", "SearchHit",
           "DOC_COLUMNS", "SEARCH_KINDS", "doc_to_row", "fields_text", "row_to_doc"]


class Project(OperationsMixin, UndoMixin, ProjectFile):
    """An open project file with its operations.  Use :meth:`open`; close it after."""
